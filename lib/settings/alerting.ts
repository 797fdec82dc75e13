import { z } from 'zod';
import { LOG_RETENTION_DAYS } from './deployment';
import { bool, decimal, int, list, oneOfNumbers, regionName, section, text, whenParsed } from './fields';

/**
 * Settings of the real-time alerting layer: where the organization trail's log group and the
 * central event bus live, who is told, and every alarm's threshold and period.
 */

const accountId = text(/^\d{12}$/, 'a 12-digit AWS account id (as a string, leading zeros kept)');

const region = regionName();

const email = text(/^[^\s@<>(),;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/, 'an e-mail address such as security@example.com');

const httpsUrl = text(/^https:\/\/[^\s/$.?#][^\s]*$/, 'an https:// URL');

/** A secret name (letters, digits and /_+=.@-) or a Secrets Manager secret ARN. */
const secretRef = text(
  /^([A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512})$/,
  'a secret name (letters, digits and / _ + = . @ -) or a Secrets Manager secret ARN',
);

/** A key id as KMS gives it: a UUID, or for a multi-Region key `mrk-` and 32 hex digits (the same id in every Region). */
const keyId = text(
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  'a KMS key id (a lower-case UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab, or a multi-Region key id such as mrk-1234abcd12ab34cd56ef1234567890ab)',
);

/** Alarm periods CloudWatch accepts for metrics published once a minute, in minutes. */
const ALARM_PERIOD_MINUTES: readonly number[] = [1, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

/** CloudWatch evaluates at most one day of data points (period × evaluation periods). */
const MAX_EVALUATION_MINUTES = 1440;

/** The fields every count alarm shares: fire when Sum over `periodMinutes` ≥ `threshold` in `evaluationPeriods` periods. */
function countAlarmFields(defaults: { threshold: number; periodMinutes: number; evaluationPeriods?: number }) {
  return {
    enabled: bool().default(true),
    threshold: int(1, 1_000_000_000).default(defaults.threshold),
    periodMinutes: oneOfNumbers(ALARM_PERIOD_MINUTES).default(defaults.periodMinutes),
    evaluationPeriods: int(1, 1440).default(defaults.evaluationPeriods ?? 1),
  };
}

function withinOneDay<T extends { periodMinutes: number; evaluationPeriods: number }>(value: T, ctx: z.RefinementCtx): void {
  if (value.periodMinutes * value.evaluationPeriods > MAX_EVALUATION_MINUTES) {
    ctx.addIssue({
      code: 'custom',
      path: ['evaluationPeriods'],
      input: value.evaluationPeriods,
      message: `periodMinutes (${value.periodMinutes}) × evaluationPeriods must be at most ${MAX_EVALUATION_MINUTES} minutes (one day)`,
    });
  }
}

const PERIODS_PARSED = whenParsed('periodMinutes', 'evaluationPeriods');

function countAlarm(defaults: { threshold: number; periodMinutes: number; evaluationPeriods?: number }) {
  return section(countAlarmFields(defaults)).superRefine(withinOneDay, PERIODS_PARSED);
}

/** Watched secrets become part of one filter pattern, whose text CloudWatch Logs limits to 1,024 characters. */
const MAX_WATCHED_SECRETS = 8;

const alarmsSchema = section({
  /** The CIS control: DisableKey or ScheduleKeyDeletion. */
  kmsKeyDisabledOrScheduledForDeletion: countAlarm({ threshold: 1, periodMinutes: 5 }).prefault({}),
  /** Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* across the organization. */
  kmsCryptographicOperations: section({
    ...countAlarmFields({ threshold: 100_000, periodMinutes: 5 }),
    /** Also alarm when the count leaves CloudWatch's anomaly-detection band. */
    anomalyDetection: bool().default(true),
    /** Width of the band in standard deviations. */
    anomalyBandWidth: decimal(0.5, 10).default(3),
  })
    .superRefine(withinOneDay, PERIODS_PARSED)
    .prefault({}),
  /** GetSecretValue, for every secret or only for `watchedSecrets`. */
  secretReads: section({
    ...countAlarmFields({ threshold: 1_000, periodMinutes: 5 }),
    watchedSecrets: list(secretRef, { unique: true })
      .refine((l) => l.length <= MAX_WATCHED_SECRETS, { error: `must name at most ${MAX_WATCHED_SECRETS} secrets (one filter pattern holds them all)` })
      .default([]),
  })
    .superRefine(withinOneDay, PERIODS_PARSED)
    .prefault({}),
  kmsAccessDenied: countAlarm({ threshold: 5, periodMinutes: 5 }).prefault({}),
  secretsManagerAccessDenied: countAlarm({ threshold: 5, periodMinutes: 5 }).prefault({}),
  /** A cryptographic request refused because the key is pending deletion. */
  kmsKeyPendingDeletionUse: countAlarm({ threshold: 1, periodMinutes: 5 }).prefault({}),
  /** A GetSecretValue refused because the secret is marked for deletion. */
  deletedSecretReads: countAlarm({ threshold: 1, periodMinutes: 5 }).prefault({}),
  /** Keys with imported key material, in the alerting account and region, watched through SecondsUntilKeyMaterialExpiration. */
  importedKeyMaterialExpiry: section({
    keyIds: list(keyId, { unique: true }).default([]),
    daysBeforeExpiry: int(1, 365).default(30),
  }).prefault({}),
});

export const alertingSchema = section({
  enabled: bool().default(true),
  /**
   * The account and region that own the organization trail's log group; the central event bus
   * lives there too. Member accounts forward native events only when both are set.
   */
  centralAccountId: accountId.optional(),
  centralRegion: region.optional(),
  /** The organization id (o-…) for resource policies; looked up at deploy time when empty. */
  organizationId: text(/^o-[a-z0-9]{10,32}$/, 'an organization id such as o-a1b2c3d4e5').optional(),
  /** The CloudWatch Logs log group the organization trail delivers to. */
  logGroupName: text(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'a log group name of 1 to 512 letters, digits and . - _ / #').default(
    'aws-controltower/CloudTrailLogs',
  ),
  /** Create an organization trail and its log group instead of using `logGroupName`. */
  organizationTrail: section({
    create: bool().default(false),
    trailName: text(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, 'a trail name of 3 to 128 letters, digits, . _ -, starting with a letter or digit').default(
      'crypto-monitoring-organization-trail',
    ),
    logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).default(365),
    /** Log files move to S3 Standard-IA after this many days; S3 refuses a Standard-IA transition before day 30. */
    transitionToInfrequentAccessDays: int(30, 36_500).default(90),
    /**
     * Log files are deleted after this many days: seven years (2,557 days with the leap days), the
     * retention many audit regimes ask of audit records; PCI DSS asks at least one year.
     */
    expireAfterDays: int(31, 36_500).default(2557),
    /** Versions no longer current (overwritten or deleted log files) are deleted after this many days. */
    noncurrentVersionExpireAfterDays: int(1, 36_500).default(30),
    /**
     * Object Lock in governance mode with this default retention, in days; off when absent. Takes
     * effect on a new bucket only: CloudFormation replaces a bucket whose ObjectLockEnabled changes.
     */
    objectLockGovernanceDays: int(1, 3650).optional(),
  })
    .superRefine((value, ctx) => {
      if (value.expireAfterDays <= value.transitionToInfrequentAccessDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['expireAfterDays'],
          input: value.expireAfterDays,
          message: `must be greater than transitionToInfrequentAccessDays (${value.transitionToInfrequentAccessDays}): S3 refuses an expiration on or before the transition`,
        });
      }
    }, whenParsed('expireAfterDays', 'transitionToInfrequentAccessDays'))
    .prefault({}),
  eventBusName: text(/^(?!default$)[A-Za-z0-9._-]{1,256}$/, 'an event bus name of letters, digits and . _ - (not "default")').default(
    'crypto-monitoring-alerts',
  ),
  notifications: section({
    /** SNS subscribes each address once; an address differing only in case is the same mailbox. */
    emails: list(email, { unique: true, key: (e) => e.toLowerCase(), comparedBy: 'ignoring case' }).default([]),
    httpsEndpoints: list(httpsUrl, { unique: true, key: (u) => new URL(u).href, comparedBy: 'as URLs' }).default([]),
  }).prefault({}),
  /** Alert on IAM Access Analyzer findings for KMS keys and secrets. */
  accessAnalyzerFindings: bool().default(true),
  dashboardName: text(/^[A-Za-z0-9_-]{1,255}$/, 'a dashboard name of letters, digits, _ and -').default('crypto-asset-activity'),
  alarms: alarmsSchema.prefault({}),
})
  .superRefine((value, ctx) => {
    if ((value.centralAccountId === undefined) !== (value.centralRegion === undefined)) {
      const missing = value.centralAccountId === undefined ? 'centralAccountId' : 'centralRegion';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        input: undefined,
        message: 'centralAccountId and centralRegion must be given together (the member accounts forward events to the bus in that account and region)',
      });
    }
  }, whenParsed('centralAccountId', 'centralRegion'));

export type AlertingSettings = z.output<typeof alertingSchema>;
export type AlarmSettings = z.output<typeof alarmsSchema>;
export type CountAlarmSettings = AlarmSettings['kmsAccessDenied'];
