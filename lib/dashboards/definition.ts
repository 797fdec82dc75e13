/**
 * Turns a dashboard spec (quicksight/) into a QuickSight definition. The analysis and the
 * published dashboard take the same definition, so what an author edits is what viewers see.
 */
import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { problemsIn, sheetFilterAnchor } from '../../quicksight/check';
import {
  DATE_FORMAT, DATE_TIME_FORMAT, SHEET_FILTER_COLUMNS, UNKNOWN, columnType, dataSet, dataSetsOf, gridOf, headingOf, isShortened,
  shortArnField, shortenedExpression, shownColumn,
  type DashboardSpec, type Measure, type SheetSpec, type TableVisual, type Visual, type VisualFilter,
} from '../../quicksight';

type Definition = CfnDashboard.DashboardVersionDefinitionProperty;

/** The identifier a definition uses for a data set: the query id with a dash for the slash. */
export function dataSetIdentifier(queryId: string): string {
  return queryId.replace('/', '-');
}

const col = (v: { dataSet: string }, column: string) => ({ dataSetIdentifier: dataSetIdentifier(v.dataSet), columnName: column });
const title = (v: Visual) => ({ visibility: 'VISIBLE', formatText: { plainText: v.title } });

const measureFieldId = (v: Visual, m: Measure) => `${v.id}.${m.column}.${m.aggregation.toLowerCase()}`;

function measure(v: Visual, m: Measure): CfnDashboard.MeasureFieldProperty {
  const fieldId = measureFieldId(v, m);
  const numeric = ['INTEGER', 'DECIMAL'].includes(columnType(dataSet(v.dataSet), m.column) ?? '');
  // SUM exists only for numbers; counting works on any column through the categorical form.
  return numeric && m.aggregation === 'SUM'
    ? { numericalMeasureField: { fieldId, column: col(v, m.column), aggregationFunction: { simpleNumericalAggregation: 'SUM' } } }
    : { categoricalMeasureField: { fieldId, column: col(v, m.column), aggregationFunction: m.aggregation } };
}

/**
 * A table column's options: its heading, and for a URL column underlined link text that opens in a
 * new tab, keeping the dashboard open.
 */
function tableField(v: TableVisual, column: string): CfnDashboard.TableFieldOptionProperty {
  const text = v.links?.[column];
  return {
    fieldId: `${v.id}.${column}`,
    customLabel: headingOf(v, column),
    ...(text
      ? {
          urlStyling: {
            linkConfiguration: {
              target: 'NEW_TAB',
              content: { customTextContent: { value: text, fontConfiguration: { fontDecoration: 'UNDERLINE' } } },
            },
          },
        }
      : {}),
  };
}

/** A table cell: an ARN shortened, a timestamp in the one date format (a missing one as "Unknown"), anything else as it is. */
function tableValue(v: TableVisual, column: string): CfnDashboard.UnaggregatedFieldProperty {
  const isTime = columnType(dataSet(v.dataSet), column) === 'DATETIME';
  return {
    fieldId: `${v.id}.${column}`,
    column: col(v, shownColumn(column)),
    ...(isTime
      ? { formatConfiguration: { dateTimeFormatConfiguration: { dateTimeFormat: DATE_TIME_FORMAT, nullValueFormatConfiguration: { nullString: UNKNOWN } } } }
      : {}),
  };
}

function visual(v: Visual): CfnDashboard.VisualProperty {
  switch (v.kind) {
    case 'kpi':
      return { kpiVisual: { visualId: v.id, title: title(v), chartConfiguration: { fieldWells: { values: [measure(v, v.value)] } } } };
    case 'bar':
      return {
        barChartVisual: {
          visualId: v.id,
          title: title(v),
          chartConfiguration: {
            orientation: 'HORIZONTAL',
            fieldWells: {
              barChartAggregatedFieldWells: {
                category: [{ categoricalDimensionField: { fieldId: `${v.id}.${v.category}`, column: col(v, shownColumn(v.category)) } }],
                values: [measure(v, v.value)],
              },
            },
            sortConfiguration: {
              categorySort: [{ fieldSort: { fieldId: measureFieldId(v, v.value), direction: 'DESC' } }],
              ...(v.top ? { categoryItemsLimit: { itemsLimit: v.top, otherCategories: 'EXCLUDE' } } : {}),
            },
            categoryLabelOptions: { axisLabelOptions: [{ customLabel: v.categoryLabel }] },
            valueLabelOptions: { axisLabelOptions: [{ customLabel: v.value.label }] },
          },
        },
      };
    case 'line':
      return {
        lineChartVisual: {
          visualId: v.id,
          title: title(v),
          chartConfiguration: {
            fieldWells: {
              lineChartAggregatedFieldWells: {
                category: [
                  { dateDimensionField: { fieldId: `${v.id}.${v.time}`, column: col(v, v.time), dateGranularity: 'DAY', formatConfiguration: { dateTimeFormat: DATE_FORMAT } } },
                ],
                values: [measure(v, v.value)],
              },
            },
            // A day without events is a day on the axis, drawn as zero, not a line straight across it.
            xAxisDisplayOptions: { dataOptions: { dateAxisOptions: { missingDateVisibility: 'VISIBLE' } } },
            primaryYAxisDisplayOptions: { missingDataConfigurations: [{ treatmentOption: 'SHOW_AS_ZERO' }] },
            primaryYAxisLabelOptions: { axisLabelOptions: [{ customLabel: v.value.label }] },
          },
        },
      };
    case 'table':
      return {
        tableVisual: {
          visualId: v.id,
          title: title(v),
          chartConfiguration: {
            fieldWells: {
              tableUnaggregatedFieldWells: { values: v.columns.map((c) => tableValue(v, c)) },
            },
            sortConfiguration: {
              rowSort: [{ columnSort: { sortBy: col(v, v.sortBy), direction: v.descending ? 'DESC' : 'ASC' } }],
            },
            fieldOptions: { selectedFieldOptions: v.columns.map((c) => tableField(v, c)) },
          },
        },
      };
  }
}

function visualFilter(v: Visual, f: VisualFilter, n: number): CfnDashboard.FilterProperty {
  const filterId = `${v.id}-filter-${n}`;
  if (f.kind === 'oneOf') {
    return {
      categoryFilter: {
        filterId,
        column: col(v, f.column),
        configuration: { filterListConfiguration: { matchOperator: 'CONTAINS', categoryValues: [...f.values], nullOption: 'NON_NULLS_ONLY' } },
      },
    };
  }
  return {
    relativeDatesFilter: {
      filterId,
      column: col(v, f.column),
      anchorDateConfiguration: { anchorOption: 'NOW' },
      relativeDateType: f.kind === 'nextDays' ? 'NEXT' : 'LAST',
      relativeDateValue: f.days,
      timeGranularity: 'DAY',
      nullOption: f.kind === 'nextDays' && f.keepUnknown ? 'ALL_VALUES' : 'NON_NULLS_ONLY',
    },
  };
}

function sheetFilterId(sheet: SheetSpec, column: string): string {
  return `${sheet.id}-${column.replace(/_/g, '-')}`;
}

function sheet(s: SheetSpec): CfnDashboard.SheetDefinitionProperty {
  // The grid the previews draw too (quicksight/layout.ts).
  const elements = gridOf(s.visuals).map((c) => ({
    elementId: c.visual.id, elementType: 'VISUAL', columnIndex: c.column, columnSpan: c.columnSpan, rowIndex: c.row, rowSpan: c.rowSpan,
  }));
  return {
    sheetId: s.id,
    name: s.name,
    title: s.name,
    contentType: 'INTERACTIVE',
    visuals: s.visuals.map(visual),
    layouts: [{ configuration: { gridLayout: { elements } } }],
    filterControls: SHEET_FILTER_COLUMNS.map((f) => ({
      dropdown: { filterControlId: `${sheetFilterId(s, f.column)}-control`, sourceFilterId: sheetFilterId(s, f.column), title: f.title, type: 'MULTI_SELECT' },
    })),
    sheetControlLayouts: [
      {
        configuration: {
          gridLayout: {
            elements: SHEET_FILTER_COLUMNS.map((f) => ({ elementId: `${sheetFilterId(s, f.column)}-control`, elementType: 'FILTER_CONTROL', columnSpan: 6, rowSpan: 1 })),
          },
        },
      },
    ],
  };
}

/** Account and region filters per sheet, applied to every data set of the sheet that has the column. */
function sheetFilterGroups(s: SheetSpec): CfnDashboard.FilterGroupProperty[] {
  const anchor = sheetFilterAnchor(s);
  if (!anchor) throw new Error(`Sheet ${s.id} has no data set with account_id and region to filter on`);
  return SHEET_FILTER_COLUMNS.map((f) => ({
    filterGroupId: sheetFilterId(s, f.column),
    crossDataset: 'ALL_DATASETS',
    status: 'ENABLED',
    scopeConfiguration: { selectedSheets: { sheetVisualScopingConfigurations: [{ sheetId: s.id, scope: 'ALL_VISUALS' }] } },
    filters: [
      {
        categoryFilter: {
          filterId: sheetFilterId(s, f.column),
          column: col(anchor, f.column),
          configuration: { filterListConfiguration: { matchOperator: 'CONTAINS', selectAllOptions: 'FILTER_ALL_VALUES', nullOption: 'ALL_VALUES' } },
        },
      },
    ],
  }));
}

function visualFilterGroups(s: SheetSpec): CfnDashboard.FilterGroupProperty[] {
  const group = (v: Visual, filterGroupId: string, filter: CfnDashboard.FilterProperty): CfnDashboard.FilterGroupProperty => ({
    filterGroupId,
    crossDataset: 'SINGLE_DATASET',
    status: 'ENABLED',
    scopeConfiguration: { selectedSheets: { sheetVisualScopingConfigurations: [{ sheetId: s.id, scope: 'SELECTED_VISUALS', visualIds: [v.id] }] } },
    filters: [filter],
  });
  return s.visuals.flatMap((v) => [
    ...(v.filters ?? []).map((f, n) => group(v, `${v.id}-filter-${n}`, visualFilter(v, f, n))),
    // A bar per value, none for rows without one (a CreateKey call names no key yet): no "(empty)" bar.
    ...(v.kind === 'bar' ? [group(v, `${v.id}-with-${v.category.replace(/_/g, '-')}`, withValue(v, v.category))] : []),
  ]);
}

/** Keeps the rows whose `column` has a value: every value selected, nulls not. */
function withValue(v: Visual, column: string): CfnDashboard.FilterProperty {
  return {
    categoryFilter: {
      filterId: `${v.id}-with-${column.replace(/_/g, '-')}`,
      column: col(v, column),
      configuration: { filterListConfiguration: { matchOperator: 'CONTAINS', selectAllOptions: 'FILTER_ALL_VALUES', nullOption: 'NON_NULLS_ONLY' } },
    },
  };
}

/** The shortened ARN fields the dashboard's visuals show, one per data set and ARN (or ARN list) column they use. */
function calculatedFields(d: DashboardSpec): CfnDashboard.CalculatedFieldProperty[] {
  const used = new Map<string, Set<string>>();
  for (const v of d.sheets.flatMap((s) => s.visuals)) {
    const shown = v.kind === 'table' ? v.columns : v.kind === 'bar' ? [v.category] : [];
    for (const c of shown.filter(isShortened)) used.set(v.dataSet, (used.get(v.dataSet) ?? new Set()).add(c));
  }
  return [...used].flatMap(([queryId, columns]) =>
    [...columns].map((c) => ({ dataSetIdentifier: dataSetIdentifier(queryId), name: shortArnField(c), expression: shortenedExpression(c) })),
  );
}

/**
 * The definition of one dashboard. `dataSetArn` gives the ARN of a query's data set; a visual's
 * columns are checked against its data set's declarations (quicksight/data-sets.ts) first.
 */
export function dashboardDefinition(d: DashboardSpec, dataSetArn: (queryId: string) => string): Definition {
  const problems = problemsIn(d);
  if (problems.length) throw new Error(`Dashboard ${d.id} cannot be deployed:\n  - ${problems.join('\n  - ')}`);
  return {
    dataSetIdentifierDeclarations: dataSetsOf(d).map((q) => ({ identifier: dataSetIdentifier(q), dataSetArn: dataSetArn(q) })),
    calculatedFields: calculatedFields(d),
    sheets: d.sheets.map(sheet),
    filterGroups: d.sheets.flatMap((s) => [...sheetFilterGroups(s), ...visualFilterGroups(s)]),
  };
}
