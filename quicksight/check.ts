import { columnType, findDataSet } from './data-sets';
import { SHEET_FILTER_COLUMNS, columnsUsedBy, type DashboardSpec, type SheetSpec, type Visual } from './model';
import { headingOf } from './presentation';

const dataSetOf = (v: Visual) => findDataSet(v.dataSet);

/** The first visual of a sheet whose data set has every sheet filter column: the sheet's filters are defined on its columns. */
export function sheetFilterAnchor(sheet: SheetSpec): Visual | undefined {
  return sheet.visuals.find((v) => SHEET_FILTER_COLUMNS.every((f) => dataSetOf(v)?.columns.some((c) => c.name === f.column)));
}

/**
 * What would make QuickSight reject a dashboard, or show a wrong one, found before deployment: a
 * visual on a data set that does not exist, a column its data set lacks, a sum of text, a time
 * axis or date filter on a non-date column, a link on a column that is not a shown text column, a
 * table column without a heading, a missing title, a repeated id, a sheet without its account and
 * region filters. Empty when the dashboard is sound.
 */
export function problemsIn(d: DashboardSpec): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const sheet of d.sheets) {
    for (const id of [sheet.id, ...sheet.visuals.map((v) => v.id)]) {
      if (ids.has(id)) problems.push(`${d.id}: the id ${id} is used twice`);
      ids.add(id);
    }
    if (!sheetFilterAnchor(sheet)) problems.push(`${d.id}/${sheet.id}: no data set with ${SHEET_FILTER_COLUMNS.map((f) => f.column).join(' and ')} to filter the sheet on`);
    for (const v of sheet.visuals) {
      const where = `${d.id}/${sheet.id}/${v.id}`;
      if (!v.title.trim()) problems.push(`${where}: has no title`);
      const spec = dataSetOf(v);
      if (!spec) {
        problems.push(`${where}: reads ${v.dataSet}, which has no data set`);
        continue;
      }
      for (const c of columnsUsedBy(v)) {
        if (!columnType(spec, c)) problems.push(`${where}: uses column ${c}, which data set ${v.dataSet} lacks`);
      }
      const measure = v.kind === 'table' ? undefined : v.value;
      if (measure?.aggregation === 'SUM' && !['INTEGER', 'DECIMAL'].includes(columnType(spec, measure.column) ?? 'INTEGER')) {
        problems.push(`${where}: sums ${measure.column}, which is not a number`);
      }
      if (v.kind === 'table') {
        for (const c of v.columns) if (!headingOf(v, c)?.trim()) problems.push(`${where}: shows ${c} without a heading (COLUMN_HEADINGS or the visual's headings)`);
        for (const [c, text] of Object.entries(v.links ?? {})) {
          if (!v.columns.includes(c)) problems.push(`${where}: links ${c}, which is not one of its columns`);
          else if (columnType(spec, c) && columnType(spec, c) !== 'STRING') problems.push(`${where}: links ${c}, but it is ${columnType(spec, c)}, not a URL`);
          if (!text.trim()) problems.push(`${where}: links ${c} with no link text`);
        }
      }
      const dateColumns = [...(v.kind === 'line' ? [v.time] : []), ...(v.filters ?? []).filter((f) => f.kind !== 'oneOf').map((f) => f.column)];
      for (const c of dateColumns) {
        const type = columnType(spec, c);
        if (type && type !== 'DATETIME') problems.push(`${where}: treats ${c} as a date, but it is ${type}`);
      }
    }
  }
  return problems;
}
