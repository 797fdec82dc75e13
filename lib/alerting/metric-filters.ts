import type { Severity } from './messages';
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
  /** The first word of the alarm's description, as event messages start with theirs. */
  readonly severity: Severity;
  readonly whatHappened: string;
  readonly nextSteps: string;
  /** A CloudWatch Logs Insights query over the trail's log group that answers "who, where, which". */
  readonly insightsQuery: string;
}

/**
 * A watched secret as a GetSecretValue call can name it. Callers name a secret by name (resolved in
 * the caller's own account and region), by partial ARN (`arn:…:secret:<name>`) or by full ARN (the
 * partial ARN, a hyphen and six random characters). A watched ARN that ends in a hyphen and six
 * letters or digits is read as a full ARN, as Secrets Manager reads one ("if your secret has a
 * name that ends in a hyphen followed by six characters ... Secrets Manager assume[s] that you're
 * specifying a complete ARN", Secrets Manager API reference, SecretId); any other ARN is a partial
 * ARN. A watched name has no account or region: it is matched wherever a secret of that name is.
 */
interface WatchedSecret {
  readonly name: string;
  /** Known when the watched value is an ARN. */
  readonly scope?: { readonly partialArn: string; readonly account: string; readonly region: string; readonly fullArn?: string };
}

const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;

function watchedSecret(value: string): WatchedSecret {
  const arn = SECRET_ARN.exec(value);
  if (!arn) return { name: value };
  const [, partition, region, account, rest] = arn;
  const full = RANDOM_SUFFIX.test(rest);
  const name = full ? rest.replace(RANDOM_SUFFIX, '') : rest;
  const partialArn = `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}`;
  return { name, scope: { partialArn, account, region, fullArn: full ? value : undefined } };
}

/**
 * A literal for a CloudWatch Logs filter-pattern regex. Secret names and ARNs hold letters, digits
 * and `/ _ + = . @ - :`; of these the regex syntax takes `.` and `+` as operators (escaped here) and
 * the others as supported symbols ("Supported regular expressions (regex) syntax", CloudWatch Logs).
 */
function regexLiteral(text: string): string {
  return text.replace(/[.+]/g, (c) => `\\${c}`);
}

/** Six letters or digits: the random suffix. `{m,n}` is the repetition form the regex syntax documents. */
const SUFFIX_REGEX = '-[A-Za-z0-9]{6,6}';

/**
 * The condition that `requestParameters.secretId` names one of the watched secrets, exactly:
 * - one regex comparison (`%…%`) holds every form that needs no other field: for a watched name
 *   `s`, `^s$` (by name), `:secret:s$` (a partial ARN: names hold no colon, so nothing else ends
 *   that way) and `:secret:s-[A-Za-z0-9]{6,6}$` (a full ARN: exactly six characters, so a secret
 *   named `s-foo` is not counted); for a watched ARN its partial ARN and its full ARN (or, given
 *   a partial ARN, any full ARN of it);
 * - a watched ARN's name is counted only in the secret's account and region (recipientAccountId,
 *   awsRegion), where a call by name resolves to it.
 * Wildcards cannot say "six characters", and `*` is a wildcard only at the start or end of a
 * value ("Ev*ent will only match the actual string Ev*ent", CloudWatch Logs filter pattern syntax),
 * hence the regex. One regex uses one of the two a filter pattern may hold and one of the five a
 * log group may hold (PutMetricFilter quotas).
 */
function secretIdCondition(watched: readonly string[]): string {
  const alternatives: string[] = [];
  const byName: string[] = [];
  for (const w of watched.map(watchedSecret)) {
    const n = regexLiteral(w.name);
    if (!w.scope) {
      alternatives.push(`^${n}$`, `:secret:${n}$`, `:secret:${n}${SUFFIX_REGEX}$`);
      continue;
    }
    const p = regexLiteral(w.scope.partialArn);
    alternatives.push(`^${p}$`, w.scope.fullArn ? `^${regexLiteral(w.scope.fullArn)}$` : `^${p}${SUFFIX_REGEX}$`);
    byName.push(`(($.requestParameters.secretId = "${w.name}") && ($.recipientAccountId = "${w.scope.account}") && ($.awsRegion = "${w.scope.region}"))`);
  }
  return `(${[`($.requestParameters.secretId = %${alternatives.join('|')}%)`, ...byName].join(' || ')})`;
}

export function secretReadsPattern(watched: readonly string[]): string {
  const base = '($.eventSource = secretsmanager.amazonaws.com) && ($.eventName = GetSecretValue)';
  return watched.length === 0 ? `{ ${base} }` : `{ ${base} && ${secretIdCondition(watched)} }`;
}

export function activityMetrics(alarms: AlarmSettings): ActivityMetricSpec[] {
  const watched = alarms.secretReads.watchedSecrets;
  const specs: ActivityMetricSpec[] = [
    {
      key: 'kmsKeyDisabledOrScheduledForDeletion',
      metricName: 'KmsKeyDisabledOrScheduledForDeletion',
      slug: 'kms-key-disabled-or-scheduled-for-deletion',
      filterPattern: CIS_KMS_FILTER_PATTERN,
      severity: 'HIGH',
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
      severity: 'MEDIUM',
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
      severity: 'MEDIUM',
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
      severity: 'MEDIUM',
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
      severity: 'MEDIUM',
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
      severity: 'HIGH',
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
      severity: 'HIGH',
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
