/**
 * Where each visual of a sheet sits on QuickSight's grid, for the definition and the previews
 * alike: 36 columns; tables across the full width (they need it for ARNs); charts side by side in
 * pairs, in the order the sheet lists them; a chart without a partner takes the whole row, so no
 * row is left half empty.
 */
import type { Visual } from './model';

export const GRID_COLUMNS = 36;
/** Every visual is this many grid rows high, so the cells of a row line up. */
export const GRID_ROW_SPAN = 12;

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
  return rows.flatMap((row, n) =>
    row.map((visual, i) => ({
      visual,
      column: (i * GRID_COLUMNS) / row.length,
      row: n * GRID_ROW_SPAN,
      columnSpan: GRID_COLUMNS / row.length,
      rowSpan: GRID_ROW_SPAN,
    })),
  );
}
