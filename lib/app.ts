import * as path from 'path';
import type { App } from 'aws-cdk-lib';
import { AlertingStack } from './alerting/alerting-stack';
import { AnalyticsStack } from './analytics/analytics-stack';
import { QuickSightDashboards } from './dashboards/dashboards';
import { synthesizeMemberTemplate, type MemberTemplate } from './member/member-template';
import { addNagChecks } from './nag';
import { ManagementStack } from './org/management-stack';
import { loadSettings, type Settings } from './settings';

export const MANAGEMENT_STACK_NAME = 'CryptoAssetMonitoring';
export const ALERTING_STACK_NAME = 'CryptoAssetMonitoringAlerting';
export const ANALYTICS_STACK_NAME = 'CryptoAssetMonitoringAnalytics';

export interface CryptoMonitoringApp {
  readonly settings: Settings;
  readonly member: MemberTemplate;
  readonly management: ManagementStack;
  /** Present when alerting is enabled; deployed to the account that owns the organization trail's log group. */
  readonly alerting?: AlertingStack;
  /** Present when analytics is enabled; deployed to the Security Lake delegated administrator account, rollup region. */
  readonly analytics?: AnalyticsStack;
  /** Present when dashboards are enabled too; part of the analytics stack, since QuickSight queries Athena in its own account. */
  readonly dashboards?: QuickSightDashboards;
}

/** Builds every stack of the app from its context; throws before creating anything if settings are invalid. */
export function buildApp(app: App): CryptoMonitoringApp {
  const settings = loadSettings(app.node);
  const member = synthesizeMemberTemplate(settings, app.node.getAllContext(), path.join(app.outdir, 'member.out'));
  const management = new ManagementStack(app, MANAGEMENT_STACK_NAME, {
    settings,
    memberTemplatePath: member.templatePath,
    description: 'crypto-asset-monitoring: delivers the member rules to the organization through a service-managed StackSet',
  });
  const a = settings.alerting;
  const alerting = a.enabled
    ? new AlertingStack(app, ALERTING_STACK_NAME, {
        settings,
        env: a.centralAccountId && a.centralRegion ? { account: a.centralAccountId, region: a.centralRegion } : undefined,
        description: 'crypto-asset-monitoring: real-time alerting on KMS, Secrets Manager and ACM activity',
      })
    : undefined;
  const analytics = settings.analytics.enabled
    ? new AnalyticsStack(app, ANALYTICS_STACK_NAME, {
        settings,
        // With the inventory on, the account is known: the one that holds the bucket every member writes to.
        env: { account: settings.inventory.enabled ? settings.inventory.bucketAccountId : undefined, region: settings.analytics.securityLakeRegion },
        description: 'crypto-asset-monitoring: Athena workgroup and named queries over AWS Security Lake, and the cryptographic inventory',
      })
    : undefined;
  const dashboards =
    analytics && settings.dashboards.enabled
      ? new QuickSightDashboards(analytics, 'Dashboards', {
          settings: settings.dashboards,
          workGroup: analytics.workGroup,
          results: analytics.results,
          values: analytics.values,
          queries: analytics.queryFiles,
          retirement: settings.retirement.enabled,
        })
      : undefined;
  addNagChecks(app);
  return { settings, member, management, alerting, analytics, dashboards };
}
