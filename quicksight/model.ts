/**
 * The dashboards as typed data: which data set (query) each visual reads, which columns, how it
 * aggregates, and its title. Both the QuickSight definition (lib/dashboards/) and the SVG previews
 * (scripts/render-dashboards.mts) are built from these, so what a reviewer sees is what deploys.
 */

/** QuickSight's InputColumn types this project's queries produce. */
export type ColumnType = 'STRING' | 'INTEGER' | 'DECIMAL' | 'DATETIME' | 'BOOLEAN';

export interface DataSetColumn {
  readonly name: string;
  readonly type: ColumnType;
}

export interface DataSetSpec {
  /** The query under athena-queries/ (`kms/unused-keys`); also names the data set. */
  readonly queryId: string;
  /** The query's output columns, in order, as Athena returns them. */
  readonly columns: readonly DataSetColumn[];
}

/** How a measure is aggregated; COUNT and DISTINCT_COUNT also apply to text columns. */
export type Aggregation = 'SUM' | 'COUNT' | 'DISTINCT_COUNT';

export interface Measure {
  readonly column: string;
  readonly aggregation: Aggregation;
  /** Axis or KPI label, e.g. "Calls". */
  readonly label: string;
}

/** Narrows one visual's rows, beyond the sheet-wide account and region filters. */
export type VisualFilter =
  /**
   * Rows whose date falls within the next `days` days from now; with `keepUnknown`, rows without a
   * date too (shown as "Unknown"), where an unknown date may be the nearest one.
   */
  | { readonly kind: 'nextDays'; readonly column: string; readonly days: number; readonly keepUnknown?: boolean }
  /** Rows whose date falls within the last `days` days up to now. */
  | { readonly kind: 'lastDays'; readonly column: string; readonly days: number }
  /** Rows whose text column is one of `values`. */
  | { readonly kind: 'oneOf'; readonly column: string; readonly values: readonly string[] };

interface VisualBase {
  /** Unique within its dashboard; QuickSight's VisualId. */
  readonly id: string;
  /** What the visual shows, in words a reader understands without the query. */
  readonly title: string;
  /** The data set (query id) it reads. */
  readonly dataSet: string;
  readonly filters?: readonly VisualFilter[];
}

export interface KpiVisual extends VisualBase {
  readonly kind: 'kpi';
  readonly value: Measure;
}

export interface BarVisual extends VisualBase {
  readonly kind: 'bar';
  readonly category: string;
  readonly categoryLabel: string;
  readonly value: Measure;
  /** Keep only the largest N categories. */
  readonly top?: number;
}

export interface LineVisual extends VisualBase {
  readonly kind: 'line';
  /** A DATETIME column, bucketed by day. */
  readonly time: string;
  readonly value: Measure;
}

export interface TableVisual extends VisualBase {
  readonly kind: 'table';
  readonly columns: readonly string[];
  /** Sorted by this column, ascending unless `descending`. */
  readonly sortBy: string;
  readonly descending?: boolean;
  /**
   * Text columns (among `columns`) whose values are URLs, each shown as a link with this text
   * rather than the long address itself.
   */
  readonly links?: Readonly<Record<string, string>>;
  /** Headings for columns where the common one (COLUMN_HEADINGS) is not the best word: `resource_arn: 'Key'`. */
  readonly headings?: Readonly<Record<string, string>>;
}

export type Visual = KpiVisual | BarVisual | LineVisual | TableVisual;

export interface SheetSpec {
  /** Unique within its dashboard; QuickSight's SheetId. */
  readonly id: string;
  readonly name: string;
  readonly visuals: readonly Visual[];
}

export interface DashboardSpec {
  /** Short, lower-case; part of the QuickSight ids and of the preview file name. */
  readonly id: string;
  readonly name: string;
  readonly sheets: readonly SheetSpec[];
}

/** Every sheet carries a drop-down filter on each of these, applied to every data set that has the column. */
export const SHEET_FILTER_COLUMNS = [
  { column: 'account_id', title: 'Account' },
  { column: 'region', title: 'Region' },
] as const;

/** The columns a visual reads, filters included. */
export function columnsUsedBy(v: Visual): string[] {
  const own =
    v.kind === 'kpi' ? [v.value.column]
    : v.kind === 'bar' ? [v.category, v.value.column]
    : v.kind === 'line' ? [v.time, v.value.column]
    : [...v.columns, v.sortBy];
  return [...new Set([...own, ...(v.filters ?? []).map((f) => f.column)])];
}
