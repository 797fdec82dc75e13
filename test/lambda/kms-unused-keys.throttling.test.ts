/**
 * Throttling through the real SDK stack (adaptive retry), which aws-sdk-client-mock bypasses:
 * the simulated KMS throttles, the rule still evaluates every key, on a virtual clock.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { kmsUnusedKeyRule } from '../../lambda/kms-unused-keys';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule } from '../../lambda/runtime/run-rule';
import { SimulatedAws, SimulatedServiceError, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { keyInventory, kmsOperations } from '../support/simulated-kms';
import { runOnVirtualClock } from '../support/virtual-clock';
import { scheduledRuleEvent } from '../support/rule-event';

const NOW = new Date('2026-11-23T12:00:00Z');
const event = scheduledRuleEvent('kms-unused-key-check', NOW, { unusedForDays: '90' });

function setup(options: { quotas?: Record<string, number>; inject?: (op: string, input: any, n: number) => SimulatedServiceError | undefined }) {
  const keys = keyInventory(200, 0.1, NOW);
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...kmsOperations(keys), ...configOperations(config) }, latencyMs: () => 20, ...options });
  const rule = kmsUnusedKeyRule(new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  return { sim, config, go: () => runOnVirtualClock(() => runRule(rule, event, { config: cfg, now: () => NOW }), undefined, NOW.getTime()) };
}

beforeEach(() => jest.spyOn(console, 'info').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

test('throttled calls are retried and every key is still evaluated', async () => {
  // The first 30 GetKeyLastUsage requests are throttled, as when another caller exhausts the quota.
  const { sim, config, go } = setup({
    inject: (op, _input, n) => (op === 'GetKeyLastUsage' && n <= 30 ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined),
  });
  const { result } = await go();
  expect(sim.stats.get('GetKeyLastUsage')!.failed).toBe(30);
  expect(config.putEvaluations.flat()).toHaveLength(200);
  expect(result.compliance).toEqual({ COMPLIANT: 180, NON_COMPLIANT: 20, NOT_APPLICABLE: 0 });
  // The summary counts attempts, retries included.
  expect(result.apiCalls.GetKeyLastUsage).toBe(230);
});

test('a quota far below the paced rate is ridden out by adaptive retry, with no failed key', async () => {
  const { sim, config, go } = setup({ quotas: { GetKeyLastUsage: 10, DescribeKey: 20 } });
  const { result, simulatedMs } = await go();
  expect(sim.totalThrottled()).toBeGreaterThan(0);
  expect(config.putEvaluations.flat().filter((e) => String(e.Annotation).startsWith('Could not evaluate'))).toHaveLength(0);
  expect(result.resources).toBe(200);
  // 200 GetKeyLastUsage calls at 10/s cannot take less than 20 s.
  expect(simulatedMs).toBeGreaterThanOrEqual(20_000);
});

test('a key still throttled after every retry fails closed and names the throttle', async () => {
  const stuck = '00000000-0000-4000-8000-000000000007';
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { config, go } = setup({
    inject: (op, input) => (op === 'GetKeyLastUsage' && input.KeyId === stuck ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined),
  });
  const { result } = await go();
  const stuckResult = config.putEvaluations.flat().find((e) => e.ComplianceResourceId === stuck);
  expect(stuckResult).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('ThrottlingException on kms:GetKeyLastUsage') });
  expect(result.resources).toBe(200);
});
