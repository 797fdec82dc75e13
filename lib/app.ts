import * as path from 'path';
import type { App } from 'aws-cdk-lib';
import { synthesizeMemberTemplate, type MemberTemplate } from './member/member-template';
import { addNagChecks } from './nag';
import { ManagementStack } from './org/management-stack';
import { loadSettings, type Settings } from './settings';

export const MANAGEMENT_STACK_NAME = 'CryptoAssetMonitoring';

export interface CryptoMonitoringApp {
  readonly settings: Settings;
  readonly member: MemberTemplate;
  readonly management: ManagementStack;
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
  addNagChecks(app);
  return { settings, member, management };
}
