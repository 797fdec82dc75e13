/**
 * secretsmanager-unused-secret-check over a simulated account of 50,000 secrets, through the real
 * SDK clients and the real rule, on a virtual clock, in its steady state: a second daily run,
 * after a first run whose results AWS Config now holds and after 20 secrets were force-deleted.
 * Prints calls by operation, calls per secret against the 0.021 target, and wall time.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsUnusedRule } from '../lambda/secrets-unused';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import { runRule, type RunSummary } from '../lambda/runtime/run-rule';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../test/support/simulated-config';
import { ACCOUNT, secretInventory, secretsManagerOperations } from '../test/support/simulated-secrets-manager';
import { runOnVirtualClock } from '../test/support/virtual-clock';
import { scheduledRuleEvent } from '../test/support/rule-event';

const SECRETS = 50_000;
const UNUSED_FRACTION = 0.05;
const FORCE_DELETED = 20;
const LATENCY_MS = 25;
/** Secrets Manager's ListSecrets quota, per second. */
const QUOTAS = { ListSecrets: 100 };
const TARGET_CALLS_PER_SECRET = 0.021;

async function evaluate(now: Date, inventory: ReturnType<typeof secretInventory>, config: SimulatedConfigState) {
  const sim = new SimulatedAws({ operations: { ...secretsManagerOperations(inventory), ...configOperations(config) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const rule = secretsUnusedRule(new SecretsManagerClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('secretsmanager-unused-secret-check', now, { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' });
  const timed = await runOnVirtualClock(() => runRule(rule, event, { config: cfg, now: () => now }), undefined, now.getTime());
  return { sim, ...timed };
}

export async function run(): Promise<void> {
  const now = new Date('2026-11-23T12:00:00Z');
  const inventory = secretInventory(SECRETS, UNUSED_FRACTION, now);
  const info = console.info;
  console.info = () => undefined; // the rule's own summary line; the figures are printed below
  const hostStart = Date.now();
  let second: { sim: SimulatedAws; result: RunSummary; simulatedMs: number };
  let held: number;
  try {
    // First run: AWS Config then holds one result per secret.
    const first: SimulatedConfigState = { putEvaluations: [], previous: [] };
    await evaluate(now, inventory, first);
    const previous = first.putEvaluations.flat().map((e) => ({ resourceType: e.ComplianceResourceType, resourceId: e.ComplianceResourceId, compliance: e.ComplianceType }));
    held = previous.filter((p) => p.compliance === 'NON_COMPLIANT').length;
    // Twenty failing secrets are force-deleted (no recovery window) before the next run.
    const failing = new Set(previous.filter((p) => p.compliance === 'NON_COMPLIANT').slice(0, FORCE_DELETED).map((p) => p.resourceId));
    const remaining = inventory.filter((s) => !failing.has(`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${s.name}-AbCdEf`));
    const config: SimulatedConfigState = { putEvaluations: [], previous };
    second = await evaluate(new Date(now.getTime() + 86_400_000), remaining, config);
  } finally {
    console.info = info;
  }
  const hostMs = Date.now() - hostStart;
  const { sim, result, simulatedMs } = second;
  const calls = sim.callsByOperation();
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const perSecret = total / SECRETS;
  console.log(`secrets: ${SECRETS} (${UNUSED_FRACTION * 100}% unused 200 days, 1% never read, 0.1% scheduled for deletion); ${FORCE_DELETED} force-deleted since the first run`);
  console.log(`second run results: ${JSON.stringify(result.compliance)}; withdrawn ${result.withdrawn}; earlier NON_COMPLIANT results read back: ${held}`);
  console.log(`API calls by operation (retries included): ${JSON.stringify(calls)}; throttled ${sim.totalThrottled()}`);
  console.log(
    `calls per secret: ${perSecret.toFixed(4)} (target <= ${TARGET_CALLS_PER_SECRET}: ${perSecret <= TARGET_CALLS_PER_SECRET ? 'met' : 'MISSED'}); ListSecrets ${((calls.ListSecrets ?? 0) / SECRETS).toFixed(4)}, PutEvaluations ${((calls.PutEvaluations ?? 0) / SECRETS).toFixed(4)}, GetComplianceDetailsByConfigRule ${((calls.GetComplianceDetailsByConfigRule ?? 0) / SECRETS).toFixed(4)}`,
  );
  console.log(`Secrets Manager calls other than ListSecrets: ${Object.keys(calls).filter((op) => !['ListSecrets', 'PutEvaluations', 'GetComplianceDetailsByConfigRule'].includes(op)).length}`);
  console.log(`wall time: ${(simulatedMs / 1000).toFixed(1)} s simulated (latency ${LATENCY_MS} ms, ListSecrets quota ${QUOTAS.ListSecrets}/s); host ${(hostMs / 1000).toFixed(1)} s for both runs`);
}
