import { Aws } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import { DATA_SETS, type DataSetSpec } from '../../quicksight';
import { renderQuery, type QueryFile, type QueryValues } from '../analytics/queries';
import type { DashboardsSettings } from '../settings/dashboards';
import { dataSetIdentifier } from './definition';
import { DATA_SET_OWNER_ACTIONS, permissions } from './permissions';

export interface QueryDataSetsProps {
  readonly settings: DashboardsSettings;
  readonly dataSource: quicksight.CfnDataSource;
  readonly values: QueryValues;
  /** The files under athena-queries/ (loadQueries), as the named queries use them. */
  readonly queries: readonly QueryFile[];
  /** The data sets to make; DATA_SETS (over Security Lake) unless given. */
  readonly dataSets?: readonly DataSetSpec[];
}

/** QuickSight's CustomSql.SqlQuery limit. */
const SQL_LIMIT = 168_000;

/**
 * One data set per query: custom SQL from the same file the Athena named query uses, with the
 * placeholders filled the same way, and the declared columns. SPICE data sets get a refresh
 * schedule; direct-query ones run the SQL on every view.
 */
export class QueryDataSets extends Construct {
  /** By query id. */
  readonly byQuery: ReadonlyMap<string, quicksight.CfnDataSet>;

  constructor(scope: Construct, id: string, props: QueryDataSetsProps) {
    super(scope, id);
    const s = props.settings;
    const queries = new Map(props.queries.map((q) => [q.id, q]));
    const byQuery = new Map<string, quicksight.CfnDataSet>();
    for (const spec of props.dataSets ?? DATA_SETS) {
      const query = queries.get(spec.queryId);
      if (!query) throw new Error(`quicksight/data-sets.ts declares ${spec.queryId}, which has no file under athena-queries/`);
      const sql = renderQuery(query.sql, props.values);
      if (sql.length > SQL_LIMIT) throw new Error(`${spec.queryId}: ${sql.length} characters of SQL; QuickSight custom SQL allows ${SQL_LIMIT}`);
      const slug = dataSetIdentifier(spec.queryId);
      const dataSet = new quicksight.CfnDataSet(this, spec.queryId, {
        awsAccountId: Aws.ACCOUNT_ID,
        dataSetId: `${s.idPrefix}-${slug}`,
        name: `crypto-asset-monitoring ${spec.queryId}`,
        importMode: s.importMode,
        physicalTableMap: {
          query: {
            customSql: {
              dataSourceArn: props.dataSource.attrArn,
              name: slug,
              sqlQuery: sql,
              columns: spec.columns.map((c) => ({ name: c.name, type: c.type })),
            },
          },
        },
        // No transforms: the queries return every column in its final type (dates as timestamps, in
        // SQL, where a malformed one becomes NULL instead of a row SPICE would skip).
        permissions: permissions(s, DATA_SET_OWNER_ACTIONS),
      });
      if (s.importMode === 'SPICE') {
        const schedule = new quicksight.CfnRefreshSchedule(this, `${spec.queryId}/Refresh`, {
          awsAccountId: Aws.ACCOUNT_ID,
          dataSetId: dataSet.dataSetId,
          schedule: {
            scheduleId: `${slug}-refresh`,
            refreshType: 'FULL_REFRESH',
            scheduleFrequency: {
              interval: s.refreshInterval,
              timeZone: s.refreshTimeZone,
              // Hourly refreshes take no time of day.
              ...(s.refreshInterval === 'HOURLY' ? {} : { timeOfTheDay: s.refreshTimeOfDay }),
              ...(s.refreshInterval === 'WEEKLY' ? { refreshOnDay: { dayOfWeek: s.refreshDayOfWeek } } : {}),
            },
          },
        });
        schedule.node.addDependency(dataSet);
      }
      byQuery.set(spec.queryId, dataSet);
    }
    this.byQuery = byQuery;
  }
}
