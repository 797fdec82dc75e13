/**
 * acm-pending-dns-validation-check: Amazon-issued certificates whose DNS validation has been
 * pending for more than `maxPendingHours` (ACM itself gives up after 72 hours), and requests that
 * already timed out or failed. One ListCertificates listing covers every certificate; only the
 * certificates whose result depends on more than the listing are described (pending ones for
 * their CNAME records, failed ones for the failure reason). The decisions are pure functions.
 *
 * While the inventory is on, each certificate also gives one inventory record. The listing (with
 * Includes) has its key algorithm, type, status, use, validity and renewal eligibility; its
 * signature algorithm, the resources using it (InUseBy), all its names and the issuing private CA
 * are only in DescribeCertificate, so every certificate is described once (a description the
 * decision made is reused). A description that fails leaves those facts null, named in `gaps`.
 */
import {
  ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  type CertificateDetail,
  type CertificateStatus,
  type DescribeCertificateCommandOutput,
  type CertificateSummary,
  type DomainValidation,
  type KeyAlgorithm,
  type Tag,
} from '@aws-sdk/client-acm';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { priceCertificate } from './inventory/pricing';
import { classifyCertificate } from './inventory/quantum';
import { INVENTORY_SCHEMA_VERSION, type CertificateDetails, type InventoryRecord } from './inventory/record';
import { DeadlineReachedError } from './runtime/api-calls';
import { CLIENT_DEFAULTS } from './runtime/clients';
import type { InvocationContext } from './runtime/deadline';
import { errorName } from './runtime/errors';
import { fitAnnotation, isoDate, MAX_ANNOTATION_LENGTH, truncateCodePoints, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { couldNotEvaluate, failClosed } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { exemptionTagKeyParameter, intParameter, inventoryParameterNames, inventoryParameters, rateParameter, type InventoryParams, type PriceName } from './runtime/parameters';
import { runRule, type ConfigRule, type InventoryBase, type ItemInventory, type RuleRun } from './runtime/run-rule';
import { decideWithExemption, loadExemptions, type Exemptions } from './runtime/tagged-resources';

export const RULE_NAME = 'acm-pending-dns-validation-check';
export const RESOURCE_TYPE = 'AWS::ACM::Certificate';

const HOUR_MS = 3_600_000;
/** ACM keeps trying to validate a new certificate for 72 hours, then sets VALIDATION_TIMED_OUT. */
export const ACM_VALIDATION_WINDOW_HOURS = 72;

/**
 * Every key algorithm ACM knows. Without `Includes.keyTypes`, ListCertificates returns only
 * RSA_1024 and RSA_2048 certificates, silently leaving out ECDSA and larger RSA keys.
 */
export const ALL_KEY_TYPES: KeyAlgorithm[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];

/** Every certificate status, so a certificate is reported whatever state it is in. */
export const ALL_STATUSES: CertificateStatus[] = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];

/** ListCertificates' largest page. */
export const LIST_CERTIFICATES_PAGE_SIZE = 1000;

/**
 * 80% of ACM's per-account request quotas (ListCertificates 1/s, DescribeCertificate and
 * ListTagsForCertificate 10/s each, from the ACM quotas page). DescribeCertificate's rate is the
 * rule's `requestsPerSecond` parameter.
 */
export const DEFAULT_DESCRIBE_CERTIFICATE_RATE = 8;
export function acmRatesPerSecond(params: Pick<AcmPendingParams, 'requestsPerSecond'>): Record<string, number> {
  return { ListCertificates: 0.8, DescribeCertificate: params.requestsPerSecond, ListTagsForCertificate: 8 };
}

/** Certificates described at once; the pacing above bounds the request rate. */
export const DESCRIBE_CONCURRENCY = 4;

export interface AcmPendingParams {
  readonly maxPendingHours: number;
  readonly exemptionTagKey?: string;
  /** DescribeCertificate calls per second. */
  readonly requestsPerSecond: number;
  /** Where the inventory goes and the prices' date; absent while the inventory is off. */
  readonly inventory?: InventoryParams;
}

/** priceCertificate reads no price, only the date (no certificate has a monthly fee). */
export const PRICES: readonly PriceName[] = [];

export const PARAMETER_NAMES: readonly string[] = ['maxPendingHours', 'exemptionTagKey', 'requestsPerSecond', ...inventoryParameterNames(PRICES)];

export function parseParameters(raw: Record<string, string>): AcmPendingParams {
  const inventory = inventoryParameters(raw, PRICES);
  return {
    maxPendingHours: intParameter(raw, 'maxPendingHours', 1, ACM_VALIDATION_WINDOW_HOURS, 24),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_DESCRIBE_CERTIFICATE_RATE),
    ...(inventory ? { inventory } : {}),
  };
}

/**
 * The decision from the listing alone, or undefined when the certificate must be described
 * (pending validation: the CNAME records; failed: the reason).
 */
export function decideFromSummary(summary: Pick<CertificateSummary, 'Type' | 'Status' | 'CreatedAt'>): Decision | undefined {
  const { Type: type, Status: status } = summary;
  if (!type || !status) return undefined; // the listing left out what the decision needs: describe it
  if (status === 'FAILED') return undefined; // the reason is only in DescribeCertificate
  if (status === 'PENDING_VALIDATION' && type === 'AMAZON_ISSUED') return undefined; // the CNAME records are too
  if (status === 'VALIDATION_TIMED_OUT') {
    const requested = summary.CreatedAt ? ` requested on ${isoDate(summary.CreatedAt)}` : '';
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `Validation timed out: the certificate${requested} was not validated within ACM's ${ACM_VALIDATION_WINDOW_HOURS} hours. Delete it and request it again once the validation records are in place.`,
    };
  }
  if (type === 'IMPORTED') return { compliance: 'NOT_APPLICABLE', annotation: 'Imported certificate: ACM does not validate its domains.' };
  if (type === 'PRIVATE') return { compliance: 'NOT_APPLICABLE', annotation: 'Private certificate: issued by a private CA without domain validation.' };
  if (status === 'ISSUED') return { compliance: 'COMPLIANT', annotation: 'Issued: domain validation is complete.' };
  return { compliance: 'NOT_APPLICABLE', annotation: `Certificate status is ${status}; domain validation no longer applies.` };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Shortens text to at most `max` UTF-16 units, keeping its start and end (both identify a DNS record), never halving a character. */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let head = Math.ceil((max - 1) / 2);
  let tail = text.length - (max - 1 - head);
  if (isHigh(text.charCodeAt(head - 1))) head--;
  if (isLow(text.charCodeAt(tail))) tail++;
  return `${text.slice(0, head)}…${text.slice(tail)}`;
}

/** The CNAME records of the domains whose DNS validation is still pending, one per record name. */
export function pendingDnsRecords(options: readonly DomainValidation[]): { domains: string[]; records: { name: string; value: string }[] } {
  const pending = options.filter((o) => o.ValidationMethod === 'DNS' && o.ValidationStatus === 'PENDING_VALIDATION');
  const records = new Map<string, string>();
  for (const o of pending) {
    const r = o.ResourceRecord;
    if (r?.Name && r.Value && !records.has(r.Name)) records.set(r.Name, r.Value);
  }
  return { domains: pending.map((o) => o.DomainName ?? '?'), records: [...records].map(([name, value]) => ({ name, value })) };
}

/**
 * The annotation for a certificate waiting too long: what it waited and the CNAME to create, fitted
 * to `maxLength` characters (256 unless room is made for a note ahead of it).
 */
export function overdueAnnotation(
  hours: number,
  maxPendingHours: number,
  domains: readonly string[],
  records: readonly { name: string; value: string }[],
  maxLength = MAX_ANNOTATION_LENGTH,
): string {
  const fit = (text: string) => truncateCodePoints(fitAnnotation(text), maxLength);
  const waited = `DNS validation pending for ${hours} h (limit ${maxPendingHours} h; ACM stops at ${ACM_VALIDATION_WINDOW_HOURS} h)`;
  if (records.length === 0) {
    return fit(`${waited} for ${domains.join(', ')}; ACM has not published the CNAME record yet.`);
  }
  const more = records.length > 1 ? ` (+${records.length - 1} more CNAME record${records.length > 2 ? 's' : ''})` : '';
  const [{ name, value }] = records;
  const head = `${waited}: create CNAME `;
  const between = ' -> ';
  const tail = `${more}.`;
  const budget = Math.max(0, maxLength - head.length - between.length - tail.length);
  // The value (ACM's target) is short and is copied as is; the name gives way first.
  const valueMax = Math.min(value.length, Math.max(Math.floor(budget / 2), budget - name.length));
  return fit(`${head}${shortenMiddle(name, budget - valueMax)}${between}${shortenMiddle(value, valueMax)}${tail}`);
}

/** The pure decision for a certificate that was described. */
export function decideDescribed(detail: Pick<CertificateDetail, 'Status' | 'Type' | 'CreatedAt' | 'FailureReason' | 'DomainValidationOptions'>, now: Date, params: Pick<AcmPendingParams, 'maxPendingHours'>): Decision {
  if (detail.Status === 'FAILED') {
    return { compliance: 'NON_COMPLIANT', annotation: `Certificate request failed: ${detail.FailureReason ?? 'no reason given'}. Fix the cause and request the certificate again.` };
  }
  if (!detail.Status) return couldNotEvaluate('DescribeCertificate returned no Status.');
  if (detail.Status !== 'PENDING_VALIDATION') {
    // Its state moved on between the listing and the description.
    return decideFromSummary(detail) ?? couldNotEvaluate(`DescribeCertificate returned status ${detail.Status} without the certificate Type.`);
  }
  if (!detail.Type) return couldNotEvaluate('DescribeCertificate returned no certificate Type for a pending certificate.');
  if (detail.Type !== 'AMAZON_ISSUED') return decideFromSummary(detail)!;
  const options = detail.DomainValidationOptions ?? [];
  if (options.length === 0) return couldNotEvaluate('DescribeCertificate returned no DomainValidationOptions for a pending certificate.');
  const unknown = options.filter((o) => !o.ValidationMethod || (o.ValidationMethod === 'DNS' && !o.ValidationStatus));
  if (unknown.length > 0) {
    return couldNotEvaluate(`DescribeCertificate returned no validation method or status for ${unknown.map((o) => o.DomainName ?? '?').join(', ')}.`);
  }
  const { domains, records } = pendingDnsRecords(options);
  if (domains.length === 0) {
    const methods = [...new Set(options.map((o) => o.ValidationMethod).filter(Boolean))].join('/') || 'a method other than DNS';
    return { compliance: 'NOT_APPLICABLE', annotation: `Pending validation by ${methods}; this rule judges DNS validation only.` };
  }
  const created = detail.CreatedAt;
  if (!created) return couldNotEvaluate('DescribeCertificate returned no CreatedAt, so the wait is unknown.');
  const waitedMs = now.getTime() - created.getTime();
  const hours = Math.max(0, Math.floor(waitedMs / HOUR_MS));
  if (waitedMs <= params.maxPendingHours * HOUR_MS) {
    return {
      compliance: 'COMPLIANT',
      annotation: `DNS validation pending for ${hours} h, within the ${params.maxPendingHours}-hour grace (${domains.length} domain${domains.length > 1 ? 's' : ''}).`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
    annotation: overdueAnnotation(hours, params.maxPendingHours, domains, records),
    // Room for a note ahead of it (a lapsed exemption) comes out of the record's name, not its value.
    fitWithin: (maxLength) => overdueAnnotation(hours, params.maxPendingHours, domains, records, maxLength),
  };
}

/** The value of the certificate's tag `tagKey` ('' when ACM leaves it out), or undefined when it does not carry it. */
export async function certificateTagValue(run: RuleRun<unknown>, acm: ACMClient, arn: string, tagKey: string): Promise<string | undefined> {
  const out = await run.api.send(acm, new ListTagsForCertificateCommand({ CertificateArn: arn }));
  const tag = ((out.Tags ?? []) as Tag[]).find((t) => t.Key === tagKey);
  return tag ? (tag.Value ?? '') : undefined;
}

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

/** The domain name and subject alternative names, counted once each; null when the listing says it left some out. */
export function domainCount(summary: CertificateSummary, detail: CertificateDetail | undefined): number | null {
  if (detail) {
    const names = [detail.DomainName, ...(detail.SubjectAlternativeNames ?? [])].filter((n): n is string => !!n);
    return names.length > 0 ? new Set(names).size : null;
  }
  if (summary.HasAdditionalSubjectAlternativeNames !== false && summary.HasAdditionalSubjectAlternativeNames !== undefined) return null;
  const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])].filter((n): n is string => !!n);
  return names.length > 0 ? new Set(names).size : null;
}

/**
 * The certificate's inventory record: the description where there is one, the listing otherwise.
 * `gaps` names what could not be read. Pure.
 */
export function certificateRecord(
  base: InventoryBase,
  summary: CertificateSummary,
  detail: CertificateDetail | undefined,
  gaps: readonly string[],
  inventory: InventoryParams,
): InventoryRecord {
  const d: CertificateDetail = detail ?? {};
  const arn = d.CertificateArn ?? summary.CertificateArn!;
  const count = domainCount(summary, detail);
  const certificate: CertificateDetails = {
    type: d.Type ?? summary.Type ?? null,
    status: d.Status ?? summary.Status ?? null,
    keyAlgorithm: d.KeyAlgorithm ?? summary.KeyAlgorithm ?? null,
    signatureAlgorithm: d.SignatureAlgorithm ?? null,
    domainName: d.DomainName ?? summary.DomainName ?? null,
    domainCount: count,
    notBefore: iso(d.NotBefore ?? summary.NotBefore),
    notAfter: iso(d.NotAfter ?? summary.NotAfter),
    inUse: summary.InUse ?? (d.InUseBy ? d.InUseBy.length > 0 : null),
    inUseBy: d.InUseBy ?? null,
    renewalEligibility: d.RenewalEligibility ?? summary.RenewalEligibility ?? null,
    issuingCertificateAuthorityArn: d.CertificateAuthorityArn ?? null,
  };
  const allGaps = [...gaps];
  if (count === null && !detail && summary.HasAdditionalSubjectAlternativeNames) allGaps.push('domainCount: the listing holds only some of the names (HasAdditionalSubjectAlternativeNames)');
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    assetType: 'certificate',
    ...base,
    arn,
    id: arn.slice(arn.lastIndexOf('/') + 1),
    // Requested, or imported.
    createdAt: iso(d.CreatedAt ?? summary.CreatedAt ?? d.ImportedAt ?? summary.ImportedAt),
    expiresAt: certificate.notAfter,
    algorithm: certificate.keyAlgorithm,
    quantum: classifyCertificate(certificate),
    cost: priceCertificate(certificate, inventory.prices),
    gaps: allGaps,
    certificate,
  };
}

async function evaluateCertificate(
  run: RuleRun<AcmPendingParams>,
  acm: ACMClient,
  summary: CertificateSummary,
  exempt: Exemptions,
  inventory?: ItemInventory,
): Promise<ResourceEvaluation | undefined> {
  const arn = summary.CertificateArn!;
  // One description per certificate, shared by the decision and the inventory record.
  let described: Promise<DescribeCertificateCommandOutput> | undefined;
  const describe = () => (described ??= run.api.send(acm, new DescribeCertificateCommand({ CertificateArn: arn })));
  let decision;
  try {
    // A certificate exempted by the listing needs no call; in the fallback, per-certificate tag reads
    // cost a call each, so they are spent only where a result would fail.
    decision = await decideWithExemption(
      exempt,
      arn,
      'certificate',
      run.now,
      async () => {
        const fromSummary = decideFromSummary(summary);
        if (fromSummary) return fromSummary;
        const out = await describe();
        return decideDescribed(out.Certificate ?? {}, run.now, run.params);
      },
      (tagKey) => certificateTagValue(run, acm, arn, tagKey),
    );
  } catch (e) {
    if (errorName(e) === 'ResourceNotFoundException') return undefined; // deleted since it was listed
    decision = failClosed(arn, e, 'acm');
  }
  if (!decision) return undefined;
  if (inventory && run.params.inventory) {
    let detail: CertificateDetail | undefined;
    const gaps: string[] = [];
    try {
      detail = (await describe()).Certificate;
      if (!detail) gaps.push('DescribeCertificate: no Certificate in the answer');
    } catch (e) {
      if (e instanceof DeadlineReachedError) throw e;
      // Deleted since it was listed: no longer an asset to record (its result stands until the next pass).
      if (errorName(e) === 'ResourceNotFoundException') return { resourceId: arn, ...decision };
      gaps.push(`DescribeCertificate: ${errorName(e)}`);
    }
    inventory.add(certificateRecord(inventory.base, summary, detail, gaps, run.params.inventory));
  }
  return { resourceId: arn, ...decision };
}

export function acmPendingDnsValidationRule(acm: ACMClient, tagging: ResourceGroupsTaggingAPIClient): ConfigRule<AcmPendingParams, CertificateSummary, Exemptions> {
  return {
    name: RULE_NAME,
    resourceType: RESOURCE_TYPE,
    service: 'acm',
    parameterNames: PARAMETER_NAMES,
    concurrency: DESCRIBE_CONCURRENCY,
    parseParameters,
    ratesPerSecond: acmRatesPerSecond,
    prepare: (run) => loadExemptions(run.api, tagging, run.params.exemptionTagKey, 'acm:certificate'),
    inventory: { assetType: 'certificate', target: (params) => params.inventory?.target },
    async listPage(run, token) {
      const out = await run.api.send(
        acm,
        new ListCertificatesCommand({
          CertificateStatuses: ALL_STATUSES,
          Includes: { keyTypes: ALL_KEY_TYPES },
          MaxItems: LIST_CERTIFICATES_PAGE_SIZE,
          NextToken: token,
        }),
      );
      return { items: out.CertificateSummaryList, next: out.NextToken };
    },
    resourceId: (summary) => summary.CertificateArn,
    evaluate: (run, summary, exempt, inventory) => evaluateCertificate(run, acm, summary, exempt, inventory),
  };
}

let clients: { acm: ACMClient; tagging: ResourceGroupsTaggingAPIClient; config: ConfigServiceClient; lambda: LambdaClient } | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  clients ??= {
    acm: new ACMClient(CLIENT_DEFAULTS),
    tagging: new ResourceGroupsTaggingAPIClient(CLIENT_DEFAULTS),
    config: new ConfigServiceClient(CLIENT_DEFAULTS),
    lambda: new LambdaClient(CLIENT_DEFAULTS),
  };
  return runRule(acmPendingDnsValidationRule(clients.acm, clients.tagging), event, handlerDeps(clients, context));
}
