/**
 * acm-pending-dns-validation-check over a simulated account of 5,000 certificates (2% pending DNS
 * validation, mixed RSA and ECDSA keys), through the real SDK clients and the real rule, with
 * ACM's request quotas enforced, on a virtual clock. Prints calls by operation, DescribeCertificate
 * calls against the certificates that need one, and wall time.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { acmPendingDnsValidationRule } from '../lambda/acm-pending-dns-validation';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import { runRule } from '../lambda/runtime/run-rule';
import { acmOperations, certificateInventory } from '../test/support/simulated-acm';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../test/support/simulated-config';
import { runOnVirtualClock } from '../test/support/virtual-clock';
import { scheduledRuleEvent } from '../test/support/rule-event';

const CERTIFICATES = 5_000;
const PENDING_FRACTION = 0.02;
const LATENCY_MS = 40;
/** ACM's per-account request quotas, per second. */
const QUOTAS = { ListCertificates: 1, DescribeCertificate: 10, ListTagsForCertificate: 10 };

export async function run(): Promise<void> {
  const now = new Date('2026-11-23T12:00:00Z');
  const certificates = certificateInventory(CERTIFICATES, PENDING_FRACTION, now);
  const pending = certificates.filter((c) => c.status === 'PENDING_VALIDATION').length;
  const failed = certificates.filter((c) => c.status === 'FAILED').length;
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...acmOperations(certificates), ...configOperations(config) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const rule = acmPendingDnsValidationRule(
    new ACMClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)),
    new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)),
  );
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('acm-pending-dns-validation-check', now, { maxPendingHours: '24', exemptionTagKey: 'crypto-monitoring:exempt' });
  const info = console.info;
  console.info = () => undefined;
  const hostStart = Date.now();
  let timed;
  try {
    timed = await runOnVirtualClock(() => runRule(rule, event, { config: cfg, now: () => now }), undefined, now.getTime());
  } finally {
    console.info = info;
  }
  const hostMs = Date.now() - hostStart;
  const calls = sim.callsByOperation();
  const listed = config.putEvaluations.flat().length;
  console.log(`certificates: ${CERTIFICATES} (${pending} pending DNS validation, half of them overdue; ${failed} failed); key algorithms RSA 2048/3072/4096 and ECDSA P-256/P-384`);
  console.log(`results: ${JSON.stringify(timed.result.compliance)} for ${listed} certificates (every key type listed: ${listed === CERTIFICATES ? 'yes' : 'NO'})`);
  console.log(`API calls by operation (retries included): ${JSON.stringify(calls)}; throttled ${sim.totalThrottled()}`);
  console.log(
    `DescribeCertificate: ${calls.DescribeCertificate ?? 0} for ${pending} pending + ${failed} failed (the failure reason is only in DescribeCertificate); none for the other ${CERTIFICATES - pending - failed}`,
  );
  console.log(`wall time: ${(timed.simulatedMs / 1000).toFixed(1)} s simulated (latency ${LATENCY_MS} ms, quotas/s ${JSON.stringify(QUOTAS)}); host ${(hostMs / 1000).toFixed(1)} s`);
}
