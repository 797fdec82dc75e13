/**
 * What the cryptographic inventory adds to the rules' own passes (issue 13): for each rule that
 * writes it, the same account is run twice as Lambda runs it (invocations of the deployed timeout
 * and continuations, on a virtual clock, through the real SDK clients and the real rule against
 * the simulated services and their documented quotas), once with the inventory off and once on,
 * the inventory parameters then naming a bucket of the simulated S3 (test/support/simulated-s3.ts).
 * Printed per rule: API calls per asset by operation (off, on, difference), S3 PutObject calls and
 * bytes, records written against assets, simulated pass time off and on, invocations. Judged:
 * every asset recorded exactly once; the extra calls and the added pass time within what
 * docs/rule-runtime.md ("Inventory") says.
 *
 * Accounts: KMS 10,000 keys (kms-unused-keys.bench.ts's account with a mix laid over it: customer
 * managed symmetric keys with and without rotation, AWS managed, asymmetric, HMAC, pending
 * deletion); ACM 5,000 certificates (test/support/simulated-acm.ts, 2% pending DNS validation);
 * Secrets Manager 50,000 secrets (test/support/large-secrets-account.ts, pages made on demand,
 * duplicated entries across pages included); Private CA 50 CAs (test/support/simulated-acm-pca.ts's
 * sample account, each of its own CAs repeated under new ids). Each rule runs in a process with the
 * heap limits Lambda gives its function (lambda-process.ts).
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEFAULT_LIST_RATE as PCA_LIST_RATE, pcaCertificateAuthorityRule } from '../lambda/acm-pca-certificate-authority-check';
import { acmPendingDnsValidationRule, DEFAULT_DESCRIBE_CERTIFICATE_RATE } from '../lambda/acm-pending-dns-validation';
import { kmsUnusedKeyRule, rotationApplies } from '../lambda/kms-unused-keys';
import { secretsUnusedRule } from '../lambda/secrets-unused';
import { CLIENT_DEFAULTS } from '../lambda/runtime/clients';
import type { ConfigRule, RunSummary, RuntimeDeps } from '../lambda/runtime/run-rule';
import { countingConfigOperations } from '../test/support/counting-config';
import { EXEMPT_TAG_KEY, largeSecretArn, lazySecretsListing } from '../test/support/large-secrets-account';
import { acmOperations, certificateArn, certificateInventory } from '../test/support/simulated-acm';
import { ACCOUNT as PCA_ACCOUNT, caArn, pcaOperations, sampleCertificateAuthorities, type SimulatedCa } from '../test/support/simulated-acm-pca';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { keyArn, kmsOperations, type SimulatedKey } from '../test/support/simulated-kms';
import { linesOf, SimulatedS3, simulatedS3ClientConfig } from '../test/support/simulated-s3';
import { scheduledRuleEvent } from '../test/support/rule-event';
import { QUOTAS as ACM_QUOTAS, LATENCY_MS as ACM_LATENCY_MS } from './acm-pending.bench';
import { account as kmsAccount, QUOTAS as KMS_BENCH_QUOTAS, LATENCY_MS as KMS_LATENCY_MS, TAG_KEY as KMS_TAG_KEY } from './kms-unused-keys.bench';
import { QUOTAS as SECRETS_QUOTAS, LATENCY_MS as SECRETS_LATENCY_MS } from './secrets-unused.bench';
import { describeInvocations, int, lambdaMemory, lambdaPass, printLogCounts, quietly, seconds, sum, warmUpSdk, type Pass } from './harness';
import { target } from './judge';
import { inLambdaProcess } from './lambda-process';

const START = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REGION = 'eu-west-1';
/** The central inventory bucket, in another account of the organization. */
const BUCKET = 'crypto-inventory-999988887777-eu-west-1';
const BUCKET_OWNER = '999988887777';
const S3_LATENCY_MS = 30;
const INVENTORY_TARGET = { inventoryBucket: BUCKET, inventoryBucketOwner: BUCKET_OWNER, inventoryRegion: REGION, priceDate: '2026-11-01' };
/**
 * Added pass time the inventory may cost beyond its documented extra calls, per invocation: the
 * last part's PutObject (one S3 round trip, paced at 10/s) and the inventory reads of the
 * resources decided last, which nothing overlaps. Everything else runs while the rule waits on
 * its own paced calls.
 */
const TAIL_MS_PER_INVOCATION = 1000;

/** The deployed function's timeout of a rule, from the catalog (loaded only here, in the child, as the rule benches do). */
async function timeoutMs(key: 'kmsUnusedKey' | 'acmPendingDnsValidation' | 'secretsUnusedSecret' | 'acmPcaCertificateAuthority'): Promise<number> {
  const { CUSTOM_RULES } = await import('../lib/catalog');
  return CUSTOM_RULES.find((r) => r.key === key)!.timeoutSeconds * 1000;
}

interface Case {
  readonly label: string;
  readonly configRuleName: string;
  /** Unique assets the pass covers, by ARN (the records' `arn`). */
  readonly assetArns: ReadonlySet<string>;
  readonly params: Record<string, string>;
  /** The rule's prices while the inventory is on. */
  readonly prices: Record<string, string>;
  readonly timeoutMs: number;
  readonly passLimitMs: number;
  /** A fresh simulated account and the rule over it. */
  build(): { sim: SimulatedAws; rule: ConfigRule<any, any, any> };
}

interface Measured {
  readonly pass: Pass;
  readonly summaries: RunSummary[];
  readonly calls: Record<string, number>;
  readonly throttled: number;
  readonly s3: SimulatedS3;
  readonly hostMs: number;
}

const hostNow = () => Number(process.hrtime.bigint()) / 1e6;

async function runPass(c: Case, inventory: boolean): Promise<Measured> {
  const { sim, rule } = c.build();
  const s3 = new SimulatedS3({ buckets: { [BUCKET]: BUCKET_OWNER }, latencyMs: S3_LATENCY_MS });
  const s3Clients = new Map<string, S3Client>();
  // harness.lambdaPass spreads these deps into runRule's: the S3 client goes with them.
  const deps: Pick<RuntimeDeps, 'config' | 's3'> = {
    config: new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)),
    s3: (region) => s3Clients.get(region) ?? s3Clients.set(region, new S3Client(simulatedS3ClientConfig(s3, region, CLIENT_DEFAULTS))).get(region)!,
  };
  const params = inventory ? { ...c.params, ...INVENTORY_TARGET, ...c.prices } : c.params;
  const event = scheduledRuleEvent(c.configRuleName, START, params);
  const t = hostNow();
  const { pass, logs } = await quietly(async (logs) => ({
    pass: await lambdaPass(rule, event, deps, { timeoutMs: c.timeoutMs, passLimitMs: c.passLimitMs, start: START.getTime() }),
    logs,
  }));
  const hostMs = hostNow() - t;
  printLogCounts(logs);
  return { pass, summaries: logs.summaries, calls: sim.callsByOperation(), throttled: sim.totalThrottled(), s3, hostMs };
}

/** Every record the pass wrote, counted by ARN, one object at a time (the records are not kept). */
function readRecords(s3: SimulatedS3, c: Case) {
  const seen = new Map<string, number>();
  let records = 0;
  let foreign = 0;
  let bytes = 0;
  const types = new Set<string>();
  for (const o of s3.objects.values()) {
    bytes += o.body.length;
    for (const r of linesOf(o.body)) {
      records++;
      types.add(r.assetType);
      if (!c.assetArns.has(r.arn)) foreign++;
      seen.set(r.arn, (seen.get(r.arn) ?? 0) + 1);
    }
  }
  let twice = 0;
  for (const n of seen.values()) if (n > 1) twice++;
  const missing = c.assetArns.size - (seen.size - foreign);
  return { objects: s3.objects.size, bytes, records, distinct: seen.size, twice, missing, foreign, types: [...types] };
}

/** Measures one rule off and on, prints the figures and judges them; returns both passes' calls for the expected-extra check. */
async function compare(c: Case, expectExtra: (off: Measured, on: Measured) => { extra: Record<string, number>; boundMs: number; bound: string }): Promise<void> {
  const assets = c.assetArns.size;
  const off = await runPass(c, false);
  const on = await runPass(c, true);
  const last = (m: Measured) => m.summaries[m.summaries.length - 1];
  const recs = readRecords(on.s3, c);
  const inv = on.summaries.map((s) => s.inventory);
  const written = sum(inv.map((i) => i?.written ?? 0));
  const unwritten = sum(inv.map((i) => i?.unwritten ?? 0));
  const collected = sum(inv.map((i) => i?.records ?? 0));

  console.log(`--- ${c.label}: ${int(assets)} assets`);
  console.log(`host time: off ${seconds(off.hostMs)}, on ${seconds(on.hostMs)}`);
  const ops = [...new Set([...Object.keys(off.calls), ...Object.keys(on.calls)])].sort();
  const per = (n: number) => (n / assets).toFixed(4);
  console.log('API calls per asset (retries included): operation: off, on, difference (calls off -> on)');
  for (const op of ops) {
    const a = off.calls[op] ?? 0;
    const b = on.calls[op] ?? 0;
    console.log(`  ${op}: ${per(a)}, ${per(b)}, ${b - a >= 0 ? '+' : ''}${per(b - a)} (${int(a)} -> ${int(b)})`);
  }
  const totalOff = sum(Object.values(off.calls));
  const totalOn = sum(Object.values(on.calls));
  console.log(`  all rule calls: ${per(totalOff)}, ${per(totalOn)}, +${per(totalOn - totalOff)} (${int(totalOff)} -> ${int(totalOn)}); throttled off ${off.throttled}, on ${on.throttled}`);
  console.log(`  S3 PutObject: on ${int(on.s3.requests)} calls (${(on.s3.requests / assets).toFixed(4)} per asset; ${on.s3.failed} failed), ${int(recs.bytes)} bytes gzipped in ${recs.objects} objects (${(recs.bytes / Math.max(1, recs.records)).toFixed(0)} bytes a record); off ${off.s3.requests}`);
  console.log(`records: ${int(recs.records)} read back from S3 (${int(recs.distinct)} distinct ARNs, ${recs.twice} recorded more than once, ${int(recs.missing)} assets missing, ${recs.foreign} not of the account; types ${recs.types.join(', ')}); summaries: collected ${int(collected)}, written ${int(written)}, unwritten ${int(unwritten)}`);
  console.log(`pass time (simulated): off ${seconds(off.pass.simulatedMs)} in ${off.pass.invocations.length} invocation(s) [${describeInvocations(off.pass)}]; on ${seconds(on.pass.simulatedMs)} in ${on.pass.invocations.length} [${describeInvocations(on.pass)}]; added ${seconds(on.pass.simulatedMs - off.pass.simulatedMs)}`);
  for (const [name, m] of [['off', off], ['on', on]] as const) {
    const l = last(m);
    console.log(`last summary ${name}: outcome ${l?.outcome}, pass evaluated ${int(l?.pass.evaluated ?? 0)}, sent ${int(l?.pass.sent ?? 0)}${l?.error ? `, error: ${l.error}` : ''}`);
  }

  const { extra, boundMs, bound } = expectExtra(off, on);
  const extraSeen = Object.fromEntries(ops.map((op) => [op, (on.calls[op] ?? 0) - (off.calls[op] ?? 0)]).filter(([, d]) => d !== 0));
  const extraWant = Object.fromEntries(Object.entries(extra).filter(([, d]) => d !== 0));
  const sameExtra = JSON.stringify(Object.entries(extraSeen).sort()) === JSON.stringify(Object.entries(extraWant).sort());
  const added = on.pass.simulatedMs - off.pass.simulatedMs;

  target(`${c.label}: both passes complete, every asset evaluated`, [off, on].every((m) => last(m)?.outcome === 'complete' && last(m)?.pass.evaluated === assets), `off ${last(off)?.outcome} ${int(last(off)?.pass.evaluated ?? 0)}, on ${last(on)?.outcome} ${int(last(on)?.pass.evaluated ?? 0)} of ${int(assets)}`);
  target(`${c.label}: records = assets, each asset exactly once`, recs.records === assets && recs.distinct === assets && recs.twice === 0 && recs.missing === 0 && recs.foreign === 0, `${int(recs.records)} records of ${int(assets)} assets; ${recs.twice} twice, ${int(recs.missing)} missing, ${recs.foreign} foreign`);
  target(`${c.label}: every record written (summaries)`, written === assets && unwritten === 0 && collected === assets, `written ${int(written)}, unwritten ${int(unwritten)}, collected ${int(collected)}`);
  target(`${c.label}: extra calls as documented`, sameExtra, `seen ${JSON.stringify(extraSeen)}, documented ${JSON.stringify(extraWant)}`);
  target(`${c.label}: no throttled call`, off.throttled === 0 && on.throttled === 0, `off ${off.throttled}, on ${on.throttled}`);
  target(`${c.label}: added pass time <= ${bound}`, added <= boundMs, `${seconds(added)} of ${seconds(boundMs)}`);
}

/** Run by bench/run.ts: each rule in a child process with its function's heap limits. */
export async function run(): Promise<void> {
  await inLambdaProcess(__filename, 'measureKms', 'kmsUnusedKey');
  await inLambdaProcess(__filename, 'measureAcm', 'acmPendingDnsValidation');
  await inLambdaProcess(__filename, 'measureSecrets', 'secretsUnusedSecret');
  await inLambdaProcess(__filename, 'measurePca', 'acmPcaCertificateAuthority');
}

/** The SDK warmed up on the real clock (harness.warmUpSdk), and S3's client too. */
async function warmUp(): Promise<void> {
  process.env.AWS_REGION ??= REGION; // the records name the Region the function runs in
  await warmUpSdk();
  const s3 = new SimulatedS3({ buckets: { warm: BUCKET_OWNER }, latencyMs: 1 });
  await new S3Client(simulatedS3ClientConfig(s3, REGION)).send(new PutObjectCommand({ Bucket: 'warm', Key: 'k', Body: 'x' }));
}

/**
 * 10,000 keys: the KMS bench's account, with its AWS managed, disabled, pending-deletion, exempt
 * and never-used keys, and over it 1 in 400 AWS managed, 1 in 20 asymmetric (RSA and ECC), 1 in
 * 100 HMAC, 1 in 100 pending deletion; of the other customer managed symmetric keys 7 in 10 rotate
 * yearly (one rotation so far), the rest do not rotate.
 */
function kmsKeys(count: number, now: Date): SimulatedKey[] {
  const rotation = { enabled: true, periodDays: 365, next: new Date(now.getTime() + 330 * DAY), rotatedAt: [new Date(now.getTime() - 35 * DAY)] };
  const asymmetric = [
    { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' },
    { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' },
    { keySpec: 'RSA_3072', keyUsage: 'ENCRYPT_DECRYPT' },
  ];
  return kmsAccount(count, now).keys.map((k, i): SimulatedKey => {
    if (k.manager !== 'CUSTOMER') return k;
    if (i % 400 === 7) return { ...k, manager: 'AWS', tags: undefined, lastUsed: k.lastUsed ?? { operation: 'Decrypt', at: new Date(now.getTime() - DAY) } };
    if (i % 20 === 9) return { ...k, ...asymmetric[(i / 20) % 3 | 0] };
    if (i % 100 === 13) return { ...k, keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' };
    if (i % 100 === 11) return { ...k, state: 'PendingDeletion', deletionDate: new Date(now.getTime() + 7 * DAY), rotation };
    return i % 10 < 7 ? { ...k, rotation } : k;
  });
}

export async function measureKms(): Promise<void> {
  await warmUp();
  const keys = kmsKeys(10_000, START);
  const quotas = { ...KMS_BENCH_QUOTAS, GetKeyRotationStatus: 1000, ListKeyRotations: 100 };
  const rotatable = keys.filter((k) => rotationApplies({ KeyManager: k.manager, KeySpec: k.keySpec ?? 'SYMMETRIC_DEFAULT', Origin: k.origin ?? 'AWS_KMS' } as Parameters<typeof rotationApplies>[0])).length;
  const exempt = keys.filter((k) => k.manager === 'CUSTOMER' && k.tags?.[KMS_TAG_KEY] !== undefined).length;
  const count = (f: (k: SimulatedKey) => boolean) => keys.filter(f).length;
  console.log(
    `keys: ${int(keys.length)}: AWS managed ${count((k) => k.manager === 'AWS')}; customer managed symmetric rotating ${count((k) => k.manager === 'CUSTOMER' && !k.keySpec && !!k.rotation?.enabled && k.state !== 'PendingDeletion')}, not rotating ${count((k) => k.manager === 'CUSTOMER' && !k.keySpec && !k.rotation && k.state !== 'PendingDeletion')}; asymmetric ${count((k) => /^(RSA|ECC)/.test(k.keySpec ?? ''))}; HMAC ${count((k) => k.keySpec === 'HMAC_256')}; pending deletion ${count((k) => k.state === 'PendingDeletion')}; disabled ${count((k) => k.state === 'Disabled')}; exempt by tag ${exempt}; rotation applies to ${int(rotatable)}`,
  );
  console.log(`quotas/s ${JSON.stringify(quotas)}; latency ${KMS_LATENCY_MS} ms ±40%, S3 ${S3_LATENCY_MS} ms; memory ${lambdaMemory().memoryMb} MB`);
  const c: Case = {
    label: 'kms-unused-key-check',
    configRuleName: 'kms-unused-key-check',
    assetArns: new Set(keys.map((k) => keyArn(k.keyId))),
    params: { unusedForDays: '90', exemptionTagKey: KMS_TAG_KEY },
    prices: { kmsKeyMonthlyUsd: '1', kmsKeyRotationMonthlyUsd: '1' },
    timeoutMs: await timeoutMs('kmsUnusedKey'),
    passLimitMs: 24 * HOUR,
    build: () => {
      const sim = new SimulatedAws({ operations: { ...kmsOperations(keys), ...countingConfigOperations([], () => {}) }, quotas, latencyMs: () => KMS_LATENCY_MS });
      const rule = kmsUnusedKeyRule(new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
      return { sim, rule };
    },
  };
  await compare(c, (_off, on) => ({
    // docs/rule-runtime.md: GetKeyRotationStatus and one ListKeyRotations page per key rotation applies to; one DescribeKey per key the Tagging API listing exempts.
    extra: { GetKeyRotationStatus: rotatable, ListKeyRotations: rotatable, DescribeKey: exempt },
    // "no added time": the rotation reads run while the keys wait for GetKeyLastUsage.
    boundMs: on.pass.invocations.length * TAIL_MS_PER_INVOCATION,
    bound: `no added time but the tail (${TAIL_MS_PER_INVOCATION / 1000} s per invocation)`,
  }));
}

export async function measureAcm(): Promise<void> {
  await warmUp();
  const certificates = certificateInventory(5_000, 0.02, START);
  const count = (f: (c: (typeof certificates)[number]) => boolean) => certificates.filter(f).length;
  console.log(
    `certificates: ${int(certificates.length)}: pending DNS validation ${count((c) => c.status === 'PENDING_VALIDATION')}, failed ${count((c) => c.status === 'FAILED')}, timed out ${count((c) => c.status === 'VALIDATION_TIMED_OUT')}, imported ${count((c) => c.type === 'IMPORTED')}, issued ${count((c) => c.status === 'ISSUED')}`,
  );
  console.log(`quotas/s ${JSON.stringify(ACM_QUOTAS)}; DescribeCertificate paced at ${DEFAULT_DESCRIBE_CERTIFICATE_RATE}/s; latency ${ACM_LATENCY_MS} ms ±40%, S3 ${S3_LATENCY_MS} ms; memory ${lambdaMemory().memoryMb} MB`);
  const c: Case = {
    label: 'acm-pending-dns-validation-check',
    configRuleName: 'acm-pending-dns-validation-check',
    assetArns: new Set(certificates.map((x) => certificateArn(x.id))),
    params: { maxPendingHours: '24', exemptionTagKey: 'crypto-monitoring:exempt' },
    prices: {},
    timeoutMs: await timeoutMs('acmPendingDnsValidation'),
    passLimitMs: 12 * HOUR,
    build: () => {
      const sim = new SimulatedAws({ operations: { ...acmOperations(certificates), ...countingConfigOperations([], () => {}) }, quotas: ACM_QUOTAS, latencyMs: () => ACM_LATENCY_MS });
      const rule = acmPendingDnsValidationRule(new ACMClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
      return { sim, rule };
    },
  };
  await compare(c, (off, on) => {
    // docs/rule-runtime.md: every certificate described once; the descriptions the decision made are reused.
    const extraDescribe = certificates.length - (off.calls.DescribeCertificate ?? 0);
    return {
      extra: { DescribeCertificate: extraDescribe },
      boundMs: (extraDescribe / DEFAULT_DESCRIBE_CERTIFICATE_RATE) * 1000 + on.pass.invocations.length * TAIL_MS_PER_INVOCATION,
      bound: `the extra DescribeCertificate at ${DEFAULT_DESCRIBE_CERTIFICATE_RATE}/s and the tail (${TAIL_MS_PER_INVOCATION / 1000} s per invocation)`,
    };
  });
}

export async function measureSecrets(): Promise<void> {
  await warmUp();
  const SECRETS = 50_000;
  const listing = lazySecretsListing(SECRETS, START);
  console.log(`secrets: ${int(SECRETS)} listed in pages made on demand (duplicated entries across pages); quotas/s ${JSON.stringify(SECRETS_QUOTAS)}; latency ${SECRETS_LATENCY_MS} ms ±40%, S3 ${S3_LATENCY_MS} ms; memory ${lambdaMemory().memoryMb} MB`);
  const arns = new Set<string>();
  for (let i = 0; i < SECRETS; i++) arns.add(largeSecretArn(i));
  const c: Case = {
    label: 'secretsmanager-unused-secret-check',
    configRuleName: 'secretsmanager-unused-secret-check',
    assetArns: arns,
    params: { unusedForDays: '90', exemptionTagKey: EXEMPT_TAG_KEY },
    prices: { secretMonthlyUsd: '0.4' },
    timeoutMs: await timeoutMs('secretsUnusedSecret'),
    passLimitMs: 24 * HOUR,
    build: () => {
      const sim = new SimulatedAws({ operations: { ...listing.operations, ...countingConfigOperations([], () => {}) }, quotas: SECRETS_QUOTAS, latencyMs: () => SECRETS_LATENCY_MS });
      return { sim, rule: secretsUnusedRule(new SecretsManagerClient(simulatedClientConfig(sim, CLIENT_DEFAULTS))) };
    },
  };
  await compare(c, (_off, on) => ({
    // docs/rule-runtime.md: the record comes from the ListSecrets entry; no extra call.
    extra: {},
    boundMs: on.pass.invocations.length * TAIL_MS_PER_INVOCATION,
    bound: `no added time but the tail (${TAIL_MS_PER_INVOCATION / 1000} s per invocation)`,
  }));
}

/** 50 CAs: the sample account's own CAs (every status, RSA, EC and ML-DSA, both usage modes), repeated under new ids. */
function certificateAuthorities(count: number, now: Date): SimulatedCa[] {
  const own = sampleCertificateAuthorities(now).filter((c) => (c.owner ?? PCA_ACCOUNT) === PCA_ACCOUNT);
  return Array.from({ length: count }, (_, i) => ({ ...own[i % own.length], id: `${own[i % own.length].id}-${String(i).padStart(3, '0')}` }));
}

export async function measurePca(): Promise<void> {
  await warmUp();
  const cas = certificateAuthorities(50, START);
  const byStatus: Record<string, number> = {};
  for (const ca of cas) byStatus[ca.status] = (byStatus[ca.status] ?? 0) + 1;
  // AWS Private CA quotas: ListCertificateAuthorities and ListTags 20 requests/s; the rule paces at 80%.
  const quotas = { ListCertificateAuthorities: 20, ListTags: 20 };
  console.log(`certificate authorities: ${cas.length} by status ${JSON.stringify(byStatus)}; quotas/s ${JSON.stringify(quotas)} (paced at ${PCA_LIST_RATE}/s); latency 40 ms ±40%, S3 ${S3_LATENCY_MS} ms; memory ${lambdaMemory().memoryMb} MB`);
  const c: Case = {
    label: 'acm-pca-certificate-authority-check',
    configRuleName: 'acm-pca-certificate-authority-check',
    assetArns: new Set(cas.map((ca) => caArn(ca.id))),
    params: { expiringWithinDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' },
    prices: { privateCaGeneralPurposeMonthlyUsd: '400', privateCaShortLivedMonthlyUsd: '50' },
    timeoutMs: await timeoutMs('acmPcaCertificateAuthority'),
    passLimitMs: 24 * HOUR,
    build: () => {
      const sim = new SimulatedAws({ operations: { ...pcaOperations(cas), ...countingConfigOperations([], () => {}) }, quotas, latencyMs: () => 40 });
      const rule = pcaCertificateAuthorityRule(new ACMPCAClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
      return { sim, rule };
    },
  };
  await compare(c, (_off, on) => ({
    // docs/rule-runtime.md: the record comes from the ListCertificateAuthorities entry; no extra call.
    extra: {},
    boundMs: on.pass.invocations.length * TAIL_MS_PER_INVOCATION,
    bound: `no added time but the tail (${TAIL_MS_PER_INVOCATION / 1000} s per invocation)`,
  }));
}
