import { columnType, dataSet, DATA_SETS } from './data-sets';
import { SHEET_FILTER_COLUMNS, columnsUsedBy, type DashboardSpec } from './model';

/**
 * What would make QuickSight reject a dashboard, or show a wrong one, found before deployment: a
 * visual on a data set that does not exist, a column its data set lacks, a sum of text, a time
 * axis or date filter on a non-date column, a link on a column that is not a shown text column, a missing title, a repeated id, a sheet without its
 * account and region filters. Empty when the dashboard is sound.
 */
export function problemsIn(d: DashboardSpec): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const sheet of d.sheets) {
    for (const id of [sheet.id, ...sheet.visuals.map((v) => v.id)]) {
      if (ids.has(id)) problems.push(`${d.id}: the id ${id} is used twice`);
      ids.add(id);
    }
    const withFilterColumns = sheet.visuals.filter((v) =>
      DATA_SETS.some((s) => s.queryId === v.dataSet && SHEET_FILTER_COLUMNS.every((f) => s.columns.some((c) => c.name === f.column))),
    );
    if (withFilterColumns.length === 0) problems.push(`${d.id}/${sheet.id}: no data set with ${SHEET_FILTER_COLUMNS.map((f) => f.column).join(' and ')} to filter the sheet on`);
    for (const v of sheet.visuals) {
      const where = `${d.id}/${sheet.id}/${v.id}`;
      if (!v.title.trim()) problems.push(`${where}: has no title`);
      if (!DATA_SETS.some((s) => s.queryId === v.dataSet)) {
        problems.push(`${where}: reads ${v.dataSet}, which has no data set`);
        continue;
      }
      const spec = dataSet(v.dataSet);
      for (const c of columnsUsedBy(v)) {
        if (!columnType(spec, c)) problems.push(`${where}: uses column ${c}, which data set ${v.dataSet} lacks`);
      }
      const measure = v.kind === 'table' ? undefined : v.value;
      if (measure?.aggregation === 'SUM' && !['INTEGER', 'DECIMAL'].includes(columnType(spec, measure.column) ?? 'INTEGER')) {
        problems.push(`${where}: sums ${measure.column}, which is not a number`);
      }
      if (v.kind === 'table') {
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
