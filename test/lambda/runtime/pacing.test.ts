/**
 * Pacing, tested: each rule runs against the simulated services at the request quotas AWS
 * documents, with no injected fault, and is never throttled. The same run with pacing raised far
 * past the quota is throttled, so these tests notice if pacing stops working. The virtual clock
 * keeps the pacer's waits out of the suite's wall time.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { acmPendingDnsValidationRule } from '../../../lambda/acm-pending-dns-validation';
import { CLIENT_DEFAULTS } from '../../../lambda/runtime/clients';
import { runRule } from '../../../lambda/runtime/run-rule';
import { secretsUnusedRule } from '../../../lambda/secrets-unused';
import { kmsAccount } from '../../support/kms-account';
import { acmOperations, sampleCertificate } from '../../support/simulated-acm';
import { SimulatedAws, simulatedClientConfig } from '../../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../../support/simulated-config';
import { keyInventory } from '../../support/simulated-kms';
import { secretInventory, secretsManagerOperations } from '../../support/simulated-secrets-manager';
import { scheduledRuleEvent } from '../../support/rule-event';
import { runOnVirtualClock } from '../../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
/** Secrets Manager quotas page: ListSecrets 100 per second. ACM quotas page: ListCertificates 1, DescribeCertificate 10. */
const SECRETS_QUOTAS = { ListSecrets: 100 };
const ACM_QUOTAS = { ListCertificates: 1, DescribeCertificate: 10, ListTagsForCertificate: 10 };

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

async function runAgainst(sim: SimulatedAws, run: (cfg: ConfigServiceClient) => Promise<unknown>) {
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const { simulatedMs } = await runOnVirtualClock(() => run(cfg), undefined, NOW.getTime());
  return { throttled: sim.totalThrottled(), simulatedMs };
}

describe('KMS at its documented quotas (GetKeyLastUsage 5/s)', () => {
  test('default pacing: never throttled, and about as fast as the quota allows', async () => {
    const account = kmsAccount({ keys: keyInventory(300, 0.1, NOW), now: NOW });
    const { summary } = await account.invoke();
    expect(account.sim.totalThrottled()).toBe(0);
    expect(summary).toMatchObject({ resources: 300, sent: 300 });
    // 299 GetKeyLastUsage calls (one key is exempt): at least 60 s at 5/s; paced at 4/s, about 75 s.
    expect(account.sim.callsByOperation().GetKeyLastUsage).toBe(299);
  });

  test('pacing set past the quota is throttled: the test above would notice pacing gone', async () => {
    const account = kmsAccount({ keys: keyInventory(300, 0.1, NOW), now: NOW, params: { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: '200' } });
    await account.invoke();
    expect(account.sim.totalThrottled()).toBeGreaterThan(0);
  });
});

describe('Secrets Manager at its documented quota (ListSecrets 100/s)', () => {
  const run = (params: Record<string, string>, quotas: Record<string, number> = SECRETS_QUOTAS) => {
    const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
    // Fast answers, so only pacing keeps the client under the quota.
    const sim = new SimulatedAws({ operations: { ...secretsManagerOperations(secretInventory(20_000, 0.1, NOW)), ...configOperations(config) }, quotas, latencyMs: () => 2 });
    const rule = secretsUnusedRule(new SecretsManagerClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
    return runAgainst(sim, (cfg) => runRule(rule, scheduledRuleEvent('secretsmanager-unused-secret-check', NOW, params), { config: cfg, now: () => NOW }));
  };
  test('default pacing: never throttled', async () => expect((await run({ unusedForDays: '90' })).throttled).toBe(0));
  // Sending (100 results a batch, PutEvaluations paced at 10/s) holds the listing below 100 pages a
  // second, so a quota this rule could exceed is shown with a lower one: 5/s left by other callers.
  test('pacing set past the quota is throttled', async () =>
    expect((await run({ unusedForDays: '90', requestsPerSecond: '80' }, { ListSecrets: 5 })).throttled).toBeGreaterThan(0));
  test('pacing set below it is not', async () => expect((await run({ unusedForDays: '90', requestsPerSecond: '4' }, { ListSecrets: 5 })).throttled).toBe(0));
});

describe('ACM at its documented quotas (ListCertificates 1/s, DescribeCertificate 10/s)', () => {
  const run = (params: Record<string, string>) => {
    const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
    const pending = Array.from({ length: 200 }, (_, i) => sampleCertificate(i, NOW, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 30 * 3_600_000) }));
    const sim = new SimulatedAws({ operations: { ...acmOperations(pending), ...configOperations(config) }, quotas: ACM_QUOTAS, latencyMs: () => 2 });
    const rule = acmPendingDnsValidationRule(new ACMClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
    return runAgainst(sim, (cfg) => runRule(rule, scheduledRuleEvent('acm-pending-dns-validation-check', NOW, params), { config: cfg, now: () => NOW }));
  };
  test('default pacing: never throttled', async () => expect((await run({ maxPendingHours: '24' })).throttled).toBe(0));
  test('pacing set past the quota is throttled', async () => expect((await run({ maxPendingHours: '24', requestsPerSecond: '100' })).throttled).toBeGreaterThan(0));
});
