/**
 * Renders what people will see, without an AWS account, into docs/dashboards/:
 * - <id>.svg for every QuickSight dashboard of quicksight/, from the fixture lake's query results,
 *   laid out on the grid the definition uses (quicksight/layout.ts), with its headings, date format
 *   and shortened ARNs (quicksight/presentation.ts), each visual drawn with Vega-Lite;
 * - cloudwatch.svg, the alerting stack's CloudWatch dashboard, drawn from the DashboardBody the stack
 *   synthesizes with the cdk.json settings: its widgets where CloudWatch puts them, their titles,
 *   metrics and alarm thresholds (metric values exist only once deployed).
 * The inventory's dashboard is drawn from the inventory fixtures (test/fixtures/inventory/), the
 * retirement path's from the fixture lake with the path's own calls (test/fixtures/security-lake/retirement.ts).
 * Usage: tsx scripts/render-dashboards.mts [output directory] [dashboard id or cloudwatch …] (all when none named)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AlertingStack } from '../lib/alerting/alerting-stack.ts';
import { loadSettings } from '../lib/settings.ts';
// Each module directly: Node's ESM loader sees only the direct exports of a CommonJS module, not `export *`.
import { DASHBOARDS, INVENTORY_DASHBOARDS, RETIREMENT_DASHBOARDS, type DashboardSpec, type Measure, type Visual, type VisualFilter } from '../quicksight/index.ts';
import { columnType, dataSet, readsInventory, readsRetirement } from '../quicksight/data-sets.ts';
import { GRID_COLUMNS, gridOf } from '../quicksight/layout.ts';
import { formatTimestamp, headingOf, isShortened, shortened, UNKNOWN } from '../quicksight/presentation.ts';
import { organizationLake, run } from '../test/fixtures/security-lake/organization.ts';
import { retirementApiCalls } from '../test/fixtures/security-lake/retirement.ts';
import { NOW } from '../test/fixtures/security-lake/scenarios.ts';
import type { ResultRow } from '../test/fixtures/security-lake/lake.ts';
import { inventoryLake, runInventory } from '../test/fixtures/inventory/lake.ts';

const DAY = 86_400_000;
const FONT = 'sans-serif';
const FONT_SIZE = 10;
const ROW_HEIGHT = 18;
/** Space between table columns. */
const COLUMN_GAP = 16;
/** The page: QuickSight's 36 grid columns at 40 px, grid rows at 24 px, 12 px between cards. */
const PAGE_WIDTH = 1440;
const UNIT_X = PAGE_WIDTH / GRID_COLUMNS;
const UNIT_Y = 24;
const GUTTER = 12;
const MARGIN = 16;
const ROOT = path.join(import.meta.dirname, '..');
const outDir = process.argv[2] ?? path.join(ROOT, 'docs', 'dashboards');
const only = new Set(process.argv.slice(3));
const wanted = (id: string) => only.size === 0 || only.has(id);

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Text width as a wide sans-serif (DejaVu Sans, what rsvg and many Linux browsers pick) draws it.
 * Without a canvas Vega guesses 0.8 em per character, which makes label limits and axis
 * placement disagree with the drawn text; one deterministic estimate for both keeps the SVG the
 * same on every machine and leaves room on the narrower fonts of other systems.
 */
const textWidth = (text: string, fontSize: number, bold = false): number => Math.ceil(text.length * fontSize * (bold ? 0.68 : 0.62));
vega.textMetrics.width = (item: { fontSize?: number; fontWeight?: string | number; text?: unknown }, text?: unknown) =>
  textWidth(String(text ?? item.text ?? ''), item.fontSize ?? 11, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);

/** A timestamp as DuckDB (like Athena) returns it, or an ISO text a data set casts, in milliseconds. */
const asTime = (v: unknown): number => Date.parse(String(v).replace(' ', 'T').replace(/(\d)$/, '$1Z'));

/** The visual's own filters, evaluated as QuickSight would at the fixtures' "now". */
function keep(f: VisualFilter, row: ResultRow): boolean {
  const v = row[f.column];
  if (f.kind === 'oneOf') return v !== null && f.values.includes(String(v));
  if (v === null) return f.kind === 'nextDays' && f.keepUnknown === true;
  const t = asTime(v);
  return f.kind === 'nextDays' ? t >= NOW.getTime() && t <= NOW.getTime() + f.days * DAY : t <= NOW.getTime() && t >= NOW.getTime() - f.days * DAY;
}

function aggregate(rows: ResultRow[], m: Measure): number {
  const values = rows.map((r) => r[m.column]).filter((v) => v !== null);
  // Sums of prices to the cent, as QuickSight shows them, not 404.79999999999995.
  if (m.aggregation === 'SUM') return Math.round(values.reduce<number>((a, v) => a + Number(v), 0) * 100) / 100;
  if (m.aggregation === 'COUNT') return values.length;
  return new Set(values.map(String)).size;
}

function groupBy(rows: ResultRow[], key: (r: ResultRow) => string): Map<string, ResultRow[]> {
  const out = new Map<string, ResultRow[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** A value as the dashboard shows it: ARNs shortened, timestamps in the one format, nothing as a dash. */
function shown(v: Visual, column: string, value: ResultRow[string]): string {
  if (value === null) return columnType(dataSet(v.dataSet), column) === 'DATETIME' ? UNKNOWN : '—';
  if (isShortened(column)) return shortened(column, String(value));
  if (columnType(dataSet(v.dataSet), column) === 'DATETIME') return formatTimestamp(new Date(asTime(value)), true);
  return String(value);
}

/** One visual as a Vega-Lite spec of exactly `width` × `height` pixels, title included. */
function spec(v: Visual, all: ResultRow[], width: number, height: number): Record<string, unknown> {
  const rows = all.filter((r) => (v.filters ?? []).every((f) => keep(f, r)));
  const title = { text: v.title, anchor: 'start', frame: 'bounds', fontSize: 13, offset: 10 };
  const fit = { autosize: { type: 'fit', contains: 'padding' }, width, height, padding: 0 };
  switch (v.kind) {
    case 'kpi':
      return {
        title, ...fit,
        data: { values: [{ value: aggregate(rows, v.value), label: v.value.label }] },
        layer: [
          { mark: { type: 'text', fontSize: 44, fontWeight: 'bold', dy: -10 }, encoding: { text: { field: 'value' } } },
          { mark: { type: 'text', fontSize: 12, dy: 28, color: '#666' }, encoding: { text: { field: 'label' } } },
        ],
      };
    case 'bar': {
      // Rows without a category are left out, as the definition's filter does: no "(empty)" bar.
      const values = [...groupBy(rows.filter((r) => r[v.category] !== null), (r) => String(r[v.category]))]
        .map(([category, group]) => ({ category: shown(v, v.category, category), value: aggregate(group, v.value) }))
        .sort((a, b) => b.value - a.value || a.category.localeCompare(b.category))
        .slice(0, v.top ?? Infinity);
      const longest = Math.max(0, ...values.map((x) => textWidth(x.category, FONT_SIZE)));
      // Bars as thick as a line of text or two, not stretched to fill the card.
      const plotHeight = Math.min(height - 70, Math.max(1, values.length) * 26);
      return {
        title, autosize: { type: 'fit-x', contains: 'padding' }, width, height: plotHeight, padding: 0,
        data: { values }, mark: { type: 'bar', color: '#4878a8' },
        encoding: {
          // No axis title where the visual's title already names the category ("… by principal").
          y: {
            field: 'category', type: 'nominal', sort: '-x', title: v.title.toLowerCase().includes(v.categoryLabel.toLowerCase()) ? null : v.categoryLabel,
            axis: { labelLimit: longest + 4 },
          },
          x: { field: 'value', type: 'quantitative', title: v.value.label, axis: { tickMinStep: 1, format: 'd' } },
        },
      };
    }
    case 'line': {
      // Every day from the first to the last with events, the days between at zero, as
      // MissingDateVisibility VISIBLE with SHOW_AS_ZERO draws them.
      const counts = new Map([...groupBy(rows.filter((r) => r[v.time] !== null), (r) => formatTimestamp(new Date(asTime(r[v.time])), false))].map(([day, g]) => [day, aggregate(g, v.value)]));
      const days = [...counts.keys()].sort();
      const values: { day: string; value: number }[] = [];
      for (let t = Date.parse(`${days[0]}T00:00:00Z`); days.length && t <= Date.parse(`${days.at(-1)}T00:00:00Z`); t += DAY) {
        const day = formatTimestamp(new Date(t), false);
        values.push({ day, value: counts.get(day) ?? 0 });
      }
      return {
        title, ...fit, data: { values }, mark: { type: 'line', point: true, color: '#4878a8' },
        encoding: {
          // One point per day, labelled as DATE_FORMAT writes it.
          x: { field: 'day', type: 'ordinal', title: null, axis: { labelAngle: 0, labelOverlap: true } },
          y: { field: 'value', type: 'quantitative', title: v.value.label, axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 0 } },
        },
      };
    }
    case 'table': {
      // Numbers as numbers (a monthly cost of 10 above one of 3), anything else as text.
      const order = (x: ResultRow[string], y: ResultRow[string]) => (typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? '')));
      const sorted = [...rows].sort((a, b) => order(a[v.sortBy], b[v.sortBy]) * (v.descending ? -1 : 1));
      // A URL column shows its link text, as QuickSight does, and stays clickable in the SVG.
      const cell = (r: ResultRow, column: string) =>
        r[column] !== null && v.links?.[column] ? { text: v.links[column], href: String(r[column]) } : { text: shown(v, column, r[column]), href: '' };
      const capacity = Math.floor((height - 30) / ROW_HEIGHT) - 1;
      const body = sorted.slice(0, sorted.length > capacity ? capacity - 1 : capacity).map((r) => v.columns.map((column) => cell(r, column)));
      const headings = v.columns.map((c) => headingOf(v, c) ?? c);
      // Each column as wide as its widest text, heading included, so no cell runs into the next.
      let x = 0;
      const columns = v.columns.map((column, n) => {
        const w = Math.max(textWidth(headings[n], FONT_SIZE, true), ...body.map((r) => textWidth(r[n].text, FONT_SIZE))) + COLUMN_GAP;
        const placed = { column, heading: headings[n], x, width: w };
        x += w;
        return placed;
      });
      const y = (row: number) => row * ROW_HEIGHT + ROW_HEIGHT / 2;
      const values = body.flatMap((r, row) => r.map((c, n) => ({ x: columns[n].x, y: y(row + 1), ...c })));
      if (body.length === 0) values.push({ x: 0, y: y(1), text: '(no rows)', href: '' });
      // QuickSight scrolls a long table; the preview says how many rows lie below.
      if (sorted.length > body.length) values.push({ x: 0, y: y(body.length + 1), text: `… ${sorted.length - body.length} more rows`, href: '' });
      const pixels = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });
      return {
        title, width, height: height - 30, padding: { top: 30, left: 0, right: 0, bottom: 0 }, autosize: { type: 'none' },
        layer: [
          {
            data: { values: columns.map((c) => ({ x: c.x, y: y(0), text: c.heading })) },
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
          // The rule under the heading row.
          { data: { values: [{ x: 0, x2: width, y: ROW_HEIGHT }] }, mark: { type: 'rule', color: '#999' }, encoding: { x: pixels('x'), x2: { field: 'x2' }, y: pixels('y') } },
        ],
      };
    }
  }
}

async function toSvg(spec: Record<string, unknown>): Promise<string> {
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: FONT, view: { stroke: null }, axis: { labelFontSize: FONT_SIZE } }, ...spec };
  const view = new vega.View(vega.parse(vl.compile(full as vl.TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG drawn by Vega placed at (x, y) inside the page. */
const placed = (svg: string, x: number, y: number) => svg.replace(/^<svg /, `<svg x="${x}" y="${y}" `);

const text = (x: number, y: number, s: string, size: number, extra = '') =>
  `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" ${extra}>${escapeXml(s)}</text>`;

/** A drop-down filter control as QuickSight draws one: its title over a box that says All. */
function control(x: number, y: number, title: string): string {
  return [
    text(x, y, title, 11, 'fill="#444"'),
    `<rect x="${x}" y="${y + 6}" width="180" height="26" rx="3" fill="white" stroke="#bbb"/>`,
    text(x + 8, y + 23, 'All', 11),
    text(x + 164, y + 23, '▾', 11, 'fill="#666"'),
  ].join('');
}

async function renderDashboard(d: DashboardSpec, results: Map<string, ResultRow[]>): Promise<string> {
  const parts: string[] = [];
  let top = MARGIN;
  parts.push(text(MARGIN, top + 18, `Crypto asset monitoring: ${d.name}`, 20, 'font-weight="bold"'));
  parts.push(text(MARGIN, top + 38, `Preview from the test fixtures, now = ${formatTimestamp(NOW, true)} UTC`, 11, 'fill="#666"'));
  top += 56;
  for (const s of d.sheets) {
    parts.push(text(MARGIN, top + 16, s.name, 15, 'font-weight="bold"'));
    parts.push(control(MARGIN, top + 36, 'Account'), control(MARGIN + 196, top + 36, 'Region'));
    top += 84;
    const cells = gridOf(s.visuals);
    for (const c of cells) {
      const x = MARGIN + c.column * UNIT_X;
      const y = top + c.row * UNIT_Y;
      const w = c.columnSpan * UNIT_X - GUTTER;
      const h = c.rowSpan * UNIT_Y - GUTTER;
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="white" stroke="#d5d5d5"/>`);
      const svg = await toSvg(spec(c.visual, results.get(c.visual.dataSet)!, w - 24, h - 24)).catch((e) => {
        throw new Error(`${d.id}/${c.visual.id}: ${e.message}`);
      });
      parts.push(placed(svg, x + 12, y + 12));
    }
    top += Math.max(...cells.map((c) => (c.row + c.rowSpan) * UNIT_Y)) + GUTTER;
  }
  const width = PAGE_WIDTH + 2 * MARGIN - GUTTER;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${top}" viewBox="0 0 ${width} ${top}">`
    + `<rect width="${width}" height="${top}" fill="#f4f5f7"/>${parts.join('')}</svg>\n`;
}

// ---------------------------------------------------------------------------------------------
// The CloudWatch dashboard of the alerting stack, from its synthesized DashboardBody.

interface Widget {
  type: 'metric' | 'alarm' | 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title?: string;
    alarms?: string[];
    metrics?: unknown[][];
    annotations?: { horizontal?: { value: number; label?: string }[] };
    period?: number;
    stat?: string;
  };
}

/** The alerting stack as `cdk synth` builds it from cdk.json: its dashboard's widgets and its alarms' names by logical id. */
function cloudWatchDashboard(): { name: string; widgets: Widget[]; alarmNames: Map<string, string> } {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const settings = loadSettings(app.node);
  const stack = new AlertingStack(app, 'Preview', { settings, env: { account: '111111111111', region: 'us-east-1' } });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const [dashboard] = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  // The body is a Fn::Join of text and references; references become readable stand-ins.
  const flatten = (x: unknown): string => {
    if (typeof x === 'string') return x;
    const o = x as Record<string, any>;
    if (o['Fn::Join']) return (o['Fn::Join'][1] as unknown[]).map(flatten).join(o['Fn::Join'][0]);
    if (o.Ref) return o.Ref === 'AWS::Region' ? Stack.of(stack).region : `<${o.Ref}>`;
    if (o['Fn::GetAtt']) return `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${o['Fn::GetAtt'][0]}`;
    throw new Error(`Unexpected token in the dashboard body: ${JSON.stringify(o)}`);
  };
  const body = JSON.parse(flatten(dashboard.Properties.DashboardBody)) as { widgets: Widget[] };
  const alarmNames = new Map(
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id, r]) => [`arn:aws:cloudwatch:us-east-1:111111111111:alarm:${id}`, String(r.Properties.AlarmName ?? id)]),
  );
  return { name: dashboard.Properties.DashboardName, widgets: body.widgets, alarmNames };
}

function renderCloudWatch(): string {
  const { name, widgets, alarmNames } = cloudWatchDashboard();
  const unitX = PAGE_WIDTH / 24;
  const unitY = 36;
  const top = MARGIN + 60;
  const parts: string[] = [
    text(MARGIN, MARGIN + 18, `CloudWatch dashboard ${name}`, 20, 'font-weight="bold"'),
    text(MARGIN, MARGIN + 38, 'Preview of the layout, titles, metrics and alarm thresholds the alerting stack synthesizes from cdk.json; values and alarm states appear once deployed.', 11, 'fill="#666"'),
  ];
  for (const w of widgets) {
    const x = MARGIN + w.x * unitX;
    const y = top + w.y * unitY;
    const width = w.width * unitX - GUTTER;
    const height = w.height * unitY - GUTTER;
    parts.push(`<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="2" fill="white" stroke="#d5d5d5"/>`);
    // CloudWatch cuts a title longer than its widget short; so does the preview.
    let title = w.properties.title ?? '(untitled)';
    while (textWidth(title, 12, true) > width - 20) title = `${title.slice(0, -2)}…`;
    parts.push(text(x + 10, y + 20, title, 12, 'font-weight="bold"'));
    if (w.type === 'alarm') {
      // One tile per alarm, as the alarm status widget lists them.
      const names = (w.properties.alarms ?? []).map((arn) => alarmNames.get(arn) ?? arn.split(':').at(-1)!);
      const tileWidth = 340;
      const perRow = Math.max(1, Math.floor((width - 20) / (tileWidth + 8)));
      names.forEach((n, i) => {
        const tx = x + 10 + (i % perRow) * (tileWidth + 8);
        const ty = y + 34 + Math.floor(i / perRow) * 30;
        parts.push(`<rect x="${tx}" y="${ty}" width="${tileWidth}" height="24" rx="2" fill="#f0f0f0" stroke="#ccc"/>`);
        parts.push(text(tx + 8, ty + 16, n, 10));
      });
      continue;
    }
    // A graph: its y axis from zero, the alarm threshold as CloudWatch draws an annotation, the legend.
    const plot = { x: x + 44, y: y + 36, width: width - 60, height: height - 76 };
    const thresholds = w.properties.annotations?.horizontal ?? [];
    const max = Math.max(1, ...thresholds.map((t) => t.value)) * 1.25;
    const yOf = (v: number) => plot.y + plot.height - (v / max) * plot.height;
    parts.push(`<line x1="${plot.x}" y1="${plot.y + plot.height}" x2="${plot.x + plot.width}" y2="${plot.y + plot.height}" stroke="#999"/>`);
    parts.push(`<line x1="${plot.x}" y1="${plot.y}" x2="${plot.x}" y2="${plot.y + plot.height}" stroke="#999"/>`);
    parts.push(text(plot.x - 6, plot.y + plot.height + 4, '0', 10, 'text-anchor="end" fill="#555"'));
    for (const t of thresholds) {
      parts.push(`<line x1="${plot.x}" y1="${yOf(t.value)}" x2="${plot.x + plot.width}" y2="${yOf(t.value)}" stroke="#d13212" stroke-dasharray="5,3"/>`);
      parts.push(text(plot.x - 6, yOf(t.value) + 4, String(t.value), 10, 'text-anchor="end" fill="#d13212"'));
      parts.push(text(plot.x + plot.width - 4, yOf(t.value) - 4, t.label ?? '', 10, 'text-anchor="end" fill="#d13212"'));
    }
    parts.push(text(plot.x + plot.width / 2, plot.y + plot.height / 2, 'no data in a preview', 10, 'text-anchor="middle" fill="#aaa"'));
    // The legend: each metric's label, its statistic and period, as the body states them.
    const legend = (w.properties.metrics ?? []).map((m) => {
      const options = (m.find((e) => typeof e === 'object' && e !== null) ?? {}) as { label?: string; stat?: string; period?: number };
      const label = options.label ?? m.filter((e) => typeof e === 'string').join(' ');
      const stat = options.stat ?? w.properties.stat ?? 'Average';
      const period = options.period ?? w.properties.period ?? 300;
      return `${label} · ${stat} per ${period / 60} min`;
    });
    legend.forEach((l, i) => {
      const ly = y + height - 14 - (legend.length - 1 - i) * 14;
      parts.push(`<rect x="${plot.x}" y="${ly - 8}" width="10" height="10" fill="#1f77b4"/>`);
      parts.push(text(plot.x + 16, ly + 1, l, 10));
    });
  }
  const height = top + Math.max(...widgets.map((w) => (w.y + w.height) * unitY)) + MARGIN;
  const width = PAGE_WIDTH + 2 * MARGIN - GUTTER;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<rect width="${width}" height="${height}" fill="#f4f5f7"/>${parts.join('')}</svg>\n`;
}

const lake = await organizationLake();
const withRetirement = await organizationLake(retirementApiCalls());
const inventory = await inventoryLake();
try {
  fs.mkdirSync(outDir, { recursive: true });
  for (const d of [...DASHBOARDS, ...RETIREMENT_DASHBOARDS, ...INVENTORY_DASHBOARDS].filter((d) => wanted(d.id))) {
    const results = new Map<string, ResultRow[]>();
    for (const v of d.sheets.flatMap((s) => s.visuals)) {
      if (results.has(v.dataSet)) continue;
      results.set(v.dataSet, await (readsInventory(v.dataSet) ? runInventory(inventory, v.dataSet) : run(readsRetirement(v.dataSet) ? withRetirement : lake, v.dataSet)));
    }
    fs.writeFileSync(path.join(outDir, `${d.id}.svg`), await renderDashboard(d, results));
  }
} finally {
  lake.close();
  withRetirement.close();
  inventory.close();
}
if (wanted('cloudwatch')) fs.writeFileSync(path.join(outDir, 'cloudwatch.svg'), renderCloudWatch());
