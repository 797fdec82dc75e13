/**
 * A simulated S3 for the inventory writes: plugged in as an S3Client's `requestHandler`, it answers
 * PutObject (virtual-hosted or path-style requests, as the SDK makes them) by storing the body under
 * its bucket and key, checks ExpectedBucketOwner as S3 does (403 AccessDenied for another owner),
 * answers S3's XML errors, and can inject faults per request (SlowDown, 500, AccessDenied, a request
 * that never answers). Latency is timer-based, so it runs on the virtual clock. Tests read the
 * objects back as gzip JSON lines.
 */
import { Readable } from 'stream';
import { gunzipSync } from 'zlib';
import type { InventoryRecord } from '../../lambda/inventory/record';

export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentType?: string;
}

/** An S3 error answer: HTTP status, S3 error code, message. */
export interface S3Fault {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

export const SLOW_DOWN: S3Fault = { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
export const INTERNAL_ERROR: S3Fault = { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
export const ACCESS_DENIED: S3Fault = { status: 403, code: 'AccessDenied', message: 'Access Denied' };
export const NO_SUCH_BUCKET: S3Fault = { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist' };

/** An injected request that is accepted and never answered (until the caller aborts it). */
export const S3_HANG = Symbol('s3-hang');

export interface SimulatedS3Options {
  /** Buckets that exist, with the account that owns each. */
  readonly buckets: Record<string, string>;
  /** Mean latency per request in ms (default 30). */
  readonly latencyMs?: number;
  /** Called for every request (numbered from 1); return a fault to answer with it, or S3_HANG. */
  readonly inject?: (key: string, request: number) => S3Fault | typeof S3_HANG | undefined;
}

class AbortError extends Error {
  constructor() {
    super('Request aborted');
    this.name = 'AbortError';
  }
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export class SimulatedS3 {
  /** Stored objects by `bucket/key`, in the order first written. */
  readonly objects = new Map<string, StoredObject>();
  requests = 0;
  failed = 0;

  constructor(private readonly o: SimulatedS3Options) {}

  /** The SDK HttpHandler interface. */
  async handle(
    request: { method: string; hostname: string; path: string; headers: Record<string, string>; body?: unknown },
    options: { abortSignal?: any } = {},
  ): Promise<{ response: unknown }> {
    this.requests++;
    const n = this.requests;
    const { bucket, key } = this.target(request.hostname, request.path);
    const body = await bodyBytes(request.body);
    await new Promise((resolve) => setTimeout(resolve, this.o.latencyMs ?? 30));
    const injected = this.o.inject?.(key, n);
    if (injected === S3_HANG) {
      return new Promise((_, reject) => {
        const signal = options.abortSignal;
        if (signal?.aborted) return reject(new AbortError());
        signal?.addEventListener('abort', () => reject(new AbortError()), { once: true });
      });
    }
    if (injected) return this.error(injected);
    if (request.method !== 'PUT') return this.error({ status: 405, code: 'MethodNotAllowed', message: `No simulated ${request.method}` });
    const owner = this.o.buckets[bucket];
    if (owner === undefined) return this.error(NO_SUCH_BUCKET);
    const header = (name: string) => Object.entries(request.headers).find(([k]) => k.toLowerCase() === name)?.[1];
    const expected = header('x-amz-expected-bucket-owner');
    if (expected !== undefined && expected !== owner) return this.error(ACCESS_DENIED);
    this.objects.set(`${bucket}/${key}`, { bucket, key, body, contentType: header('content-type') });
    return { response: { statusCode: 200, reason: 'OK', headers: { etag: `"${n.toString(16).padStart(32, '0')}"` }, body: Readable.from([Buffer.alloc(0)]) } };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }
  destroy(): void {}

  /** The keys written, sorted. */
  keys(): string[] {
    return [...this.objects.values()].map((o) => o.key).sort();
  }

  /** Every record of every object, objects in key order (parts in order), lines in order. */
  records(): InventoryRecord[] {
    return [...this.objects.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .flatMap((o) => linesOf(o.body));
  }

  private target(hostname: string, path: string): { bucket: string; key: string } {
    const decoded = path.split('/').map((segment) => decodeURIComponent(segment));
    // Path style: s3.<region>.amazonaws.com/<bucket>/<key>; virtual-hosted: <bucket>.s3.<region>.amazonaws.com/<key>.
    if (/^s3[.-]/.test(hostname)) return { bucket: decoded[1], key: decoded.slice(2).join('/') };
    return { bucket: hostname.slice(0, hostname.indexOf('.s3')), key: decoded.slice(1).join('/') };
  }

  private error(f: S3Fault) {
    this.failed++;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${f.code}</Code><Message>${f.message ?? f.code}</Message><RequestId>SIMULATED</RequestId></Error>`;
    return { response: { statusCode: f.status, reason: 'Error', headers: { 'content-type': 'application/xml' }, body: Readable.from([Buffer.from(xml)]) } };
  }
}

/** The records of one gzip JSON lines object. */
export function linesOf(gzipped: Buffer | Uint8Array): InventoryRecord[] {
  const text = gunzipSync(gzipped).toString('utf8');
  if (!text.endsWith('\n')) throw new Error('a JSON lines object must end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as InventoryRecord);
}

/** Client settings that route an S3Client to the simulator, with static credentials. */
export function simulatedS3ClientConfig(sim: SimulatedS3, region: string, extra: Record<string, unknown> = {}) {
  return {
    region,
    credentials: { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' },
    ...extra,
    requestHandler: sim,
  };
}
