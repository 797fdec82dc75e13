/**
 * Fault runs through the real SDK against the simulated account: a call that never answers, a
 * batch AWS Config keeps failing, a refused result token, a burst of throttling. Every result that
 * could be sent is sent, and the log says what was not.
 */
import { EvaluationsNotDeliveredError } from '../../../lambda/runtime/run-rule';
import { kmsAccount } from '../../support/kms-account';
import { HANG, SimulatedServiceError } from '../../support/simulated-aws';
import { keyInventory } from '../../support/simulated-kms';

const NOW = new Date('2026-11-23T12:00:00Z');
const keys = keyInventory(500, 0.1, NOW);
const HOUR = 3_600_000;

let logs: Record<'info' | 'warn' | 'error', jest.SpyInstance>;
beforeEach(() => {
  logs = {
    info: jest.spyOn(console, 'info').mockImplementation(() => undefined),
    warn: jest.spyOn(console, 'warn').mockImplementation(() => undefined),
    error: jest.spyOn(console, 'error').mockImplementation(() => undefined),
  };
});
afterEach(() => jest.restoreAllMocks());

const summaryLine = () => [...logs.info.mock.calls, ...logs.error.mock.calls].map(([o]) => o).find((o) => o.message === 'rule evaluation finished');
const firstIdOf = (input: any) => input.Evaluations?.[0]?.ComplianceResourceId;

describe('a call that never answers', () => {
  test('DescribeKey for one key: that key fails closed after the call bound; every other key is sent', async () => {
    const stuck = keys[42].keyId;
    const account = kmsAccount({ keys, now: NOW, inject: (op, input) => (op === 'DescribeKey' && input.KeyId === stuck ? HANG : undefined) });
    const { summary, error } = await account.invoke();
    expect(error).toBeUndefined();
    expect(account.latest().get(stuck)).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^Could not evaluate: \(CallTimeoutError on kms:DescribeKey: no answer within 120\.0 s/) });
    expect(account.latest().size).toBe(500);
    expect(summary).toMatchObject({ outcome: 'complete', resources: 500, failedClosed: 1, sent: 500, unsent: 0 });
  });

  test('a ListKeys page: tried again, and the pass completes', async () => {
    let hung = 0;
    const account = kmsAccount({ keys: keyInventory(1500, 0.1, NOW), now: NOW, inject: (op, input) => (op === 'ListKeys' && input.Marker && hung++ === 0 ? HANG : undefined) });
    const { summary } = await account.invoke();
    expect(summary).toMatchObject({ outcome: 'complete', resources: 1500, sent: 1500 });
    expect(logs.warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'a listing page failed; trying again', error: expect.stringContaining('CallTimeoutError on kms:ListKeys') }));
  });

  test('PutEvaluations: the batch is sent again later in the run', async () => {
    let hung = 0;
    const account = kmsAccount({ keys, now: NOW, inject: (op) => (op === 'PutEvaluations' && hung++ === 1 ? HANG : undefined) });
    const { summary } = await account.invoke();
    expect(summary).toMatchObject({ outcome: 'complete', sent: 500, unsent: 0 });
    expect(account.latest().size).toBe(500);
  });

  test('GetComplianceDetailsByConfigRule: this pass\'s results still go out; stale ones wait for a later pass', async () => {
    const account = kmsAccount({
      keys,
      now: NOW,
      previous: [{ resourceType: 'AWS::KMS::Key', resourceId: 'gone', compliance: 'NON_COMPLIANT' }],
      inject: (op) => (op === 'GetComplianceDetailsByConfigRule' ? HANG : undefined),
    });
    const { summary } = await account.invoke();
    expect(summary).toMatchObject({ outcome: 'complete', sent: 500, withdrawn: 0 });
    expect(logs.warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not read earlier results; stale results were not withdrawn' }));
  });

  test('at the deadline, keys cut short are neither failed nor lost: the continuation starts from the first of them', async () => {
    // Every GetKeyLastUsage hangs: in flight at the soft deadline, they are cut at the hard deadline.
    const account = kmsAccount({ keys, now: NOW, timeoutMs: 100_000, passLimitMs: 24 * HOUR, inject: (op) => (op === 'GetKeyLastUsage' ? HANG : undefined) });
    const first = await account.invoke();
    expect(first.error).toBeUndefined();
    expect(first.simulatedMs).toBeLessThanOrEqual(100_000);
    // Key 0 is exempt by tag, decided without a call; every other key started was cut short.
    expect(first.summary).toMatchObject({ outcome: 'continued', resources: 1, failedClosed: 0, cursor: { skip: 1 } });
    expect(account.config.putEvaluations.flat().map((e) => e.ComplianceResourceId)).toEqual([keys[0].keyId]);
    expect(account.queue).toHaveLength(1);
  });
});

test('a PutEvaluations batch failing persistently in the middle: every other batch is sent, the run fails loudly naming what was not', async () => {
  let badFirstId: string | undefined;
  let batch = 0;
  const account = kmsAccount({
    keys,
    now: NOW,
    inject: (op, input) => {
      if (op !== 'PutEvaluations') return undefined;
      if (++batch === 3) badFirstId = firstIdOf(input);
      return firstIdOf(input) === badFirstId ? new SimulatedServiceError('InternalFailure', 'We encountered an internal error', 500) : undefined;
    },
  });
  const { error, summary } = await account.invoke();
  expect(summary).toBeUndefined();
  expect(error).toBeInstanceOf(EvaluationsNotDeliveredError);
  expect(error!.message).toMatch(/^100 evaluation\(s\) were not delivered to AWS Config/);
  expect(account.latest().size).toBe(400);
  expect(summaryLine()).toMatchObject({ outcome: 'incomplete', resources: 500, sent: 400, unsent: 100 });
  expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'evaluations not delivered', unsent: 100, sent: 400 }));
});

test('an invalid token at batch 4: sending stops, evaluation stops, and the log says how many were sent and how many were not', async () => {
  let batch = 0;
  const account = kmsAccount({
    keys,
    now: NOW,
    inject: (op) => (op === 'PutEvaluations' && ++batch >= 4 ? new SimulatedServiceError('InvalidResultTokenException', 'The specified ResultToken is invalid.') : undefined),
  });
  const { error } = await account.invoke();
  expect(error).toBeInstanceOf(EvaluationsNotDeliveredError);
  expect(error!.message).toContain('InvalidResultTokenException on config:PutEvaluations');
  expect(account.config.putEvaluations.flat()).toHaveLength(300);
  // Sending is refused for good: it is tried once, and no key is evaluated for nothing after that.
  expect(account.sim.stats.get('PutEvaluations')!.failed).toBe(1);
  const line = summaryLine();
  expect(line).toMatchObject({ outcome: 'incomplete', sent: 300 });
  expect(line.unsent).toBe(line.resources - 300);
  expect(line.resources).toBeLessThan(500);
  expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'AWS Config refused this run; nothing more can be sent', sent: 300 }));
});

test('a 30 s throttling burst on PutEvaluations: every result is still delivered', async () => {
  const account = kmsAccount({
    keys,
    now: NOW,
    inject: (op) => {
      const t = Date.now() - NOW.getTime();
      return op === 'PutEvaluations' && t >= 20_000 && t < 50_000 ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined;
    },
  });
  const { summary } = await account.invoke();
  expect(account.sim.stats.get('PutEvaluations')!.failed).toBeGreaterThan(0);
  expect(summary).toMatchObject({ outcome: 'complete', sent: 500, unsent: 0 });
  expect(account.latest().size).toBe(500);
});

test('a key listed twice (across pages) is evaluated and sent once', async () => {
  // ListKeys pages hold 1,000 keys: the copy of key 7 comes back on the second page.
  const thousand = keyInventory(1000, 0.1, NOW);
  const account = kmsAccount({ keys: [...thousand, thousand[7]], now: NOW });
  const { summary } = await account.invoke();
  expect(summary).toMatchObject({ resources: 1000, duplicates: 1, sent: 1000 });
  // One key is exempt by tag and needs no usage call; the copy needs none either.
  expect(account.sim.callsByOperation().GetKeyLastUsage).toBe(998);
});
