/**
 * crypto-quantum-readiness-check: KMS keys, ACM certificates and AWS Private CA certificate
 * authorities whose cryptography a quantum computer breaks (RSA, elliptic curves, SM2) and that will
 * still be in service after the organization's own migration deadline (`migrationDeadline`), so
 * they become Security Hub findings like any other control. The post-quantum class and migration
 * priority come from lambda/inventory/quantum.ts; this rule only adds time.
 *
 * Semantics (`decideReadiness`, a pure function):
 * - In service after the deadline means: a certificate or CA whose NotAfter is later than the end of
 *   the deadline's day (UTC); a KMS key that is not scheduled for deletion, or is scheduled for a
 *   date after the deadline (KMS keys do not expire). Before the deadline this reports what will
 *   outlive it; once it has passed, what is still in service. An asset out of service (expired,
 *   deleted, not yet issued) is NOT_APPLICABLE.
 * - A renewal is judged when it happens: an Amazon-issued certificate renewed with the same key
 *   algorithm gets a new NotAfter, and from the renewal that crosses the deadline it is reported.
 *   Counting renewals ahead would report every ACM certificate today, while ACM offers no
 *   post-quantum key algorithm to move to.
 * - Post-quantum (ML-DSA, ML-KEM) and symmetric (AES-256, HMAC) assets are COMPLIANT; an algorithm
 *   the classifier does not know is NON_COMPLIANT "Could not evaluate" (fail closed).
 * - `assetClasses` chooses what is judged; resources of a class left out get NOT_APPLICABLE in
 *   place of any result this rule gave them before, and cost no call of their own.
 *
 * One rule, three AWS Config resource types (each evaluation names its own type): the shared
 * runtime reports one type per run, so a pass runs it once per asset class, in the order of
 * PASS_ORDER (the small listings first), each with the runtime's paging, pacing, deadlines,
 * continuations and withdrawal of stale results for its own type. A continuation carries the class
 * it continues in the event's `assetClass` field; when a class is done, the next one starts in the
 * same invocation.
 */
import { ACMClient, ListCertificatesCommand, type CertificateSummary } from '@aws-sdk/client-acm';
import { ACMPCAClient, type CertificateAuthority } from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, type EvaluationResult } from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, KMSClient, ListKeysCommand, type KeyListEntry, type KeyMetadata } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { certificateAuthorityTagValue, listCertificateAuthorities, TAGGING_RESOURCE_TYPE as PCA_TAGGING_RESOURCE_TYPE } from './acm-pca-certificate-authority-check';
import { ALL_KEY_TYPES, ALL_STATUSES, certificateTagValue, LIST_CERTIFICATES_PAGE_SIZE } from './acm-pending-dns-validation';
import { keyTagValue } from './kms-unused-keys';
import { classifyCertificate, classifyCertificateAuthority, classifyKmsKey } from './inventory/quantum';
import type { AssetType, QuantumAssessment } from './inventory/record';
import { CLIENT_DEFAULTS } from './runtime/clients';
import { MalformedEventError } from './runtime/config-event';
import { CONTINUATION_FIELD, continuationOf } from './runtime/continuation';
import type { InvocationContext } from './runtime/deadline';
import { describeError, errorName } from './runtime/errors';
import { fitAnnotation, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { couldNotEvaluate, failClosed } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { log } from './runtime/log';
import { exemptionTagKeyParameter, InvalidParameterError, rateParameter } from './runtime/parameters';
import { runRule, type ConfigRule, type RuleRun, type RunSummary, type RuntimeDeps } from './runtime/run-rule';
import { decideWithExemption, loadExemptions, type Exemptions } from './runtime/tagged-resources';

export const RULE_NAME = 'crypto-quantum-readiness-check';

/** The asset classes this rule judges, named as the inventory names them (record.ts AssetType). */
export type AssetClass = Extract<AssetType, 'kms-key' | 'certificate' | 'certificate-authority'>;

/** The order of a pass: the small listings first, so a large key inventory never holds them up. */
export const PASS_ORDER: readonly AssetClass[] = ['certificate-authority', 'certificate', 'kms-key'];

/** The AWS Config resource type of each class; evaluations are keyed by the ids AWS Config records (CA and certificate ARN, key id). */
export const RESOURCE_TYPE_OF: Readonly<Record<AssetClass, string>> = {
  'certificate-authority': 'AWS::ACMPCA::CertificateAuthority',
  certificate: 'AWS::ACM::Certificate',
  'kms-key': 'AWS::KMS::Key',
};

/** Every resource type the rule reports on (the catalog holds the same list). */
export const RESOURCE_TYPES: readonly string[] = PASS_ORDER.map((c) => RESOURCE_TYPE_OF[c]);
/** The first of them, for readers that expect one. */
export const RESOURCE_TYPE = RESOURCE_TYPES[0];

/** The event field that names the asset class a continuation carries on with. */
export const ASSET_CLASS_FIELD = 'assetClass';

export interface MigrationDeadline {
  /** As written, YYYY-MM-DD. */
  readonly date: string;
  /** The end of that day in UTC (exclusive): an asset in service past this is in service after the deadline. */
  readonly end: Date;
}

export interface QuantumReadinessParams {
  readonly migrationDeadline: MigrationDeadline;
  readonly assetClasses: ReadonlySet<AssetClass>;
  readonly exemptionTagKey?: string;
  /** DescribeKey calls per second. */
  readonly requestsPerSecond: number;
}

export const PARAMETER_NAMES = ['migrationDeadline', 'assetClasses', 'exemptionTagKey', 'requestsPerSecond'] as const;

/**
 * NIST IR 8547 (initial public draft, Nov. 2024): quantum-vulnerable algorithms at 112 bits of
 * security, RSA-2048 among them, are deprecated after 2030; all of them are disallowed after 2035.
 */
export const DEFAULT_MIGRATION_DEADLINE = '2030-12-31';

/**
 * One twentieth of DescribeKey's 2,000 requests per second (KMS request quotas): the rule leaves
 * the quota to the account's applications; 10,000 keys take about 100 s.
 */
export const DEFAULT_DESCRIBE_KEY_RATE = 100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date YYYY-MM-DD that exists (2030-02-30 does not), or the fallback when the parameter is absent. */
export function deadlineParameter(params: Record<string, string>, name: string, fallback: string): MigrationDeadline {
  const raw = params[name];
  const text = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
  const m = DATE.exec(text);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (!m || isNaN(day.getTime()) || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || y < 2000) {
    throw new InvalidParameterError(name, raw ?? '', 'a calendar date YYYY-MM-DD from the year 2000 on, such as "2030-12-31"');
  }
  return { date: text, end: new Date(Date.UTC(y, mo - 1, d + 1)) };
}

/** A comma-separated list of asset classes, each at most once; absent means all of them. */
export function assetClassesParameter(params: Record<string, string>, name: string): ReadonlySet<AssetClass> {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return new Set(PASS_ORDER);
  const entries = raw.split(',').map((e) => e.trim());
  const known = (e: string): e is AssetClass => (PASS_ORDER as readonly string[]).includes(e);
  if (!entries.every(known) || new Set(entries).size !== entries.length) {
    throw new InvalidParameterError(name, raw, `a comma-separated list of ${PASS_ORDER.join(', ')}, each at most once`);
  }
  return new Set(entries);
}

export function parseParameters(raw: Record<string, string>): QuantumReadinessParams {
  return {
    migrationDeadline: deadlineParameter(raw, 'migrationDeadline', DEFAULT_MIGRATION_DEADLINE),
    assetClasses: assetClassesParameter(raw, 'assetClasses'),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_DESCRIBE_KEY_RATE),
  };
}

/** How long an asset stays in service, as far as its own facts say. */
export type Lifetime =
  /** No end: a KMS key that is not scheduled for deletion (`why` says what state it is in). */
  | { readonly kind: 'indefinite'; readonly why: string }
  /** In service until `end`: a certificate's or CA's NotAfter, a key's DeletionDate. */
  | { readonly kind: 'until'; readonly end: Date; readonly why: string }
  /** Not in service: expired, deleted, not issued yet. */
  | { readonly kind: 'out-of-service'; readonly why: string }
  /** A fact needed to tell is missing: fails closed, for a quantum-vulnerable asset only. */
  | { readonly kind: 'unknown'; readonly reason: string };

const priorityOf = (q: QuantumAssessment) => (q.priority === null ? '' : `, priority ${q.priority}`);

/** The pure decision: the asset's quantum class and how long it stays in service, against the deadline. */
export function decideReadiness(q: QuantumAssessment, life: Lifetime, now: Date, deadline: MigrationDeadline): Decision {
  if (life.kind === 'out-of-service') return { compliance: 'NOT_APPLICABLE', annotation: fitAnnotation(`${life.why}: not in service, nothing to migrate.`) };
  switch (q.class) {
    case 'unknown':
      return couldNotEvaluate(q.reason);
    case 'not-applicable':
      return { compliance: 'NOT_APPLICABLE', annotation: fitAnnotation(q.reason) };
    case 'symmetric':
    case 'post-quantum':
      return { compliance: 'COMPLIANT', annotation: fitAnnotation(q.reason) };
    case 'quantum-vulnerable':
      break;
    default:
      return couldNotEvaluate(`the classifier returned the unknown class ${JSON.stringify(q.class)}.`);
  }
  if (life.kind === 'unknown') return couldNotEvaluate(life.reason);
  const passed = now.getTime() >= deadline.end.getTime();
  const against = passed ? `the migration deadline ${deadline.date} has passed` : `after the migration deadline ${deadline.date}`;
  if (life.kind === 'indefinite') {
    return { compliance: 'NON_COMPLIANT', annotation: fitAnnotation(`Quantum-vulnerable${priorityOf(q)}: ${life.why}, so in service ${passed ? `and ${against}` : against}. ${q.reason}`) };
  }
  if (life.end.getTime() > deadline.end.getTime()) {
    return { compliance: 'NON_COMPLIANT', annotation: fitAnnotation(`Quantum-vulnerable${priorityOf(q)}: ${life.why} ${isoDate(life.end)}, ${passed ? `and ${against}` : against}. ${q.reason}`) };
  }
  return {
    compliance: 'COMPLIANT',
    annotation: fitAnnotation(`Quantum-vulnerable but out of service by the migration deadline ${deadline.date}: ${life.why} ${isoDate(life.end)}. ${q.reason}`),
  };
}

/** How long a KMS key stays: until its deletion date when one is scheduled, else for good. */
export function kmsKeyLifetime(meta: Pick<KeyMetadata, 'KeyState' | 'DeletionDate'>): Lifetime {
  switch (meta.KeyState) {
    case undefined:
      return { kind: 'unknown', reason: 'DescribeKey returned no key state, so whether the key is scheduled for deletion is unknown.' };
    case 'PendingDeletion':
      return meta.DeletionDate
        ? { kind: 'until', end: meta.DeletionDate, why: 'scheduled for deletion on' }
        : { kind: 'unknown', reason: 'DescribeKey returned no DeletionDate for a key pending deletion.' };
    case 'PendingReplicaDeletion':
      // Its deletion waits for replica keys that may never be scheduled: no date is set.
      return { kind: 'indefinite', why: 'its deletion waits for its replica keys (no date is set)' };
    case 'Enabled':
      return { kind: 'indefinite', why: 'no deletion is scheduled' };
    default:
      return { kind: 'indefinite', why: `${meta.KeyState}, but no deletion is scheduled (its key material stays)` };
  }
}

/** How long an ACM certificate stays in service: until its NotAfter while it is issued. */
export function certificateLifetime(c: Pick<CertificateSummary, 'Status' | 'NotAfter'>, now: Date): Lifetime {
  if (!c.Status) return { kind: 'unknown', reason: 'ListCertificates returned no Status.' };
  if (c.Status === 'PENDING_VALIDATION') return { kind: 'out-of-service', why: 'Not issued yet (PENDING_VALIDATION); judged once issued' };
  if (c.Status !== 'ISSUED') return { kind: 'out-of-service', why: `Certificate ${c.Status}` };
  if (!c.NotAfter) return { kind: 'unknown', reason: 'ListCertificates returned no NotAfter for an issued certificate.' };
  if (c.NotAfter.getTime() <= now.getTime()) return { kind: 'out-of-service', why: `Expired on ${isoDate(c.NotAfter)}` };
  return { kind: 'until', end: c.NotAfter, why: 'valid until' };
}

/** How long a Private CA stays in service: until its certificate's NotAfter while it is active or disabled. */
export function certificateAuthorityLifetime(ca: Pick<CertificateAuthority, 'Status' | 'NotAfter'>, now: Date): Lifetime {
  switch (ca.Status) {
    case undefined:
      return { kind: 'unknown', reason: 'ListCertificateAuthorities returned no Status.' };
    case 'ACTIVE':
    case 'DISABLED':
      if (!ca.NotAfter) return { kind: 'unknown', reason: `ListCertificateAuthorities returned no NotAfter for ${ca.Status === 'ACTIVE' ? 'an active' : 'a disabled'} CA.` };
      if (ca.NotAfter.getTime() <= now.getTime()) return { kind: 'out-of-service', why: `CA certificate expired on ${isoDate(ca.NotAfter)}` };
      // A disabled CA can be enabled again: its key is still there.
      return { kind: 'until', end: ca.NotAfter, why: 'its CA certificate is valid until' };
    case 'PENDING_CERTIFICATE':
      return { kind: 'out-of-service', why: 'No CA certificate installed yet; judged once it has one' };
    case 'CREATING':
    case 'FAILED':
    case 'EXPIRED':
    case 'DELETED':
      return { kind: 'out-of-service', why: `CA ${ca.Status}` };
    default:
      return { kind: 'unknown', reason: `ListCertificateAuthorities returned the unknown status ${JSON.stringify(ca.Status)}.` };
  }
}

/** The decision for a resource of a class left out of `assetClasses`. */
export function outOfScopeDecision(assetClass: AssetClass, chosen: ReadonlySet<AssetClass>): Decision {
  const list = PASS_ORDER.filter((c) => chosen.has(c)).join(', ');
  return { compliance: 'NOT_APPLICABLE', annotation: `Asset class ${assetClass} is not in assetClasses (${list}): not judged.` };
}

export interface QuantumClients {
  readonly kms: KMSClient;
  readonly acm: ACMClient;
  readonly pca: ACMPCAClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly config: ConfigServiceClient;
}

/** The part of a class's rule that does not depend on the class. */
function base(assetClass: AssetClass, service: string, concurrency: number) {
  return {
    name: RULE_NAME,
    resourceType: RESOURCE_TYPE_OF[assetClass],
    service,
    parameterNames: PARAMETER_NAMES,
    concurrency,
    parseParameters,
    // A leftover COMPLIANT result raises no finding; reading only NON_COMPLIANT ones keeps each class's read small.
    staleResults: 'nonCompliant' as const,
  };
}

type Rule = ConfigRule<QuantumReadinessParams, any, any>;

/** Judges one resource under the exemption tag, failing closed on any error but a resource gone since it was listed. */
async function judged(
  id: string,
  arn: string | undefined,
  what: string,
  service: string,
  run: RuleRun<QuantumReadinessParams>,
  exempt: Exemptions,
  decide: () => Promise<Decision | undefined>,
  readTag: (tagKey: string) => Promise<string | undefined>,
  gone: string,
): Promise<ResourceEvaluation | undefined> {
  try {
    const decision = await decideWithExemption(exempt, arn, what, run.now, decide, readTag);
    return decision && { resourceId: id, ...decision };
  } catch (e) {
    if (errorName(e) === gone) return undefined;
    return failClosed(id, e, service);
  }
}

function certificateAuthorityRule(c: QuantumClients): Rule {
  return {
    ...base('certificate-authority', 'acm-pca', 4),
    // 80% of AWS Private CA's 20 requests per second for each.
    ratesPerSecond: () => ({ ListCertificateAuthorities: 16, ListTags: 16 }),
    prepare: (run) => loadExemptions(run.api, c.tagging, run.params.exemptionTagKey, PCA_TAGGING_RESOURCE_TYPE),
    listPage: (run, token) => listCertificateAuthorities(run, c.pca, token),
    resourceId: (ca: CertificateAuthority) => ca.Arn,
    evaluate: (run, ca: CertificateAuthority, exempt: Exemptions) =>
      judged(ca.Arn!, ca.Arn, 'certificate authority', 'acm-pca', run, exempt, async () => {
        const cfg = ca.CertificateAuthorityConfiguration;
        const q = classifyCertificateAuthority({ keyAlgorithm: cfg?.KeyAlgorithm, signingAlgorithm: cfg?.SigningAlgorithm, type: ca.Type, usageMode: ca.UsageMode });
        return decideReadiness(q, certificateAuthorityLifetime(ca, run.now), run.now, run.params.migrationDeadline);
      }, (tagKey) => certificateAuthorityTagValue(run, c.pca, ca.Arn!, tagKey), 'ResourceNotFoundException'),
  };
}

function certificateRule(c: QuantumClients): Rule {
  return {
    ...base('certificate', 'acm', 4),
    // 80% of ACM's ListCertificates (1/s) and ListTagsForCertificate (10/s) quotas.
    ratesPerSecond: () => ({ ListCertificates: 0.8, ListTagsForCertificate: 8 }),
    prepare: (run) => loadExemptions(run.api, c.tagging, run.params.exemptionTagKey, 'acm:certificate'),
    async listPage(run, token) {
      // Every key type, or ACM lists only RSA_1024 and RSA_2048 certificates; every status, so each certificate has a result.
      const out = await run.api.send(
        c.acm,
        new ListCertificatesCommand({ CertificateStatuses: ALL_STATUSES, Includes: { keyTypes: ALL_KEY_TYPES }, MaxItems: LIST_CERTIFICATES_PAGE_SIZE, NextToken: token }),
      );
      return { items: out.CertificateSummaryList, next: out.NextToken };
    },
    resourceId: (s: CertificateSummary) => s.CertificateArn,
    evaluate: (run, s: CertificateSummary, exempt: Exemptions) =>
      judged(s.CertificateArn!, s.CertificateArn, 'certificate', 'acm', run, exempt, async () =>
        decideReadiness(classifyCertificate({ keyAlgorithm: s.KeyAlgorithm, type: s.Type }), certificateLifetime(s, run.now), run.now, run.params.migrationDeadline),
      (tagKey) => certificateTagValue(run, c.acm, s.CertificateArn!, tagKey), 'ResourceNotFoundException'),
  };
}

async function decideKey(run: RuleRun<QuantumReadinessParams>, kms: KMSClient, keyId: string): Promise<Decision> {
  const meta = (await run.api.send(kms, new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata as KeyMetadata | undefined;
  if (!meta) return couldNotEvaluate('DescribeKey returned no key metadata.');
  const decision = decideReadiness(classifyKmsKey({ keySpec: meta.KeySpec, keyUsage: meta.KeyUsage }), kmsKeyLifetime(meta), run.now, run.params.migrationDeadline);
  // AWS managed keys are symmetric; should one ever not be, its owner is AWS, and the annotation says so.
  return meta.KeyManager === 'AWS' ? { ...decision, annotation: fitAnnotation(`AWS managed key. ${decision.annotation}`) } : decision;
}

function kmsKeyRule(c: QuantumClients): Rule {
  return {
    ...base('kms-key', 'kms', 20),
    // DescribeKey at `requestsPerSecond`; ListKeys (500/s) and ListResourceTags (2,000/s, the fallback only) gently.
    ratesPerSecond: (p: QuantumReadinessParams) => ({ DescribeKey: p.requestsPerSecond, ListKeys: 10, ListResourceTags: p.requestsPerSecond }),
    prepare: (run) => loadExemptions(run.api, c.tagging, run.params.exemptionTagKey, 'kms:key'),
    async listPage(run, marker) {
      const out = await run.api.send(c.kms, new ListKeysCommand({ Limit: 1000, Marker: marker }));
      return { items: out.Keys, next: out.Truncated ? out.NextMarker : undefined };
    },
    resourceId: (k: KeyListEntry) => k.KeyId,
    evaluate: (run, k: KeyListEntry, exempt: Exemptions) =>
      judged(k.KeyId!, k.KeyArn, 'key', 'kms', run, exempt, () => decideKey(run, c.kms, k.KeyId!), (tagKey) => keyTagValue(run, c.kms, k.KeyId!, tagKey), 'NotFoundException'),
  };
}

/**
 * A class left out of `assetClasses`: its "listing" is the resources of its type this rule last
 * reported COMPLIANT or NON_COMPLIANT, each now NOT_APPLICABLE; nothing of the service is read, and
 * once replaced the results are not read again (AWS Config returns no NOT_APPLICABLE ones here).
 */
function outOfScopeRule(assetClass: AssetClass, c: QuantumClients): Rule {
  const type = RESOURCE_TYPE_OF[assetClass];
  return {
    ...base(assetClass, 'config', 4),
    ratesPerSecond: () => ({}),
    prepare: async () => undefined,
    async listPage(run, token) {
      const out = await run.api.send(
        c.config,
        new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: run.event.configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100, NextToken: token }),
      );
      const items = (out.EvaluationResults ?? []).filter((r: EvaluationResult) => r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceType === type);
      return { items, next: out.NextToken };
    },
    resourceId: (r: EvaluationResult) => r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId,
    evaluate: async (run, r: EvaluationResult) => ({
      resourceId: r.EvaluationResultIdentifier!.EvaluationResultQualifier!.ResourceId!,
      ...outOfScopeDecision(assetClass, run.params.assetClasses),
    }),
  };
}

/** The rule for one asset class: judged when it is in `assetClasses`, else only its earlier results replaced. */
export function assetClassRule(assetClass: AssetClass, c: QuantumClients): Rule {
  const judging: Record<AssetClass, (c: QuantumClients) => Rule> = { 'certificate-authority': certificateAuthorityRule, certificate: certificateRule, 'kms-key': kmsKeyRule };
  const judge = judging[assetClass](c);
  const skip = outOfScopeRule(assetClass, c);
  // Which of the two runs is known only once the parameters are read: each call picks by them.
  return {
    ...judge,
    ratesPerSecond: (p) => (p.assetClasses.has(assetClass) ? judge : skip).ratesPerSecond(p),
    prepare: (run) => (run.params.assetClasses.has(assetClass) ? judge : skip).prepare(run),
    listPage: (run, token) => (run.params.assetClasses.has(assetClass) ? judge : skip).listPage(run, token),
    resourceId: (item) => ('EvaluationResultIdentifier' in (item as object) ? skip : judge).resourceId(item),
    evaluate: (run, item, prepared) => (run.params.assetClasses.has(assetClass) ? judge : skip).evaluate(run, item, prepared),
  };
}

/** The asset class an invocation starts with: the first of the pass, or the one its continuation carries on with. */
export function assetClassOf(raw: unknown): AssetClass {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[ASSET_CLASS_FIELD] : undefined;
  if (value === undefined) {
    if (continuationOf(raw) !== undefined) throw new MalformedEventError(`a continuation must name its ${ASSET_CLASS_FIELD}`);
    return PASS_ORDER[0];
  }
  if (typeof value !== 'string' || !(PASS_ORDER as readonly string[]).includes(value)) {
    throw new MalformedEventError(`${ASSET_CLASS_FIELD} ${JSON.stringify(value)} must be one of ${PASS_ORDER.join(', ')}`);
  }
  return value as AssetClass;
}

/**
 * The event for the next class, run in the same invocation: the original event, with no class and,
 * in a continuation, a fresh cursor at the same invocation number (so the notification's age is
 * judged against the pass's time limit, as for any continuation).
 */
function nextClassEvent(raw: Record<string, unknown>): Record<string, unknown> {
  const { [CONTINUATION_FIELD]: _continuation, [ASSET_CLASS_FIELD]: _class, ...original } = raw;
  const current = continuationOf(raw);
  if (!current) return original;
  return {
    ...original,
    [CONTINUATION_FIELD]: { invocation: current.invocation, passStartedAt: current.passStartedAt, cursor: { skip: 0 }, evaluatedBefore: 0, sentBefore: 0, unsentBefore: 0 },
  };
}

/** Errors that refuse the event itself: every class would refuse it the same way. */
const REFUSALS = new Set(['MalformedEventError', 'InvalidParameterError', 'UnknownParameterError']);

/**
 * One invocation: from the class the event names (or the first) through the last, each class a run
 * of the shared runtime, until one hands the rest of the pass to a continuation. A class that fails
 * (its listing denied, say) does not stop the others; the first failure is thrown at the end.
 */
export async function runQuantumReadiness(c: QuantumClients, rawEvent: unknown, deps: RuntimeDeps): Promise<RunSummary[]> {
  const first = assetClassOf(rawEvent);
  const summaries: RunSummary[] = [];
  let failure: unknown;
  let event = rawEvent as Record<string, unknown>;
  for (const assetClass of PASS_ORDER.slice(PASS_ORDER.indexOf(first))) {
    let continued = false;
    const classDeps: RuntimeDeps = {
      ...deps,
      continueWith:
        deps.continueWith &&
        (async (next, send) => {
          await deps.continueWith!(next, send);
          continued = true;
        }),
    };
    // Each class writes the runtime's summary and metrics lines; this line says which class they are for.
    log.info('asset class', { rule: RULE_NAME, assetClass });
    try {
      summaries.push(await runRule(assetClassRule(assetClass, c), { ...event, [ASSET_CLASS_FIELD]: assetClass }, classDeps));
    } catch (e) {
      if (REFUSALS.has(errorName(e))) throw e;
      failure ??= e;
      // Out of time for the pass (or unable to continue): the classes after it could not finish either.
      if (errorName(e) === 'IncompletePassError') break;
      log.error('an asset class did not complete; the next one goes on', { rule: RULE_NAME, assetClass, error: describeError(e) });
    }
    // The continuation carries this class on, and the classes after it.
    if (continued) break;
    event = nextClassEvent(event);
  }
  if (failure !== undefined) throw failure;
  return summaries;
}

let clients: (QuantumClients & { lambda: LambdaClient }) | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  clients ??= {
    kms: new KMSClient(CLIENT_DEFAULTS),
    acm: new ACMClient(CLIENT_DEFAULTS),
    pca: new ACMPCAClient(CLIENT_DEFAULTS),
    tagging: new ResourceGroupsTaggingAPIClient(CLIENT_DEFAULTS),
    config: new ConfigServiceClient(CLIENT_DEFAULTS),
    lambda: new LambdaClient(CLIENT_DEFAULTS),
  };
  return runQuantumReadiness(clients, event, handlerDeps(clients, context));
}
