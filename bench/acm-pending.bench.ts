/**
 * acm-pending-dns-validation-check over a simulated account of 20,000 certificates, half of them
 * Amazon-issued and pending DNS validation (each needs a DescribeCertificate), mixed RSA and ECDSA
 * keys, through the real SDK clients and the real rule, with ACM's documented request quotas, on
 * a virtual clock, run as Lambda runs it: invocations of the deployed timeout and continuations, in a process with the
 * heap limits Lambda gives the function (lib/catalog.ts). Judged against the account's known
 * answer and the 12-hour evaluation period; the heap figures are printed.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { acmPendingDnsValidationRule } from '../lambda/acm-pending-dns-validation';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import type { Compliance } from '../lambda/runtime/evaluation';
import { acmOperations, certificateArn, certificateInventory, type SimulatedCertificate } from '../test/support/simulated-acm';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { countingConfigOperations, type ReceivedEvaluation } from '../test/support/counting-config';
import { scheduledRuleEvent } from '../test/support/rule-event';
import { describeInvocations, int, LambdaHeap, lambdaMemory, lambdaPass, longestInvocationMs, printLogCounts, quietly, seconds, warmUpSdk } from './harness';
import { CUSTOM_RULES } from '../lib/catalog';
import { target } from './judge';
import { inLambdaProcess } from './lambda-process';

const CERTIFICATES = 20_000;
const PENDING_FRACTION = 0.5;
export const LATENCY_MS = 40;
/** ACM quotas page: requests per second per account and Region. */
export const QUOTAS = { ListCertificates: 1, DescribeCertificate: 10, ListTagsForCertificate: 10 };
/** The deployed function's timeout, from the catalog. */
const LAMBDA_TIMEOUT_MS = CUSTOM_RULES.find((r) => r.key === 'acmPendingDnsValidation')!.timeoutSeconds * 1000;
const EVALUATION_PERIOD_MS = 12 * 3_600_000;
const MAX_PENDING_HOURS = 24;
const HOUR = 3_600_000;
/** Ticks between forced full collections for the live heap: 10 in a pass of some 20,000 ticks (the heap is printed, not judged). */
const GC_EVERY = 2000;
const CODES: readonly Compliance[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

/** The result each certificate must get, from what the inventory made it (none is near a threshold). */
function expectedResult(c: SimulatedCertificate, now: Date): Compliance {
  if (c.status === 'FAILED' || c.status === 'VALIDATION_TIMED_OUT') return 'NON_COMPLIANT';
  if (c.type !== 'AMAZON_ISSUED') return 'NOT_APPLICABLE';
  if (c.status === 'PENDING_VALIDATION') return now.getTime() - c.created.getTime() > MAX_PENDING_HOURS * HOUR ? 'NON_COMPLIANT' : 'COMPLIANT';
  if (c.status === 'ISSUED') return 'COMPLIANT';
  return 'NOT_APPLICABLE';
}

/** Run by bench/run.ts: the measurement goes to a child process with the function's heap limits. */
export const run = () => inLambdaProcess(__filename, 'measure', 'acmPendingDnsValidation');

export async function measure(): Promise<void> {
  const memory = lambdaMemory();
  await warmUpSdk();
  const start = new Date('2026-11-23T12:00:00Z');
  const certificates = certificateInventory(CERTIFICATES, PENDING_FRACTION, start);
  const expected = certificates.map((c) => expectedResult(c, start));
  const pending = certificates.filter((c) => c.status === 'PENDING_VALIDATION' && c.type === 'AMAZON_ISSUED').length;
  const failed = certificates.filter((c) => c.status === 'FAILED').length;
  const expectedBy = (r: Compliance) => expected.filter((v) => v === r).length;
  // What AWS Config receives, one byte per certificate (times received, 1 + the last result's index
  // in CODES), so the simulator's memory does not grow with the pass.
  const times = new Uint8Array(CERTIFICATES);
  const lastResult = new Uint8Array(CERTIFICATES);
  const received = { all: 0, unknown: 0 };
  const onEvaluation = (e: ReceivedEvaluation) => {
    received.all++;
    const i = Number(e.ComplianceResourceId.slice(-12));
    if (!(Number.isInteger(i) && i < CERTIFICATES && certificateArn(certificates[i].id) === e.ComplianceResourceId)) return void received.unknown++;
    times[i] = Math.min(255, times[i] + 1);
    lastResult[i] = 1 + CODES.indexOf(e.ComplianceType as Compliance);
  };
  const sim = new SimulatedAws({ operations: { ...acmOperations(certificates), ...countingConfigOperations([], onEvaluation) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const rule = acmPendingDnsValidationRule(new ACMClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('acm-pending-dns-validation-check', start, { maxPendingHours: String(MAX_PENDING_HOURS), exemptionTagKey: 'crypto-monitoring:exempt' });

  const heap = new LambdaHeap(memory, GC_EVERY);
  heap.start();
  const { pass, logs } = await quietly(async (logs) => ({
    pass: await lambdaPass(rule, event, { config: cfg }, { timeoutMs: LAMBDA_TIMEOUT_MS, passLimitMs: EVALUATION_PERIOD_MS, start: start.getTime(), onTick: heap.sample }),
    logs,
  }));
  heap.stop();

  const calls = sim.callsByOperation();
  let got = 0;
  let wrong = 0;
  const gotBy: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (let i = 0; i < CERTIFICATES; i++) {
    if (times[i] === 0) continue;
    got++;
    gotBy[CODES[lastResult[i] - 1]]++;
    if (CODES[lastResult[i] - 1] !== expected[i]) wrong++;
  }
  const missing = CERTIFICATES - got;
  const last = logs.summaries[logs.summaries.length - 1];
  // The quotas alone: every pending or failed certificate described once, every page listed once.
  const floorMs = Math.max((pending + failed) / QUOTAS.DescribeCertificate, Math.ceil(CERTIFICATES / 1000) / QUOTAS.ListCertificates) * 1000;

  console.log(`certificates: ${int(CERTIFICATES)} (${int(pending)} Amazon-issued pending DNS validation, half past ${MAX_PENDING_HOURS} h; ${failed} failed); expected COMPLIANT ${int(expectedBy('COMPLIANT'))}, NON_COMPLIANT ${int(expectedBy('NON_COMPLIANT'))}, NOT_APPLICABLE ${int(expectedBy('NOT_APPLICABLE'))}`);
  console.log(`quotas/s ${JSON.stringify(QUOTAS)}; latency ${LATENCY_MS} ms ±40%; Lambda timeout ${LAMBDA_TIMEOUT_MS / 1000} s; evaluation period 12 h; memory ${memory.memoryMb} MB`);
  console.log(`invocations: ${pass.invocations.length}; simulated wall time of each: ${describeInvocations(pass)}`);
  console.log(`pass: ${seconds(pass.simulatedMs)} simulated; floor ${seconds(floorMs)} (DescribeCertificate for ${int(pending + failed)} at ${QUOTAS.DescribeCertificate}/s)`);
  console.log(`results received by AWS Config: ${int(got)} (COMPLIANT ${int(gotBy.COMPLIANT)}, NON_COMPLIANT ${int(gotBy.NON_COMPLIANT)}, NOT_APPLICABLE ${int(gotBy.NOT_APPLICABLE)}); ${int(received.all - received.unknown - got)} sent again; wrong ${wrong}, missing ${int(missing)}, not of the account ${received.unknown}`);
  console.log(`last summary: outcome ${last?.outcome}, pass evaluated ${int(last?.pass.evaluated ?? 0)}, sent ${int(last?.pass.sent ?? 0)}${last?.error ? `, error: ${last.error}` : ''}`);
  console.log(`API calls (retries included): ${JSON.stringify(calls)}; throttled ${sim.totalThrottled()}`);
  for (const line of heap.describe()) console.log(line);
  printLogCounts(logs);

  target(`every invocation within the ${LAMBDA_TIMEOUT_MS / 1000} s timeout`, longestInvocationMs(pass) <= LAMBDA_TIMEOUT_MS, `longest ${seconds(longestInvocationMs(pass))}`);
  target('all certificates evaluated and sent, each with its expected result', got === CERTIFICATES && missing === 0 && wrong === 0 && received.unknown === 0 && last?.pass.evaluated === CERTIFICATES, `${int(got)} of ${int(CERTIFICATES)} received, ${int(last?.pass.evaluated ?? 0)} evaluated; wrong ${wrong}`);
  target('pass within the 12-hour evaluation period', last?.outcome === 'complete' && pass.simulatedMs <= EVALUATION_PERIOD_MS, `${seconds(pass.simulatedMs)}, outcome ${last?.outcome}`);
}
