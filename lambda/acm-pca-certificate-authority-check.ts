/**
 * acm-pca-certificate-authority-check: AWS Private CA certificate authorities of the account and
 * Region that expire within `expiringWithinDays`, that are billed while they cannot issue
 * (disabled, expired, or waiting for their CA certificate), or that are set up to issue end-entity
 * certificates straight from a root. One ListCertificateAuthorities listing (ResourceOwner SELF)
 * holds every fact; no call per CA. `decideCertificateAuthority` is the pure decision.
 *
 * What the API shows and what it does not (AWS Private CA User Guide):
 * - Billing: "Your account is charged a monthly price for each private CA starting from the time
 *   that you create it ... You are not charged for a private CA after it has been deleted" (Pricing).
 *   So a CA in DISABLED, EXPIRED or PENDING_CERTIFICATE is billed and issues nothing; one in DELETED
 *   (its restoration period) is not billed.
 * - A disabled root is what Security Hub PCA.1 asks for ("The root CA should only be used to issue
 *   certificates for intermediate CAs"; the control fails while a root is enabled), and it stays the
 *   trust anchor of its subordinates, whose issuers the listing does not name. So a disabled root is
 *   not reported as waste, except in short-lived certificate mode, where it cannot anchor any.
 * - Roots issuing end-entity certificates: the listing records no issued certificate. What it does
 *   show is a root in short-lived certificate mode: such a CA "must be the last CA in the certificate
 *   hierarchy" (CA modes), so it can only issue end-entity certificates. A general-purpose root
 *   that issues them is visible only in CloudTrail (IssueCertificate with an end-entity template on
 *   the root's ARN) or in its audit reports, not here; this rule does not guess.
 *
 * While the inventory is on, each listed CA also gives one inventory record ('certificate-authority'),
 * made from the same ListCertificateAuthorities entry: no extra call. The API does not say when a CA
 * last issued a certificate (only CloudTrail's IssueCertificate events do), so `lastIssuedAt` is null
 * and `gaps` says why. A CA in DELETED (its restoration period) is recorded too, with its status and
 * a price of $0: it still exists, can be restored (which bills the time it was deleted) and is listed
 * by the API; readers that want CAs in service filter on the status, as the inventory queries do.
 */
import {
  ACMPCAClient,
  ListCertificateAuthoritiesCommand,
  ListTagsCommand,
  type CertificateAuthority,
  type Tag,
} from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { priceCertificateAuthority } from './inventory/pricing';
import { classifyCertificateAuthority } from './inventory/quantum';
import { INVENTORY_SCHEMA_VERSION, type CertificateAuthorityDetails, type InventoryRecord } from './inventory/record';
import { CLIENT_DEFAULTS } from './runtime/clients';
import type { InvocationContext } from './runtime/deadline';
import { errorName } from './runtime/errors';
import { dayCount, daysBetween, DAY_MS, fitAnnotation, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { couldNotEvaluate, failClosed } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { collectPages } from './runtime/paginate';
import { exemptionTagKeyParameter, intParameter, inventoryParameterNames, inventoryParameters, rateParameter, type InventoryParams, type PriceName } from './runtime/parameters';
import { runRule, type ConfigRule, type InventoryBase, type ItemInventory, type RuleRun } from './runtime/run-rule';
import { decideWithExemption, loadExemptions, type Exemptions } from './runtime/tagged-resources';

export const RULE_NAME = 'acm-pca-certificate-authority-check';
export const RESOURCE_TYPE = 'AWS::ACMPCA::CertificateAuthority';

/** The Resource Groups Tagging API's name for the type (service:resource of the CA's ARN). */
export const TAGGING_RESOURCE_TYPE = 'acm-pca:certificate-authority';

export interface PcaCheckParams {
  /** A CA whose certificate expires within this many days is NON_COMPLIANT. */
  readonly expiringWithinDays: number;
  readonly exemptionTagKey?: string;
  /** ListCertificateAuthorities calls per second. */
  readonly requestsPerSecond: number;
  /** Where the inventory goes and the prices' date; absent while the inventory is off. */
  readonly inventory?: InventoryParams;
}

/** The prices priceCertificateAuthority reads. */
export const PRICES: readonly PriceName[] = ['privateCaGeneralPurposeMonthlyUsd', 'privateCaShortLivedMonthlyUsd'];

export const PARAMETER_NAMES: readonly string[] = ['expiringWithinDays', 'exemptionTagKey', 'requestsPerSecond', ...inventoryParameterNames(PRICES)];

/** 80% of AWS Private CA's 20 ListCertificateAuthorities requests per second (the quota of ListTags is 20 too). */
export const DEFAULT_LIST_RATE = 16;

/** Up to ten years: a root CA's certificate often lives that long, and its successor is planned years ahead. */
export const MAX_EXPIRING_WITHIN_DAYS = 3650;

export function parseParameters(raw: Record<string, string>): PcaCheckParams {
  const inventory = inventoryParameters(raw, PRICES);
  return {
    expiringWithinDays: intParameter(raw, 'expiringWithinDays', 1, MAX_EXPIRING_WITHIN_DAYS, 90),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_LIST_RATE),
    ...(inventory ? { inventory } : {}),
  };
}

export function pcaRatesPerSecond(params: Pick<PcaCheckParams, 'requestsPerSecond'>): Record<string, number> {
  return { ListCertificateAuthorities: params.requestsPerSecond, ListTags: params.requestsPerSecond };
}

/** "Although the maximum value is 1000, the action only returns a maximum of 100 items" (API reference). */
export const LIST_PAGE_SIZE = 100;

/** No call per CA: the concurrency only overlaps the (rare) per-CA tag reads of the fallback. */
export const CA_CONCURRENCY = 4;

/**
 * A CA created less than this long ago may still wait for its CA certificate without being
 * reported: a subordinate signed by a parent outside AWS Private CA waits for that signature
 * (often a ceremony) before the certificate can be installed.
 */
export const PENDING_CERTIFICATE_GRACE_DAYS = 7;

/** Every status the pinned SDK lists; an unknown one fails closed. */
export const KNOWN_STATUSES = ['CREATING', 'PENDING_CERTIFICATE', 'ACTIVE', 'DELETED', 'DISABLED', 'EXPIRED', 'FAILED'] as const;

const KNOWN_USAGE_MODES = new Set(['GENERAL_PURPOSE', 'SHORT_LIVED_CERTIFICATE']);

export type CaFacts = Pick<
  CertificateAuthority,
  'Type' | 'Status' | 'NotAfter' | 'UsageMode' | 'CreatedAt' | 'LastStateChangeAt' | 'FailureReason' | 'RestorableUntil'
>;

const since = (at: Date | undefined, now: Date) => (at ? ` since ${isoDate(at)} (${dayCount(daysBetween(at, now))})` : '');

/** The certificate's expiry as a finding, or undefined when it is further off than the limit. */
function expiryFinding(notAfter: Date, now: Date, limitDays: number): string | undefined {
  if (notAfter.getTime() <= now.getTime()) return `CA certificate expired on ${isoDate(notAfter)}`;
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (notAfter.getTime() - now.getTime() > limitDays * DAY_MS) return undefined;
  return `CA certificate expires on ${isoDate(notAfter)}, in ${dayCount(days)} (limit ${limitDays}): renew it`;
}

function nonCompliant(findings: readonly string[]): Decision {
  return { compliance: 'NON_COMPLIANT', annotation: fitAnnotation(`${findings.join('; ')}.`) };
}

/** The pure decision for one CA as ListCertificateAuthorities describes it. */
export function decideCertificateAuthority(ca: CaFacts, now: Date, params: Pick<PcaCheckParams, 'expiringWithinDays'>): Decision {
  const status = ca.Status;
  if (!status) return couldNotEvaluate('ListCertificateAuthorities returned no Status.');
  switch (status) {
    case 'DELETED':
      return {
        compliance: 'NOT_APPLICABLE',
        annotation: `Deleted${ca.RestorableUntil ? `, restorable until ${isoDate(ca.RestorableUntil)}` : ''}: not billed unless it is restored.`,
      };
    case 'CREATING':
      return { compliance: 'NOT_APPLICABLE', annotation: 'Being created: judged once it has its CA certificate.' };
    case 'FAILED':
      return {
        compliance: 'NOT_APPLICABLE',
        annotation: fitAnnotation(`Creation failed (${ca.FailureReason ?? 'no reason given'}): there is no CA certificate to judge. Delete it.`),
      };
    case 'PENDING_CERTIFICATE': {
      if (!ca.CreatedAt) return couldNotEvaluate('ListCertificateAuthorities returned no CreatedAt for a CA waiting for its certificate.');
      const age = daysBetween(ca.CreatedAt, now);
      if (now.getTime() - ca.CreatedAt.getTime() <= PENDING_CERTIFICATE_GRACE_DAYS * DAY_MS) {
        return {
          compliance: 'COMPLIANT',
          annotation: `Waiting for its CA certificate since ${isoDate(ca.CreatedAt)} (${dayCount(age)}; grace ${PENDING_CERTIFICATE_GRACE_DAYS} days).`,
        };
      }
      return nonCompliant([
        `No CA certificate installed ${dayCount(age)} after creation on ${isoDate(ca.CreatedAt)}: the CA is billed from creation but cannot issue. Install its certificate or delete it`,
      ]);
    }
    case 'EXPIRED':
      return nonCompliant([
        `CA certificate expired${ca.NotAfter ? ` on ${isoDate(ca.NotAfter)}` : ''}: the CA cannot issue and is billed until it is deleted. Delete it, or renew its certificate if it is still needed`,
      ]);
    case 'ACTIVE':
    case 'DISABLED':
      return decideInService(ca, status, now, params.expiringWithinDays);
    default:
      return couldNotEvaluate(`ListCertificateAuthorities returned the unknown status ${JSON.stringify(status)}.`);
  }
}

function decideInService(ca: CaFacts, status: 'ACTIVE' | 'DISABLED', now: Date, limitDays: number): Decision {
  const state = status === 'ACTIVE' ? 'an active' : 'a disabled';
  if (!ca.NotAfter) return couldNotEvaluate(`ListCertificateAuthorities returned no NotAfter for ${state} CA.`);
  if (ca.Type !== 'ROOT' && ca.Type !== 'SUBORDINATE') {
    return couldNotEvaluate(ca.Type ? `ListCertificateAuthorities returned the unknown CA type ${JSON.stringify(ca.Type)}.` : `ListCertificateAuthorities returned no Type for ${state} CA.`);
  }
  const root = ca.Type === 'ROOT';
  // Only a root's decision depends on its mode; for one, an unknown mode is a missing fact.
  if (root && !KNOWN_USAGE_MODES.has(ca.UsageMode ?? '')) {
    return couldNotEvaluate(ca.UsageMode ? `ListCertificateAuthorities returned the unknown usage mode ${JSON.stringify(ca.UsageMode)}.` : 'ListCertificateAuthorities returned no UsageMode for a root CA.');
  }
  const shortLived = ca.UsageMode === 'SHORT_LIVED_CERTIFICATE';
  const findings: string[] = [];
  const expiry = expiryFinding(ca.NotAfter, now, limitDays);
  if (expiry) findings.push(expiry);
  if (root && shortLived && status === 'ACTIVE') {
    findings.push('Root CA in short-lived certificate mode: such a CA must be the last in its hierarchy, so this root issues end-entity certificates directly. Issue them from a subordinate CA');
  }
  if (status === 'DISABLED' && !root) {
    findings.push(`Disabled${since(ca.LastStateChangeAt, now)} and still billed: it cannot issue. Delete it once the certificates it issued have expired`);
  }
  if (status === 'DISABLED' && root && shortLived) {
    findings.push(`Disabled root in short-lived certificate mode${since(ca.LastStateChangeAt, now)}, still billed: it cannot anchor subordinate CAs, so it serves nothing. Delete it`);
  }
  if (findings.length > 0) return nonCompliant(findings);
  const expires = `its certificate expires on ${isoDate(ca.NotAfter)}`;
  if (status === 'DISABLED') {
    return { compliance: 'COMPLIANT', annotation: `Disabled root CA, as Security Hub PCA.1 asks between signings; billed while it anchors its hierarchy; ${expires}.` };
  }
  return { compliance: 'COMPLIANT', annotation: `Active ${root ? 'root' : 'subordinate'} CA (${shortLived ? 'short-lived certificate' : 'general-purpose'} mode); ${expires}.` };
}

/** The value of the CA's tag `tagKey` ('' when the answer leaves it out), or undefined when it does not carry it. */
export async function certificateAuthorityTagValue(run: RuleRun<unknown>, pca: ACMPCAClient, arn: string, tagKey: string): Promise<string | undefined> {
  const tags = await collectPages<Tag>(async (token) => {
    const out = await run.api.send(pca, new ListTagsCommand({ CertificateAuthorityArn: arn, NextToken: token }));
    return { items: out.Tags, next: out.NextToken };
  });
  const tag = tags.find((t) => t.Key === tagKey);
  return tag ? (tag.Value ?? '') : undefined;
}

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

/** Why `lastIssuedAt` is always null. */
export const LAST_ISSUED_GAP = 'lastIssuedAt: the AWS Private CA API does not expose when a CA last issued a certificate (only CloudTrail IssueCertificate events record it)';

/**
 * The CA's inventory record, from its ListCertificateAuthorities entry alone. Pure. A DELETED CA
 * has stopped working already: its `expiresAt` is null (its certificate's notAfter stays in the details).
 */
export function certificateAuthorityRecord(base: InventoryBase, ca: CertificateAuthority, inventory: InventoryParams): InventoryRecord {
  const arn = ca.Arn!;
  const certificateAuthority: CertificateAuthorityDetails = {
    type: ca.Type ?? null,
    status: ca.Status ?? null,
    keyAlgorithm: ca.CertificateAuthorityConfiguration?.KeyAlgorithm ?? null,
    signingAlgorithm: ca.CertificateAuthorityConfiguration?.SigningAlgorithm ?? null,
    usageMode: ca.UsageMode ?? null,
    notBefore: iso(ca.NotBefore),
    notAfter: iso(ca.NotAfter),
    keyStorageSecurityStandard: ca.KeyStorageSecurityStandard ?? null,
    lastIssuedAt: null,
  };
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    assetType: 'certificate-authority',
    ...base,
    arn,
    id: arn.slice(arn.lastIndexOf('/') + 1),
    createdAt: iso(ca.CreatedAt),
    expiresAt: certificateAuthority.status === 'DELETED' ? null : certificateAuthority.notAfter,
    algorithm: certificateAuthority.keyAlgorithm,
    quantum: classifyCertificateAuthority(certificateAuthority),
    cost: priceCertificateAuthority(certificateAuthority, inventory.prices),
    gaps: [LAST_ISSUED_GAP],
    certificateAuthority,
  };
}

async function evaluateCertificateAuthority(
  run: RuleRun<PcaCheckParams>,
  pca: ACMPCAClient,
  ca: CertificateAuthority,
  exempt: Exemptions,
  inventory?: ItemInventory,
): Promise<ResourceEvaluation | undefined> {
  const arn = ca.Arn!;
  let decision;
  try {
    decision = await decideWithExemption(
      exempt,
      arn,
      'certificate authority',
      run.now,
      async () => decideCertificateAuthority(ca, run.now, run.params),
      (tagKey) => certificateAuthorityTagValue(run, pca, arn, tagKey),
    );
  } catch (e) {
    if (errorName(e) === 'ResourceNotFoundException') return undefined; // deleted for good since it was listed
    decision = failClosed(arn, e, 'acm-pca');
  }
  if (!decision) return undefined;
  // The listing entry holds every fact of the record: it is written whatever the decision.
  if (inventory && run.params.inventory) inventory.add(certificateAuthorityRecord(inventory.base, ca, run.params.inventory));
  return { resourceId: arn, ...decision };
}

/** One page of the account's own CAs (ResourceOwner SELF: CAs shared with it through AWS RAM are their owners' to judge). */
export async function listCertificateAuthorities(run: RuleRun<unknown>, pca: ACMPCAClient, token: string | undefined) {
  const out = await run.api.send(pca, new ListCertificateAuthoritiesCommand({ MaxResults: LIST_PAGE_SIZE, NextToken: token, ResourceOwner: 'SELF' }));
  return { items: out.CertificateAuthorities, next: out.NextToken };
}

export function pcaCertificateAuthorityRule(pca: ACMPCAClient, tagging: ResourceGroupsTaggingAPIClient): ConfigRule<PcaCheckParams, CertificateAuthority, Exemptions> {
  return {
    name: RULE_NAME,
    resourceType: RESOURCE_TYPE,
    service: 'acm-pca',
    parameterNames: PARAMETER_NAMES,
    concurrency: CA_CONCURRENCY,
    parseParameters,
    ratesPerSecond: pcaRatesPerSecond,
    prepare: (run) => loadExemptions(run.api, tagging, run.params.exemptionTagKey, TAGGING_RESOURCE_TYPE),
    inventory: { assetType: 'certificate-authority', target: (params) => params.inventory?.target },
    listPage: (run, token) => listCertificateAuthorities(run, pca, token),
    resourceId: (ca) => ca.Arn,
    evaluate: (run, ca, exempt, inventory) => evaluateCertificateAuthority(run, pca, ca, exempt, inventory),
  };
}

let clients: { pca: ACMPCAClient; tagging: ResourceGroupsTaggingAPIClient; config: ConfigServiceClient; lambda: LambdaClient } | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  clients ??= {
    pca: new ACMPCAClient(CLIENT_DEFAULTS),
    tagging: new ResourceGroupsTaggingAPIClient(CLIENT_DEFAULTS),
    config: new ConfigServiceClient(CLIENT_DEFAULTS),
    lambda: new LambdaClient(CLIENT_DEFAULTS),
  };
  return runRule(pcaCertificateAuthorityRule(clients.pca, clients.tagging), event, handlerDeps(clients, context));
}
