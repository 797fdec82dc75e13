/**
 * acm-pending-dns-validation-check over a simulated account of 20,000 certificates, half of them
 * Amazon-issued and pending DNS validation (each needs a DescribeCertificate), mixed RSA and ECDSA
 * keys, through the real SDK clients and the real rule, with ACM's documented request quotas, on
 * a virtual clock, run as Lambda runs it: 600 s invocations and continuations. Judged against the
 * account's known answer and the 12-hour evaluation period.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { acmPendingDnsValidationRule } from '../lambda/acm-pending-dns-validation';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import type { Compliance } from '../lambda/runtime/evaluation';
import { acmOperations, certificateArn, certificateInventory, type SimulatedCertificate } from '../test/support/simulated-acm';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../test/support/simulated-config';
import { scheduledRuleEvent } from '../test/support/rule-event';
import { describeInvocations, HeapPeak, int, lambdaPass, longestInvocationMs, mib, printLogCounts, quietly, seconds, sum, warmUpSdk } from './harness';
import { target } from './judge';

const CERTIFICATES = 20_000;
const PENDING_FRACTION = 0.5;
const LATENCY_MS = 40;
/** ACM quotas page: requests per second per account and Region. */
const QUOTAS = { ListCertificates: 1, DescribeCertificate: 10, ListTagsForCertificate: 10 };
const LAMBDA_TIMEOUT_MS = 600_000;
const EVALUATION_PERIOD_MS = 12 * 3_600_000;
const MAX_PENDING_HOURS = 24;
const HOUR = 3_600_000;

/** The result each certificate must get, from what the inventory made it (none is near a threshold). */
function expectedResult(c: SimulatedCertificate, now: Date): Compliance {
  if (c.status === 'FAILED' || c.status === 'VALIDATION_TIMED_OUT') return 'NON_COMPLIANT';
  if (c.type !== 'AMAZON_ISSUED') return 'NOT_APPLICABLE';
  if (c.status === 'PENDING_VALIDATION') return now.getTime() - c.created.getTime() > MAX_PENDING_HOURS * HOUR ? 'NON_COMPLIANT' : 'COMPLIANT';
  if (c.status === 'ISSUED') return 'COMPLIANT';
  return 'NOT_APPLICABLE';
}

export async function run(): Promise<void> {
  await warmUpSdk();
  const start = new Date('2026-11-23T12:00:00Z');
  const certificates = certificateInventory(CERTIFICATES, PENDING_FRACTION, start);
  const expected = new Map(certificates.map((c) => [certificateArn(c.id), expectedResult(c, start)]));
  const pending = certificates.filter((c) => c.status === 'PENDING_VALIDATION' && c.type === 'AMAZON_ISSUED').length;
  const failed = certificates.filter((c) => c.status === 'FAILED').length;
  const expectedBy = (r: Compliance) => [...expected.values()].filter((v) => v === r).length;
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...acmOperations(certificates), ...configOperations(config) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const rule = acmPendingDnsValidationRule(new ACMClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('acm-pending-dns-validation-check', start, { maxPendingHours: String(MAX_PENDING_HOURS), exemptionTagKey: 'crypto-monitoring:exempt' });

  const heap = new HeapPeak();
  const hostStart = Date.now();
  const { pass, logs } = await quietly(async (logs) => ({
    pass: await lambdaPass(rule, event, { config: cfg }, { timeoutMs: LAMBDA_TIMEOUT_MS, passLimitMs: EVALUATION_PERIOD_MS, start: start.getTime(), onTick: heap.sample }),
    logs,
  }));
  const hostMs = Date.now() - hostStart;

  const calls = sim.callsByOperation();
  const got = new Map<string, string>();
  for (const e of config.putEvaluations.flat()) got.set(e.ComplianceResourceId, e.ComplianceType);
  const wrong = [...expected].filter(([arn, r]) => got.has(arn) && got.get(arn) !== r).length;
  const missing = [...expected.keys()].filter((arn) => !got.has(arn)).length;
  const gotBy = (r: string) => [...got.values()].filter((v) => v === r).length;
  const last = logs.summaries[logs.summaries.length - 1];
  // The quotas alone: every pending or failed certificate described once, every page listed once.
  const floorMs = Math.max((pending + failed) / QUOTAS.DescribeCertificate, Math.ceil(CERTIFICATES / 1000) / QUOTAS.ListCertificates) * 1000;

  console.log(`certificates: ${int(CERTIFICATES)} (${int(pending)} Amazon-issued pending DNS validation, half past ${MAX_PENDING_HOURS} h; ${failed} failed); expected COMPLIANT ${int(expectedBy('COMPLIANT'))}, NON_COMPLIANT ${int(expectedBy('NON_COMPLIANT'))}, NOT_APPLICABLE ${int(expectedBy('NOT_APPLICABLE'))}`);
  console.log(`quotas/s ${JSON.stringify(QUOTAS)}; latency ${LATENCY_MS} ms ±40%; Lambda timeout ${LAMBDA_TIMEOUT_MS / 1000} s; evaluation period 12 h`);
  console.log(`invocations: ${pass.invocations.length}; simulated wall time of each: ${describeInvocations(pass)}`);
  console.log(`pass: ${seconds(pass.simulatedMs)} simulated; floor ${seconds(floorMs)} (DescribeCertificate for ${int(pending + failed)} at ${QUOTAS.DescribeCertificate}/s)`);
  console.log(`results received by AWS Config: ${int(got.size)} (COMPLIANT ${int(gotBy('COMPLIANT'))}, NON_COMPLIANT ${int(gotBy('NON_COMPLIANT'))}, NOT_APPLICABLE ${int(gotBy('NOT_APPLICABLE'))}); ${int(sum(config.putEvaluations.map((b) => b.length)) - got.size)} sent again; wrong ${wrong}, missing ${int(missing)}`);
  console.log(`last summary: outcome ${last?.outcome}, pass evaluated ${int(last?.pass.evaluated ?? 0)}, sent ${int(last?.pass.sent ?? 0)}${last?.error ? `, error: ${last.error}` : ''}`);
  console.log(`API calls (retries included): ${JSON.stringify(calls)}; throttled ${sim.totalThrottled()}; peak heap ${mib(heap.peak)}; host time ${seconds(hostMs)}`);
  printLogCounts(logs);

  target('every invocation within the 600 s timeout', longestInvocationMs(pass) <= LAMBDA_TIMEOUT_MS, `longest ${seconds(longestInvocationMs(pass))}`);
  target('all certificates evaluated and sent, each with its expected result', got.size === CERTIFICATES && missing === 0 && wrong === 0 && last?.pass.evaluated === CERTIFICATES, `${int(got.size)} of ${int(CERTIFICATES)} received, ${int(last?.pass.evaluated ?? 0)} evaluated; wrong ${wrong}`);
  target('pass within the 12-hour evaluation period', last?.outcome === 'complete' && pass.simulatedMs <= EVALUATION_PERIOD_MS, `${seconds(pass.simulatedMs)}, outcome ${last?.outcome}`);
}
