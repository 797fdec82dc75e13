import { Template } from 'aws-cdk-lib/assertions';
import { ALARM_DESCRIPTION_MAX_LENGTH } from '../../lib/alerting/activity-alarms';
import { CIS_KMS_FILTER_PATTERN, FILTER_PATTERN_MAX_LENGTH, LOG_GROUP_METRIC_FILTER_QUOTA, METRIC_NAMESPACE, secretReadsPattern } from '../../lib/alerting/metric-filters';
import { buildTestApp, cdkJsonContext } from '../support/app';
import { CLOUDWATCH_REGEX, matchesFilterPattern } from '../support/filter-pattern';
import { cloudTrailRecord, resourcesOf } from './support';

const { built } = buildTestApp({ alerting: { notifications: { emails: ['security@example.com'] } } });
const template = Template.fromStack(built.alerting!);
const filters = resourcesOf(template, 'AWS::Logs::MetricFilter');
const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
const cdkAlarms = (cdkJsonContext().cryptoMonitoring as any).alerting.alarms;

function patternOf(metricName: string): string {
  const found = Object.values(filters).filter((f) => f.Properties.MetricTransformations[0].MetricName === metricName);
  expect(found).toHaveLength(1);
  return found[0].Properties.FilterPattern;
}

/** Derives a record from a documented sample, for operations the documentation shows the same way. */
function withEventName(sample: string, eventName: string): Record<string, unknown> {
  return { ...cloudTrailRecord(sample), eventName };
}

const CASES: Record<string, { match: Record<string, unknown>[]; noMatch: Record<string, unknown>[] }> = {
  KmsKeyDisabledOrScheduledForDeletion: {
    match: [cloudTrailRecord('kms-disable-key'), cloudTrailRecord('kms-schedule-key-deletion')],
    noMatch: [cloudTrailRecord('kms-decrypt'), cloudTrailRecord('kms-delete-expired-key-material'), withEventName('kms-disable-key', 'EnableKey')],
  },
  KmsCryptographicOperations: {
    match: [
      cloudTrailRecord('kms-decrypt'),
      withEventName('kms-decrypt', 'Encrypt'),
      withEventName('kms-decrypt', 'ReEncrypt'),
      withEventName('kms-decrypt', 'GenerateDataKeyWithoutPlaintext'),
      withEventName('kms-decrypt', 'GenerateDataKeyPair'),
    ],
    noMatch: [
      cloudTrailRecord('kms-disable-key'),
      cloudTrailRecord('kms-delete-expired-key-material'),
      withEventName('kms-decrypt', 'GenerateRandom'),
      cloudTrailRecord('secretsmanager-get-secret-value'),
    ],
  },
  SecretReads: {
    match: [cloudTrailRecord('secretsmanager-get-secret-value'), cloudTrailRecord('secretsmanager-get-secret-value-by-name')],
    noMatch: [cloudTrailRecord('kms-decrypt'), withEventName('secretsmanager-get-secret-value', 'DescribeSecret')],
  },
  KmsAccessDenied: {
    match: [cloudTrailRecord('kms-decrypt-access-denied')],
    noMatch: [cloudTrailRecord('kms-decrypt-incorrect-key'), cloudTrailRecord('kms-decrypt'), cloudTrailRecord('secretsmanager-get-secret-value-access-denied')],
  },
  SecretsManagerAccessDenied: {
    match: [cloudTrailRecord('secretsmanager-get-secret-value-access-denied')],
    noMatch: [cloudTrailRecord('kms-decrypt-access-denied'), cloudTrailRecord('secretsmanager-get-secret-value-marked-for-deletion')],
  },
  KmsKeyPendingDeletionUse: {
    match: [cloudTrailRecord('kms-decrypt-pending-deletion')],
    noMatch: [cloudTrailRecord('kms-decrypt-incorrect-key'), cloudTrailRecord('kms-decrypt'), cloudTrailRecord('kms-schedule-key-deletion')],
  },
  DeletedSecretReads: {
    match: [cloudTrailRecord('secretsmanager-get-secret-value-marked-for-deletion')],
    noMatch: [cloudTrailRecord('secretsmanager-get-secret-value'), cloudTrailRecord('secretsmanager-get-secret-value-access-denied')],
  },
};

describe('metric filters on the organization trail log group', () => {
  it('keeps well inside the log group quota of 100 metric filters', () => {
    expect(Object.keys(filters)).toHaveLength(Object.keys(CASES).length);
    expect(Object.keys(filters).length).toBeLessThanOrEqual(LOG_GROUP_METRIC_FILTER_QUOTA);
  });

  it('reads the log group named in settings and counts 1 per match with 0 as default', () => {
    for (const f of Object.values(filters)) {
      expect(f.Properties.LogGroupName).toBe('aws-controltower/CloudTrailLogs');
      expect(f.Properties.MetricTransformations).toEqual([
        expect.objectContaining({ MetricNamespace: METRIC_NAMESPACE, MetricValue: '1', DefaultValue: 0 }),
      ]);
    }
  });

  it('uses the exact CIS text for the disabled or deleted key control', () => {
    expect(patternOf('KmsKeyDisabledOrScheduledForDeletion')).toBe(CIS_KMS_FILTER_PATTERN);
    expect(CIS_KMS_FILTER_PATTERN).toBe('{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }');
  });

  describe.each(Object.entries(CASES))('%s', (metricName, { match, noMatch }) => {
    it.each(match.map((r) => [`${r.eventName} ${r.errorCode ?? ''}`.trim(), r]))('counts %s', (_, record) => {
      expect(matchesFilterPattern(patternOf(metricName), record)).toBe(true);
    });
    it.each(noMatch.map((r) => [`${r.eventSource} ${r.eventName} ${r.errorCode ?? ''}`.trim(), r]))('ignores %s', (_, record) => {
      expect(matchesFilterPattern(patternOf(metricName), record)).toBe(false);
    });
  });

  it('with no watched secrets counts every GetSecretValue', () => {
    expect(secretReadsPattern([])).toBe('{ ($.eventSource = secretsmanager.amazonaws.com) && ($.eventName = GetSecretValue) }');
  });
});

describe('watched secrets: exactly the watched secrets, however the caller names them', () => {
  const ACCOUNT = '111122223333';
  const REGION = 'us-west-2';
  const arn = (name: string, account = ACCOUNT, region = REGION) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;
  /** A GetSecretValue record (AWS's documented sample) naming `secretId`, recorded in `account` and `region`. */
  const read = (secretId: string, account = ACCOUNT, region = REGION) => ({
    ...cloudTrailRecord('secretsmanager-get-secret-value'),
    requestParameters: { secretId },
    recipientAccountId: account,
    awsRegion: region,
  });
  const counts = (watched: string[], record: Record<string, unknown>) => matchesFilterPattern(secretReadsPattern(watched), record);

  it('a watched name counts its name, partial ARN and full ARN (six-character suffix), in any account', () => {
    const watched = ['MyTestDatabaseSecret'];
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value-by-name'))).toBe(true);
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value'))).toBe(true);
    expect(counts(watched, read(arn('MyTestDatabaseSecret')))).toBe(true);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-Zz9Yy8', '999988887777', 'eu-west-1')))).toBe(true);
  });

  it('a watched name does not count secrets whose names start with it, or other secrets', () => {
    const watched = ['MyTestDatabaseSecret'];
    // What "*:secret:MyTestDatabaseSecret-*" counted: a secret named "MyTestDatabaseSecret-prod".
    expect(counts(watched, read(arn('MyTestDatabaseSecret-prod-Xy12Ab')))).toBe(false);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-prod')))).toBe(false);
    expect(counts(watched, read('MyTestDatabaseSecret-prod'))).toBe(false);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-a1b2c')))).toBe(false);
    expect(counts(watched, read(arn('team/MyTestDatabaseSecret-a1b2c3')))).toBe(false);
    expect(counts(watched, read('OldMyTestDatabaseSecret'))).toBe(false);
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value-other-secret'))).toBe(false);
  });

  it('a watched full ARN also counts callers that use its partial ARN, or its name in its own account and region', () => {
    const watched = [arn('MyTestDatabaseSecret-a1b2c3')];
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value'))).toBe(true);
    expect(counts(watched, read(arn('MyTestDatabaseSecret')))).toBe(true);
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value-by-name'))).toBe(true);
    // The same name elsewhere is another secret; another suffix is a secret created again.
    expect(counts(watched, read('MyTestDatabaseSecret', '999988887777'))).toBe(false);
    expect(counts(watched, read('MyTestDatabaseSecret', ACCOUNT, 'eu-west-1'))).toBe(false);
    expect(counts(watched, read(arn('MyTestDatabaseSecret', '999988887777')))).toBe(false);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-Zz9Yy8')))).toBe(false);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-prod-Xy12Ab')))).toBe(false);
  });

  it('a watched partial ARN counts any full ARN of that name in its account and region', () => {
    const watched = [arn('MyTestDatabaseSecret')];
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value'))).toBe(true);
    expect(counts(watched, read(arn('MyTestDatabaseSecret')))).toBe(true);
    expect(counts(watched, cloudTrailRecord('secretsmanager-get-secret-value-by-name'))).toBe(true);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-prod-Xy12Ab')))).toBe(false);
    expect(counts(watched, read(arn('MyTestDatabaseSecret-a1b2c3', '999988887777')))).toBe(false);
  });

  it('"." and "+" in a name are literal', () => {
    const watched = ['app.db+x'];
    expect(counts(watched, read('app.db+x'))).toBe(true);
    expect(counts(watched, read(arn('app.db+x-Ab12Cd')))).toBe(true);
    expect(counts(watched, read('appZdb+x'))).toBe(false);
    expect(counts(watched, read('app.dbbx'))).toBe(false);
  });

  it('only other GetSecretValue events of Secrets Manager are ever counted', () => {
    const watched = ['MyTestDatabaseSecret'];
    expect(counts(watched, { ...cloudTrailRecord('secretsmanager-get-secret-value'), eventName: 'DescribeSecret' })).toBe(false);
    expect(counts(watched, cloudTrailRecord('kms-decrypt'))).toBe(false);
  });

  it('stays within what the syntax can express: one regex, wildcards only at the ends of a value', () => {
    const pattern = secretReadsPattern(['prod/db', arn('prod/api-AbCdEf'), arn('shared/token'), 'a.b+c@d=e_f']);
    // One regex of the two a filter pattern may hold (and of the five a log group may hold).
    expect(pattern.match(/%[^%]*%/g)).toHaveLength(1);
    for (const [, re] of pattern.matchAll(/%([^%]*)%/g)) {
      expect(re).toMatch(CLOUDWATCH_REGEX);
      expect(re).not.toMatch(/[()]/);
    }
    // "Ev*ent will only match the actual string Ev*ent": a * inside a value is no wildcard.
    for (const [, value] of pattern.matchAll(/"([^"]*)"/g)) expect(value).toMatch(/^\*?[^*]*\*?$/);
    expect(pattern.length).toBeLessThanOrEqual(FILTER_PATTERN_MAX_LENGTH);
  });

  it('eight watched names of 20 characters fit in one filter pattern (three forms each, about 3 x name + 43 characters)', () => {
    const names = Array.from({ length: 8 }, (_, i) => `team-${i}/${'x'.repeat(13)}`);
    expect(names[0]).toHaveLength(20);
    expect(secretReadsPattern(names).length).toBeLessThanOrEqual(FILTER_PATTERN_MAX_LENGTH);
  });
});

describe('count alarms', () => {
  const countAlarms = Object.values(alarms).filter((a) => a.Properties.MetricName !== undefined && a.Properties.Namespace === METRIC_NAMESPACE);

  it('has one alarm per metric filter', () => {
    expect(countAlarms.map((a) => a.Properties.MetricName).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('%s sums the count, treats missing data as not breaching and notifies the topic', (metricName) => {
    const alarm = countAlarms.find((a) => a.Properties.MetricName === metricName)!;
    const key = metricName.charAt(0).toLowerCase() + metricName.slice(1);
    const settings = cdkAlarms[key];
    expect(alarm.Properties).toMatchObject({
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Threshold: settings.threshold,
      Period: settings.periodMinutes * 60,
      EvaluationPeriods: settings.evaluationPeriods,
      AlarmActions: [{ Ref: expect.stringMatching(/^AlertsTopic/) }],
    });
  });

  it('tells the reader how urgent it is, what happened, what to do and which Logs Insights query names who and where', () => {
    for (const a of countAlarms) {
      const d: string = a.Properties.AlarmDescription;
      expect(d.length).toBeLessThanOrEqual(ALARM_DESCRIPTION_MAX_LENGTH);
      // The same first word as the event messages (messages.ts).
      expect(d).toMatch(/^\[(CRITICAL|HIGH|MEDIUM|INFO)\] /);
      expect(d).toMatch(/ What to do: /);
      expect(d).toMatch(/CloudWatch Logs Insights query crypto-monitoring\/[a-z-]+ on log group aws-controltower\/CloudTrailLogs/);
    }
  });

  it('saves each Logs Insights query on the trail log group', () => {
    const queries = Object.values(resourcesOf(template, 'AWS::Logs::QueryDefinition'));
    expect(queries).toHaveLength(Object.keys(CASES).length);
    for (const q of queries) {
      expect(q.Properties.LogGroupNames).toEqual(['aws-controltower/CloudTrailLogs']);
      expect(q.Properties.QueryString).toMatch(/^filter eventSource = "(kms|secretsmanager)\.amazonaws\.com"/);
      expect(q.Properties.QueryString).toMatch(/recipientAccountId/);
      expect(q.Properties.QueryString).toMatch(/userIdentity\.arn/);
    }
  });

  it('adds an anomaly-detection alarm on the KMS cryptographic volume that fires only on a rise', () => {
    const anomaly = Object.values(alarms).find((a) => a.Properties.ThresholdMetricId !== undefined)!;
    expect(anomaly.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanUpperThreshold', TreatMissingData: 'notBreaching' });
    const expression = anomaly.Properties.Metrics.find((m: any) => m.Expression)!;
    expect(expression.Expression).toMatch(/^ANOMALY_DETECTION_BAND\(m0, ?3\)$/);
    const stat = anomaly.Properties.Metrics.find((m: any) => m.MetricStat)!;
    expect(stat.MetricStat).toMatchObject({ Metric: { MetricName: 'KmsCryptographicOperations', Namespace: METRIC_NAMESPACE }, Stat: 'Sum' });
  });
});
