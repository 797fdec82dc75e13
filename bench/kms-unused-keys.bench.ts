/**
 * kms-unused-key-check over a simulated account of 100,000 keys, through the real SDK clients and
 * the real rule, with KMS's documented request quotas and 25 ms ±40% latency, on a virtual clock,
 * run as Lambda runs it: 900 s invocations handing the rest of the pass to continuations. Judged
 * against the account's known answer (every customer-managed key, each with its expected result)
 * and against the floor the quotas set. A second run, with no deadline, is stopped 900 s in to see
 * how much of what was decided had already reached AWS Config.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { kmsUnusedKeyRule } from '../lambda/kms-unused-keys';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import type { Compliance } from '../lambda/runtime/evaluation';
import { runRule, type ConfigRule } from '../lambda/runtime/run-rule';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../test/support/simulated-config';
import { kmsOperations, TRACKING_START, type SimulatedKey } from '../test/support/simulated-kms';
import { scheduledRuleEvent } from '../test/support/rule-event';
import { runOnVirtualClockUntil } from '../test/support/virtual-lambda';
import { collectGarbage, describeInvocations, HeapPeak, int, lambdaPass, longestInvocationMs, mib, printLogCounts, quietly, seconds, sum, warmUpSdk } from './harness';
import { target } from './judge';

const KEYS = 100_000;
const LATENCY_MS = 25;
/** KMS developer guide, "Request quotas", per account and Region, per second. */
const QUOTAS = { DescribeKey: 2000, GetKeyLastUsage: 5, ListKeys: 500, ListResourceTags: 2000 };
const LAMBDA_TIMEOUT_MS = 900_000;
const PASS_LIMIT_MS = 24 * 3_600_000;
const TAG_KEY = 'crypto-monitoring:exempt';
const DAY = 86_400_000;
const TARGET_CALLS_PER_KEY = 2.15;
const TARGET_SENT_SHARE_AT_DEADLINE = 0.9;

interface Account {
  readonly keys: SimulatedKey[];
  /** The result each customer-managed key must get; AWS-managed keys are out of scope. */
  readonly expected: Map<string, Compliance>;
  readonly awsManaged: number;
  /** Keys any design must ask GetKeyLastUsage about: enabled, customer-managed, not exempt. */
  readonly needLastUsage: number;
}

/**
 * The account: a tenth of the keys unused for 200 days (one in fifty of those exempt by tag),
 * some never used (new ones within the grace, older ones not), a few AWS-managed, Disabled or
 * PendingDeletion; the rest used within 30 days. No key sits near a threshold.
 */
function account(count: number, now: Date): Account {
  const keys: SimulatedKey[] = [];
  const expected = new Map<string, Compliance>();
  let awsManaged = 0;
  let needLastUsage = 0;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  for (let i = 0; i < count; i++) {
    const keyId = `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-1b2c-4d3e-8f40-${String(i).padStart(12, '0')}`;
    const tags: Record<string, string> = { team: ['payments', 'identity', 'data', 'platform'][i % 4], env: i % 3 === 0 ? 'dev' : 'prod' };
    const base = { keyId, manager: 'CUSTOMER' as const, state: 'Enabled', created: ago(400), tags };
    let key: SimulatedKey;
    let result: Compliance | undefined;
    if (i % 5000 === 17) {
      key = { keyId, manager: 'AWS', state: 'Enabled', created: ago(800), lastUsed: { operation: 'Decrypt', at: ago(1) } };
      awsManaged++;
    } else if (i % 2000 === 3) {
      [key, result] = [{ ...base, state: 'Disabled', lastUsed: { operation: 'Encrypt', at: ago(300) } }, 'NOT_APPLICABLE'];
    } else if (i % 2500 === 5) {
      [key, result] = [{ ...base, state: 'PendingDeletion' }, 'NOT_APPLICABLE'];
    } else if (i % 10 === 0) {
      const exempt = i % 500 === 0;
      key = { ...base, lastUsed: { operation: 'Decrypt', at: ago(200) }, tags: exempt ? { ...tags, [TAG_KEY]: 'true' } : tags };
      result = exempt ? 'NOT_APPLICABLE' : 'NON_COMPLIANT';
    } else if (i % 1000 === 1) {
      [key, result] = [{ ...base, created: ago(30) }, 'COMPLIANT']; // never used, within the 90-day grace
    } else if (i % 1000 === 2) {
      [key, result] = [{ ...base, created: ago(150) }, 'NON_COMPLIANT']; // never used, created after tracking began
    } else {
      [key, result] = [{ ...base, lastUsed: { operation: ['Decrypt', 'GenerateDataKey', 'Sign'][i % 3], at: ago(1 + (i % 30)) } }, 'COMPLIANT'];
    }
    keys.push(key);
    if (result) expected.set(keyId, result);
    if (key.manager === 'CUSTOMER' && key.state === 'Enabled' && !key.tags?.[TAG_KEY]) needLastUsage++;
  }
  if (ago(150) <= TRACKING_START) throw new Error('the never-used keys must be created after TrackingStartDate');
  return { keys, expected, awsManaged, needLastUsage };
}

function simulatedAccount(keys: readonly SimulatedKey[]) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...kmsOperations(keys), ...configOperations(config) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const base = kmsUnusedKeyRule(new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  // Counts what the rule decided (its result, before sending), to find results lost on the way.
  const decided = new Set<string>();
  const rule: ConfigRule<any, any, any> = {
    ...base,
    evaluate: async (run, item, prepared) => {
      const r = await base.evaluate(run, item, prepared);
      if (r) decided.add(r.resourceId);
      return r;
    },
  };
  return { config, sim, rule, decided, cfg: new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)) };
}

const received = (config: SimulatedConfigState) => sum(config.putEvaluations.map((b) => b.length));

export async function run(): Promise<void> {
  await warmUpSdk();
  const start = new Date('2026-11-23T12:00:00Z');
  const acct = account(KEYS, start);
  const customer = acct.expected.size;
  const expectedBy = (c: Compliance) => [...acct.expected.values()].filter((v) => v === c).length;
  const event = scheduledRuleEvent('kms-unused-key-check', start, { unusedForDays: '90', exemptionTagKey: TAG_KEY });
  console.log(
    `account: ${int(KEYS)} keys (${int(customer)} customer-managed, ${acct.awsManaged} AWS-managed); expected COMPLIANT ${int(expectedBy('COMPLIANT'))}, NON_COMPLIANT ${int(expectedBy('NON_COMPLIANT'))}, NOT_APPLICABLE ${int(expectedBy('NOT_APPLICABLE'))}`,
  );
  console.log(`quotas/s ${JSON.stringify(QUOTAS)}; latency ${LATENCY_MS} ms ±40%; Lambda timeout ${LAMBDA_TIMEOUT_MS / 1000} s; pass limit 24 h`);

  // The pass, as Lambda runs it.
  const a = simulatedAccount(acct.keys);
  const heap = new HeapPeak();
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  const hostStart = Date.now();
  const { pass, logs } = await quietly(async (logs) => ({
    pass: await lambdaPass(a.rule, event, { config: a.cfg }, { timeoutMs: LAMBDA_TIMEOUT_MS, passLimitMs: PASS_LIMIT_MS, start: start.getTime(), onTick: heap.sample }),
    logs,
  }));
  const hostMs = Date.now() - hostStart;

  const calls = a.sim.callsByOperation();
  const totalCalls = sum(Object.values(calls));
  const got = new Map<string, string>();
  for (const e of a.config.putEvaluations.flat()) got.set(e.ComplianceResourceId, e.ComplianceType);
  const wrong = [...acct.expected].filter(([id, c]) => got.has(id) && got.get(id) !== c).length;
  const missing = [...acct.expected.keys()].filter((id) => !got.has(id)).length;
  const unexpected = [...got.keys()].filter((id) => !acct.expected.has(id)).length;
  const lost = [...a.decided].filter((id) => !got.has(id)).length;
  const gotBy = (c: string) => [...got.values()].filter((v) => v === c).length;
  const last = logs.summaries[logs.summaries.length - 1];

  // Floors from the quotas alone: the calls made, and the one GetKeyLastUsage per key no design avoids.
  const quotaFloors = Object.entries(QUOTAS).map(([op, q]) => [op, ((calls[op] ?? 0) / q) * 1000] as const);
  const [bindingOp, callsFloorMs] = quotaFloors.reduce((x, y) => (y[1] > x[1] ? y : x));
  const accountFloorMs = (acct.needLastUsage / QUOTAS.GetKeyLastUsage) * 1000;
  const floorMs = Math.max(callsFloorMs, accountFloorMs);
  const complete = last?.outcome === 'complete';
  // An incomplete pass made fewer calls than the account needs: count them per key it reached.
  const callsPerKey = totalCalls / (complete ? KEYS : Math.max(1, a.decided.size));

  console.log(`invocations: ${pass.invocations.length} (at least ${Math.ceil(accountFloorMs / LAMBDA_TIMEOUT_MS)} needed at the quota); simulated wall time of each: ${describeInvocations(pass)}`);
  console.log(
    `pass: ${seconds(pass.simulatedMs)} simulated; floor ${seconds(floorMs)} (calls made: ${seconds(callsFloorMs)} from ${bindingOp}; account: ${int(acct.needLastUsage)} GetKeyLastUsage at ${QUOTAS.GetKeyLastUsage}/s = ${seconds(accountFloorMs)}); ratio ${complete ? (pass.simulatedMs / floorMs).toFixed(2) : 'n/a (pass incomplete)'}`,
  );
  console.log(`results received by AWS Config: ${int(got.size)} keys (COMPLIANT ${int(gotBy('COMPLIANT'))}, NON_COMPLIANT ${int(gotBy('NON_COMPLIANT'))}, NOT_APPLICABLE ${int(gotBy('NOT_APPLICABLE'))}); ${int(received(a.config) - got.size)} sent again; wrong result ${wrong}, missing ${int(missing)}, out of scope ${unexpected}`);
  console.log(`last summary: outcome ${last?.outcome}, pass evaluated ${int(last?.pass.evaluated ?? 0)}, sent ${int(last?.pass.sent ?? 0)}${last?.error ? `, error: ${last.error}` : ''}`);
  console.log(`API calls (retries included): ${JSON.stringify(calls)}; ${callsPerKey.toFixed(3)} per key${complete ? '' : ' evaluated (pass incomplete)'}; throttled ${a.sim.totalThrottled()}`);
  console.log(`peak heap ${mib(heap.peak)} (${mib(heap.peak - baseline)} above the ${mib(baseline)} before the pass, which holds the simulated account); metric lines ${logs.metricLines}; host time ${seconds(hostMs)}`);
  printLogCounts(logs);

  target('every invocation within the 900 s timeout', longestInvocationMs(pass) <= LAMBDA_TIMEOUT_MS, `longest ${seconds(longestInvocationMs(pass))}`);
  target('evaluated = customer-managed keys', a.decided.size === customer, `${int(a.decided.size)} of ${int(customer)}`);
  target('sent = customer-managed keys, each with its expected result', got.size === customer && missing === 0 && wrong === 0 && unexpected === 0, `${int(got.size)} of ${int(customer)}; wrong ${wrong}, missing ${int(missing)}`);
  target('lost 0 (decided, never received)', lost === 0, String(lost));
  target(`calls per key <= ${TARGET_CALLS_PER_KEY}`, callsPerKey <= TARGET_CALLS_PER_KEY, callsPerKey.toFixed(3));
  target('throttled calls 0', a.sim.totalThrottled() === 0, String(a.sim.totalThrottled()));

  // The same account with no deadline in sight, stopped 900 s in, as a Lambda timeout would stop it.
  const b = simulatedAccount(acct.keys);
  const huge = { getRemainingTimeInMillis: () => 1e12, invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:kms-unused-key-check' };
  let atStop = { decided: 0, sent: 0 };
  const hostStart2 = Date.now();
  await quietly(() =>
    runOnVirtualClockUntil(
      () => runRule(b.rule, event, { config: b.cfg, context: huge, passLimitMs: PASS_LIMIT_MS }),
      start.getTime(),
      start.getTime() + LAMBDA_TIMEOUT_MS,
      undefined,
      () => (atStop = { decided: b.decided.size, sent: received(b.config) }),
    ),
  );
  const share = atStop.decided === 0 ? 0 : atStop.sent / atStop.decided;
  console.log(`killed at the deadline of its first invocation: ${int(atStop.sent)} results already sent of ${int(atStop.decided)} decided (${(share * 100).toFixed(1)}%); host time ${seconds(Date.now() - hostStart2)}`);
  target(`at least ${TARGET_SENT_SHARE_AT_DEADLINE * 100}% of the keys decided by the deadline sent`, share >= TARGET_SENT_SHARE_AT_DEADLINE, `${(share * 100).toFixed(1)}%`);
}
