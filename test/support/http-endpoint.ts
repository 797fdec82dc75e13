/**
 * Serves a SimulatedAws over HTTP on the loopback address, so code that builds its own SDK clients
 * (a bundled handler) can be pointed at it with AWS_ENDPOINT_URL: the whole client, its HTTP
 * handler and its credential provider included, runs as deployed.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { SimulatedAws } from './simulated-aws';

export async function serveOverHttp(sim: SimulatedAws): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const { response } = (await sim.handle({ headers, body: Buffer.concat(chunks).toString('utf8') })) as any;
        res.writeHead(response.statusCode, response.headers);
        response.body.pipe(res);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
