/**
 * The KMS handler as it is deployed: bundled (its SDK client from the ES-module build, only the
 * environment credential provider), loaded from the bundle's text, with its own clients sending
 * real HTTP to the simulated services on the loopback address. It makes the same calls and sends
 * the same results as the source does through the same simulated account.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { bundleHandler, REPO_ROOT } from '../../lib/bundle';
import { CUSTOM_RULES } from '../../lib/catalog';
import { kmsUnusedKeyRule } from '../../lambda/kms-unused-keys';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule } from '../../lambda/runtime/run-rule';
import { serveOverHttp } from '../support/http-endpoint';
import { SimulatedAws, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { keyInventory, kmsOperations } from '../support/simulated-kms';
import { scheduledRuleEvent } from '../support/rule-event';

const NOW = new Date();
const keys = [...keyInventory(30, 0.1, NOW), { keyId: 'aws-managed-1', manager: 'AWS' as const, state: 'Enabled', created: NOW }];
// Fast pacing: this test runs on the real clock.
const event = scheduledRuleEvent('kms-unused-key-check', NOW, { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: '500' });

function account() {
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  return { config, sim: new SimulatedAws({ operations: { ...kmsOperations(keys), ...configOperations(config) }, latencyMs: () => 1 }) };
}

/**
 * Runs a bundle's handler once in a Node.js process of its own, as Lambda does (the SDK's ES-module
 * code imports Node's modules dynamically, which Jest's sandbox cannot), with the SDK clients it
 * leaves external taken from this project. Returns the handler's result.
 */
async function invokeInNode(code: string, event: unknown, env: Record<string, string>): Promise<any> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-bundle-'));
  const bundle = path.join(dir, 'index.js');
  const driver = path.join(dir, 'driver.js');
  fs.writeFileSync(bundle, code);
  fs.writeFileSync(
    driver,
    `const Module = require('module');
const m = new Module(${JSON.stringify(bundle)});
m.filename = ${JSON.stringify(bundle)};
m.paths = Module._nodeModulePaths(${JSON.stringify(REPO_ROOT)});
m._compile(require('fs').readFileSync(${JSON.stringify(bundle)}, 'utf8'), ${JSON.stringify(bundle)});
const context = { getRemainingTimeInMillis: () => 900000, invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:crypto-monitoring-kms-unused-key-check' };
m.exports.handler(${JSON.stringify(event)}, context).then(
  (r) => process.stdout.write('\\nRESULT ' + JSON.stringify(r) + '\\n'),
  (e) => { process.stdout.write('\\nERROR ' + String(e) + '\\n'); process.exitCode = 1; },
);
`,
  );
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [driver], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    return JSON.parse(line!.slice('RESULT '.length));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What Lambda gives the function: its role's credentials and its Region in the environment. */
const LAMBDA_ENV = { AWS_ACCESS_KEY_ID: 'AKIASIMULATED', AWS_SECRET_ACCESS_KEY: 'simulated', AWS_SESSION_TOKEN: 'session', AWS_REGION: 'eu-west-1', EVALUATION_FREQUENCY: 'TwentyFour_Hours' };

beforeEach(() => jest.spyOn(console, 'info').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

test('the bundled KMS handler makes the same calls and sends the same results as the source', async () => {
  const spec = CUSTOM_RULES.find((r) => r.key === 'kmsUnusedKey')!;
  const code = bundleHandler(spec.handlerEntry, spec.bundledModules);
  // Not the SDK's full credential chain: only the environment provider Lambda uses.
  for (const provider of ['fromInstanceMetadata', 'fromContainerMetadata', 'fromSSO', 'fromIni', 'fromTokenFile', 'fromProcess', 'STSClient', 'SSOClient']) expect(code).not.toContain(provider);

  const bundled = account();
  const endpoint = await serveOverHttp(bundled.sim);
  try {
    const summary = await invokeInNode(code, event, { ...LAMBDA_ENV, AWS_ENDPOINT_URL: endpoint.url });
    expect(summary).toMatchObject({ outcome: 'complete', resources: 31, sent: 31 });
  } finally {
    await endpoint.close();
  }

  const source = account();
  const client = (C: any) => new C(simulatedClientConfig(source.sim, CLIENT_DEFAULTS));
  await runRule(kmsUnusedKeyRule(client(KMSClient), client(ResourceGroupsTaggingAPIClient)), event, { config: client(ConfigServiceClient), now: () => NOW });

  expect(bundled.sim.callsByOperation()).toEqual(source.sim.callsByOperation());
  const results = (c: SimulatedConfigState) => c.putEvaluations.flat().map((e) => [e.ComplianceResourceId, e.ComplianceType, e.Annotation]).sort();
  expect(results(bundled.config)).toEqual(results(source.config));
  expect(results(bundled.config)).toHaveLength(31);
});
