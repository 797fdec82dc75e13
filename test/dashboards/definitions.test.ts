/** The dashboard specs of quicksight/, checked as data: no AWS, no synthesis. */
import { DASHBOARDS, columnsUsedBy, dataSet, problemsIn, type DashboardSpec } from '../../quicksight';

const visuals = (d: DashboardSpec) => d.sheets.flatMap((s) => s.visuals);

describe.each(DASHBOARDS.map((d) => [d.id, d] as const))('%s dashboard', (_id, d) => {
  test('every visual uses only columns its data set declares, and is otherwise sound', () => {
    expect(problemsIn(d)).toEqual([]);
  });

  test('every visual has its own title', () => {
    const titles = visuals(d).map((v) => v.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const t of titles) expect(t.length).toBeGreaterThan(10);
  });

  test('every sheet reads at least one data set with account_id and region', () => {
    for (const s of d.sheets) {
      expect(s.visuals.some((v) => ['account_id', 'region'].every((c) => dataSet(v.dataSet).columns.some((x) => x.name === c)))).toBe(true);
    }
  });
});

test('the visuals the issue asks for, each on the query that answers it', () => {
  const on = (id: string) => visuals(DASHBOARDS.find((d) => d.id === id)!).map((v) => `${v.kind}:${v.dataSet}`);
  expect(on('kms')).toEqual(expect.arrayContaining([
    'bar:kms/keys-without-rotation', 'bar:kms/operations', 'bar:kms/access-denied', 'kpi:kms/unused-keys', 'table:kms/unused-keys',
  ]));
  expect(on('acm')).toEqual(expect.arrayContaining([
    'bar:certs/operations', 'bar:certs/expiring', 'table:certs/expiring', 'line:certs/issued', 'line:certs/revoked',
    'kpi:certs/dns-validation-pending', 'table:certs/dns-validation-pending',
  ]));
  expect(on('secrets-manager')).toEqual(expect.arrayContaining([
    'bar:secretsManager/operations', 'bar:secretsManager/access-denied', 'kpi:secretsManager/unused-secrets', 'table:secretsManager/unused-secrets',
    'table:secretsManager/deleted', 'bar:secretsManager/reads', 'table:secretsManager/rotation-not-enabled',
  ]));
});

describe('problemsIn', () => {
  const base = DASHBOARDS[0];
  const withVisual = (visual: DashboardSpec['sheets'][number]['visuals'][number]): DashboardSpec => ({
    ...base,
    sheets: [{ ...base.sheets[0], visuals: [...base.sheets[0].visuals, visual] }],
  });

  test('reports a visual that references a column its data set lacks', () => {
    const d = withVisual({ kind: 'table', id: 'broken', title: 'A table with a typo', dataSet: 'kms/unused-keys', columns: ['resource_arn', 'key_alias'], sortBy: 'resource_arn' });
    expect(problemsIn(d)).toEqual([
      'kms/kms-overview/broken: uses column key_alias, which data set kms/unused-keys lacks',
      'kms/kms-overview/broken: shows key_alias without a heading (COLUMN_HEADINGS or the visual\'s headings)',
    ]);
  });

  test('reports a filter on a missing column, a sum of text, a time axis on text, a missing data set and a repeated id', () => {
    const d: DashboardSpec = {
      ...base,
      sheets: [{
        ...base.sheets[0],
        visuals: [
          ...base.sheets[0].visuals,
          { kind: 'bar', id: 'a', title: 'Sum of text', dataSet: 'kms/operations', category: 'operation', categoryLabel: 'Op', value: { column: 'principal', aggregation: 'SUM', label: 'x' } },
          { kind: 'line', id: 'b', title: 'Time on text', dataSet: 'kms/operations', time: 'operation', value: { column: 'calls', aggregation: 'SUM', label: 'x' }, filters: [{ kind: 'lastDays', column: 'gone', days: 3 }] },
          { kind: 'kpi', id: 'c', title: 'No such data set', dataSet: 'kms/nothing', value: { column: 'x', aggregation: 'COUNT', label: 'x' } },
          { kind: 'kpi', id: 'a', title: 'Repeated id', dataSet: 'kms/unused-keys', value: { column: 'resource_arn', aggregation: 'COUNT', label: 'x' } },
        ],
      }],
    };
    expect(problemsIn(d)).toEqual([
      'kms: the id a is used twice',
      'kms/kms-overview/a: sums principal, which is not a number',
      'kms/kms-overview/b: uses column gone, which data set kms/operations lacks',
      'kms/kms-overview/b: treats operation as a date, but it is STRING',
      'kms/kms-overview/c: reads kms/nothing, which has no data set',
    ]);
  });

  test('reports a link on a column the table does not show, on a non-text column, or without text', () => {
    const d = withVisual({
      kind: 'table', id: 'links', title: 'A table with bad links', dataSet: 'certs/dns-validation-pending',
      columns: ['resource_arn', 'hours_pending', 'console_url'], sortBy: 'resource_arn',
      links: { first_observed: 'Open', hours_pending: 'Open', console_url: ' ' },
    });
    expect(problemsIn(d)).toEqual([
      'kms/kms-overview/links: links first_observed, which is not one of its columns',
      'kms/kms-overview/links: links hours_pending, but it is INTEGER, not a URL',
      'kms/kms-overview/links: links console_url with no link text',
    ]);
  });

  test('columnsUsedBy includes filter columns', () => {
    expect(columnsUsedBy({ kind: 'kpi', id: 'k', title: 't', dataSet: 'certs/expiring', value: { column: 'resource_arn', aggregation: 'COUNT', label: 'x' }, filters: [{ kind: 'nextDays', column: 'not_after', days: 60 }] }))
      .toEqual(['resource_arn', 'not_after']);
  });
});
