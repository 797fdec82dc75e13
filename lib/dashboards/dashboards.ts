import { Aws, Stack } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import { DASHBOARDS, DATA_SETS, INVENTORY_DASHBOARDS, INVENTORY_DATA_SETS, RETIREMENT_DASHBOARDS, RETIREMENT_DATA_SETS } from '../../quicksight';
import { AnalyticsStack } from '../analytics/analytics-stack';
import type { Inventory } from '../analytics/inventory';
import type { QueryFile, QueryValues } from '../analytics/queries';
import type { QueryResultsBucket } from '../analytics/results-bucket';
import type { AnalyticsWorkGroup } from '../analytics/workgroup';
import type { DashboardsSettings } from '../settings/dashboards';
import { AthenaDataSource } from './data-source';
import { QueryDataSets } from './data-sets';
import { dashboardDefinition } from './definition';
import { ANALYSIS_OWNER_ACTIONS, DASHBOARD_OWNER_ACTIONS, DASHBOARD_VIEWER_ACTIONS, permissions } from './permissions';

export interface QuickSightDashboardsProps {
  readonly settings: DashboardsSettings;
  readonly workGroup: AnalyticsWorkGroup;
  readonly results: QueryResultsBucket;
  readonly values: QueryValues;
  /** The files under athena-queries/, as the analytics stack loaded them. */
  readonly queries: readonly QueryFile[];
  /**
   * The cryptographic inventory, while it is on: its data sets and the "Cryptographic inventory"
   * dashboard are made too. The analytics stack's own when not given.
   */
  readonly inventory?: Inventory;
  /**
   * Whether the retirement path is on (retirement.enabled): its data sets and the "Retirement of
   * unused keys and secrets" dashboard are made too. Off when not given.
   */
  readonly retirement?: boolean;
}

/**
 * Everything QuickSight: the Athena data source, a data set per query, and per dashboard spec an
 * analysis (for owners to explore and edit) and a published dashboard with the same definition;
 * the inventory's data sets and dashboard only while the inventory is on, the retirement path's
 * only while the path is on.
 * It belongs in the stack of the Athena workgroup: QuickSight queries Athena in its own account,
 * and that stack grants the data source's role its Lake Formation access.
 */
export class QuickSightDashboards extends Construct {
  readonly dataSource: AthenaDataSource;
  readonly dataSets: QueryDataSets;

  constructor(scope: Construct, id: string, props: QuickSightDashboardsProps) {
    super(scope, id);
    const s = props.settings;
    const stack = Stack.of(this);
    const inventory = props.inventory ?? (stack instanceof AnalyticsStack ? stack.inventory : undefined);
    this.dataSource = new AthenaDataSource(this, 'DataSource', {
      settings: s,
      workGroup: props.workGroup,
      results: props.results,
      names: props.values,
      listedReaders: stack instanceof AnalyticsStack ? stack.grants : undefined,
      inventory,
    });
    this.dataSets = new QueryDataSets(this, 'DataSets', {
      settings: s,
      dataSource: this.dataSource.dataSource,
      values: props.values,
      queries: props.queries,
      dataSets: [...DATA_SETS, ...(props.retirement ? RETIREMENT_DATA_SETS : []), ...(inventory ? INVENTORY_DATA_SETS : [])],
    });
    const arnOf = (queryId: string) => {
      const ds = this.dataSets.byQuery.get(queryId);
      if (!ds) throw new Error(`A dashboard reads ${queryId}, which has no data set in quicksight/data-sets.ts`);
      return ds.attrArn;
    };
    for (const d of [...DASHBOARDS, ...(props.retirement ? RETIREMENT_DASHBOARDS : []), ...(inventory ? INVENTORY_DASHBOARDS : [])]) {
      const definition = dashboardDefinition(d, arnOf);
      const name = `Crypto asset monitoring: ${d.name}`;
      new quicksight.CfnAnalysis(this, `${d.id}/Analysis`, {
        awsAccountId: Aws.ACCOUNT_ID,
        analysisId: `${s.idPrefix}-${d.id}`,
        name,
        // The same structure under the analysis' own type names.
        definition: definition as quicksight.CfnAnalysis.AnalysisDefinitionProperty,
        permissions: permissions(s, ANALYSIS_OWNER_ACTIONS),
      });
      new quicksight.CfnDashboard(this, `${d.id}/Dashboard`, {
        awsAccountId: Aws.ACCOUNT_ID,
        dashboardId: `${s.idPrefix}-${d.id}`,
        name,
        definition,
        versionDescription: 'Deployed by crypto-asset-monitoring from quicksight/',
        dashboardPublishOptions: {
          adHocFilteringOption: { availabilityStatus: 'ENABLED' },
          exportToCsvOption: { availabilityStatus: 'ENABLED' },
          sheetControlsOption: { visibilityState: 'EXPANDED' },
        },
        permissions: permissions(s, DASHBOARD_OWNER_ACTIONS, DASHBOARD_VIEWER_ACTIONS),
      });
    }
  }
}
