/**
 * Renders every dashboard of quicksight/ to docs/dashboards/<id>.svg from the fixture lake's query
 * results, with Vega-Lite, so a reviewer sees what QuickSight users will see without an AWS
 * account. Usage: tsx scripts/render-dashboards.mts [output directory]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { DASHBOARDS, type Measure, type Visual, type VisualFilter } from '../quicksight/index.ts';
import { organizationLake, run } from '../test/fixtures/security-lake/organization.ts';
import { NOW } from '../test/fixtures/security-lake/scenarios.ts';
import type { ResultRow } from '../test/fixtures/security-lake/lake.ts';

const DAY = 86_400_000;
const TABLE_COLUMN_WIDTH = 300;
const outDir = process.argv[2] ?? path.join(import.meta.dirname, '..', 'docs', 'dashboards');

const asTime = (v: unknown): number => Date.parse(String(v).replace(' ', 'T').replace(/(\d)$/, '$1Z'));

/** The visual's own filters, evaluated as QuickSight would at the fixtures' "now". */
function keep(f: VisualFilter, row: ResultRow): boolean {
  const v = row[f.column];
  if (f.kind === 'oneOf') return v !== null && f.values.includes(String(v));
  if (v === null) return false;
  const t = asTime(v);
  return f.kind === 'nextDays' ? t >= NOW.getTime() && t <= NOW.getTime() + f.days * DAY : t <= NOW.getTime() && t >= NOW.getTime() - f.days * DAY;
}

function aggregate(rows: ResultRow[], m: Measure): number {
  const values = rows.map((r) => r[m.column]).filter((v) => v !== null);
  if (m.aggregation === 'SUM') return values.reduce<number>((a, v) => a + Number(v), 0);
  if (m.aggregation === 'COUNT') return values.length;
  return new Set(values.map(String)).size;
}

function groupBy(rows: ResultRow[], key: (r: ResultRow) => string): Map<string, ResultRow[]> {
  const out = new Map<string, ResultRow[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

const short = (s: string, n = 64) => (s.length > n ? `…${s.slice(-(n - 1))}` : s);

function spec(v: Visual, all: ResultRow[]): Record<string, unknown> {
  const rows = all.filter((r) => (v.filters ?? []).every((f) => keep(f, r)));
  const title = { text: v.title, anchor: 'start', fontSize: 13 };
  switch (v.kind) {
    case 'kpi':
      return {
        title, width: 360, height: 80,
        data: { values: [{ value: aggregate(rows, v.value), label: v.value.label }] },
        layer: [
          { mark: { type: 'text', fontSize: 40, fontWeight: 'bold', dy: -8 }, encoding: { text: { field: 'value' } } },
          { mark: { type: 'text', fontSize: 12, dy: 26, color: '#666' }, encoding: { text: { field: 'label' } } },
        ],
      };
    case 'bar': {
      const values = [...groupBy(rows, (r) => String(r[v.category] ?? '(none)'))]
        .map(([category, group]) => ({ category: short(category), value: aggregate(group, v.value) }))
        .sort((a, b) => b.value - a.value || a.category.localeCompare(b.category))
        .slice(0, v.top ?? Infinity);
      return {
        title, width: 360, data: { values }, mark: 'bar',
        encoding: {
          y: { field: 'category', type: 'nominal', sort: '-x', title: v.categoryLabel, axis: { labelLimit: 300 } },
          x: { field: 'value', type: 'quantitative', title: v.value.label, axis: { tickMinStep: 1 } },
        },
      };
    }
    case 'line': {
      const values = [...groupBy(rows, (r) => String(r[v.time]).slice(0, 10))]
        .map(([day, group]) => ({ day, value: aggregate(group, v.value) }))
        .sort((a, b) => a.day.localeCompare(b.day));
      return {
        title, width: 360, height: 160, data: { values }, mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'Day' },
          y: { field: 'value', type: 'quantitative', title: v.value.label, axis: { tickMinStep: 1 } },
        },
      };
    }
    case 'table': {
      const sorted = [...rows].sort((a, b) => String(a[v.sortBy] ?? '').localeCompare(String(b[v.sortBy] ?? '')) * (v.descending ? -1 : 1));
      // A URL column shows its link text, as QuickSight does, and stays clickable in the SVG.
      const cell = (r: ResultRow, column: string) =>
        r[column] !== null && v.links?.[column] ? { text: v.links[column], href: String(r[column]) } : { text: short(String(r[column] ?? '—'), 56), href: '' };
      const values: Record<string, unknown>[] = sorted.flatMap((r, row) => v.columns.map((column) => ({ row, column, ...cell(r, column) })));
      if (values.length === 0) values.push(...v.columns.map((column) => ({ row: 0, column, text: '(no rows)' })));
      return {
        // Wide enough for a shortened ARN; text starts at the left edge of its column.
        title, data: { values }, width: { step: TABLE_COLUMN_WIDTH }, height: { step: 18 },
        mark: { type: 'text', align: 'left', dx: 4 - TABLE_COLUMN_WIDTH / 2, fontSize: 10 },
        encoding: {
          x: { field: 'column', type: 'ordinal', sort: [...v.columns], title: null, axis: { orient: 'top', labelAngle: 0, labelAlign: 'left', labelPadding: 4, labelOffset: 4 - TABLE_COLUMN_WIDTH / 2, domain: false, ticks: false } },
          y: { field: 'row', type: 'ordinal', axis: null },
          text: { field: 'text' },
          ...(v.links ? { href: { field: 'href' } } : {}),
        },
      };
    }
  }
}

const lake = await organizationLake();
try {
  fs.mkdirSync(outDir, { recursive: true });
  for (const d of DASHBOARDS) {
    const results = new Map<string, ResultRow[]>();
    for (const v of d.sheets.flatMap((s) => s.visuals)) if (!results.has(v.dataSet)) results.set(v.dataSet, await run(lake, v.dataSet));
    const sheets = d.sheets.map((s) => ({
      title: { text: `${s.name}    [Account: All ▾]  [Region: All ▾]`, anchor: 'start', fontSize: 15 },
      vconcat: s.visuals.map((v) => spec(v, results.get(v.dataSet)!)),
      spacing: 28,
    }));
    const dashboard = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `Crypto asset monitoring: ${d.name}`, subtitle: `Preview from the test fixtures, now = ${NOW.toISOString()}`, anchor: 'start', fontSize: 18 },
      vconcat: sheets,
      config: { font: 'sans-serif', view: { stroke: null }, axis: { labelFontSize: 10 } },
      background: 'white',
      padding: 16,
    };
    const view = new vega.View(vega.parse(vl.compile(dashboard as vl.TopLevelSpec).spec), { renderer: 'none' });
    fs.writeFileSync(path.join(outDir, `${d.id}.svg`), `${await view.toSVG()}\n`);
    view.finalize();
  }
} finally {
  lake.close();
}
