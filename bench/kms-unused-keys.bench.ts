/**
 * kms-unused-key-check over a simulated account of 10,000 customer-managed keys (a tenth unused),
 * through the real SDK clients and the real rule, with per-call latency and KMS's request quotas
 * enforced by the simulator, on a virtual clock. Prints wall time against the floor the quotas and
 * latency allow, calls by operation and per key, throttles, peak memory, template and bundle sizes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { bundleHandler } from '../lib/bundle';
import { CUSTOM_RULES } from '../lib/catalog';
import { synthesizeMemberTemplate } from '../lib/member/member-template';
import { parseSettings } from '../lib/settings';
import { KEY_CONCURRENCY, kmsUnusedKeyRule } from '../lambda/kms-unused-keys';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import { runRule, type RunSummary } from '../lambda/runtime/run-rule';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../test/support/simulated-config';
import { keyInventory, kmsOperations } from '../test/support/simulated-kms';
import { runOnVirtualClock } from '../test/support/virtual-clock';
import { scheduledRuleEvent } from '../test/support/rule-event';

const KEYS = 10_000;
const UNUSED_FRACTION = 0.1;
const MEAN_LATENCY_MS = 25;
/** KMS's documented per-account quotas (GetKeyLastUsage: assumed, see lambda/kms-unused-keys.ts). */
const QUOTAS = { DescribeKey: 2000, GetKeyLastUsage: 100, ListKeys: 100, ListResourceTags: 50 };

export async function run(): Promise<void> {
  const now = new Date('2026-11-23T12:00:00Z');
  const keys = keyInventory(KEYS, UNUSED_FRACTION, now);
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...kmsOperations(keys), ...configOperations(config) }, quotas: QUOTAS, latencyMs: () => MEAN_LATENCY_MS });
  const kms = new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const tagging = new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('kms-unused-key-check', now, { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' });

  const info = console.info;
  console.info = () => undefined; // the rule's own summary line is printed below, once
  let peakHeap = 0;
  let peakRss = 0;
  const cpuStart = process.cpuUsage();
  const realStart = Date.now();
  let timed: { result: RunSummary; simulatedMs: number };
  try {
    timed = await runOnVirtualClock(
      () => runRule(kmsUnusedKeyRule(kms, tagging), event, { config: cfg, now: () => now }),
      () => {
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakRss = Math.max(peakRss, m.rss);
      },
      now.getTime(),
    );
  } finally {
    console.info = info;
  }
  const realMs = Date.now() - realStart;
  const cpu = process.cpuUsage(cpuStart);
  const summary = timed.result;
  const calls = sim.callsByOperation();
  const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);

  // The floor: the slowest operation at its quota, or the latency of every call spread over the workers.
  const quotaFloors = Object.entries(QUOTAS).map(([op, q]) => [op, ((calls[op] ?? 0) / q) * 1000] as const);
  const [bindingOp, quotaFloorMs] = quotaFloors.reduce((a, b) => (b[1] > a[1] ? b : a));
  const latencyFloorMs = ((totalCalls - (calls.PutEvaluations ?? 0)) * MEAN_LATENCY_MS) / KEY_CONCURRENCY;
  const floorMs = Math.max(quotaFloorMs, latencyFloorMs);

  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`keys: ${KEYS} customer-managed, ${UNUSED_FRACTION * 100}% unused; latency ${MEAN_LATENCY_MS} ms ±40%; quotas/s ${JSON.stringify(QUOTAS)}`);
  console.log(`results: ${JSON.stringify(summary.compliance)} (evaluations sent: ${config.putEvaluations.flat().length})`);
  console.log(`wall time (simulated): ${s(timed.simulatedMs)}; floor ${s(floorMs)} (quota floor ${s(quotaFloorMs)} from ${bindingOp}, latency floor ${s(latencyFloorMs)} at ${KEY_CONCURRENCY} workers); ratio ${(timed.simulatedMs / floorMs).toFixed(2)} (target <= 2); Lambda limit 900 s`);
  console.log(`API calls by operation (retries included): ${JSON.stringify(calls)}`);
  console.log(`calls per key: ${(totalCalls / KEYS).toFixed(3)} (target < 2.15); GetKeyLastUsage+DescribeKey per key ${(((calls.DescribeKey ?? 0) + (calls.GetKeyLastUsage ?? 0)) / KEYS).toFixed(3)}; exempt keys from ${calls.GetResources ?? 0} GetResources call(s), ListResourceTags ${calls.ListResourceTags ?? 0}`);
  console.log(`throttled responses: ${sim.totalThrottled()}; failed evaluations: ${summary.unsent}`);
  console.log(`peak memory: heap ${(peakHeap / 1048576).toFixed(0)} MiB, rss ${(peakRss / 1048576).toFixed(0)} MiB; host time ${s(realMs)} (cpu ${s((cpu.user + cpu.system) / 1000)})`);

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-bench-'));
  const member = synthesizeMemberTemplate(parseSettings({}), JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context, outdir);
  console.log(`member template: ${member.sizeBytes} bytes (${((member.sizeBytes / 1_000_000) * 100).toFixed(1)}% of the 1 MB template-URL limit)`);
  for (const spec of CUSTOM_RULES) {
    console.log(`bundle ${spec.handlerEntry}: ${Buffer.byteLength(bundleHandler(spec.handlerEntry, spec.bundledModules))} bytes${spec.bundledModules.length ? ` (bundles ${spec.bundledModules.join(', ')})` : ''}`);
  }
}
