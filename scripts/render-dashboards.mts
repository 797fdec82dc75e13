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
const FONT_SIZE = 10;
const ROW_HEIGHT = 18;
/** Space between table columns, and a cell's longest text before it is shortened. */
const COLUMN_GAP = 16;
const CELL_CHARACTERS = 64;
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

/**
 * Text width as a wide sans-serif (DejaVu Sans, what rsvg and many Linux browsers pick) draws it.
 * Without a canvas Vega guesses 0.8 em per character, which makes label limits and axis
 * placement disagree with the drawn text; one deterministic estimate for both keeps the SVG the
 * same on every machine and leaves room on the narrower fonts of other systems.
 */
const textWidth = (text: string, fontSize: number, bold = false): number => Math.ceil(text.length * fontSize * (bold ? 0.68 : 0.62));
vega.textMetrics.width = (item: { fontSize?: number; fontWeight?: string | number; text?: unknown }, text?: unknown) =>
  textWidth(String(text ?? item.text ?? ''), item.fontSize ?? 11, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);

/**
 * Shortens text to n characters. An ARN first loses its region and account (the table's own
 * columns, or the sheet's filters, give them) so the resource id stays whole; anything still too
 * long keeps its start and, longer, its distinguishing end.
 */
function fit(text: string, n = CELL_CHARACTERS): string {
  if (text.length <= n) return text;
  const arn = /^(arn:[^:]+:[^:]+):[^:]*:[^:]*:(.+)$/.exec(text);
  const shorter = arn ? `${arn[1]}:…:${arn[2]}` : text;
  if (shorter.length <= n) return shorter;
  const head = Math.floor((n - 1) * 0.4);
  return `${shorter.slice(0, head)}…${shorter.slice(-(n - 1 - head))}`;
}

function spec(v: Visual, all: ResultRow[]): Record<string, unknown> {
  const rows = all.filter((r) => (v.filters ?? []).every((f) => keep(f, r)));
  // Titles start at the visual's left edge, axis labels included, not at its plot area.
  const title = { text: v.title, anchor: 'start', frame: 'bounds', fontSize: 13 };
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
        .map(([category, group]) => ({ category: fit(category), value: aggregate(group, v.value) }))
        .sort((a, b) => b.value - a.value || a.category.localeCompare(b.category))
        .slice(0, v.top ?? Infinity);
      return {
        title, width: 360, data: { values }, mark: 'bar',
        encoding: {
          // No axis title where the visual's title already names the category ("… by principal"):
          // beside long labels it only crowds them.
          y: {
            field: 'category', type: 'nominal', sort: '-x', title: v.title.toLowerCase().includes(v.categoryLabel.toLowerCase()) ? null : v.categoryLabel,
            axis: { labelLimit: textWidth('x'.repeat(CELL_CHARACTERS + 1), FONT_SIZE) },
          },
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
          // Whole days only: finer ticks repeat the same date.
          x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'Day', axis: { format: '%b %d', tickCount: { interval: 'day', step: 1 }, labelOverlap: true } },
          y: { field: 'value', type: 'quantitative', title: v.value.label, axis: { tickMinStep: 1 } },
        },
      };
    }
    case 'table': {
      const sorted = [...rows].sort((a, b) => String(a[v.sortBy] ?? '').localeCompare(String(b[v.sortBy] ?? '')) * (v.descending ? -1 : 1));
      // A URL column shows its link text, as QuickSight does, and stays clickable in the SVG.
      const cell = (r: ResultRow, column: string) =>
        r[column] !== null && v.links?.[column] ? { text: v.links[column], href: String(r[column]) } : { text: fit(String(r[column] ?? '—')), href: '' };
      const body = sorted.map((r) => v.columns.map((column) => cell(r, column)));
      // Each column as wide as its widest text, header included, so no cell runs into the next.
      let x = 0;
      const columns = v.columns.map((column, n) => {
        const width = Math.max(textWidth(column, FONT_SIZE, true), ...body.map((r) => textWidth(r[n].text, FONT_SIZE))) + COLUMN_GAP;
        const placed = { column, x, width };
        x += width;
        return placed;
      });
      const width = x - COLUMN_GAP;
      const y = (row: number) => row * ROW_HEIGHT + ROW_HEIGHT / 2;
      const values = body.flatMap((r, row) => r.map((c, n) => ({ x: columns[n].x, y: y(row + 1), ...c })));
      if (body.length === 0) values.push({ x: 0, y: y(1), text: '(no rows)', href: '' });
      const rowCount = Math.max(body.length, 1) + 1;
      const pixels = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });
      return {
        title, width, height: rowCount * ROW_HEIGHT,
        layer: [
          {
            data: { values: columns.map((c) => ({ x: c.x, y: y(0), text: c.column })) },
            mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: FONT_SIZE, fontWeight: 'bold' },
            encoding: { x: pixels('x'), y: pixels('y'), text: { field: 'text' } },
          },
          {
            data: { values },
            mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: FONT_SIZE },
            encoding: {
              x: pixels('x'), y: pixels('y'), text: { field: 'text' },
              color: { condition: { test: 'datum.href', value: '#1f5fa8' }, value: 'black' },
              ...(v.links ? { href: { field: 'href' } } : {}),
            },
          },
          // The rule under the header row.
          { data: { values: [{ x: 0, x2: width, y: ROW_HEIGHT }] }, mark: { type: 'rule', color: '#999' }, encoding: { x: pixels('x'), x2: { field: 'x2' }, y: pixels('y') } },
        ],
      };
    }
  }
}

function rowsOf(visuals: readonly Visual[]): Visual[][] {
  const rows: Visual[][] = [];
  for (const v of visuals) {
    const last = rows.at(-1);
    if (v.kind !== 'table' && last?.length === 1 && last[0].kind !== 'table') last.push(v);
    else rows.push([v]);
  }
  return rows;
}

const lake = await organizationLake();
try {
  fs.mkdirSync(outDir, { recursive: true });
  for (const d of DASHBOARDS) {
    const results = new Map<string, ResultRow[]>();
    for (const v of d.sheets.flatMap((s) => s.visuals)) if (!results.has(v.dataSet)) results.set(v.dataSet, await run(lake, v.dataSet));
    const sheets = d.sheets.map((s) => ({
      title: { text: `${s.name}    [Account: All ▾]  [Region: All ▾]`, anchor: 'start', fontSize: 15 },
      // QuickSight's grid (lib/dashboards/definition.ts): charts in pairs, each table on its own row.
      vconcat: rowsOf(s.visuals).map((row) => (row.length === 1 ? spec(row[0], results.get(row[0].dataSet)!) : { hconcat: row.map((v) => spec(v, results.get(v.dataSet)!)), spacing: 48 })),
      spacing: 32,
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
