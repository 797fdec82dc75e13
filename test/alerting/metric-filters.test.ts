import { Template } from 'aws-cdk-lib/assertions';
import { ALARM_DESCRIPTION_MAX_LENGTH } from '../../lib/alerting/activity-alarms';
import { CIS_KMS_FILTER_PATTERN, LOG_GROUP_METRIC_FILTER_QUOTA, METRIC_NAMESPACE, secretReadsPattern } from '../../lib/alerting/metric-filters';
import { buildTestApp, cdkJsonContext } from '../support/app';
import { matchesFilterPattern } from '../support/filter-pattern';
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

  it('limits secret reads to the watched secrets, named or by ARN', () => {
    const watched = secretReadsPattern(['MyTestDatabaseSecret']);
    expect(matchesFilterPattern(watched, cloudTrailRecord('secretsmanager-get-secret-value-by-name'))).toBe(true);
    expect(matchesFilterPattern(watched, cloudTrailRecord('secretsmanager-get-secret-value'))).toBe(true);
    expect(matchesFilterPattern(watched, cloudTrailRecord('secretsmanager-get-secret-value-other-secret'))).toBe(false);
    const byArn = secretReadsPattern(['arn:aws:secretsmanager:us-west-2:111122223333:secret:MyTestDatabaseSecret-a1b2c3']);
    expect(matchesFilterPattern(byArn, cloudTrailRecord('secretsmanager-get-secret-value'))).toBe(true);
    expect(matchesFilterPattern(byArn, cloudTrailRecord('secretsmanager-get-secret-value-other-secret'))).toBe(false);
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

  it('tells the reader what happened, what to do and which Logs Insights query names who and where', () => {
    for (const a of countAlarms) {
      const d: string = a.Properties.AlarmDescription;
      expect(d.length).toBeLessThanOrEqual(ALARM_DESCRIPTION_MAX_LENGTH);
      expect(d).toMatch(/ Next: /);
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
