/**
 * secretsmanager-unused-secret-check over a simulated account of 200,000 realistic secrets whose
 * ListSecrets pages are generated on demand (so the heap measured is the rule's), through the real
 * SDK clients and the real rule, with the ListSecrets quota and 25 ms latency, on a virtual clock,
 * as Lambda runs it, in a process with the heap limits Lambda gives the function. The steady state
 * of a daily run: AWS Config holds the earlier NON_COMPLIANT results, 20 of them for secrets
 * force-deleted since. Judged against the account's known answer
 * (each secret's result, the duplicated entries, the withdrawn results), the call budget and the
 * live heap against the function's memory (lib/catalog.ts).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsUnusedRule } from '../lambda/secrets-unused';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import type { Compliance } from '../lambda/runtime/evaluation';
import { countingConfigOperations } from '../test/support/counting-config';
import { duplicatesInListing, EXEMPT_TAG_KEY, indexOfSecretArn, largeSecretArn, lazySecretsListing, secretEntry, secretKind, type SecretKind } from '../test/support/large-secrets-account';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import type { EarlierResult } from '../test/support/simulated-config';
import { scheduledRuleEvent } from '../test/support/rule-event';
import { describeInvocations, int, LambdaHeap, lambdaMemory, lambdaPass, longestInvocationMs, mib, printLogCounts, quietly, seconds, sum, warmUpSdk } from './harness';
import { target } from './judge';
import { inLambdaProcess } from './lambda-process';

const SECRETS = 200_000;
const VANISHED = 20;
export const LATENCY_MS = 25;
/** Secrets Manager quotas page: ListSecrets requests per second. */
export const QUOTAS = { ListSecrets: 100 };
/** ListSecrets' documented largest page. */
const LIST_SECRETS_MAX_RESULTS = 100;
const LAMBDA_TIMEOUT_MS = 900_000;
const PASS_LIMIT_MS = 24 * 3_600_000;
/** Of the function's memory, for the live heap above what the process held before the pass. */
const TARGET_HEAP_SHARE = 0.6;
/** Ticks between forced full collections for the live heap: about 60 in a pass of some 6,200 ticks. */
const GC_EVERY = 100;
const TARGET_CALLS_PER_SECRET = 0.021;

const EXPECTED: Record<SecretKind, Compliance> = {
  recent: 'COMPLIANT',
  neverReadNew: 'COMPLIANT',
  unused: 'NON_COMPLIANT',
  neverReadOld: 'NON_COMPLIANT',
  noCreatedDate: 'NON_COMPLIANT', // fails closed: never read, and its age is unknown
  exempt: 'NOT_APPLICABLE',
  scheduledDeletion: 'NOT_APPLICABLE',
};
const CODES: readonly string[] = ['', 'COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

/** Run by bench/run.ts: the measurement goes to a child process with the function's heap limits. */
export const run = () => inLambdaProcess(__filename, 'measure', 'secretsUnusedSecret');

export async function measure(): Promise<void> {
  const memory = lambdaMemory();
  await warmUpSdk();
  const start = new Date('2026-11-23T12:00:00Z');
  const listing = lazySecretsListing(SECRETS, start);
  const expectedBy: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  const previous: EarlierResult[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const r = EXPECTED[secretKind(i)];
    expectedBy[r]++;
    if (r === 'NON_COMPLIANT') previous.push({ resourceType: 'AWS::SecretsManager::Secret', resourceId: largeSecretArn(i), compliance: r });
  }
  // Failing secrets force-deleted since the last run: no longer listed, their results still held.
  for (let k = 0; k < VANISHED; k++) previous.push({ resourceType: 'AWS::SecretsManager::Secret', resourceId: largeSecretArn(SECRETS + k * 20), compliance: 'NON_COMPLIANT' });

  // What AWS Config receives, one byte per secret: times received and the last result.
  const times = new Uint8Array(SECRETS);
  const last = new Uint8Array(SECRETS);
  const withdrawn = { count: 0, wrong: 0, unknown: 0 };
  const onEvaluation = (e: { ComplianceResourceId: string; ComplianceType: string }) => {
    const i = indexOfSecretArn(e.ComplianceResourceId);
    if (i !== undefined && i < SECRETS) {
      times[i] = Math.min(255, times[i] + 1);
      last[i] = CODES.indexOf(e.ComplianceType);
    } else if (i !== undefined) {
      withdrawn.count++;
      if (e.ComplianceType !== 'NOT_APPLICABLE') withdrawn.wrong++;
    } else withdrawn.unknown++;
  };
  const sim = new SimulatedAws({ operations: { ...listing.operations, ...countingConfigOperations(previous, onEvaluation) }, quotas: QUOTAS, latencyMs: () => LATENCY_MS });
  const rule = secretsUnusedRule(new SecretsManagerClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('secretsmanager-unused-secret-check', start, { unusedForDays: '90', exemptionTagKey: EXEMPT_TAG_KEY });

  const heap = new LambdaHeap(memory, GC_EVERY);
  heap.start();
  const { pass, logs } = await quietly(async (logs) => ({
    pass: await lambdaPass(rule, event, { config: cfg }, { timeoutMs: LAMBDA_TIMEOUT_MS, passLimitMs: PASS_LIMIT_MS, start: start.getTime(), onTick: heap.sample }),
    logs,
  }));
  heap.stop();

  let unique = 0;
  let resent = 0;
  let wrong = 0;
  const gotBy: Record<string, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (let i = 0; i < SECRETS; i++) {
    if (times[i] === 0) continue;
    unique++;
    resent += times[i] - 1;
    gotBy[CODES[last[i]]]++;
    if (CODES[last[i]] !== EXPECTED[secretKind(i)]) wrong++;
  }
  const calls = sim.callsByOperation();
  const perSecret = sum(Object.values(calls)) / SECRETS;
  const summaries = logs.summaries;
  const final = summaries[summaries.length - 1];
  const counted = sum(summaries.map((s) => s.duplicates));
  const withdrawnBySummaries = sum(summaries.map((s) => s.withdrawn));
  const floorMs = ((calls.ListSecrets ?? 0) / QUOTAS.ListSecrets) * 1000;
  const sample = secretEntry(1, start);

  console.log(
    `secrets: ${int(SECRETS)} listed in pages generated on demand (a sample entry: ${JSON.stringify(sample).length} bytes of JSON, ${(sample.Tags as unknown[]).length} tags); expected COMPLIANT ${int(expectedBy.COMPLIANT)}, NON_COMPLIANT ${int(expectedBy.NON_COMPLIANT)}, NOT_APPLICABLE ${int(expectedBy.NOT_APPLICABLE)}; ${VANISHED} earlier results of force-deleted secrets`,
  );
  console.log(`quota ListSecrets ${QUOTAS.ListSecrets}/s; latency ${LATENCY_MS} ms ±40%; Lambda timeout ${LAMBDA_TIMEOUT_MS / 1000} s, memory ${memory.memoryMb} MB`);
  console.log(`invocations: ${pass.invocations.length}; simulated wall time of each: ${describeInvocations(pass)}; pass ${seconds(pass.simulatedMs)} (floor ${seconds(floorMs)}: ${int(calls.ListSecrets ?? 0)} ListSecrets at ${QUOTAS.ListSecrets}/s)`);
  console.log(`listing served: ${int(listing.served.pages)} pages, ${int(listing.served.entries)} entries, ${listing.served.duplicates} repeated from the page before (a single read at ${LIST_SECRETS_MAX_RESULTS} a page holds ${duplicatesInListing(SECRETS, LIST_SECRETS_MAX_RESULTS)})`);
  console.log(`results received by AWS Config: ${int(unique)} secrets (COMPLIANT ${int(gotBy.COMPLIANT)}, NON_COMPLIANT ${int(gotBy.NON_COMPLIANT)}, NOT_APPLICABLE ${int(gotBy.NOT_APPLICABLE)}); ${resent} sent again; wrong result ${wrong}; withdrawn ${withdrawn.count} (${withdrawnBySummaries} by the summaries)`);
  console.log(`summaries: outcome ${final?.outcome}, pass evaluated ${int(final?.pass.evaluated ?? 0)}, sent ${int(final?.pass.sent ?? 0)}, duplicates counted ${counted}${final?.error ? `, error: ${final.error}` : ''}`);
  console.log(`API calls (retries included): ${JSON.stringify(calls)}; ${perSecret.toFixed(4)} per secret; throttled ${sim.totalThrottled()}`);
  for (const line of heap.describe()) console.log(line);
  printLogCounts(logs);

  target('every invocation within the 900 s timeout', longestInvocationMs(pass) <= LAMBDA_TIMEOUT_MS, `longest ${seconds(longestInvocationMs(pass))}`);
  target('evaluated = unique ARNs', final?.pass.evaluated === SECRETS && final.outcome === 'complete', `${int(final?.pass.evaluated ?? 0)} of ${int(SECRETS)}, outcome ${final?.outcome}`);
  target('sent = unique ARNs, each with its expected result', unique === SECRETS && wrong === 0, `${int(unique)} of ${int(SECRETS)}; wrong ${wrong}`);
  target('duplicates counted', counted === listing.served.duplicates && counted > 0, `${counted} counted of ${listing.served.duplicates} served`);
  target(`earlier results of the ${VANISHED} force-deleted secrets withdrawn`, withdrawn.count === VANISHED && withdrawn.wrong === 0 && withdrawn.unknown === 0, `${withdrawn.count} NOT_APPLICABLE`);
  target(`calls per secret <= ${TARGET_CALLS_PER_SECRET}`, perSecret <= TARGET_CALLS_PER_SECRET, perSecret.toFixed(4));
  target(`(b) peak live heap above baseline <= ${TARGET_HEAP_SHARE * 100}% of ${memory.memoryMb} MiB`, heap.live <= TARGET_HEAP_SHARE * heap.functionBytes, `${mib(heap.live)} of ${mib(TARGET_HEAP_SHARE * heap.functionBytes)}`);
}
