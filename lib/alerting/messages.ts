import * as events from 'aws-cdk-lib/aws-events';
import type { AlertId } from './event-patterns';

/**
 * The sentences each event-driven alert sends: what happened, to which resource, in which account
 * and region, who or what did it, when, and what to do. EventBridge's input transformer fills the
 * <placeholders> from the event, so a person reads a message, not a JSON dump.
 */

export interface MessageTemplate {
  /** Placeholder name → JSON path in the event. */
  readonly paths: Readonly<Record<string, string>>;
  readonly lines: readonly string[];
}

const COMMON = { account: '$.account', region: '$.region', time: '$.time', resource: '$.resources[0]' } as const;

/** Both Access Analyzer alerts read the same "Access Analyzer Finding" event. */
const ACCESS_ANALYZER_FINDING = {
  resource: '$.detail.resource',
  resourceType: '$.detail.resourceType',
  account: '$.detail.accountId',
  region: '$.detail.region',
  time: '$.detail.updatedAt',
  principal: '$.detail.principal',
  actions: '$.detail.action',
  findingId: '$.detail.id',
  analyzer: '$.resources[0]',
} as const;

export const MESSAGES: Readonly<Record<AlertId, MessageTemplate>> = {
  kmsKeyDeleted: {
    paths: { ...COMMON, keyId: '$.detail.key-id' },
    lines: [
      '[HIGH] KMS key deleted',
      'What: AWS KMS deleted KMS key <keyId> at the end of its scheduled waiting period. Data encrypted under it can no longer be decrypted.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: AWS KMS performed the deletion; the ScheduleKeyDeletion call on this key in CloudTrail names who scheduled it.',
      'What to do: confirm the deletion was intended. The key cannot be recovered; restore affected data from copies that do not depend on it.',
    ],
  },
  kmsKeyRotated: {
    paths: { ...COMMON, keyId: '$.detail.key-id' },
    lines: [
      '[INFO] KMS key material rotated',
      'What: AWS KMS rotated the key material of KMS key <keyId>. New encryptions use the new material; existing ciphertexts still decrypt.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: AWS KMS, automatically or on demand (a RotateKeyOnDemand call in CloudTrail names who asked).',
      'What to do: nothing, unless the rotation was not expected for this key.',
    ],
  },
  kmsImportedKeyMaterialExpired: {
    paths: { ...COMMON, keyId: '$.detail.key-id' },
    lines: [
      '[HIGH] Imported key material of a KMS key expired',
      'What: the imported key material of KMS key <keyId> expired and AWS KMS deleted it. The key cannot be used until the same material is imported again.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: AWS KMS, at the expiry time set when the material was imported.',
      'What to do: re-import the same key material (GetParametersForImport, then ImportKeyMaterial) with a later expiry or none.',
    ],
  },
  acmCertificateApproachingExpiration: {
    paths: { ...COMMON, commonName: '$.detail.CommonName', days: '$.detail.DaysToExpiry' },
    lines: [
      '[MEDIUM] ACM certificate approaching expiration',
      'What: the certificate for <commonName> expires in <days> days.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: ACM, which sends this daily until the certificate is renewed or expires.',
      'What to do: an imported certificate must be reissued and reimported; an ACM-issued one that has not renewed by now needs its validation checked.',
    ],
  },
  acmCertificateExpired: {
    paths: { ...COMMON, commonName: '$.detail.CommonName', certificateType: '$.detail.CertificateType' },
    lines: [
      '[HIGH] ACM certificate expired',
      'What: the <certificateType> certificate for <commonName> expired. Clients that still receive it reject the connection.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: ACM reported the expiry; the certificate was not renewed in time.',
      'What to do: request or renew a certificate for the name and attach it to the load balancers, distributions or APIs that used this one.',
    ],
  },
  acmCertificateRenewalActionRequired: {
    paths: { ...COMMON, commonName: '$.detail.CommonName', reason: '$.detail.RenewalStatusReason', days: '$.detail.DaysToExpiry' },
    lines: [
      '[HIGH] ACM certificate renewal needs action',
      'What: ACM could not renew the certificate for <commonName> (reason: <reason>); it expires in <days> days.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: ACM managed renewal.',
      'What to do: fix the cause named above (for example restore the DNS validation record or allow amazon.com in CAA records); ACM retries on its own.',
    ],
  },
  secretRotationFailed: {
    paths: {
      account: '$.account',
      region: '$.region',
      time: '$.detail.eventTime',
      secretId: '$.detail.additionalEventData.SecretId',
      error: '$.detail.errorMessage',
    },
    lines: [
      '[HIGH] Secret rotation failed',
      'What: Secrets Manager failed to rotate a secret: <error>',
      'Resource: <secretId>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: the secret\'s rotation function, run by Secrets Manager.',
      'What to do: read the rotation function\'s log for this time, fix it, then rotate again (RotateSecret). The AWSPENDING version may need to be removed first.',
    ],
  },
  accessAnalyzerPublicFinding: {
    paths: ACCESS_ANALYZER_FINDING,
    lines: [
      '[CRITICAL] Public KMS key or secret',
      'What: IAM Access Analyzer found that the <resourceType> below is public: anyone can call <actions> on it.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: the resource policy grants principal <principal>.',
      'What to do: remove the statement that grants public access from the key policy or secret resource policy. Finding <findingId> in analyzer <analyzer> resolves itself once access is removed.',
    ],
  },
  accessAnalyzerExternalFinding: {
    paths: ACCESS_ANALYZER_FINDING,
    lines: [
      '[HIGH] KMS key or secret shared outside the zone of trust',
      'What: IAM Access Analyzer found that the <resourceType> below can be used from outside the zone of trust: <actions>.',
      'Resource: <resource>',
      'Account and region: <account>, <region>',
      'When: <time>',
      'Who: the policy grants principal <principal>.',
      'What to do: if the access is intended, archive finding <findingId> in analyzer <analyzer>; otherwise remove the grant from the key policy, grants or secret resource policy.',
    ],
  },
};

/**
 * A plain-text input template. RuleTargetInput.fromText JSON-encodes its text, and SNS e-mail
 * shows the quotes; a template that is not JSON is delivered as the text itself.
 */
export class PlainTextMessage extends events.RuleTargetInput {
  constructor(readonly template: MessageTemplate) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    return { inputPathsMap: { ...this.template.paths }, inputTemplate: this.template.lines.join('\n') };
  }
}

export function messageFor(id: AlertId): PlainTextMessage {
  return new PlainTextMessage(MESSAGES[id]);
}
