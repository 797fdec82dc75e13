/**
 * The "Cryptographic inventory" dashboard: its data sets over the inventory queries (columns as
 * DuckDB returns them over the inventory fixtures), its definition, what the analytics stack deploys
 * with the inventory on and off (its preview: previews.test.ts).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { loadInventoryQueries } from '../../lib/analytics/queries';
import {
  DASHBOARDS, DATA_SETS, INVENTORY_DASHBOARDS, INVENTORY_DATA_SETS, dataSet, dataSetsOf, problemsIn, readsInventory, type ColumnType,
} from '../../quicksight';
import { inventoryLake, inventoryQuery, type InventoryLake } from '../fixtures/inventory/lake';
import { buildTestApp } from '../support/app';

const [INVENTORY_DASHBOARD] = INVENTORY_DASHBOARDS;
const visuals = INVENTORY_DASHBOARD.sheets.flatMap((s) => s.visuals);
const OWNER = 'group/default/security';
const INVENTORY = { enabled: true, bucketAccountId: '123456789012' };

/** How the Athena types behind DuckDB's map onto QuickSight's (as in data-set-columns.test.ts). */
const QUICKSIGHT_TYPE: Record<string, ColumnType> = { VARCHAR: 'STRING', BIGINT: 'INTEGER', INTEGER: 'INTEGER', DOUBLE: 'DECIMAL', TIMESTAMP: 'DATETIME', BOOLEAN: 'BOOLEAN' };

describe('data sets', () => {
  let lake: InventoryLake;
  beforeAll(async () => {
    lake = await inventoryLake();
  });
  afterAll(() => lake.close());

  test('every inventory query has exactly one data set, and only those read the inventory', () => {
    expect(INVENTORY_DATA_SETS.map((d) => d.queryId).sort()).toEqual(loadInventoryQueries().map((q) => q.id).sort());
    expect(INVENTORY_DATA_SETS.every((d) => readsInventory(d.queryId))).toBe(true);
    expect(DATA_SETS.some((d) => readsInventory(d.queryId))).toBe(false);
  });

  test.each(INVENTORY_DATA_SETS.map((d) => [d.queryId, d] as const))('%s declares the columns DuckDB returns, in order, with their types', async (queryId, spec) => {
    const returned = (await lake.columnsOf(inventoryQuery(queryId).sql)).map(({ name, type }) => ({ name, type: QUICKSIGHT_TYPE[type.replace(/\(.*$/, '')] ?? `unmapped ${type}` }));
    expect(spec.columns).toEqual(returned);
  });
});

describe('definition', () => {
  test('is sound: every column its visuals use is declared, each table column has a heading', () => {
    expect(problemsIn(INVENTORY_DASHBOARD)).toEqual([]);
    expect(INVENTORY_DASHBOARD.name).toBe('Cryptographic inventory');
  });

  test('every visual has its own title', () => {
    const titles = visuals.map((v) => v.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  test('the visuals the issue asks for, each on the query that answers it', () => {
    expect(visuals.map((v) => `${v.kind}:${v.dataSet}`)).toEqual(expect.arrayContaining([
      'kpi:inventory/quantum-vulnerable', 'bar:inventory/quantum-vulnerable', 'table:inventory/quantum-vulnerable',
      'kpi:inventory/waste', 'table:inventory/waste', 'bar:inventory/waste-by-account',
      'table:inventory/expiring',
      'bar:inventory/keys-by-origin-and-spec',
      'table:inventory/secrets-aws-managed-key',
      'table:inventory/snapshots',
    ]));
    expect(dataSetsOf(INVENTORY_DASHBOARD).sort()).toEqual(INVENTORY_DATA_SETS.map((d) => d.queryId).sort());
  });

  test('the inventory dashboard is apart from the Security Lake ones, and reads only inventory data sets', () => {
    expect(DASHBOARDS.map((d) => d.id)).not.toContain('inventory');
    for (const v of visuals) expect(dataSet(v.dataSet)).toBeDefined();
    expect(dataSetsOf(INVENTORY_DASHBOARD).every(readsInventory)).toBe(true);
  });
});

describe('deployed with the analytics stack', () => {
  function template(overrides: Record<string, unknown>): Template {
    const { app, built } = buildTestApp({
      analytics: { enabled: true },
      dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: [OWNER], importMode: 'DIRECT_QUERY' },
      ...overrides,
    });
    app.synth();
    return Template.fromStack(built.analytics!);
  }
  const on = template({ inventory: INVENTORY });
  const resources = on.toJSON().Resources as Record<string, any>;

  test('one data set per inventory query besides the others, over the inventory table', () => {
    const dataSets = Object.values(on.findResources('AWS::QuickSight::DataSet'));
    expect(dataSets).toHaveLength(DATA_SETS.length + INVENTORY_DATA_SETS.length);
    for (const spec of INVENTORY_DATA_SETS) {
      const found = dataSets.find((r) => r.Properties.DataSetId === `crypto-asset-monitoring-${spec.queryId.replace('/', '-')}`);
      const sql = found!.Properties.PhysicalTableMap.query.CustomSql;
      expect(sql.SqlQuery).toContain('FROM crypto_monitoring_inventory.records r');
      expect(sql.SqlQuery).not.toMatch(/\{\{/);
      expect(sql.Columns).toEqual(spec.columns.map((c) => ({ Name: c.name, Type: c.type })));
    }
  });

  test('the dashboard and its analysis, named and identified like the others, with the same definition', () => {
    const dashboard = Object.values(on.findResources('AWS::QuickSight::Dashboard')).find((r) => r.Properties.DashboardId === 'crypto-asset-monitoring-inventory')!;
    const analysis = Object.values(on.findResources('AWS::QuickSight::Analysis')).find((r) => r.Properties.AnalysisId === 'crypto-asset-monitoring-inventory')!;
    expect(dashboard.Properties.Name).toBe('Crypto asset monitoring: Cryptographic inventory');
    expect(analysis.Properties.Definition).toEqual(dashboard.Properties.Definition);
    expect(dashboard.Properties.Definition.DataSetIdentifierDeclarations.map((d: any) => d.Identifier)).toEqual(dataSetsOf(INVENTORY_DASHBOARD).map((q) => q.replace('/', '-')));
    // Every table column has a heading in words.
    for (const table of dashboard.Properties.Definition.Sheets.flatMap((s: any) => s.Visuals).map((v: any) => v.TableVisual).filter(Boolean)) {
      for (const o of table.ChartConfiguration.FieldOptions.SelectedFieldOptions) expect(o.CustomLabel).toMatch(/^[A-Z][a-z]+( [a-z(][a-z)]*)*$/);
    }
    on.resourceCountIs('AWS::QuickSight::Dashboard', DASHBOARDS.length + 1);
  });

  test('the data source role reads the inventory table and its objects, and Lake Formation grants it the table', () => {
    const roleId = Object.keys(resources).find((id) => resources[id].Properties?.RoleName === 'crypto-asset-monitoring-quicksight')!;
    const policy = Object.values(on.findResources('AWS::IAM::Policy')).find((p) => p.Properties.Roles?.some((r: any) => r.Ref === roleId))!;
    const statements = policy.Properties.PolicyDocument.Statement.filter((st: any) => /Inventory/.test(st.Sid));
    const bucketId = Object.keys(resources).find((id) => resources[id].Properties?.BucketName === 'crypto-monitoring-inventory-123456789012-us-east-1')!;
    expect(statements.map((st: any) => [st.Sid, st.Action])).toEqual([
      ['ReadInventoryTable', ['glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable']],
      ['ListInventory', ['s3:GetBucketLocation', 's3:ListBucket']],
      ['ReadInventory', 's3:GetObject'],
    ]);
    // The stack is bound to the inventory account, so the ARNs name it literally.
    expect(statements[0].Resource.map((r: any) => JSON.stringify(r).match(/:(catalog|database\/[a-z_]+|table\/[a-z_]+\/[a-z_]+)"/)?.[1])).toEqual([
      'catalog',
      'database/crypto_monitoring_inventory',
      'table/crypto_monitoring_inventory/records',
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain(':123456789012:');
    expect(statements[2].Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inventory/*']] });
    const grants = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::LakeFormation::PrincipalPermissions');
    expect(grants).toHaveLength(5);
    const inventoryGrants = grants.filter(([, g]) => JSON.stringify(g.Properties.Resource).includes('crypto_monitoring_inventory'));
    expect(inventoryGrants.map(([, g]) => g.Properties.Permissions)).toEqual([['DESCRIBE'], ['SELECT', 'DESCRIBE']]);
    for (const [, g] of inventoryGrants) {
      expect(g.Properties.Principal).toEqual({ DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } });
      expect(g.DependsOn).toEqual(expect.arrayContaining([roleId, expect.stringMatching(/^InventoryGlueTable/)]));
    }
    const [dataSource] = Object.values(on.findResources('AWS::QuickSight::DataSource'));
    expect(dataSource.DependsOn).toEqual(expect.arrayContaining(inventoryGrants.map(([id]) => id)));
  });

  test('the QuickSight role listed among the readers is left out of the bucket policy (it may not exist yet when the policy is made)', () => {
    const listed = 'arn:aws:iam::123456789012:role/crypto-asset-monitoring-quicksight';
    const analyst = 'arn:aws:iam::123456789012:role/security-analyst';
    const t = template({ inventory: INVENTORY, analytics: { enabled: true, lakeFormationReaders: [listed, analyst] } });
    const policy = JSON.stringify(Object.values(t.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p).includes('ListedReadersRead')));
    expect(policy).toContain(analyst);
    expect(policy).not.toContain(listed);
  });

  test('SPICE: the inventory data sets refresh on the schedule too', () => {
    const spice = template({ inventory: INVENTORY, dashboards: { enabled: true, owners: [OWNER], importMode: 'SPICE' } });
    expect(Object.keys(spice.findResources('AWS::QuickSight::RefreshSchedule'))).toHaveLength(DATA_SETS.length + INVENTORY_DATA_SETS.length);
  });

  test('with the inventory off: no inventory data set, dashboard, or inventory right of the role', () => {
    const off = template({});
    expect(Object.values(off.findResources('AWS::QuickSight::DataSet')).map((r) => r.Properties.DataSetId).filter((id: string) => id.includes('inventory'))).toEqual([]);
    off.resourceCountIs('AWS::QuickSight::Dashboard', DASHBOARDS.length);
    expect(JSON.stringify(off.findResources('AWS::IAM::Policy'))).not.toContain('Inventory');
  });
});
