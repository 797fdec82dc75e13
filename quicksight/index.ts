/** The dashboards this app deploys and previews, and the data sets they read. */
import { ACM_DASHBOARD } from './acm';
import { KMS_DASHBOARD } from './kms';
import type { DashboardSpec } from './model';
import { SECRETS_MANAGER_DASHBOARD } from './secrets-manager';

export * from './model';
export { DATA_SETS, columnType, dataSet } from './data-sets';

export const DASHBOARDS: readonly DashboardSpec[] = [KMS_DASHBOARD, ACM_DASHBOARD, SECRETS_MANAGER_DASHBOARD];

/** The query ids a dashboard reads, in first-use order. */
export function dataSetsOf(d: DashboardSpec): string[] {
  return [...new Set(d.sheets.flatMap((s) => s.visuals.map((v) => v.dataSet)))];
}
export { problemsIn } from './check';
export * from './presentation';
export * from './layout';
