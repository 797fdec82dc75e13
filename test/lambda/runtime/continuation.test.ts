/**
 * A pass that one invocation cannot finish: the run stops starting keys before its deadline, sends
 * what it decided, and hands a cursor to a continuation; the pass ends when the listing does. Run
 * end to end through the real SDK against the simulated account, on a virtual clock.
 */
import { continuationOf, MAX_INVOCATIONS_PER_PASS } from '../../../lambda/runtime/continuation';
import { MalformedEventError } from '../../../lambda/runtime/config-event';
import { IncompletePassError } from '../../../lambda/runtime/run-rule';
import { kmsAccount } from '../../support/kms-account';
import { keyInventory } from '../../support/simulated-kms';

const NOW = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('a pass larger than one invocation continues until every key is evaluated once; stale results are withdrawn only at its end', async () => {
  const keys = keyInventory(600, 0.1, NOW);
  const gone = { resourceType: 'AWS::KMS::Key', resourceId: 'deleted-key', compliance: 'NON_COMPLIANT' as const };
  // 120 s functions: each stops starting keys 60 s before its end, about 240 keys at GetKeyLastUsage's 4/s.
  const account = kmsAccount({ keys, now: NOW, timeoutMs: 120_000, passLimitMs: 24 * HOUR, previous: [gone] });
  const runs = await account.pass();

  expect(runs.map((r) => r.error)).toEqual(runs.map(() => undefined));
  expect(runs.length).toBeGreaterThanOrEqual(3);
  for (const r of runs) expect(r.simulatedMs).toBeLessThanOrEqual(120_000);
  expect(runs.map((r) => r.summary!.outcome)).toEqual([...runs.slice(1).map(() => 'continued'), 'complete']);
  expect(runs.map((r) => r.summary!.invocation)).toEqual(runs.map((_, i) => i + 1));

  // Every key exactly once, in one piece: the cursor leaves no gap and no overlap.
  const sent = account.config.putEvaluations.flat().map((e) => e.ComplianceResourceId);
  const keySent = sent.filter((id) => id !== 'deleted-key');
  expect(keySent).toHaveLength(600);
  expect(new Set(keySent).size).toBe(600);
  const evaluated = runs.reduce((n, r) => n + r.summary!.resources, 0);
  expect(evaluated).toBe(600);
  expect(runs.at(-1)!.summary!.pass).toMatchObject({ evaluated: 600, sent: 601 });

  // Earlier results are read once, by the last invocation, after the whole listing was done.
  expect(account.latest().get('deleted-key')).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
  expect(runs.slice(0, -1).every((r) => r.summary!.withdrawn === 0 && r.summary!.apiCalls.GetComplianceDetailsByConfigRule === undefined)).toBe(true);
  expect(runs.at(-1)!.summary!.withdrawn).toBe(1);
  // The last invocation listed the ids again to know the whole pass's inventory.
  expect(runs.at(-1)!.summary!.apiCalls.ListKeys).toBeGreaterThanOrEqual(2);

  // Every continuation carries the original event: same token, same ordering timestamp.
  const stamps = new Set(account.config.putEvaluations.flat().map((e) => new Date(e.OrderingTimestamp * 1000).toISOString()));
  expect([...stamps]).toEqual([NOW.toISOString()]);
});

test('a listing that changes between invocations passes over no resource: the cursor resumes after the last resource done, wherever it now stands', async () => {
  const keys = keyInventory(600, 0.1, NOW);
  const account = kmsAccount({ keys, now: NOW, timeoutMs: 120_000, passLimitMs: 24 * HOUR });
  const first = await account.invoke();
  expect(first.summary!.outcome).toBe('continued');
  const done = first.summary!.resources;
  const cursor = (account.queue[0] as { continuation: { cursor: { skip: number; after?: string } } }).continuation.cursor;
  expect(cursor).toEqual({ skip: done, after: keys[done - 1].keyId });
  // Two keys already evaluated are deleted before the continuation runs: every later key moves up two places.
  const deleted = [keys[3], keys[10]].map((k) => k.keyId);
  (keys as unknown as { splice: (i: number, n: number) => void }).splice(10, 1);
  (keys as unknown as { splice: (i: number, n: number) => void }).splice(3, 1);
  while (account.queue.length > 0) await account.invoke(account.queue.shift());
  const sent = new Set(account.config.putEvaluations.flat().map((e) => e.ComplianceResourceId));
  const passedOver = keys.map((k) => k.keyId).filter((id) => !sent.has(id));
  expect(passedOver).toEqual([]);
  for (const id of deleted) expect(sent.has(id)).toBe(true);
});

test('results leave as they are decided: when a run is cut off by surprise, what it decided is already with AWS Config', async () => {
  const keys = keyInventory(400, 0.1, NOW);
  // No Lambda context: nothing stops the run, so look at what had been sent 60 simulated seconds in.
  let sentAt60s = -1;
  const account = kmsAccount({ keys, now: NOW });
  const { sim, config } = account;
  const orig = sim.handle.bind(sim);
  sim.handle = async (req: any, opts?: any) => {
    if (sentAt60s < 0 && Date.now() - NOW.getTime() >= 60_000) sentAt60s = config.putEvaluations.flat().length;
    return orig(req, opts);
  };
  await account.invoke();
  // About 240 keys are decided in 60 s at 4 GetKeyLastUsage calls a second; all but the last partial batch are sent.
  expect(sentAt60s).toBeGreaterThanOrEqual(200);
});

test('a pass that would run into the next evaluation period stops and says so, instead of piling up', async () => {
  const keys = keyInventory(800, 0.1, NOW);
  // 120 s invocations and a 300 s period: a fourth invocation could end past the period, so it is never started.
  const account = kmsAccount({ keys, now: NOW, timeoutMs: 120_000, passLimitMs: 300_000 });
  const runs = await account.pass();
  const last = runs.at(-1)!;
  expect(last.error).toBeInstanceOf(IncompletePassError);
  expect(last.error!.message).toMatch(/the pass ran \d+ min since its notification over 3 invocation\(s\) and may not go on; it evaluated \d+ resource\(s\)/);
  expect(runs).toHaveLength(3);
  // Every invocation ended within the period that began at the notification.
  expect(runs.reduce((t, r) => t + r.simulatedMs, 0)).toBeLessThanOrEqual(300_000);
  // Nothing was withdrawn: the pass did not see the whole account.
  expect(account.sim.callsByOperation().GetComplianceDetailsByConfigRule).toBeUndefined();
});

test('a continuation that cannot be started is an incomplete pass, logged, never a silent stop', async () => {
  const keys = keyInventory(400, 0.1, NOW);
  const account = kmsAccount({
    keys,
    now: NOW,
    timeoutMs: 120_000,
    passLimitMs: 24 * HOUR,
    deps: { continueWith: async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' })) },
  });
  const first = await account.invoke();
  expect(first.error?.message).toBe('Rate exceeded');
  expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not start the continuation; the rest of the pass waits for the next scheduled run' }));
  expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'rule evaluation finished', outcome: 'incomplete', cursor: expect.objectContaining({ skip: expect.any(Number) }) }));
  // What it decided was still sent.
  const summary = (console.error as jest.Mock).mock.calls.find(([o]) => o.message === 'rule evaluation finished')[0];
  expect(summary.sent).toBeGreaterThan(0);
  expect(account.config.putEvaluations.flat()).toHaveLength(summary.sent);
});

describe('continuation field', () => {
  const good = { invocation: 2, passStartedAt: '2026-11-23T12:00:00.000Z', cursor: { token: 'abc', skip: 3 }, evaluatedBefore: 10, sentBefore: 10, unsentBefore: 0 };
  test('absent: a scheduled invocation', () => expect(continuationOf({})).toBeUndefined());
  test('read back as written', () => expect(continuationOf({ continuation: good })).toEqual(good));
  test.each([
    ['not an object', 'x', 'continuation.must be an object'],
    ['invocation 1', { ...good, invocation: 1 }, `invocation 1 must be an integer from 2 to ${MAX_INVOCATIONS_PER_PASS}`],
    ['invocation past the limit', { ...good, invocation: MAX_INVOCATIONS_PER_PASS + 1 }, 'must be an integer from 2'],
    ['bad time', { ...good, passStartedAt: 'soon' }, 'passStartedAt "soon" must be an ISO 8601 time'],
    ['no cursor', { ...good, cursor: undefined }, 'cursor must be an object'],
    ['empty token', { ...good, cursor: { token: '', skip: 0 } }, 'cursor.token must be a non-empty string'],
    ['negative skip', { ...good, cursor: { skip: -1 } }, 'cursor.skip -1 must be a whole number'],
    ['fractional counts', { ...good, sentBefore: 1.5 }, 'evaluatedBefore, sentBefore and unsentBefore must be whole numbers'],
  ])('%s is refused', (_name, continuation, message) => {
    expect(() => continuationOf({ continuation })).toThrow(MalformedEventError);
    expect(() => continuationOf({ continuation })).toThrow(message);
  });
});

test('a listing that ends after the soft deadline hands withdrawal to an invocation of its own', async () => {
  // 62 s functions stop starting keys after 6.2 s; 40 keys at 4 GetKeyLastUsage a second are all started by then but end later.
  const gone = { resourceType: 'AWS::KMS::Key', resourceId: 'deleted-key', compliance: 'NON_COMPLIANT' as const };
  const account = kmsAccount({ keys: keyInventory(40, 0.1, NOW), now: NOW, timeoutMs: 62_000, passLimitMs: 24 * HOUR, previous: [gone] });
  const runs = await account.pass();
  expect(runs.map((r) => r.error)).toEqual([undefined, undefined]);
  const [first, second] = runs.map((r) => r.summary!);
  expect(first).toMatchObject({ outcome: 'continued', resources: 40, withdrawn: 0, cursor: { skip: 0, withdrawOnly: true } });
  expect(first.apiCalls.GetComplianceDetailsByConfigRule).toBeUndefined();
  expect(second).toMatchObject({ outcome: 'complete', invocation: 2, resources: 0, withdrawn: 1, pass: { evaluated: 40, sent: 41, unsent: 0 } });
  expect(second.apiCalls.GetKeyLastUsage).toBeUndefined();
  expect(account.latest().get('deleted-key')).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
});
