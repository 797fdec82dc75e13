/**
 * Every data set declares exactly the columns its query returns: each query runs over the fixture
 * lake and DuckDB's result columns (names, order, types) are compared with quicksight/data-sets.ts.
 */
import { loadQueries, renderQuery } from '../../lib/analytics/queries';
import { DATA_SETS, RETIREMENT_DATA_SETS, type ColumnType } from '../../quicksight';
import type { SecurityLake } from '../fixtures/security-lake/lake';
import { organizationLake, query } from '../fixtures/security-lake/organization';
import { LOOKBACK_DAYS } from '../fixtures/security-lake/scenarios';

/** How the Athena types behind DuckDB's map onto QuickSight's. */
const QUICKSIGHT_TYPE: Record<string, ColumnType> = {
  VARCHAR: 'STRING',
  BIGINT: 'INTEGER',
  INTEGER: 'INTEGER',
  DOUBLE: 'DECIMAL',
  DECIMAL: 'DECIMAL',
  TIMESTAMP: 'DATETIME',
  BOOLEAN: 'BOOLEAN',
};

let lake: SecurityLake;
beforeAll(async () => {
  lake = await organizationLake();
});
afterAll(() => lake.close());

/** The data sets over Security Lake: always deployed, and the retirement path's while it is on. */
const LAKE_DATA_SETS = [...DATA_SETS, ...RETIREMENT_DATA_SETS];

test('every query under athena-queries/ has exactly one data set', () => {
  expect(LAKE_DATA_SETS.map((d) => d.queryId).sort()).toEqual(loadQueries().map((q) => q.id).sort());
});

describe.each(LAKE_DATA_SETS.map((d) => [d.queryId, d] as const))('%s', (queryId, spec) => {
  test('declares the columns DuckDB returns for the query, in order, with their types', async () => {
    const reader = await lake.conn.runAndReadAll(renderQuery(query(queryId).sql, { ...lake.names, lookbackDays: LOOKBACK_DAYS }));
    const returned = reader.columnNames().map((name, i) => {
      const duck = reader.columnTypes()[i].toString().replace(/\(.*$/, '');
      return { name, type: QUICKSIGHT_TYPE[duck] ?? `unmapped DuckDB type ${duck}` };
    });
    expect(spec.columns).toEqual(returned);
  });

});
