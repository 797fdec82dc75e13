import type * as events from 'aws-cdk-lib/aws-events';

/**
 * The EventBridge patterns of every event-driven alert, and the one pattern member accounts use
 * to forward those events to the central bus. Field names follow the events' published shapes:
 * KMS ("KMS CMK Deletion", "KMS CMK Rotation", "KMS Imported Key Material Expiration"), ACM
 * ("ACM Certificate Approaching Expiration", "ACM Certificate Expired", "ACM Certificate Renewal
 * Action Required"), Secrets Manager's RotationFailed CloudTrail service event and IAM Access
 * Analyzer's "Access Analyzer Finding".
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
  | 'accessAnalyzerExternalFinding';

export interface AlertEventSpec {
  readonly id: AlertId;
  /** The rule's description. */
  readonly description: string;
  readonly pattern: events.EventPattern;
}

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

/** The alerts of this deployment: every service event, and the Access Analyzer findings when enabled. */
export function alertEventSpecs(includeAccessAnalyzer: boolean): readonly AlertEventSpec[] {
  return includeAccessAnalyzer ? [...SERVICE_EVENT_ALERTS, ...ACCESS_ANALYZER_ALERTS] : SERVICE_EVENT_ALERTS;
}

/**
 * What member accounts send to the central bus: a superset of the alert patterns (sources times
 * detail types), kept as one short rule because the member template has a size budget. The
 * central rules then pick out exactly what alerts.
 */
export function forwardedEventPattern(includeAccessAnalyzer: boolean): events.EventPattern {
  const specs = alertEventSpecs(includeAccessAnalyzer);
  const unique = (values: string[]) => [...new Set(values)];
  return {
    source: unique(specs.flatMap((s) => s.pattern.source ?? [])),
    detailType: unique(specs.flatMap((s) => s.pattern.detailType ?? [])),
  };
}
