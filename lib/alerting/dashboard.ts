import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ActivityAlarm } from './activity-alarms';
import type { ActivityAlarmKey } from './metric-filters';

export interface ActivityDashboardProps {
  readonly dashboardName: string;
  readonly activity: readonly ActivityAlarm[];
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/** What each activity metric counts, in words, across every account and Region of the organization trail. */
const WHAT_IS_COUNTED: Record<ActivityAlarmKey, (spec: ActivityAlarm['spec']) => string> = {
  kmsKeyDisabledOrScheduledForDeletion: () => 'KMS keys disabled or scheduled for deletion',
  kmsCryptographicOperations: () => 'KMS Encrypt, Decrypt, ReEncrypt, GenerateDataKey calls',
  // With watched secrets the pattern names them (secretReadsPattern).
  secretReads: (spec) => (spec.filterPattern.includes('requestParameters.secretId') ? 'GetSecretValue calls on the watched secrets' : 'GetSecretValue calls on any secret'),
  // AccessDenied or UnauthorizedOperation, as the metric filter says.
  kmsAccessDenied: () => 'KMS calls refused as access denied',
  secretsManagerAccessDenied: () => 'Secrets Manager calls refused as access denied',
  kmsKeyPendingDeletionUse: () => 'Calls on KMS keys pending deletion',
  deletedSecretReads: () => 'Reads of secrets marked for deletion',
};

/** A graph's title: what is counted, in all accounts and Regions, and over which period. */
export function activityWidgetTitle(a: Pick<ActivityAlarm, 'spec' | 'metric'>): string {
  const minutes = a.metric.period.toMinutes();
  return `${WHAT_IS_COUNTED[a.spec.key](a.spec)}, all accounts, per ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** CloudWatch's grid is 24 columns wide: graphs in pairs, a graph without a partner across the row. */
const GRID_WIDTH = 24;

/**
 * One page: the state of every alerting alarm on top, then each crypto activity count over time,
 * two to a row so the titles fit, each with its alarm's threshold drawn across it.
 */
export class ActivityDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ActivityDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Crypto asset alarms: the state of each, most recently changed first',
        alarms: [...props.alarms],
        width: 24,
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      }),
    );
    const graphs = props.activity.map(
      (a, i) =>
        new cloudwatch.GraphWidget({
          title: activityWidgetTitle(a),
          left: [a.metric.with({ label: a.spec.metricName })],
          leftAnnotations: [{ value: a.threshold, label: `alarm at ${a.threshold}` }],
          leftYAxis: { min: 0, showUnits: false },
          width: i === props.activity.length - 1 && i % 2 === 0 ? GRID_WIDTH : GRID_WIDTH / 2,
          height: 6,
        }),
    );
    for (let i = 0; i < graphs.length; i += 2) this.dashboard.addWidgets(...graphs.slice(i, i + 2));
  }
}
