import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AlarmSettings, CountAlarmSettings } from '../settings/alerting';
import { activityMetrics, LOG_GROUP_METRIC_FILTER_QUOTA, METRIC_NAMESPACE, type ActivityMetricSpec } from './metric-filters';

/** CloudFormation's limit for AlarmDescription. */
export const ALARM_DESCRIPTION_MAX_LENGTH = 1024;

export interface ActivityAlarmsProps {
  readonly logGroup: logs.ILogGroup;
  readonly alarms: AlarmSettings;
  readonly namePrefix: string;
  readonly action: cloudwatch.IAlarmAction;
}

/** One activity metric as built: its filter, metric, alarm and saved Logs Insights query. */
export interface ActivityAlarm {
  readonly spec: ActivityMetricSpec;
  readonly filter: logs.MetricFilter;
  readonly metric: cloudwatch.Metric;
  readonly alarm: cloudwatch.Alarm;
  readonly query: logs.CfnQueryDefinition;
  readonly threshold: number;
}

/**
 * The metric filters on the organization trail's log group and a count alarm on each, plus an
 * anomaly-detection alarm on the KMS cryptographic volume. Counts use Sum (Average of a count
 * that is 1 per matching event is always 1 and never crosses a threshold above 1), and missing
 * data is not breaching: no matching event means nothing happened.
 */
export class ActivityAlarms extends Construct {
  readonly items: ActivityAlarm[] = [];
  readonly anomalyAlarm?: cloudwatch.AnomalyDetectionAlarm;

  constructor(scope: Construct, id: string, props: ActivityAlarmsProps) {
    super(scope, id);
    const specs = activityMetrics(props.alarms);
    if (specs.length > LOG_GROUP_METRIC_FILTER_QUOTA) {
      throw new Error(`${specs.length} metric filters exceed CloudWatch Logs' quota of ${LOG_GROUP_METRIC_FILTER_QUOTA} per log group`);
    }
    for (const spec of specs) {
      const settings = props.alarms[spec.key] as CountAlarmSettings;
      const filter = new logs.MetricFilter(this, `${spec.metricName}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(spec.filterPattern),
        metricNamespace: METRIC_NAMESPACE,
        metricName: spec.metricName,
        metricValue: '1',
        // Zeros while the trail delivers, so the anomaly model and the dashboard see quiet periods.
        defaultValue: 0,
      });
      const queryName = `${props.namePrefix}/${spec.slug}`;
      // Saved in CloudWatch Logs Insights, so the reader opens it by name instead of retyping it.
      const query = new logs.CfnQueryDefinition(this, `${spec.metricName}Query`, {
        name: queryName,
        queryString: spec.insightsQuery,
        logGroupNames: [props.logGroup.logGroupName],
      });
      const metric = filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(settings.periodMinutes) });
      const alarm = new cloudwatch.Alarm(this, `${spec.metricName}Alarm`, {
        alarmName: `${props.namePrefix}-${spec.slug}`,
        alarmDescription: alarmDescription(spec, queryName, props.logGroup.logGroupName),
        metric,
        threshold: settings.threshold,
        evaluationPeriods: settings.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.action);
      this.items.push({ spec, filter, metric, alarm, query, threshold: settings.threshold });
    }

    const volume = this.items.find((i) => i.spec.key === 'kmsCryptographicOperations');
    const volumeSettings = props.alarms.kmsCryptographicOperations;
    if (volume && volumeSettings.anomalyDetection) {
      this.anomalyAlarm = new cloudwatch.AnomalyDetectionAlarm(this, 'KmsCryptographicOperationsAnomaly', {
        alarmName: `${props.namePrefix}-${volume.spec.slug}-anomaly`,
        alarmDescription: alarmDescription(
          { ...volume.spec, whatHappened: `KMS cryptographic calls across the organization rose above the band CloudWatch learned from their history (${volumeSettings.anomalyBandWidth} standard deviations). A sudden rise can be bulk decryption of data being taken out.` },
          volume.query.name,
          props.logGroup.logGroupName,
        ),
        metric: volume.metric,
        stdDevs: volumeSettings.anomalyBandWidth,
        evaluationPeriods: volumeSettings.evaluationPeriods,
        // Only a rise is suspicious; a quiet night is not.
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.anomalyAlarm.addAlarmAction(props.action);
    }
  }

  get alarms(): cloudwatch.Alarm[] {
    return [...this.items.map((i) => i.alarm), ...(this.anomalyAlarm ? [this.anomalyAlarm] : [])];
  }
}

/**
 * The severity, what happened, what to do, and the ready query that names who and where. When the query does
 * not fit CloudFormation's 1,024 characters, the description names the saved query instead.
 */
export function alarmDescription(spec: Pick<ActivityMetricSpec, 'severity' | 'whatHappened' | 'nextSteps' | 'insightsQuery'>, queryName: string, logGroupName: string): string {
  const head = `[${spec.severity}] ${spec.whatHappened} What to do: ${spec.nextSteps}`;
  const where = `Which account, region, resource and principal: run the saved CloudWatch Logs Insights query ${queryName} on log group ${logGroupName}`;
  const full = `${head} ${where}: ${spec.insightsQuery}`;
  if (full.length <= ALARM_DESCRIPTION_MAX_LENGTH) return full;
  const short = `${head} ${where}.`;
  if (short.length > ALARM_DESCRIPTION_MAX_LENGTH) throw new Error(`Alarm description for ${queryName} is over ${ALARM_DESCRIPTION_MAX_LENGTH} characters`);
  return short;
}
