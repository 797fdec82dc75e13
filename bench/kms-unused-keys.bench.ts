/**
 * kms-unused-key-check over a simulated account of 100,000 keys, through the real SDK clients and
 * the real rule, with KMS's documented request quotas and 25 ms ±40% latency, on a virtual clock,
 * run as Lambda runs it: 900 s invocations handing the rest of the pass to continuations. Judged
 * against the account's known answer (every key, each with its expected result; AWS-managed keys
 * NOT_APPLICABLE, as docs/rules.md says)
 * and against the floor the quotas set. A second run, with no deadline, is stopped 900 s in to see
 * how much of what was decided had already reached AWS Config. Both run in a process with the heap
 * limits Lambda gives the function (lib/catalog.ts), judged on the live heap the pass adds.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { kmsUnusedKeyRule } from '../lambda/kms-unused-keys';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import type { Compliance } from '../lambda/runtime/evaluation';
import { runRule, type ConfigRule } from '../lambda/runtime/run-rule';
import { countingConfigOperations, type ReceivedEvaluation } from '../test/support/counting-config';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { kmsOperations, TRACKING_START, type SimulatedKey } from '../test/support/simulated-kms';
import { scheduledRuleEvent } from '../test/support/rule-event';
import { runOnVirtualClockUntil } from '../test/support/virtual-lambda';
import { describeInvocations, int, LambdaHeap, lambdaMemory, lambdaPass, longestInvocationMs, mib, printLogCounts, quietly, seconds, sum, warmUpSdk } from './harness';
import { CUSTOM_RULES } from '../lib/catalog';
import { target } from './judge';
import { inLambdaProcess } from './lambda-process';

const KEYS = 100_000;
export const LATENCY_MS = 25;
/** KMS developer guide, "Request quotas", per account and Region, per second. */
export const QUOTAS = { DescribeKey: 2000, GetKeyLastUsage: 5, ListKeys: 500, ListResourceTags: 2000 };
/** The deployed function's timeout, from the catalog. */
const LAMBDA_TIMEOUT_MS = CUSTOM_RULES.find((r) => r.key === 'kmsUnusedKey')!.timeoutSeconds * 1000;
const PASS_LIMIT_MS = 24 * 3_600_000;
export const TAG_KEY = 'crypto-monitoring:exempt';
const DAY = 86_400_000;
const TARGET_CALLS_PER_KEY = 2.15;
const TARGET_SENT_SHARE_AT_DEADLINE = 0.9;
/** Of the function's memory, for the live heap above what the process held before the pass. */
const TARGET_HEAP_SHARE = 0.6;
/**
 * Ticks between forced full collections for the live heap: 75 in a pass of some 300,000 ticks,
 * two or three an invocation. Each slows what follows for a while, so more cost more than their own time.
 */
const GC_EVERY = 4000;
const CODES: readonly Compliance[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

interface Account {
  readonly keys: SimulatedKey[];
  /** The result each key must get, by its number: AWS-managed keys are reported NOT_APPLICABLE. */
  readonly expected: readonly Compliance[];
  readonly customer: number;
  readonly awsManaged: number;
  /** Keys any design must ask GetKeyLastUsage about: enabled, customer-managed, not exempt. */
  readonly needLastUsage: number;
}

/**
 * The account: a tenth of the keys unused for 200 days (one in fifty of those exempt by tag),
 * some never used (new ones within the grace, older ones not), a few AWS-managed, Disabled or
 * PendingDeletion; the rest used within 30 days. No key sits near a threshold.
 */
export function account(count: number, now: Date): Account {
  const keys: SimulatedKey[] = [];
  const expected: Compliance[] = [];
  let awsManaged = 0;
  let needLastUsage = 0;
  // Keys share their dates, tags and last uses (all read-only), so the account costs the heap
  // little: it lives in the same limited heap as the rule.
  const dates = new Map<number, Date>();
  const ago = (days: number) => dates.get(days) ?? dates.set(days, new Date(now.getTime() - days * DAY)).get(days)!;
  const shared = new Map<string, any>();
  const share = <T>(key: string, make: () => T): T => shared.get(key) ?? shared.set(key, make()).get(key);
  const used = (operation: string, days: number) => share(`use ${operation} ${days}`, () => ({ operation, at: ago(days) }));
  for (let i = 0; i < count; i++) {
    // A flat string, not a concatenation's rope of parts.
    const keyId = `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-1b2c-4d3e-8f40-${String(i).padStart(12, '0')}`.normalize();
    const team = ['payments', 'identity', 'data', 'platform'][i % 4];
    const env = i % 3 === 0 ? 'dev' : 'prod';
    const tags: Record<string, string> = share(`tags ${team} ${env}`, () => ({ team, env }));
    const base = { keyId, manager: 'CUSTOMER' as const, state: 'Enabled', created: ago(400), tags };
    let key: SimulatedKey;
    let result: Compliance;
    if (i % 5000 === 17) {
      [key, result] = [{ keyId, manager: 'AWS', state: 'Enabled', created: ago(800), lastUsed: used('Decrypt', 1) }, 'NOT_APPLICABLE'];
      awsManaged++;
    } else if (i % 2000 === 3) {
      [key, result] = [{ ...base, state: 'Disabled', lastUsed: used('Encrypt', 300) }, 'NOT_APPLICABLE'];
    } else if (i % 2500 === 5) {
      [key, result] = [{ ...base, state: 'PendingDeletion' }, 'NOT_APPLICABLE'];
    } else if (i % 10 === 0) {
      const exempt = i % 500 === 0;
      key = { ...base, lastUsed: used('Decrypt', 200), tags: exempt ? share(`tags ${team} ${env} exempt`, () => ({ ...tags, [TAG_KEY]: 'true' })) : tags };
      result = exempt ? 'NOT_APPLICABLE' : 'NON_COMPLIANT';
    } else if (i % 1000 === 1) {
      [key, result] = [{ ...base, created: ago(30) }, 'COMPLIANT']; // never used, within the 90-day grace
    } else if (i % 1000 === 2) {
      [key, result] = [{ ...base, created: ago(150) }, 'NON_COMPLIANT']; // never used, created after tracking began
    } else {
      [key, result] = [{ ...base, lastUsed: used(['Decrypt', 'GenerateDataKey', 'Sign'][i % 3], 1 + (i % 30)) }, 'COMPLIANT'];
    }
    keys.push(key);
    expected.push(result);
    if (key.manager === 'CUSTOMER' && key.state === 'Enabled' && !key.tags?.[TAG_KEY]) needLastUsage++;
  }
  if (ago(150) <= TRACKING_START) throw new Error('the never-used keys must be created after TrackingStartDate');
  return { keys, expected, customer: count - awsManaged, awsManaged, needLastUsage };
}

/** A key's number from its id (the id ends with it), if the id is one of the account's. */
function keyIndex(acct: Account, keyId: string): number | undefined {
  const i = Number(keyId.slice(-12));
  return Number.isInteger(i) && acct.keys[i]?.keyId === keyId ? i : undefined;
}

/**
 * The account behind the simulated KMS and AWS Config. What AWS Config receives, and what the rule
 * decided (its result, before sending: to find results lost on the way), are kept one byte per
 * key, so the simulator's memory does not grow with the pass and the heap the pass adds is the
 * rule's.
 */
function simulatedAccount(acct: Account) {
  const n = acct.keys.length;
  const times = new Uint8Array(n);
  /** 1 + the index in CODES of the last result received. */
  const last = new Uint8Array(n);
  const decided = new Uint8Array(n);
  const tally = { received: 0, receivedUnknown: 0, decided: 0 };
  const onEvaluation = (e: ReceivedEvaluation) => {
    tally.received++;
    const i = keyIndex(acct, e.ComplianceResourceId);
    if (i === undefined) return void tally.receivedUnknown++;
    times[i] = Math.min(255, times[i] + 1);
    last[i] = 1 + CODES.indexOf(e.ComplianceType as Compliance);
  };
  const sim = new SimulatedAws({ operations: { ...kmsOperations(acct.keys), ...countingConfigOperations([], onEvaluation) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const base = kmsUnusedKeyRule(new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const rule: ConfigRule<any, any, any> = {
    ...base,
    evaluate: async (run, item, prepared) => {
      const r = await base.evaluate(run, item, prepared);
      if (r) {
        const i = keyIndex(acct, r.resourceId);
        if (i === undefined) tally.decided++; // out of the account: counted, so the evaluated target misses
        else if (!decided[i]) [decided[i], tally.decided] = [1, tally.decided + 1];
      }
      return r;
    },
  };
  return { sim, rule, times, last, decided, tally, cfg: new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)) };
}

/** Run by bench/run.ts: the measurement goes to a child process with the function's heap limits. */
export const run = () => inLambdaProcess(__filename, 'measure', 'kmsUnusedKey');

export async function measure(): Promise<void> {
  const memory = lambdaMemory();
  await warmUpSdk();
  const start = new Date('2026-11-23T12:00:00Z');
  const acct = account(KEYS, start);
  const expectedBy = (c: Compliance) => acct.expected.filter((v) => v === c).length;
  const event = scheduledRuleEvent('kms-unused-key-check', start, { unusedForDays: '90', exemptionTagKey: TAG_KEY });
  console.log(
    `account: ${int(KEYS)} keys (${int(acct.customer)} customer-managed, ${acct.awsManaged} AWS-managed); expected COMPLIANT ${int(expectedBy('COMPLIANT'))}, NON_COMPLIANT ${int(expectedBy('NON_COMPLIANT'))}, NOT_APPLICABLE ${int(expectedBy('NOT_APPLICABLE'))}`,
  );
  console.log(`quotas/s ${JSON.stringify(QUOTAS)}; latency ${LATENCY_MS} ms ±40%; Lambda timeout ${LAMBDA_TIMEOUT_MS / 1000} s; pass limit 24 h; memory ${memory.memoryMb} MB`);
  await passAsLambdaRunsIt(acct, event, start, new LambdaHeap(memory, GC_EVERY));
  await stoppedAtFirstDeadline(acct, event, start);
}

async function passAsLambdaRunsIt(acct: Account, event: unknown, start: Date, heap: LambdaHeap): Promise<void> {
  const a = simulatedAccount(acct);
  heap.start();
  const { pass, logs } = await quietly(async (logs) => ({
    pass: await lambdaPass(a.rule, event, { config: a.cfg }, { timeoutMs: LAMBDA_TIMEOUT_MS, passLimitMs: PASS_LIMIT_MS, start: start.getTime(), onTick: heap.sample }),
    logs,
  }));
  heap.stop();

  const calls = a.sim.callsByOperation();
  const totalCalls = sum(Object.values(calls));
  let got = 0;
  let wrong = 0;
  let missing = 0;
  let lost = 0;
  const gotBy: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (let i = 0; i < acct.keys.length; i++) {
    const want = acct.expected[i];
    if (a.decided[i] && a.times[i] === 0) lost++;
    if (a.times[i] === 0) {
      missing++;
      continue;
    }
    got++;
    gotBy[CODES[a.last[i] - 1]]++;
    if (CODES[a.last[i] - 1] !== want) wrong++;
  }
  const last = logs.summaries[logs.summaries.length - 1];

  // Floors from the quotas alone: the calls made, and the one GetKeyLastUsage per key no design avoids.
  const quotaFloors = Object.entries(QUOTAS).map(([op, q]) => [op, ((calls[op] ?? 0) / q) * 1000] as const);
  const [bindingOp, callsFloorMs] = quotaFloors.reduce((x, y) => (y[1] > x[1] ? y : x));
  const accountFloorMs = (acct.needLastUsage / QUOTAS.GetKeyLastUsage) * 1000;
  const floorMs = Math.max(callsFloorMs, accountFloorMs);
  const complete = last?.outcome === 'complete';
  // An incomplete pass made fewer calls than the account needs: count them per key it reached.
  const callsPerKey = totalCalls / (complete ? KEYS : Math.max(1, a.tally.decided));

  console.log(`invocations: ${pass.invocations.length} (at least ${Math.ceil(accountFloorMs / LAMBDA_TIMEOUT_MS)} needed at the quota); simulated wall time of each: ${describeInvocations(pass)}`);
  console.log(
    `pass: ${seconds(pass.simulatedMs)} simulated; floor ${seconds(floorMs)} (calls made: ${seconds(callsFloorMs)} from ${bindingOp}; account: ${int(acct.needLastUsage)} GetKeyLastUsage at ${QUOTAS.GetKeyLastUsage}/s = ${seconds(accountFloorMs)}); ratio ${complete ? (pass.simulatedMs / floorMs).toFixed(2) : 'n/a (pass incomplete)'}`,
  );
  console.log(`results received by AWS Config: ${int(got)} keys (COMPLIANT ${int(gotBy.COMPLIANT)}, NON_COMPLIANT ${int(gotBy.NON_COMPLIANT)}, NOT_APPLICABLE ${int(gotBy.NOT_APPLICABLE)}); ${int(a.tally.received - a.tally.receivedUnknown - got)} sent again; wrong result ${wrong}, missing ${int(missing)}, not of the account ${a.tally.receivedUnknown}`);
  console.log(`last summary: outcome ${last?.outcome}, pass evaluated ${int(last?.pass.evaluated ?? 0)}, sent ${int(last?.pass.sent ?? 0)}${last?.error ? `, error: ${last.error}` : ''}`);
  console.log(`API calls (retries included): ${JSON.stringify(calls)}; ${callsPerKey.toFixed(3)} per key${complete ? '' : ' evaluated (pass incomplete)'}; throttled ${a.sim.totalThrottled()}`);
  for (const line of heap.describe()) console.log(line);
  console.log(`metric lines ${logs.metricLines}`);
  printLogCounts(logs);

  target(`every invocation within the ${LAMBDA_TIMEOUT_MS / 1000} s timeout`, longestInvocationMs(pass) <= LAMBDA_TIMEOUT_MS, `longest ${seconds(longestInvocationMs(pass))}`);
  target('evaluated = every key', a.tally.decided === KEYS, `${int(a.tally.decided)} of ${int(KEYS)}`);
  target('sent = every key, each with its expected result', got === KEYS && missing === 0 && wrong === 0 && a.tally.receivedUnknown === 0, `${int(got)} of ${int(KEYS)}; wrong ${wrong}, missing ${int(missing)}`);
  target('lost 0 (decided, never received)', lost === 0, String(lost));
  target(`calls per key <= ${TARGET_CALLS_PER_KEY}`, callsPerKey <= TARGET_CALLS_PER_KEY, callsPerKey.toFixed(3));
  target('throttled calls 0', a.sim.totalThrottled() === 0, String(a.sim.totalThrottled()));
  target(`(b) peak live heap above baseline <= ${TARGET_HEAP_SHARE * 100}% of ${heap.memory.memoryMb} MiB`, heap.live <= TARGET_HEAP_SHARE * heap.functionBytes, `${mib(heap.live)} of ${mib(TARGET_HEAP_SHARE * heap.functionBytes)}`);
}

/** The same account with no deadline in sight, stopped 900 s in, as a Lambda timeout would stop it. */
async function stoppedAtFirstDeadline(acct: Account, event: unknown, start: Date): Promise<void> {
  const b = simulatedAccount(acct);
  const huge = { getRemainingTimeInMillis: () => 1e12, invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:kms-unused-key-check' };
  let atStop = { decided: 0, sent: 0 };
  const hostStart = Date.now();
  await quietly(() =>
    runOnVirtualClockUntil(
      () => runRule(b.rule, event, { config: b.cfg, context: huge, passLimitMs: PASS_LIMIT_MS }),
      start.getTime(),
      start.getTime() + LAMBDA_TIMEOUT_MS,
      undefined,
      () => (atStop = { decided: b.tally.decided, sent: b.tally.received }),
    ),
  );
  const share = atStop.decided === 0 ? 0 : atStop.sent / atStop.decided;
  console.log(`killed at the deadline of its first invocation: ${int(atStop.sent)} results already sent of ${int(atStop.decided)} decided (${(share * 100).toFixed(1)}%); host time ${seconds(Date.now() - hostStart)}`);
  target(`at least ${TARGET_SENT_SHARE_AT_DEADLINE * 100}% of the keys decided by the deadline sent`, share >= TARGET_SENT_SHARE_AT_DEADLINE, `${(share * 100).toFixed(1)}%`);
}
