/** The QuickSight resources as synthesized into the analytics stack (cdk-nag runs on synthesis). */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DASHBOARDS, DATA_SETS, dataSetsOf, shortArn, shortArnExpression, shownColumn, type Visual } from '../../quicksight';
import { evaluate } from './expression';
import { buildTestApp } from '../support/app';

const OWNER = 'group/default/security';
const VIEWER = 'arn:aws:quicksight:eu-west-1:123456789012:user/default/auditor';

function template(dashboards: Record<string, unknown> = {}): Template {
  const { app, built } = buildTestApp({
    analytics: { enabled: true },
    // Direct query unless a test says otherwise: the data sets alone, without refresh schedules.
    dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: [OWNER], viewers: [VIEWER], importMode: 'DIRECT_QUERY', ...dashboards },
  });
  app.synth();
  return Template.fromStack(built.analytics!);
}

/** Every column identifier anywhere inside a rendered visual. */
function columnReferences(node: unknown): { DataSetIdentifier: string; ColumnName: string }[] {
  if (Array.isArray(node)) return node.flatMap(columnReferences);
  if (typeof node !== 'object' || node === null) return [];
  const o = node as Record<string, unknown>;
  const own = typeof o.DataSetIdentifier === 'string' && typeof o.ColumnName === 'string' ? [{ DataSetIdentifier: o.DataSetIdentifier, ColumnName: o.ColumnName }] : [];
  return [...own, ...Object.values(o).flatMap(columnReferences)];
}

const t = template();
const dataSets = t.findResources('AWS::QuickSight::DataSet');

test('no QuickSight resource unless dashboards are enabled', () => {
  const { app, built } = buildTestApp({ analytics: { enabled: true } });
  app.synth();
  expect(built.dashboards).toBeUndefined();
  expect(Object.keys(Template.fromStack(built.analytics!).findResources('AWS::QuickSight::DataSet'))).toHaveLength(0);
});

test('an Athena data source on the workgroup, through its own role', () => {
  t.hasResourceProperties('AWS::QuickSight::DataSource', {
    Type: 'ATHENA',
    DataSourceParameters: { AthenaParameters: { WorkGroup: 'crypto-asset-monitoring', RoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
  });
  t.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'crypto-asset-monitoring-quicksight',
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'quicksight.amazonaws.com' } })] },
  });
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Sid: 'RunQueriesInTheWorkGroup', Action: Match.arrayWith(['athena:GetQueryResultsStream', 'athena:StartQueryExecution']) }),
        Match.objectLike({ Sid: 'ReadSecurityLakeTables', Action: Match.arrayWith(['glue:GetTable']) }),
        Match.objectLike({ Sid: 'QueryResults', Action: Match.arrayWith(['s3:PutObject']) }),
      ]),
    },
  });
});

test('one data set per query, custom SQL with filled placeholders and the declared columns', () => {
  expect(Object.keys(dataSets)).toHaveLength(DATA_SETS.length);
  for (const spec of DATA_SETS) {
    const found = Object.values(dataSets).find((r) => r.Properties.DataSetId === `crypto-asset-monitoring-${spec.queryId.replace('/', '-')}`);
    expect(found).toBeDefined();
    const sql = found!.Properties.PhysicalTableMap.query.CustomSql;
    expect(sql.Columns).toEqual(spec.columns.map((c) => ({ Name: c.name, Type: c.type })));
    expect(sql.SqlQuery).not.toMatch(/\{\{/);
    expect(sql.SqlQuery).toContain('amazon_security_lake_glue_db_us_east_1.');
    expect(found!.Properties.ImportMode).toBe('DIRECT_QUERY');
  }
  expect(Object.keys(t.findResources('AWS::QuickSight::RefreshSchedule'))).toHaveLength(0);
});

test('owners and viewers get their actions, short names completed with the identity region', () => {
  t.hasResourceProperties('AWS::QuickSight::Dashboard', {
    Permissions: [
      { Principal: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':quicksight:eu-west-1:', { Ref: 'AWS::AccountId' }, ':group/default/security']] }, Actions: Match.arrayWith(['quicksight:UpdateDashboardPublishedVersion']) },
      { Principal: VIEWER, Actions: ['quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:QueryDashboard'] },
    ],
  });
  t.hasResourceProperties('AWS::QuickSight::DataSet', { Permissions: [Match.objectLike({ Actions: Match.arrayWith(['quicksight:PassDataSet']) })] });
});

/** The columns a visual's own fields name: what it shows (ARNs through their shortened field), what it sorts on. */
function fieldsOf(v: Visual): string[] {
  if (v.kind === 'table') return [...v.columns.map(shownColumn), v.sortBy];
  if (v.kind === 'bar') return [shownColumn(v.category), v.value.column];
  return v.kind === 'line' ? [v.time, v.value.column] : [v.value.column];
}

describe.each(DASHBOARDS.map((d) => [d.id, d] as const))('%s', (id, d) => {
  const dashboard = Object.values(t.findResources('AWS::QuickSight::Dashboard')).find((r) => r.Properties.DashboardId === `crypto-asset-monitoring-${id}`)!;
  const analysis = Object.values(t.findResources('AWS::QuickSight::Analysis')).find((r) => r.Properties.AnalysisId === `crypto-asset-monitoring-${id}`)!;

  test('an analysis and a published dashboard with the same definition', () => {
    expect(dashboard).toBeDefined();
    expect(analysis.Properties.Definition).toEqual(dashboard.Properties.Definition);
  });

  test('declares exactly its data sets, each pointing at a data set of the stack', () => {
    const declared = dashboard.Properties.Definition.DataSetIdentifierDeclarations;
    expect(declared.map((x: any) => x.Identifier)).toEqual(dataSetsOf(d).map((q) => q.replace('/', '-')));
    for (const x of declared) expect(Object.keys(dataSets)).toContain(x.DataSetArn['Fn::GetAtt'][0]);
  });

  test('every visual has its title and references only declared identifiers and columns of that data set, or its calculated fields', () => {
    const def = dashboard.Properties.Definition;
    const columnsOf = new Map<string, string[]>(
      def.DataSetIdentifierDeclarations.map((x: any) => [x.Identifier, dataSets[x.DataSetArn['Fn::GetAtt'][0]].Properties.PhysicalTableMap.query.CustomSql.Columns.map((c: any) => c.Name)]),
    );
    for (const f of def.CalculatedFields) columnsOf.get(f.DataSetIdentifier)!.push(f.Name);
    const specVisuals = d.sheets.flatMap((s) => s.visuals);
    const rendered = def.Sheets.flatMap((s: any) => s.Visuals);
    expect(rendered).toHaveLength(specVisuals.length);
    rendered.forEach((v: any, n: number) => {
      const body: any = Object.values(v)[0];
      expect(body.Title).toEqual({ Visibility: 'VISIBLE', FormatText: { PlainText: specVisuals[n].title } });
      const refs = columnReferences(body);
      expect(refs.length).toBeGreaterThan(0);
      for (const { DataSetIdentifier, ColumnName } of refs) expect(columnsOf.get(DataSetIdentifier)).toContain(ColumnName);
      // The visual's own fields; its filters live in the definition's filter groups.
      expect(new Set(refs.map((r) => r.ColumnName))).toEqual(new Set(fieldsOf(specVisuals[n])));
    });
  });

  test('an account and a region drop-down on every sheet, filtering every data set of the sheet', () => {
    const def = dashboard.Properties.Definition;
    for (const sheet of def.Sheets) {
      const controls = sheet.FilterControls.map((c: any) => c.Dropdown);
      expect(controls.map((c: any) => c.Title)).toEqual(['Account', 'Region']);
      for (const c of controls) {
        const group = def.FilterGroups.find((g: any) => g.Filters[0].CategoryFilter?.FilterId === c.SourceFilterId);
        expect(group.CrossDataset).toBe('ALL_DATASETS');
        expect(group.ScopeConfiguration.SelectedSheets.SheetVisualScopingConfigurations).toEqual([{ SheetId: sheet.SheetId, Scope: 'ALL_VISUALS' }]);
      }
    }
  });
});

test('the expiry visuals look 60 days ahead of now', () => {
  const acm = Object.values(t.findResources('AWS::QuickSight::Dashboard')).find((r) => r.Properties.DashboardId.endsWith('-acm'))!;
  const expiry = acm.Properties.Definition.FilterGroups.filter((g: any) => g.Filters[0].RelativeDatesFilter);
  expect(expiry.map((g: any) => g.ScopeConfiguration.SelectedSheets.SheetVisualScopingConfigurations[0].VisualIds[0])).toEqual(['expiring-by-account', 'expiring']);
  for (const g of expiry) {
    expect(g.Filters[0].RelativeDatesFilter).toMatchObject({ RelativeDateType: 'NEXT', RelativeDateValue: 60, TimeGranularity: 'DAY', AnchorDateConfiguration: { AnchorOption: 'NOW' } });
  }
});

test('no data set transforms its query: dates come from the SQL as timestamps, and nothing uses the deprecated LogicalTableMap', () => {
  const expiring = Object.values(dataSets).find((r) => r.Properties.DataSetId.endsWith('certs-expiring'))!;
  expect(expiring.Properties.PhysicalTableMap.query.CustomSql.Columns).toContainEqual({ Name: 'not_after', Type: 'DATETIME' });
  for (const r of Object.values(dataSets)) {
    expect(r.Properties.LogicalTableMap).toBeUndefined();
    expect(r.Properties.DataPrepConfiguration).toBeUndefined();
  }
});

test('the DNS validation table shows how long each certificate waits and links its ACM console page', () => {
  const acm = Object.values(t.findResources('AWS::QuickSight::Dashboard')).find((r) => r.Properties.DashboardId.endsWith('-acm'))!;
  const table = acm.Properties.Definition.Sheets.flatMap((s: any) => s.Visuals).find((v: any) => v.TableVisual?.VisualId === 'dns-validation-pending').TableVisual;
  const fields = table.ChartConfiguration.FieldWells.TableUnaggregatedFieldWells.Values.map((f: any) => f.Column.ColumnName);
  expect(fields).toEqual(expect.arrayContaining(['short_resource_arn', 'hours_pending', 'console_url']));
  expect(table.ChartConfiguration.FieldOptions.SelectedFieldOptions.filter((o: any) => o.URLStyling)).toEqual([
    {
      FieldId: 'dns-validation-pending.console_url',
      CustomLabel: 'Console',
      URLStyling: {
        LinkConfiguration: { Target: 'NEW_TAB', Content: { CustomTextContent: { Value: 'Open in ACM console', FontConfiguration: { FontDecoration: 'UNDERLINE' } } } },
      },
    },
  ]);
});

test('SPICE: every data set imports and refreshes on the schedule', () => {
  const spice = template({ importMode: 'SPICE', refreshInterval: 'WEEKLY', refreshTimeOfDay: '05:30', refreshDayOfWeek: 'SUNDAY', refreshTimeZone: 'Europe/Berlin' });
  expect(Object.keys(spice.findResources('AWS::QuickSight::RefreshSchedule'))).toHaveLength(DATA_SETS.length);
  spice.hasResourceProperties('AWS::QuickSight::DataSet', { ImportMode: 'SPICE' });
  spice.hasResourceProperties('AWS::QuickSight::RefreshSchedule', {
    Schedule: {
      RefreshType: 'FULL_REFRESH',
      ScheduleFrequency: { Interval: 'WEEKLY', TimeOfTheDay: '05:30', TimeZone: 'Europe/Berlin', RefreshOnDay: { DayOfWeek: 'SUNDAY' } },
    },
  });
});

test('the data source role may use the query-results key when results are KMS-encrypted, and no key otherwise', () => {
  const { app, built } = buildTestApp({
    analytics: { enabled: true, resultsEncryption: 'KMS' },
    dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: [OWNER], viewers: [VIEWER] },
  });
  app.synth();
  const kmsTemplate = Template.fromStack(built.analytics!);
  const keyId = Object.keys(kmsTemplate.findResources('AWS::KMS::Key'))[0];
  kmsTemplate.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        { Sid: 'QueryResultsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      ]),
    },
  });
  expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('QueryResultsKey');
});

describe('Lake Formation access of the data source role', () => {
  const resources = t.toJSON().Resources as Record<string, any>;
  const roleId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::IAM::Role' && resources[id].Properties.RoleName === 'crypto-asset-monitoring-quicksight')!;
  const grants = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::LakeFormation::PrincipalPermissions');

  test('the stack that creates the role grants it DESCRIBE on the database and SELECT on both tables, naming the role by reference', () => {
    expect(roleId).toBeDefined();
    expect(grants).toHaveLength(3);
    for (const [, g] of grants) {
      expect(g.Properties.Principal).toEqual({ DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } });
      expect(g.Properties.PermissionsWithGrantOption).toEqual([]);
    }
    expect(grants.map(([, g]) => [Object.keys(g.Properties.Resource)[0], g.Properties.Permissions])).toEqual([
      ['Database', ['DESCRIBE']],
      ['Table', ['SELECT', 'DESCRIBE']],
      ['Table', ['SELECT', 'DESCRIBE']],
    ]);
  });

  test('each grant waits for the role, and the data source waits for the grants', () => {
    for (const [, g] of grants) expect(g.DependsOn).toContain(roleId);
    const [dataSource] = Object.values(t.findResources('AWS::QuickSight::DataSource'));
    expect(dataSource.DependsOn).toEqual(expect.arrayContaining(grants.map(([id]) => id)));
  });

  test('a role listed by hand in lakeFormationReaders (as earlier versions asked) keeps its grants, now after the role; other readers get theirs', () => {
    const listedRole = 'arn:aws:iam::123456789012:role/crypto-asset-monitoring-quicksight';
    const analyst = 'arn:aws:iam::123456789012:role/security-analyst';
    const { app, built } = buildTestApp({
      analytics: { enabled: true, lakeFormationReaders: [listedRole, analyst] },
      dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: [OWNER] },
    });
    app.synth();
    const listed = Template.fromStack(built.analytics!);
    const all = listed.toJSON().Resources as Record<string, any>;
    const role = Object.keys(all).find((id) => all[id].Properties?.RoleName === 'crypto-asset-monitoring-quicksight')!;
    const found = Object.entries(all).filter(([, r]) => r.Type === 'AWS::LakeFormation::PrincipalPermissions');
    expect(found).toHaveLength(6);
    const ofRole = found.filter(([, g]) => g.Properties.Principal.DataLakePrincipalIdentifier === listedRole);
    expect(ofRole).toHaveLength(3);
    // The same logical ids as before: CloudFormation neither replaces nor duplicates them.
    for (const [id, g] of ofRole) {
      expect(id).toMatch(/^LakeFormation/);
      expect(g.DependsOn).toContain(role);
    }
    expect(found.filter(([, g]) => typeof g.Properties.Principal.DataLakePrincipalIdentifier !== 'string')).toEqual([]);
    const [dataSource] = Object.values(listed.findResources('AWS::QuickSight::DataSource'));
    expect(dataSource.DependsOn).toEqual(expect.arrayContaining(ofRole.map(([id]) => id)));
  });
});

describe('what a person reads', () => {
  const definitions = Object.values(t.findResources('AWS::QuickSight::Dashboard')).map((r) => r.Properties.Definition);
  const visualsOf = (kind: string) => definitions.flatMap((def: any) => def.Sheets.flatMap((s: any) => s.Visuals)).map((v: any) => v[kind]).filter(Boolean);

  test('every table column has a human heading, and every timestamp one format', () => {
    for (const table of visualsOf('TableVisual')) {
      const options = table.ChartConfiguration.FieldOptions.SelectedFieldOptions;
      const values = table.ChartConfiguration.FieldWells.TableUnaggregatedFieldWells.Values;
      expect(options.map((o: any) => o.FieldId)).toEqual(values.map((v: any) => v.FieldId));
      for (const o of options) expect(o.CustomLabel).toMatch(/^[A-Z][a-z]+( [a-z(][a-z)]*)*$/);
      for (const v of values.filter((v: any) => v.FormatConfiguration)) {
        expect(v.FormatConfiguration).toEqual({ DateTimeFormatConfiguration: { DateTimeFormat: 'YYYY-MM-DD HH:mm', NullValueFormatConfiguration: { NullString: 'Unknown' } } });
      }
    }
    const kms = definitions.find((def: any) => def.Sheets[0].SheetId === 'kms-overview');
    const inactive = kms.Sheets[0].Visuals.find((v: any) => v.TableVisual?.VisualId === 'inactive-keys').TableVisual;
    expect(inactive.ChartConfiguration.FieldOptions.SelectedFieldOptions.map((o: any) => o.CustomLabel)).toEqual([
      'Account', 'Region', 'Key', 'First reported', 'Last evaluated', 'Workflow status',
    ]);
    expect(inactive.ChartConfiguration.FieldWells.TableUnaggregatedFieldWells.Values.filter((v: any) => v.FormatConfiguration).map((v: any) => v.Column.ColumnName)).toEqual([
      'first_observed', 'last_evaluated',
    ]);
  });

  test('a day without events is drawn as zero, and days are written as the tables write them', () => {
    const lines = visualsOf('LineChartVisual');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const c = line.ChartConfiguration;
      expect(c.PrimaryYAxisDisplayOptions.MissingDataConfigurations).toEqual([{ TreatmentOption: 'SHOW_AS_ZERO' }]);
      expect(c.XAxisDisplayOptions.DataOptions.DateAxisOptions.MissingDateVisibility).toBe('VISIBLE');
      expect(c.FieldWells.LineChartAggregatedFieldWells.Category[0].DateDimensionField.FormatConfiguration).toEqual({ DateTimeFormat: 'YYYY-MM-DD' });
    }
  });

  test('no bar for rows without a value: each bar chart keeps only rows whose category has one', () => {
    for (const def of definitions) {
      for (const bar of def.Sheets.flatMap((s: any) => s.Visuals).map((v: any) => v.BarChartVisual).filter(Boolean)) {
        const groups = def.FilterGroups.filter((g: any) => g.ScopeConfiguration.SelectedSheets.SheetVisualScopingConfigurations[0].VisualIds?.includes(bar.VisualId));
        const shown = bar.ChartConfiguration.FieldWells.BarChartAggregatedFieldWells.Category[0].CategoricalDimensionField.Column;
        const raw = shown.ColumnName.replace(/^short_/, '');
        expect(groups.map((g: any) => g.Filters[0].CategoryFilter)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Column: { DataSetIdentifier: shown.DataSetIdentifier, ColumnName: raw },
              Configuration: { FilterListConfiguration: { MatchOperator: 'CONTAINS', SelectAllOptions: 'FILTER_ALL_VALUES', NullOption: 'NON_NULLS_ONLY' } },
            }),
          ]),
        );
      }
    }
  });

  test('ARNs are shown shortened by a calculated field that keeps region and account', () => {
    const kms = definitions.find((def: any) => def.Sheets[0].SheetId === 'kms-overview');
    expect(kms.CalculatedFields).toEqual(
      expect.arrayContaining([
        { DataSetIdentifier: 'kms-operations', Name: 'short_resource_arn', Expression: shortArnExpression('resource_arn') },
        { DataSetIdentifier: 'kms-operations', Name: 'short_principal', Expression: shortArnExpression('principal') },
      ]),
    );
    // The expression, evaluated as QuickSight defines its functions, shortens as the previews do.
    const samples = [
      'arn:aws:kms:us-east-1:111111111111:key/0a0a0a0a-0000-4000-8000-000000000013',
      'arn:aws:kms:us-east-1:222222222222:key/0a0a0a0a-0000-4000-8000-000000000013',
      'arn:aws:iam::222222222222:user/intern',
      'arn:aws:sts::111111111111:assumed-role/payments-app/session-1',
      'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/db-AbCdEf',
      'arn:aws-cn:acm:cn-north-1:333333333333:certificate/c0000000-0000-4000-8000-000000000001',
      'secretsmanager.amazonaws.com',
      '',
    ];
    for (const arn of samples) expect([arn, evaluate(shortArnExpression('principal'), { principal: arn })]).toEqual([arn, shortArn(arn)]);
    expect(shortArn(samples[0])).toBe('us-east-1:111111111111:key/0a0a0a0a-0000-4000-8000-000000000013');
    expect(shortArn(samples[2])).toBe('222222222222:user/intern');
    // Keys of two accounts with the same id stay apart.
    expect(shortArn(samples[0])).not.toBe(shortArn(samples[1]));
  });
});

test('expiry views keep certificates of unknown expiry, shown as "Unknown", instead of hiding them', () => {
  const { built } = buildTestApp({ analytics: { enabled: true }, dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: ['group/default/security'] } });
  const filters: any[] = [];
  const walk = (node: any): void => {
    if (node === null || typeof node !== 'object') return;
    if (node.RelativeDatesFilter?.Column?.ColumnName === 'not_after') filters.push(node.RelativeDatesFilter);
    Object.values(node).forEach(walk);
  };
  walk(Template.fromStack(built.analytics!).toJSON());
  expect(filters.length).toBeGreaterThanOrEqual(2);
  for (const f of filters) expect(f.NullOption).toBe('ALL_VALUES');
});
