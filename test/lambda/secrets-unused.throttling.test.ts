/**
 * Throttling through the real SDK stack (adaptive retry), which aws-sdk-client-mock bypasses: the
 * simulated Secrets Manager throttles ListSecrets, the rule still lists and evaluates every secret.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsUnusedRule } from '../../lambda/secrets-unused';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule } from '../../lambda/runtime/run-rule';
import { SimulatedAws, SimulatedServiceError, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { secretInventory, secretsManagerOperations } from '../support/simulated-secrets-manager';
import { runOnVirtualClock } from '../support/virtual-clock';
import { scheduledRuleEvent } from '../support/rule-event';

const NOW = new Date('2026-11-23T12:00:00Z');
const event = scheduledRuleEvent('secretsmanager-unused-secret-check', NOW, { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' });

beforeEach(() => {
  for (const level of ['info', 'warn'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('throttled ListSecrets pages are retried and every secret is still evaluated', async () => {
  const secrets = secretInventory(1000, 0.1, NOW);
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({
    operations: { ...secretsManagerOperations(secrets), ...configOperations(config) },
    latencyMs: () => 20,
    // Every other of the first ten ListSecrets requests is throttled, as when another caller exhausts the quota.
    inject: (op, _input, n) => (op === 'ListSecrets' && n <= 10 && n % 2 === 1 ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined),
  });
  const rule = secretsUnusedRule(new SecretsManagerClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const { result } = await runOnVirtualClock(() => runRule(rule, event, { config: cfg, now: () => NOW }), undefined, NOW.getTime());
  expect(sim.stats.get('ListSecrets')!.failed).toBe(5);
  expect(config.putEvaluations.flat()).toHaveLength(1000);
  // 10 pages of 100 plus the 5 throttled attempts reached the service; the summary counts them too,
  // and a call that the SDK's adaptive rate limiter held past the call bound counts once more.
  expect(sim.callsByOperation().ListSecrets).toBe(15);
  expect(result.apiCalls.ListSecrets).toBeGreaterThanOrEqual(15);
  expect(result.compliance.NON_COMPLIANT + result.compliance.COMPLIANT + result.compliance.NOT_APPLICABLE).toBe(1000);
});
