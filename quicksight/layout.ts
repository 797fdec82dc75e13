/**
 * Where each visual of a sheet sits on QuickSight's grid, for the definition and the previews
 * alike: 36 columns; tables across the full width (they need it for ARNs); charts side by side in
 * pairs, in the order the sheet lists them; a chart without a partner takes the whole row, so no
 * row is left half empty.
 */
import type { Visual } from './model';

export const GRID_COLUMNS = 36;
/** Every chart is this many grid rows high, so the cells of a row line up. */
export const GRID_ROW_SPAN = 12;
/** A table shows about seven rows before it scrolls. */
export const TABLE_ROW_SPAN = 9;

export interface GridCell {
  readonly visual: Visual;
  readonly column: number;
  readonly row: number;
  readonly columnSpan: number;
  readonly rowSpan: number;
}

export function gridOf(visuals: readonly Visual[]): GridCell[] {
  const rows: Visual[][] = [];
  for (const v of visuals) {
    const last = rows.at(-1);
    if (v.kind !== 'table' && last?.length === 1 && last[0].kind !== 'table') last.push(v);
    else rows.push([v]);
  }
  let top = 0;
  return rows.flatMap((row) => {
    const rowSpan = row[0].kind === 'table' ? TABLE_ROW_SPAN : GRID_ROW_SPAN;
    const cells = row.map((visual, i) => ({ visual, column: (i * GRID_COLUMNS) / row.length, row: top, columnSpan: GRID_COLUMNS / row.length, rowSpan }));
    top += rowSpan;
    return cells;
  });
}
