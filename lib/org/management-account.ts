import type { App } from 'aws-cdk-lib';
import { MemberStack } from '../member/member-stack';
import type { Settings } from '../settings';

export const MANAGEMENT_ACCOUNT_STACK_NAME = 'CryptoAssetMonitoringManagementAccount';

/**
 * Service-managed StackSets never deploy to the organization's management account, yet it holds
 * keys, secrets and certificates too. These are the same MemberStack the StackSet carries, as
 * ordinary stacks of this app (deployed from the management account itself), one per target
 * region, so the management account's results look exactly like every member account's.
 * With no target regions, one stack goes to the region the app is deployed to, as the StackSet does.
 */
export function managementAccountStacks(app: App, settings: Settings): MemberStack[] {
  const d = settings.deployment;
  if (!d.includeManagementAccount) return [];
  const description = 'crypto-asset-monitoring: the member Config rules in the management account, which service-managed StackSets never reach';
  const targets: { id: string; region?: string }[] =
    d.targetRegions.length > 0 ? d.targetRegions.map((region) => ({ id: `${MANAGEMENT_ACCOUNT_STACK_NAME}-${region}`, region })) : [{ id: MANAGEMENT_ACCOUNT_STACK_NAME }];
  return targets.map(({ id, region }) => new MemberStack(app, id, { settings, description, ...(region ? { env: { region } } : {}) }));
}
