/** Each run's counts leave as one Embedded Metric Format line, whatever the outcome. */
import { metricsLine, metricsSink, METRICS_NAMESPACE } from '../../../lambda/runtime/run-metrics';
import { kmsAccount } from '../../support/kms-account';
import { SimulatedServiceError } from '../../support/simulated-aws';
import { keyInventory } from '../../support/simulated-kms';

const NOW = new Date('2026-11-23T12:00:00Z');

let lines: any[];
beforeEach(() => {
  lines = [];
  jest.spyOn(metricsSink, 'write').mockImplementation((line: string) => void lines.push(JSON.parse(line)));
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('the line is what CloudWatch extracts metrics from: _aws at the top level, one dimension, counts as values', () => {
  const line = JSON.parse(metricsLine('kms-unused-key-check', { Evaluated: 5, Sent: 4, FailedClosed: 1, Unsent: 1, Partial: 0, Incomplete: 1, StaleNotWithdrawn: 0, InventoryRecords: 5, InventoryWriteFailures: 2 }, 1_700_000_000_000));
  expect(line).toEqual({
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['RuleName']],
          Metrics: ['Evaluated', 'Sent', 'FailedClosed', 'Unsent', 'Partial', 'Incomplete', 'StaleNotWithdrawn', 'InventoryRecords', 'InventoryWriteFailures'].map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    RuleName: 'kms-unused-key-check',
    Evaluated: 5,
    Sent: 4,
    FailedClosed: 1,
    Unsent: 1,
    Partial: 0,
    Incomplete: 1,
    StaleNotWithdrawn: 0,
    InventoryRecords: 5,
    InventoryWriteFailures: 2,
  });
});

test('a complete run publishes its counts once', async () => {
  await kmsAccount({ keys: keyInventory(50, 0.1, NOW), now: NOW }).invoke();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ RuleName: 'kms-unused-key-check', Evaluated: 50, Sent: 50, FailedClosed: 0, Unsent: 0, Partial: 0, Incomplete: 0, InventoryRecords: 0, InventoryWriteFailures: 0 });
});

test('a refused event publishes too: nothing evaluated, incomplete', async () => {
  const account = kmsAccount({ keys: keyInventory(5, 0.1, NOW), now: NOW, params: { unusedForDay: '30' } });
  const { error } = await account.invoke();
  expect(error?.name).toBe('UnknownParameterError');
  expect(lines).toEqual([expect.objectContaining({ Evaluated: 0, Sent: 0, Incomplete: 1, InventoryRecords: 0, InventoryWriteFailures: 0 })]);
});

test('a bad evaluation period is refused and counted like a bad event', async () => {
  const account = kmsAccount({ keys: keyInventory(5, 0.1, NOW), now: NOW, passLimitMs: undefined, deps: { passLimitMs: () => { throw new Error('EVALUATION_FREQUENCY is "Daily"'); } } });
  const { error } = await account.invoke();
  expect(error?.message).toBe('EVALUATION_FREQUENCY is "Daily"');
  expect(lines).toEqual([expect.objectContaining({ Incomplete: 1 })]);
  expect(account.sim.callsByOperation()).toEqual({});
});

test('a complete pass that could not read its earlier results says so in a metric', async () => {
  const account = kmsAccount({ keys: keyInventory(20, 0.1, NOW), now: NOW, inject: (op) => (op === 'GetComplianceDetailsByConfigRule' ? new SimulatedServiceError('AccessDeniedException', 'denied') : undefined) });
  await account.invoke();
  expect(lines).toEqual([expect.objectContaining({ Sent: 20, Incomplete: 0, StaleNotWithdrawn: 1 })]);
});

test('a run whose results were refused still publishes, so an alarm on Unsent or Incomplete sees it', async () => {
  const account = kmsAccount({ keys: keyInventory(50, 0.1, NOW), now: NOW, inject: (op) => (op === 'PutEvaluations' ? new SimulatedServiceError('AccessDeniedException', 'not authorized to perform: config:PutEvaluations') : undefined) });
  const { error } = await account.invoke();
  expect(error).toBeDefined();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ Sent: 0, Incomplete: 1 });
  expect(lines[0].Unsent).toBe(lines[0].Evaluated);
});
