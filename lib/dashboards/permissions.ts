/**
 * Who may do what with the QuickSight resources: owners manage everything, viewers only open the
 * dashboards. Principals given as `user/<namespace>/<name>` are completed with the identity region.
 */
import { Aws } from 'aws-cdk-lib';
import type { DashboardsSettings } from '../settings/dashboards';

export const DATA_SOURCE_OWNER_ACTIONS = [
  'quicksight:DescribeDataSource', 'quicksight:DescribeDataSourcePermissions', 'quicksight:PassDataSource',
  'quicksight:UpdateDataSource', 'quicksight:DeleteDataSource', 'quicksight:UpdateDataSourcePermissions',
];
export const DATA_SET_OWNER_ACTIONS = [
  'quicksight:DescribeDataSet', 'quicksight:DescribeDataSetPermissions', 'quicksight:PassDataSet', 'quicksight:DescribeIngestion',
  'quicksight:ListIngestions', 'quicksight:UpdateDataSet', 'quicksight:DeleteDataSet', 'quicksight:CreateIngestion',
  'quicksight:CancelIngestion', 'quicksight:UpdateDataSetPermissions',
];
export const ANALYSIS_OWNER_ACTIONS = [
  'quicksight:RestoreAnalysis', 'quicksight:UpdateAnalysisPermissions', 'quicksight:DeleteAnalysis',
  'quicksight:DescribeAnalysisPermissions', 'quicksight:QueryAnalysis', 'quicksight:DescribeAnalysis', 'quicksight:UpdateAnalysis',
];
export const DASHBOARD_VIEWER_ACTIONS = ['quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:QueryDashboard'];
export const DASHBOARD_OWNER_ACTIONS = [
  ...DASHBOARD_VIEWER_ACTIONS, 'quicksight:UpdateDashboardPermissions', 'quicksight:DescribeDashboardPermissions',
  'quicksight:UpdateDashboard', 'quicksight:DeleteDashboard', 'quicksight:UpdateDashboardPublishedVersion',
];

/** A full QuickSight principal ARN for a setting's entry. */
function principalArn(entry: string, identityRegion: string): string {
  return entry.startsWith('arn:') ? entry : `arn:${Aws.PARTITION}:quicksight:${identityRegion}:${Aws.ACCOUNT_ID}:${entry}`;
}

interface Permission {
  readonly principal: string;
  readonly actions: string[];
}

/** Owners with `ownerActions`, plus viewers with `viewerActions` when given. */
export function permissions(s: DashboardsSettings, ownerActions: string[], viewerActions?: string[]): Permission[] {
  const owners = s.owners.map((p) => ({ principal: principalArn(p, s.identityRegion), actions: ownerActions }));
  const viewers = viewerActions ? s.viewers.map((p) => ({ principal: principalArn(p, s.identityRegion), actions: viewerActions })) : [];
  return [...owners, ...viewers];
}
