/**
 * The "Retirement of unused keys and secrets" dashboard: its data sets (deployed only while the
 * retirement path is on), its definition, the approvers shown shortened the same way in QuickSight
 * and in the preview, and what the fixture lake with the path's own calls shows (the preview
 * itself: previews.test.ts).
 */
import { Template } from 'aws-cdk-lib/assertions';
import {
  DASHBOARDS, DATA_SETS, RETIREMENT_DASHBOARDS, RETIREMENT_DATA_SETS, dataSetsOf, problemsIn, readsRetirement,
  shortPrincipalList, shortPrincipalListExpression, shortened, shownColumn,
} from '../../quicksight';
import { loadQueries } from '../../lib/analytics/queries';
import { approvers, retiredKeys as k, retiredSecrets as s, retirementApiCalls } from '../fixtures/security-lake/retirement';
import type { SecurityLake } from '../fixtures/security-lake/lake';
import { organizationLake, run } from '../fixtures/security-lake/organization';
import { DEV, PROD } from '../fixtures/security-lake/scenarios';
import { buildTestApp } from '../support/app';
import { evaluate } from './expression';

const [RETIREMENT_DASHBOARD] = RETIREMENT_DASHBOARDS;
const visuals = RETIREMENT_DASHBOARD.sheets.flatMap((sh) => sh.visuals);
const OWNER = 'group/default/security';
const RETIREMENT = {
  enabled: true,
  approverArns: ['arn:aws:iam::111122223333:role/KeyCustodian'],
  notificationTopicArn: 'arn:aws:sns:eu-west-1:111122223333:AutomationRetirementApprovals',
};

describe('data sets', () => {
  test('the retirement queries have their own data sets, apart from the ones always deployed', () => {
    expect(RETIREMENT_DATA_SETS.map((d) => d.queryId).sort()).toEqual(loadQueries().map((q) => q.id).filter(readsRetirement).sort());
    expect(DATA_SETS.some((d) => readsRetirement(d.queryId))).toBe(false);
  });
});

describe('definition', () => {
  test('is sound, reads only the retirement data sets, and every one of them', () => {
    expect(problemsIn(RETIREMENT_DASHBOARD)).toEqual([]);
    expect(dataSetsOf(RETIREMENT_DASHBOARD).sort()).toEqual(RETIREMENT_DATA_SETS.map((d) => d.queryId).sort());
    expect(DASHBOARDS.map((d) => d.id)).not.toContain('retirement');
  });

  test('every visual has its own title', () => {
    const titles = visuals.map((v) => v.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  test('quarantine, awaiting deletion and deleted each have a count and a table with the approvers; undone steps name whose approval they undid', () => {
    const byId = new Map(visuals.map((v) => [v.id, v]));
    const states = (id: string) => byId.get(id)!.filters?.flatMap((f) => (f.kind === 'oneOf' ? f.values : []));
    expect(states('in-quarantine-count')).toEqual(['quarantined']);
    expect(states('awaiting-deletion-count')).toEqual(['awaiting deletion']);
    expect(states('deleted-count')).toEqual(['deleted']);
    expect(states('in-quarantine')).toEqual(['quarantined', 'tagged only']);
    expect(states('awaiting-deletion')).toEqual(['awaiting deletion']);
    expect(states('deleted')).toEqual(['deleted']);
    for (const id of ['in-quarantine', 'awaiting-deletion', 'deleted']) {
      const v = byId.get(id)!;
      expect(v.kind === 'table' && v.columns).toEqual(expect.arrayContaining(['account_id', 'region', 'resource_arn', 'approved_by']));
    }
    const undone = byId.get('taken-back')!;
    expect(undone.kind === 'table' && undone.columns).toEqual(expect.arrayContaining(['undone_by', 'undid_step', 'step_approved_by']));
  });
});

describe('approvers shown shortened', () => {
  const lists = [
    approvers.two,
    approvers.jdoe,
    approvers.carol,
    `arn:aws-cn:iam::${PROD}:role/KeyCustodian arn:aws-us-gov:sts::${DEV}:assumed-role/KeyCustodian/carol`,
    '',
  ];

  test.each(lists)('%j: the calculated field and the preview agree', (list) => {
    expect(evaluate(shortPrincipalListExpression('approved_by'), { approved_by: list })).toBe(shortPrincipalList(list));
  });

  test('each approver keeps its account and name; the list keeps its order', () => {
    expect(shortPrincipalList(approvers.two)).toBe(`${PROD}:assumed-role/KeyCustodian/jdoe ${PROD}:user/alice`);
    expect(shortened('approved_by', approvers.carol)).toBe(`${DEV}:user/carol`);
    expect(shownColumn('approved_by')).toBe('short_approved_by');
    expect(shownColumn('step_approved_by')).toBe('short_step_approved_by');
    // Who undid a step is one principal.
    expect(shortened('undone_by', `arn:aws:iam::${DEV}:user/bob`)).toBe(`${DEV}:user/bob`);
  });
});

describe('what the fixture lake shows', () => {
  let lake: SecurityLake;
  beforeAll(async () => {
    lake = await organizationLake(retirementApiCalls());
  });
  afterAll(() => lake.close());

  const distinct = (rows: Record<string, unknown>[], state: string) => new Set(rows.filter((r) => r.state === state).map((r) => r.resource_arn)).size;

  test('in quarantine, awaiting deletion and deleted, as the counts show them', async () => {
    const quarantined = await run(lake, 'retirement/quarantined');
    const deletions = await run(lake, 'retirement/awaiting-deletion');
    expect(distinct(quarantined, 'quarantined')).toBe(3);
    expect(distinct(quarantined, 'tagged only')).toBe(1);
    expect(new Set(deletions.filter((r) => r.state === 'awaiting deletion').map((r) => r.resource_arn))).toEqual(new Set([k.awaiting, s.awaiting]));
    expect(new Set(deletions.filter((r) => r.state === 'deleted').map((r) => r.resource_arn))).toEqual(new Set([k.deleted, s.deleted]));
    expect(new Set((await run(lake, 'retirement/undone')).map((r) => r.resource_arn)).size).toBe(5);
  });
});

describe('deployed with the analytics stack', () => {
  function template(overrides: Record<string, unknown>): Template {
    const { app, built } = buildTestApp({
      analytics: { enabled: true },
      dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: [OWNER], importMode: 'SPICE' },
      ...overrides,
    });
    app.synth();
    return Template.fromStack(built.analytics!);
  }

  test('with the path on: its data sets (refreshed like the others), its dashboard and analysis, approvers shortened by a calculated field', () => {
    const on = template({ retirement: RETIREMENT });
    const ids = Object.values(on.findResources('AWS::QuickSight::DataSet')).map((r) => r.Properties.DataSetId);
    expect(ids).toHaveLength(DATA_SETS.length + RETIREMENT_DATA_SETS.length);
    for (const spec of RETIREMENT_DATA_SETS) expect(ids).toContain(`crypto-asset-monitoring-${spec.queryId.replace('/', '-')}`);
    expect(Object.keys(on.findResources('AWS::QuickSight::RefreshSchedule'))).toHaveLength(DATA_SETS.length + RETIREMENT_DATA_SETS.length);
    on.resourceCountIs('AWS::QuickSight::Dashboard', DASHBOARDS.length + 1);
    const dashboard = Object.values(on.findResources('AWS::QuickSight::Dashboard')).find((r) => r.Properties.DashboardId === 'crypto-asset-monitoring-retirement')!;
    const analysis = Object.values(on.findResources('AWS::QuickSight::Analysis')).find((r) => r.Properties.AnalysisId === 'crypto-asset-monitoring-retirement')!;
    expect(dashboard.Properties.Name).toBe('Crypto asset monitoring: Retirement of unused keys and secrets');
    expect(analysis.Properties.Definition).toEqual(dashboard.Properties.Definition);
    expect(dashboard.Properties.Definition.CalculatedFields).toEqual(expect.arrayContaining([
      { DataSetIdentifier: 'retirement-quarantined', Name: 'short_approved_by', Expression: shortPrincipalListExpression('approved_by') },
      { DataSetIdentifier: 'retirement-awaiting-deletion', Name: 'short_approved_by', Expression: shortPrincipalListExpression('approved_by') },
      { DataSetIdentifier: 'retirement-undone', Name: 'short_step_approved_by', Expression: shortPrincipalListExpression('step_approved_by') },
    ]));
    // The state filters: each visual's own, on the literal values the queries return.
    const filters = JSON.stringify(dashboard.Properties.Definition.FilterGroups);
    for (const state of ['quarantined', 'tagged only', 'awaiting deletion', 'deleted']) expect(filters).toContain(`"${state}"`);
  });

  test('with the path off (the default): no retirement data set or dashboard; the named queries stay for an audit', () => {
    const off = template({});
    expect(Object.values(off.findResources('AWS::QuickSight::DataSet')).map((r) => r.Properties.DataSetId).filter((id: string) => id.includes('retirement'))).toEqual([]);
    off.resourceCountIs('AWS::QuickSight::Dashboard', DASHBOARDS.length);
    const named = Object.values(off.findResources('AWS::Athena::NamedQuery')).map((r) => r.Properties.Name as string);
    expect(named.filter((n) => n.includes('retirement'))).toHaveLength(RETIREMENT_DATA_SETS.length);
  });
});
