import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ActivityAlarm } from './activity-alarms';

export interface ActivityDashboardProps {
  readonly dashboardName: string;
  readonly activity: readonly ActivityAlarm[];
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/** One page: the state of every alerting alarm on top, then each crypto activity count over time. */
export class ActivityDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ActivityDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Crypto asset alarms',
        alarms: [...props.alarms],
        width: 24,
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      }),
    );
    const graphs = props.activity.map(
      (a) =>
        new cloudwatch.GraphWidget({
          title: a.spec.metricName,
          left: [a.metric],
          leftAnnotations: [{ value: a.threshold, label: 'alarm threshold' }],
          width: 8,
          height: 6,
        }),
    );
    for (let i = 0; i < graphs.length; i += 3) this.dashboard.addWidgets(...graphs.slice(i, i + 3));
  }
}

