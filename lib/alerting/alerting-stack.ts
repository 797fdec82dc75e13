import { Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag, acknowledgeNagRule } from '../nag';
import { EventForwarding } from '../member/event-forwarding';
import type { Settings } from '../settings';
import { ActivityAlarms } from './activity-alarms';
import { ActivityDashboard } from './dashboard';
import { EventAlerts } from './event-rules';
import { KeyMaterialAlarms } from './key-material-alarms';
import { OrganizationId } from './organization-id';
import { OrganizationTrail } from './organization-trail';
import { AlertTopic } from './topic';

/** The construct id aws-cdk-lib gives the AwsCustomResource provider singleton. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

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
  readonly organizationIdLookup?: OrganizationId;
  readonly localForwarding: EventForwarding;

  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id, props);
    const a = props.settings.alerting;
    const namePrefix = props.settings.deployment.namePrefix;

    let organizationId = a.organizationId;
    if (organizationId === undefined) {
      this.organizationIdLookup = new OrganizationId(this, 'OrganizationId');
      organizationId = this.organizationIdLookup.organizationId;
      acknowledgeNag(this.organizationIdLookup, 'AwsSolutions-IAM5', [['Resource::*', 'organizations:DescribeOrganization has no resource scope.']]);
      // The AwsCustomResource provider is a stack-level singleton owned by aws-cdk-lib.
      const provider = this.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
      if (provider) {
        acknowledgeNag(provider, 'AwsSolutions-IAM4', [
          [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            'The AwsCustomResource provider of aws-cdk-lib writes its own logs; the managed policy grants only log writes.',
          ],
        ]);
        acknowledgeNagRule(provider, 'AwsSolutions-L1', 'The AwsCustomResource provider runtime is chosen by aws-cdk-lib, not by this app.');
      }
    }

    if (a.organizationTrail.create) {
      this.organizationTrail = new OrganizationTrail(this, 'OrganizationTrail', {
        trailName: a.organizationTrail.trailName,
        organizationId,
        logRetentionDays: a.organizationTrail.logRetentionDays,
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
      accessAnalyzerFindings: a.accessAnalyzerFindings,
      namePrefix,
    });
    // The StackSet never reaches the management account, which often holds the trail's log group
    // (Control Tower) and the organization's analyzer; this account's own events join the others here.
    this.localForwarding = new EventForwarding(this, 'LocalForwarding', {
      targetBusArn: this.events.bus.eventBusArn,
      includeAccessAnalyzer: a.accessAnalyzerFindings,
    });

    this.dashboard = new ActivityDashboard(this, 'Dashboard', {
      dashboardName: a.dashboardName,
      activity: this.activity.items,
      alarms: [...this.activity.alarms, ...this.keyMaterial.alarms],
    });
  }
}
