/**
 * Turns a dashboard spec (quicksight/) into a QuickSight definition. The analysis and the
 * published dashboard take the same definition, so what an author edits is what viewers see.
 */
import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { problemsIn, sheetFilterAnchor } from '../../quicksight/check';
import { SHEET_FILTER_COLUMNS, columnType, dataSet, dataSetsOf, type DashboardSpec, type Measure, type SheetSpec, type Visual, type VisualFilter } from '../../quicksight';

type Definition = CfnDashboard.DashboardVersionDefinitionProperty;

/** The identifier a definition uses for a data set: the query id with a dash for the slash. */
export function dataSetIdentifier(queryId: string): string {
  return queryId.replace('/', '-');
}

/** QuickSight's grid has 36 columns; two visuals side by side, tables across the full width. */
const GRID_COLUMNS = 36;

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

/** A URL column shown as underlined link text that opens in a new tab, keeping the dashboard open. */
function linkField(v: Visual, column: string, text: string): CfnDashboard.TableFieldOptionProperty {
  return {
    fieldId: `${v.id}.${column}`,
    urlStyling: {
      linkConfiguration: {
        target: 'NEW_TAB',
        content: { customTextContent: { value: text, fontConfiguration: { fontDecoration: 'UNDERLINE' } } },
      },
    },
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
                category: [{ categoricalDimensionField: { fieldId: `${v.id}.${v.category}`, column: col(v, v.category) } }],
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
                category: [{ dateDimensionField: { fieldId: `${v.id}.${v.time}`, column: col(v, v.time), dateGranularity: 'DAY' } }],
                values: [measure(v, v.value)],
              },
            },
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
              tableUnaggregatedFieldWells: { values: v.columns.map((c) => ({ fieldId: `${v.id}.${c}`, column: col(v, c) })) },
            },
            sortConfiguration: {
              rowSort: [{ columnSort: { sortBy: col(v, v.sortBy), direction: v.descending ? 'DESC' : 'ASC' } }],
            },
            ...(v.links ? { fieldOptions: { selectedFieldOptions: Object.entries(v.links).map(([c, text]) => linkField(v, c, text)) } } : {}),
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
      nullOption: 'NON_NULLS_ONLY',
    },
  };
}

function sheetFilterId(sheet: SheetSpec, column: string): string {
  return `${sheet.id}-${column.replace(/_/g, '-')}`;
}

function sheet(s: SheetSpec): CfnDashboard.SheetDefinitionProperty {
  let row = 0;
  let column = 0;
  const elements = s.visuals.map((v) => {
    // Tables need the width for ARNs; charts pair up.
    const span = v.kind === 'table' ? GRID_COLUMNS : GRID_COLUMNS / 2;
    if (column + span > GRID_COLUMNS) {
      row += 12;
      column = 0;
    }
    const element = { elementId: v.id, elementType: 'VISUAL', columnIndex: column, columnSpan: span, rowIndex: row, rowSpan: 12 };
    column += span;
    return element;
  });
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
  return s.visuals.flatMap((v) =>
    (v.filters ?? []).map((f, n) => ({
      filterGroupId: `${v.id}-filter-${n}`,
      crossDataset: 'SINGLE_DATASET',
      status: 'ENABLED',
      scopeConfiguration: { selectedSheets: { sheetVisualScopingConfigurations: [{ sheetId: s.id, scope: 'SELECTED_VISUALS', visualIds: [v.id] }] } },
      filters: [visualFilter(v, f, n)],
    })),
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
    sheets: d.sheets.map(sheet),
    filterGroups: d.sheets.flatMap((s) => [...sheetFilterGroups(s), ...visualFilterGroups(s)]),
  };
}
