import type { AlarmSettings } from '../settings/alerting';

/**
 * What the alarms count in the organization trail's log group: one metric filter each, with the
 * sentences the alarm's description carries and a CloudWatch Logs Insights query that names the
 * accounts, keys, secrets and principals the bare count cannot.
 */

export const METRIC_NAMESPACE = 'CryptoAssetMonitoring';

/** CloudWatch Logs allows 100 metric filters per log group; this app's share is counted in a test. */
export const LOG_GROUP_METRIC_FILTER_QUOTA = 100;

/** CloudWatch Logs limits a filter pattern to 1,024 characters. */
export const FILTER_PATTERN_MAX_LENGTH = 1024;

/**
 * The CIS AWS Foundations control for disabled or scheduled-for-deletion KMS keys. Security Hub's
 * CloudWatch.7 compares the filter text itself, so it is kept character for character.
 */
export const CIS_KMS_FILTER_PATTERN =
  '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }';

const DENIED = '(($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation"))';
/** DENIED in Logs Insights syntax. */
const DENIED_INSIGHTS = '(errorCode like /^AccessDenied/ or errorCode like /UnauthorizedOperation$/)';

export type ActivityAlarmKey = Exclude<keyof AlarmSettings, 'importedKeyMaterialExpiry'>;

export interface ActivityMetricSpec {
  readonly key: ActivityAlarmKey;
  readonly metricName: string;
  /** Used in the alarm name and the saved query name. */
  readonly slug: string;
  readonly filterPattern: string;
  readonly whatHappened: string;
  readonly nextSteps: string;
  /** A CloudWatch Logs Insights query over the trail's log group that answers "who, where, which". */
  readonly insightsQuery: string;
}

/** Matches a watched secret whether the caller named it, gave its full ARN, or a partial ARN. */
function secretIdClauses(watched: readonly string[]): string {
  const clauses = watched.flatMap((s) =>
    s.startsWith('arn:')
      ? [`($.requestParameters.secretId = "${s}")`]
      : [`($.requestParameters.secretId = "${s}")`, `($.requestParameters.secretId = "*:secret:${s}-*")`],
  );
  return `(${clauses.join(' || ')})`;
}

export function secretReadsPattern(watched: readonly string[]): string {
  const base = '($.eventSource = secretsmanager.amazonaws.com) && ($.eventName = GetSecretValue)';
  return watched.length === 0 ? `{ ${base} }` : `{ ${base} && ${secretIdClauses(watched)} }`;
}

export function activityMetrics(alarms: AlarmSettings): ActivityMetricSpec[] {
  const watched = alarms.secretReads.watchedSecrets;
  const specs: ActivityMetricSpec[] = [
    {
      key: 'kmsKeyDisabledOrScheduledForDeletion',
      metricName: 'KmsKeyDisabledOrScheduledForDeletion',
      slug: 'kms-key-disabled-or-scheduled-for-deletion',
      filterPattern: CIS_KMS_FILTER_PATTERN,
      whatHappened: 'A KMS key was disabled (DisableKey) or scheduled for deletion (ScheduleKeyDeletion) in an account of the organization.',
      nextSteps:
        'Confirm the change was intended. A scheduled deletion can be undone with CancelKeyDeletion during the waiting period; a disabled key with EnableKey.',
      insightsQuery:
        'filter eventSource = "kms.amazonaws.com" and eventName in ["DisableKey", "ScheduleKeyDeletion"]' +
        ' | fields @timestamp, recipientAccountId, awsRegion, eventName, requestParameters.keyId, userIdentity.arn, sourceIPAddress, errorCode' +
        ' | sort @timestamp desc | limit 100',
    },
    {
      key: 'kmsCryptographicOperations',
      metricName: 'KmsCryptographicOperations',
      slug: 'kms-cryptographic-operations',
      filterPattern:
        '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = Encrypt) || ($.eventName = Decrypt) || ($.eventName = ReEncrypt*) || ($.eventName = GenerateDataKey*)) }',
      whatHappened: 'The number of KMS Encrypt, Decrypt, ReEncrypt and GenerateDataKey calls across the organization rose above its usual level. A sudden rise can be bulk decryption of data being taken out.',
      nextSteps: 'Find the principals and keys behind the rise and check that the workload explains it.',
      insightsQuery:
        'filter eventSource = "kms.amazonaws.com" and (eventName in ["Encrypt", "Decrypt"] or eventName like /^ReEncrypt/ or eventName like /^GenerateDataKey/)' +
        ' | stats count(*) as calls by recipientAccountId, awsRegion, userIdentity.arn, requestParameters.keyId' +
        ' | sort calls desc | limit 25',
    },
    {
      key: 'secretReads',
      metricName: 'SecretReads',
      slug: 'secret-reads',
      filterPattern: secretReadsPattern(watched),
      whatHappened:
        watched.length === 0
          ? 'Secrets Manager GetSecretValue calls across the organization rose above the threshold.'
          : `GetSecretValue calls on the watched secrets (${watched.join(', ')}) rose above the threshold.`,
      nextSteps: 'Find who read which secret, from where, and whether that principal should.',
      insightsQuery:
        'filter eventSource = "secretsmanager.amazonaws.com" and eventName = "GetSecretValue"' +
        ' | stats count(*) as reads by recipientAccountId, awsRegion, requestParameters.secretId, userIdentity.arn, sourceIPAddress' +
        ' | sort reads desc | limit 25',
    },
    {
      key: 'kmsAccessDenied',
      metricName: 'KmsAccessDenied',
      slug: 'kms-access-denied',
      filterPattern: `{ ($.eventSource = kms.amazonaws.com) && ${DENIED} }`,
      whatHappened: 'KMS refused requests with AccessDenied or UnauthorizedOperation more often than the threshold. Someone may be probing keys they may not use, or a workload lost a permission.',
      nextSteps: 'Find the principal and key; fix the policy or grant if the caller is legitimate, otherwise investigate the principal.',
      insightsQuery:
        `filter eventSource = "kms.amazonaws.com" and ${DENIED_INSIGHTS}` +
        ' | stats count(*) as denied by recipientAccountId, awsRegion, userIdentity.arn, eventName, requestParameters.keyId' +
        ' | sort denied desc | limit 25',
    },
    {
      key: 'secretsManagerAccessDenied',
      metricName: 'SecretsManagerAccessDenied',
      slug: 'secretsmanager-access-denied',
      filterPattern: `{ ($.eventSource = secretsmanager.amazonaws.com) && ${DENIED} }`,
      whatHappened: 'Secrets Manager refused requests with AccessDenied or UnauthorizedOperation more often than the threshold. Someone may be trying secrets they may not read.',
      nextSteps: 'Find the principal and secret; fix the policy if the caller is legitimate, otherwise investigate the principal.',
      insightsQuery:
        `filter eventSource = "secretsmanager.amazonaws.com" and ${DENIED_INSIGHTS}` +
        ' | stats count(*) as denied by recipientAccountId, awsRegion, userIdentity.arn, eventName, requestParameters.secretId' +
        ' | sort denied desc | limit 25',
    },
    {
      key: 'kmsKeyPendingDeletionUse',
      metricName: 'KmsKeyPendingDeletionUse',
      slug: 'kms-key-pending-deletion-use',
      filterPattern: '{ ($.eventSource = kms.amazonaws.com) && (($.errorMessage = "*is pending deletion*") || ($.errorMessage = "*PendingDeletion*")) }',
      whatHappened: 'Someone tried to use a KMS key that is pending deletion. Whatever made the request still depends on the key.',
      nextSteps: 'Cancel the key deletion (CancelKeyDeletion) until the caller no longer needs the key.',
      insightsQuery:
        'filter eventSource = "kms.amazonaws.com" and (errorMessage like /is pending deletion/ or errorMessage like /PendingDeletion/)' +
        ' | fields @timestamp, recipientAccountId, awsRegion, eventName, requestParameters.keyId, userIdentity.arn, errorMessage' +
        ' | sort @timestamp desc | limit 100',
    },
    {
      key: 'deletedSecretReads',
      metricName: 'DeletedSecretReads',
      slug: 'deleted-secret-reads',
      filterPattern:
        '{ ($.eventSource = secretsmanager.amazonaws.com) && ($.eventName = GetSecretValue) && ($.errorMessage = "*secret because it was marked for deletion*") }',
      whatHappened: 'Someone tried to read a secret that is marked for deletion. Whatever made the request still depends on the secret.',
      nextSteps: 'Restore the secret (RestoreSecret) during its recovery window, or move the caller to the secret that replaces it.',
      insightsQuery:
        'filter eventSource = "secretsmanager.amazonaws.com" and eventName = "GetSecretValue" and errorMessage like /marked for deletion/' +
        ' | fields @timestamp, recipientAccountId, awsRegion, requestParameters.secretId, userIdentity.arn, sourceIPAddress' +
        ' | sort @timestamp desc | limit 100',
    },
  ];
  for (const s of specs) {
    if (s.filterPattern.length > FILTER_PATTERN_MAX_LENGTH) {
      throw new Error(`The ${s.metricName} filter pattern is ${s.filterPattern.length} characters, over CloudWatch Logs' ${FILTER_PATTERN_MAX_LENGTH}; watch fewer or shorter secret names`);
    }
  }
  return specs.filter((s) => alarms[s.key].enabled);
}
