import { Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { alertOptionsOf } from '../event-patterns';
import { EventForwarding } from '../member/event-forwarding';
import type { Settings } from '../settings';
import { ActivityAlarms } from './activity-alarms';
import { ActivityDashboard } from './dashboard';
import { EventAlerts } from './event-rules';
import { KeyMaterialAlarms } from './key-material-alarms';
import { OrganizationLookup } from '../org/organization-lookup';
import { OrganizationTrail } from './organization-trail';
import { AlertTopic } from './topic';

export interface AlertingStackProps extends StackProps {
  readonly settings: Settings;
}

/**
 * Real-time alerting, deployed in the account and region that own the organization trail's
 * CloudWatch Logs log group: metric filters and alarms on that log group, the central event bus
 * with its rules, the encrypted alert topic and the activity dashboard.
 */
export class AlertingStack extends Stack {
  readonly topic: AlertTopic;
  readonly activity: ActivityAlarms;
  readonly keyMaterial: KeyMaterialAlarms;
  readonly events: EventAlerts;
  readonly dashboard: ActivityDashboard;
  readonly logGroup: logs.ILogGroup;
  readonly organizationTrail?: OrganizationTrail;
  readonly organizationIdLookup?: OrganizationLookup;
  readonly localForwarding: EventForwarding;

  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id, props);
    const a = props.settings.alerting;
    const namePrefix = props.settings.deployment.namePrefix;

    let organizationId = a.organizationId;
    if (organizationId === undefined) {
      // Resource policies are limited to the organization; its id is looked up at deploy time.
      this.organizationIdLookup = new OrganizationLookup(this, 'OrganizationId', { action: 'describeOrganization', outputPath: 'Organization.Id' });
      organizationId = this.organizationIdLookup.value;
    }

    if (a.organizationTrail.create) {
      this.organizationTrail = new OrganizationTrail(this, 'OrganizationTrail', {
        trailName: a.organizationTrail.trailName,
        organizationId,
        logRetentionDays: a.organizationTrail.logRetentionDays,
        transitionToInfrequentAccessDays: a.organizationTrail.transitionToInfrequentAccessDays,
        expireAfterDays: a.organizationTrail.expireAfterDays,
        noncurrentVersionExpireAfterDays: a.organizationTrail.noncurrentVersionExpireAfterDays,
        objectLockGovernanceDays: a.organizationTrail.objectLockGovernanceDays,
        namePrefix,
      });
      this.logGroup = this.organizationTrail.logGroup;
    } else {
      this.logGroup = logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', a.logGroupName);
    }

    this.topic = new AlertTopic(this, 'Alerts', {
      namePrefix,
      emails: a.notifications.emails,
      httpsEndpoints: a.notifications.httpsEndpoints,
    });
    const action = new cloudwatchActions.SnsAction(this.topic.topic);

    this.activity = new ActivityAlarms(this, 'Activity', { logGroup: this.logGroup, alarms: a.alarms, namePrefix, action });
    this.keyMaterial = new KeyMaterialAlarms(this, 'KeyMaterial', {
      keyIds: a.alarms.importedKeyMaterialExpiry.keyIds,
      daysBeforeExpiry: a.alarms.importedKeyMaterialExpiry.daysBeforeExpiry,
      namePrefix,
      action,
    });

    this.events = new EventAlerts(this, 'Events', {
      eventBusName: a.eventBusName,
      organizationId,
      topic: this.topic.topic,
      alerts: alertOptionsOf(props.settings),
      namePrefix,
    });
    // The StackSet never reaches the management account, which often holds the trail's log group
    // (Control Tower) and the organization's analyzer; this account's own events join the others here.
    this.localForwarding = new EventForwarding(this, 'LocalForwarding', {
      targetBusArn: this.events.bus.eventBusArn,
      alerts: alertOptionsOf(props.settings),
      name: `${namePrefix}-local-alert-forwarding`,
    });

    this.dashboard = new ActivityDashboard(this, 'Dashboard', {
      dashboardName: a.dashboardName,
      activity: this.activity.items,
      alarms: [...this.activity.alarms, ...this.keyMaterial.alarms],
    });
  }
}
