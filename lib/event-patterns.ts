import type * as events from 'aws-cdk-lib/aws-events';
import { exemptionTagKeys } from './catalog';
import type { Settings } from './settings';

/**
 * The EventBridge patterns of every event-driven alert, and the one pattern member accounts use
 * to forward those events to the central bus. Both the member template (lib/member/) and the
 * alerting stack (lib/alerting/) read them, so they live below both. Field names follow the
 * events' published shapes: KMS ("KMS CMK Deletion", "KMS CMK Rotation", "KMS Imported Key
 * Material Expiration"), ACM ("ACM Certificate Approaching Expiration", "ACM Certificate Expired",
 * "ACM Certificate Renewal Action Required"), Secrets Manager's RotationFailed CloudTrail service
 * event, IAM Access Analyzer's "Access Analyzer Finding", and the CloudTrail records of tagging
 * calls (KMS and ACM developer guides' CloudTrail examples).
 */

export type AlertId =
  | 'kmsKeyDeleted'
  | 'kmsKeyRotated'
  | 'kmsImportedKeyMaterialExpired'
  | 'acmCertificateApproachingExpiration'
  | 'acmCertificateExpired'
  | 'acmCertificateRenewalActionRequired'
  | 'secretRotationFailed'
  | 'accessAnalyzerPublicFinding'
  | 'accessAnalyzerExternalFinding'
  | 'exemptionTagChanged'
  | 'kmsDisabledKeyUse'
  | 'secretReadDenied';

export interface AlertEventSpec {
  readonly id: AlertId;
  /** The rule's description. */
  readonly description: string;
  readonly pattern: events.EventPattern;
  /**
   * The events are read-only management events (Decrypt, GetSecretValue): EventBridge matches them
   * only on rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, on the default bus and on a
   * custom bus alike (EventBridge User Guide, "Receiving read-only management events from AWS services").
   */
  readonly readOnlyManagementEvents?: boolean;
}

/** The rule state that lets EventBridge match read-only CloudTrail management events. */
export const ALL_MANAGEMENT_EVENTS_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** Active findings only: archived and resolved findings are decisions already taken. */
function accessAnalyzerFinding(isPublic: boolean): events.EventPattern {
  return {
    source: ['aws.access-analyzer'],
    detailType: ['Access Analyzer Finding'],
    detail: { status: ['ACTIVE'], resourceType: ['AWS::KMS::Key', 'AWS::SecretsManager::Secret'], isPublic: [isPublic], isDeleted: [false] },
  };
}

const SERVICE_EVENT_ALERTS: readonly AlertEventSpec[] = [
  {
    id: 'kmsKeyDeleted',
    description: 'A KMS key was deleted at the end of its waiting period',
    pattern: { source: ['aws.kms'], detailType: ['KMS CMK Deletion'] },
  },
  {
    id: 'kmsKeyRotated',
    description: 'The key material of a KMS key was rotated',
    pattern: { source: ['aws.kms'], detailType: ['KMS CMK Rotation'] },
  },
  {
    id: 'kmsImportedKeyMaterialExpired',
    description: 'The imported key material of a KMS key expired',
    pattern: { source: ['aws.kms'], detailType: ['KMS Imported Key Material Expiration'] },
  },
  {
    id: 'acmCertificateApproachingExpiration',
    description: 'An ACM certificate approaches its expiration',
    pattern: { source: ['aws.acm'], detailType: ['ACM Certificate Approaching Expiration'] },
  },
  {
    id: 'acmCertificateExpired',
    description: 'An ACM certificate expired',
    pattern: { source: ['aws.acm'], detailType: ['ACM Certificate Expired'] },
  },
  {
    id: 'acmCertificateRenewalActionRequired',
    description: 'An ACM certificate cannot renew without action',
    pattern: { source: ['aws.acm'], detailType: ['ACM Certificate Renewal Action Required'] },
  },
  {
    id: 'secretRotationFailed',
    description: 'Secrets Manager failed to rotate a secret',
    pattern: {
      source: ['aws.secretsmanager'],
      detailType: ['AWS Service Event via CloudTrail'],
      detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['RotationFailed'] },
    },
  },
];

const ACCESS_ANALYZER_ALERTS: readonly AlertEventSpec[] = [
  {
    id: 'accessAnalyzerPublicFinding',
    description: 'IAM Access Analyzer found a KMS key or secret that is public',
    pattern: accessAnalyzerFinding(true),
  },
  {
    id: 'accessAnalyzerExternalFinding',
    description: 'IAM Access Analyzer found a KMS key or secret shared outside the zone of trust',
    pattern: accessAnalyzerFinding(false),
  },
];

/**
 * Successful calls that set or remove one of `keys` on a KMS key, secret or certificate, as
 * CloudTrail records them: KMS writes `tags[].tagKey` and `tagKeys` (TagResource, UntagResource,
 * and tags given at CreateKey or ReplicateKey); Secrets Manager and ACM write `tags[].key`
 * (TagResource, CreateSecret; AddTagsToCertificate, RemoveTagsFromCertificate, RequestCertificate,
 * ImportCertificate) and Secrets Manager `tagKeys` (UntagResource); AWS Private CA writes
 * `tags[].key` (TagCertificateAuthority, UntagCertificateAuthority, CreateCertificateAuthority,
 * whose API takes a list of Key/Value tags); the Resource Groups Tagging API
 * writes `tags` as a map and `tagKeys` (TagResources, UntagResources). EventBridge receives these
 * write calls from a trail that logs management events, such as the organization trail.
 */
function exemptionTagChange(keys: readonly string[]): events.EventPattern {
  const k = [...keys];
  const call = (eventSource: string, eventName: string[], requestParameters: Record<string, unknown>) => ({ eventSource: [eventSource], eventName, requestParameters });
  return {
    source: ['aws.kms', 'aws.secretsmanager', 'aws.acm', 'aws.acm-pca', 'aws.tagging'],
    detailType: ['AWS API Call via CloudTrail'],
    detail: {
      errorCode: [{ exists: false }],
      $or: [
        call('kms.amazonaws.com', ['TagResource', 'CreateKey', 'ReplicateKey'], { tags: { tagKey: k } }),
        call('kms.amazonaws.com', ['UntagResource'], { tagKeys: k }),
        call('secretsmanager.amazonaws.com', ['TagResource', 'CreateSecret'], { tags: { key: k } }),
        call('secretsmanager.amazonaws.com', ['UntagResource'], { tagKeys: k }),
        call('acm.amazonaws.com', ['AddTagsToCertificate', 'RemoveTagsFromCertificate', 'RequestCertificate', 'ImportCertificate'], { tags: { key: k } }),
        call('acm-pca.amazonaws.com', ['TagCertificateAuthority', 'UntagCertificateAuthority', 'CreateCertificateAuthority'], { tags: { key: k } }),
        ...k.map((key) => call('tagging.amazonaws.com', ['TagResources'], { tags: { [key]: [{ exists: true }] } })),
        call('tagging.amazonaws.com', ['UntagResources'], { tagKeys: k }),
      ],
    },
  };
}

/**
 * The retirement path's alerts (docs/retirement.md). A call on a disabled KMS key is refused with
 * DisabledException and recorded by CloudTrail: any such call, of any KMS operation, is alerted on,
 * naming the key, the caller and the operation, so the owner of a quarantined key can enable it at
 * once. A refused read of a secret's value is alerted on naming the secret; a quarantined secret's
 * reads are refused by the quarantine's Deny statement (the error message says a resource-based
 * policy denied it). Both are read-only management events when the call is a read.
 */
const RETIREMENT_ALERTS: readonly AlertEventSpec[] = [
  {
    id: 'kmsDisabledKeyUse',
    description: 'A call used a disabled KMS key (DisabledException), such as a quarantined key',
    readOnlyManagementEvents: true,
    pattern: {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['kms.amazonaws.com'], errorCode: ['DisabledException'] },
    },
  },
  {
    id: 'secretReadDenied',
    description: 'A read of a secret value was refused, such as a read of a quarantined secret',
    readOnlyManagementEvents: true,
    pattern: {
      source: ['aws.secretsmanager'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['GetSecretValue'], errorCode: [{ prefix: 'AccessDenied' }] },
    },
  },
];

export interface AlertOptions {
  /** `alerting.accessAnalyzerFindings`. */
  readonly accessAnalyzerFindings: boolean;
  /** The exemption tag keys of the enabled custom rules, when changes to them are alerted on (`exemptions.alertOnChange`); empty otherwise. */
  readonly exemptionTagKeys: readonly string[];
  /** `retirement.enabled`: alert on uses of disabled keys and refused reads of secrets. */
  readonly retirement?: boolean;
}

/** The alert options the settings give. */
export function alertOptionsOf(settings: Settings): AlertOptions {
  return {
    accessAnalyzerFindings: settings.alerting.accessAnalyzerFindings,
    exemptionTagKeys: settings.exemptions.alertOnChange ? exemptionTagKeys(settings.rules) : [],
    retirement: settings.retirement.enabled,
  };
}

/** The alerts of this deployment: every service event, the Access Analyzer findings and exemption changes when enabled. */
export function alertEventSpecs(options: AlertOptions): readonly AlertEventSpec[] {
  const exemption: AlertEventSpec[] =
    options.exemptionTagKeys.length > 0
      ? [{ id: 'exemptionTagChanged', description: 'An exemption tag was set on or removed from a KMS key, secret or certificate', pattern: exemptionTagChange(options.exemptionTagKeys) }]
      : [];
  return [...SERVICE_EVENT_ALERTS, ...(options.accessAnalyzerFindings ? ACCESS_ANALYZER_ALERTS : []), ...exemption, ...(options.retirement ? RETIREMENT_ALERTS : [])];
}

/** True when some alert reads read-only management events: the rules that carry its events need ALL_MANAGEMENT_EVENTS_STATE. */
export function needsReadOnlyManagementEvents(options: AlertOptions): boolean {
  return alertEventSpecs(options).some((s) => s.readOnlyManagementEvents === true);
}

/** A pattern as EventBridge reads it: aws-cdk-lib renames `detailType` only at the top of a rule's own pattern. */
function rendered(pattern: events.EventPattern): Record<string, unknown> {
  const { detailType, ...rest } = pattern;
  return detailType ? { ...rest, 'detail-type': detailType } : { ...rest };
}

/**
 * What member accounts send to the central bus: exactly the union of the alert patterns (`$or`),
 * so no event crosses accounts (each one is billed) that no central rule would match.
 */
export function forwardedEventPattern(options: AlertOptions): events.EventPattern {
  return { $or: alertEventSpecs(options).map((s) => rendered(s.pattern)) } as events.EventPattern;
}
