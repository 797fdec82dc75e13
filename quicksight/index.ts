/** The dashboards this app deploys and previews, and the data sets they read. */
import { ACM_DASHBOARD } from './acm';
import { INVENTORY_DASHBOARD } from './inventory';
import { KMS_DASHBOARD } from './kms';
import { RETIREMENT_DASHBOARD } from './retirement';
import type { DashboardSpec } from './model';
import { SECRETS_MANAGER_DASHBOARD } from './secrets-manager';

export * from './model';
export { DATA_SETS, INVENTORY_DATA_SETS, RETIREMENT_DATA_SETS, columnType, dataSet, findDataSet, readsInventory, readsRetirement } from './data-sets';

/** The dashboards over Security Lake, deployed whenever dashboards are on. */
export const DASHBOARDS: readonly DashboardSpec[] = [KMS_DASHBOARD, ACM_DASHBOARD, SECRETS_MANAGER_DASHBOARD];

/** The dashboards over the cryptographic inventory, deployed only while the inventory is on too. */
export const INVENTORY_DASHBOARDS: readonly DashboardSpec[] = [INVENTORY_DASHBOARD];

/** The retirement path's dashboards, deployed only while the path is on too. */
export const RETIREMENT_DASHBOARDS: readonly DashboardSpec[] = [RETIREMENT_DASHBOARD];

/** The query ids a dashboard reads, in first-use order. */
export function dataSetsOf(d: DashboardSpec): string[] {
  return [...new Set(d.sheets.flatMap((s) => s.visuals.map((v) => v.dataSet)))];
}
export { problemsIn } from './check';
export * from './presentation';
export * from './layout';
