import * as events from 'aws-cdk-lib/aws-events';
import type { AlertId } from '../event-patterns';

/**
 * The sentences each event-driven alert sends: what happened, to which resource, in which account
 * and region, who or what did it, when, and what to do. EventBridge's input transformer fills the
 * <placeholders> from the event, so a person reads a message, not a JSON dump.
 */

/** How urgent an alert is: the first word of every event message and alarm description. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'INFO';

/** Every message has the same seven lines (see PlainTextMessage); these are the parts that differ. */
interface MessageTemplate {
  /** Placeholder name → JSON path in the event. */
  readonly paths: Readonly<Record<string, string>>;
  /** The first line: severity and what kind of alert. */
  readonly title: string;
  readonly what: string;
  /** Defaults to <resource>. */
  readonly resource?: string;
  readonly who: string;
  readonly todo: string;
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

const MESSAGES: Readonly<Record<AlertId, MessageTemplate>> = {
  kmsKeyDeleted: {
    paths: { ...COMMON, keyId: '$.detail.key-id' },
    title: '[HIGH] KMS key deleted',
    what: 'AWS KMS deleted KMS key <keyId> at the end of its scheduled waiting period. Data encrypted under it can no longer be decrypted.',
    who: 'AWS KMS performed the deletion; the ScheduleKeyDeletion call on this key in CloudTrail names who scheduled it.',
    todo: 'confirm the deletion was intended. The key cannot be recovered; restore affected data from copies that do not depend on it.',
  },
  kmsKeyRotated: {
    paths: { ...COMMON, keyId: '$.detail.key-id' },
    title: '[INFO] KMS key material rotated',
    what: 'AWS KMS rotated the key material of KMS key <keyId>. New encryptions use the new material; existing ciphertexts still decrypt.',
    who: 'AWS KMS, automatically or on demand (a RotateKeyOnDemand call in CloudTrail names who asked).',
    todo: 'nothing, unless the rotation was not expected for this key.',
  },
  kmsImportedKeyMaterialExpired: {
    paths: { ...COMMON, keyId: '$.detail.key-id' },
    title: '[HIGH] Imported key material of a KMS key expired',
    what: 'the imported key material of KMS key <keyId> expired and AWS KMS deleted it. The key cannot be used until the same material is imported again.',
    who: 'AWS KMS, at the expiry time set when the material was imported.',
    todo: 're-import the same key material (GetParametersForImport, then ImportKeyMaterial) with a later expiry or none.',
  },
  acmCertificateApproachingExpiration: {
    paths: { ...COMMON, commonName: '$.detail.CommonName', days: '$.detail.DaysToExpiry' },
    title: '[MEDIUM] ACM certificate approaching expiration',
    what: 'the certificate for <commonName> expires in <days> days.',
    who: 'ACM, which sends this daily until the certificate is renewed or expires.',
    todo: 'an imported certificate must be reissued and reimported; an ACM-issued one that has not renewed by now needs its validation checked.',
  },
  acmCertificateExpired: {
    paths: { ...COMMON, commonName: '$.detail.CommonName', certificateType: '$.detail.CertificateType' },
    title: '[HIGH] ACM certificate expired',
    what: 'the <certificateType> certificate for <commonName> expired. Clients that still receive it reject the connection.',
    who: 'ACM reported the expiry; the certificate was not renewed in time.',
    todo: 'request or renew a certificate for the name and attach it to the load balancers, distributions or APIs that used this one.',
  },
  acmCertificateRenewalActionRequired: {
    paths: { ...COMMON, commonName: '$.detail.CommonName', reason: '$.detail.RenewalStatusReason', days: '$.detail.DaysToExpiry' },
    title: '[HIGH] ACM certificate renewal needs action',
    what: 'ACM could not renew the certificate for <commonName> (reason: <reason>); it expires in <days> days.',
    who: 'ACM managed renewal.',
    todo: 'fix the cause named above (for example restore the DNS validation record or allow amazon.com in CAA records); ACM retries on its own.',
  },
  secretRotationFailed: {
    paths: {
      account: '$.account',
      region: '$.region',
      time: '$.detail.eventTime',
      secretId: '$.detail.additionalEventData.SecretId',
      error: '$.detail.errorMessage',
    },
    title: '[HIGH] Secret rotation failed',
    what: 'Secrets Manager failed to rotate a secret: <error>',
    resource: '<secretId>',
    who: 'the secret\'s rotation function, run by Secrets Manager.',
    todo: 'read the rotation function\'s log for this time, fix it, then rotate again (RotateSecret). The AWSPENDING version may need to be removed first.',
  },
  accessAnalyzerPublicFinding: {
    paths: ACCESS_ANALYZER_FINDING,
    title: '[CRITICAL] Public KMS key or secret',
    what: 'IAM Access Analyzer found that the <resourceType> below is public: anyone can call <actions> on it.',
    who: 'the resource policy grants principal <principal>.',
    todo: 'remove the statement that grants public access from the key policy or secret resource policy. Finding <findingId> in analyzer <analyzer> resolves itself once access is removed.',
  },
  accessAnalyzerExternalFinding: {
    paths: ACCESS_ANALYZER_FINDING,
    title: '[HIGH] KMS key or secret shared outside the zone of trust',
    what: 'IAM Access Analyzer found that the <resourceType> below can be used from outside the zone of trust: <actions>.',
    who: 'the policy grants principal <principal>.',
    todo: 'if the access is intended, archive finding <findingId> in analyzer <analyzer>; otherwise remove the grant from the key policy, grants or secret resource policy.',
  },
  exemptionTagChanged: {
    // A CloudTrail record: the resource is named in the request (keyId, secretId, certificateArn or
    // resourceARNList), which the message shows whole, with the tag keys and values it set.
    paths: {
      account: '$.account',
      region: '$.region',
      time: '$.detail.eventTime',
      caller: '$.detail.userIdentity.arn',
      callerType: '$.detail.userIdentity.type',
      eventSource: '$.detail.eventSource',
      eventName: '$.detail.eventName',
      request: '$.detail.requestParameters',
    },
    title: '[MEDIUM] Exemption tag set or removed',
    what: 'a <eventName> call to <eventSource> set or removed a crypto-asset-monitoring exemption tag. While the tag is on (and not past the date its value may carry), the custom rules report the resource NOT_APPLICABLE.',
    resource: '<request>',
    who: '<caller> (<callerType>)',
    todo: 'confirm the exemption was approved and, if it was set, that its value carries an expiry date (YYYY-MM-DD); if it was not approved, remove the tag or set it back, and ask the caller why.',
  },
  kmsDisabledKeyUse: {
    // A CloudTrail record of a call KMS refused because the key is disabled; the key is in resources[].
    paths: {
      account: '$.account',
      region: '$.region',
      time: '$.detail.eventTime',
      keyArn: '$.detail.resources[0].ARN',
      caller: '$.detail.userIdentity.arn',
      callerType: '$.detail.userIdentity.type',
      eventName: '$.detail.eventName',
      error: '$.detail.errorMessage',
    },
    title: '[HIGH] Disabled KMS key used',
    what: 'a <eventName> call on a disabled KMS key was refused (DisabledException: <error>). If the key was quarantined by the retirement path, someone still needs it, and its retirement is now refused.',
    resource: '<keyArn>',
    who: '<caller> (<callerType>)',
    todo: 'if the key carries the crypto-monitoring:quarantined-at tag and the caller needs it, enable it again (aws kms enable-key) and tell its owner; otherwise find out why the caller uses a disabled key.',
  },
  secretReadDenied: {
    // A CloudTrail record of a refused GetSecretValue; the secret as the caller named it (name or ARN).
    paths: {
      account: '$.account',
      region: '$.region',
      time: '$.detail.eventTime',
      secretId: '$.detail.requestParameters.secretId',
      caller: '$.detail.userIdentity.arn',
      callerType: '$.detail.userIdentity.type',
      error: '$.detail.errorMessage',
    },
    title: '[MEDIUM] Read of a secret value refused',
    what: 'a GetSecretValue call was refused: <error>. A quarantined secret refuses every read through its resource policy ("explicit deny in a resource-based policy"), and its retirement is then refused.',
    resource: '<secretId>',
    who: '<caller> (<callerType>)',
    todo: 'if the secret carries the crypto-monitoring:quarantined-at tag and the caller needs it, remove the CryptoMonitoringQuarantineDenyReadValue statement from its resource policy and tell its owner; otherwise check the caller\'s permissions.',
  },
};

/**
 * A plain-text input template. RuleTargetInput.fromText JSON-encodes its text, and SNS e-mail
 * shows the quotes; a template that is not JSON is delivered as the text itself.
 */
class PlainTextMessage extends events.RuleTargetInput {
  constructor(private readonly template: MessageTemplate) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    const t = this.template;
    const lines = [
      t.title,
      `What: ${t.what}`,
      `Resource: ${t.resource ?? '<resource>'}`,
      'Account and region: <account>, <region>',
      'When: <time>',
      `Who: ${t.who}`,
      `What to do: ${t.todo}`,
    ];
    return { inputPathsMap: { ...t.paths }, inputTemplate: lines.join('\n') };
  }
}

export function messageFor(id: AlertId): events.RuleTargetInput {
  return new PlainTextMessage(MESSAGES[id]);
}
