/**
 * How values are shown, the same in QuickSight (lib/dashboards/definition.ts) and in the previews
 * (scripts/render-dashboards.mts): column headings, one date format, and ARNs shortened so that the
 * account stays and two resources never look alike.
 */
import type { TableVisual } from './model';

/** Dates on axes, in QuickSight's format tokens ("Customizing date formats"). */
export const DATE_FORMAT = 'YYYY-MM-DD';
/** Timestamps in tables: the same date, then the time of day (UTC, as Athena returns it). */
export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** What a table shows for a timestamp it does not have (QuickSight's null value format). */
export const UNKNOWN = 'Unknown';

/** A timestamp as DATE_FORMAT or DATE_TIME_FORMAT show it, for the previews. */
export function formatTimestamp(time: Date, withTime: boolean): string {
  const iso = time.toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** What a table calls each column of the queries, unless the visual says otherwise (`TableVisual.headings`). */
export const COLUMN_HEADINGS: Readonly<Record<string, string>> = {
  account_id: 'Account',
  region: 'Region',
  resource_arn: 'Resource',
  first_observed: 'First reported',
  last_evaluated: 'Last evaluated',
  workflow_status: 'Workflow status',
  failed_checks: 'Failing checks',
  hours_pending: 'Hours pending',
  console_url: 'Console',
  not_after: 'Expires',
  principal: 'Principal',
  operation: 'Operation',
  operations: 'Operations',
  calls: 'Calls',
  failed_calls: 'Failed calls',
  first_call: 'First call',
  last_call: 'Last call',
  exports: 'Exports',
  last_export: 'Last export',
  domain_name: 'Domain',
  issuing_ca_arn: 'Issuing CA',
  event_time: 'Time',
  certificate_serial: 'Serial number',
  revocation_reason: 'Reason',
  operation_source: 'Source',
  requested_key: 'Requested key',
  error_code: 'Error',
  attempts: 'Attempts',
  first_attempt: 'First attempt',
  last_attempt: 'Last attempt',
  caller_account_id: 'Caller account',
  principal_account_id: 'Principal account',
  decrypt_calls: 'Decrypt calls',
  distinct_keys: 'Keys',
  key_accounts: 'Key accounts',
  last_decrypt: 'Last decrypt',
  deleted_at: 'Deleted',
  recovery_window_days: 'Recovery window (days)',
  force_delete: 'Forced',
  restored_at: 'Restored',
  first_read: 'First read',
  reads: 'Reads',
  earlier_readers: 'Earlier readers',
  last_read: 'Last read',
  // The cryptographic inventory.
  asset_type: 'Asset type',
  algorithm: 'Algorithm',
  quantum_class: 'Quantum class',
  migration_priority: 'Priority',
  priority_group: 'Priority',
  reason: 'Why',
  kind: 'Kind',
  status: 'Status',
  expires_at: 'Expires',
  days_left: 'Days left',
  in_use: 'In use',
  renewal_eligibility: 'Renewal',
  waste_reason: 'Why',
  monthly_usd: 'Monthly cost (dollars)',
  price_basis: 'Price counts',
  price_date: 'Price date',
  last_used: 'Last used',
  secret_name: 'Secret',
  owning_service: 'Owning service',
  rotation_kind: 'Rotation',
  last_accessed: 'Last accessed',
  last_rotated: 'Last rotated',
  primary_region: 'Primary region',
  key_manager: 'Managed by',
  origin: 'Origin',
  key_spec: 'Key spec',
  key_usage: 'Usage',
  keys: 'Keys',
  collected_by: 'Rule',
  collected_at: 'Collected',
  newest_day: 'Newest day',
  last_collected: 'Last written',
  assets: 'Assets',
  assets_with_gaps: 'Assets with gaps',
  freshness: 'Freshness',
  // The retirement path.
  resource_type: 'Type',
  quarantined_at: 'Quarantined',
  approved_by: 'Approved by',
  execution_id: 'Automation execution',
  quarantine_action: 'Quarantine',
  retired_at: 'Retired',
  undone_at: 'Undone',
  state: 'Now',
  scheduled_at: 'Deletion scheduled',
  window_days: 'Waiting period (days)',
  deletion_due: 'Deleted on',
  cancelled_at: 'Deletion cancelled',
  undo_operation: 'Undone with',
  undone_by: 'Undone by',
  undid_step: 'Step undone',
  step_at: 'Step taken',
  step_approved_by: 'Step approved by',
};

/** The heading of a table column; undefined when neither the visual nor COLUMN_HEADINGS names it. */
export function headingOf(v: Pick<TableVisual, 'headings'>, column: string): string | undefined {
  return v.headings?.[column] ?? COLUMN_HEADINGS[column];
}

/** Columns that hold ARNs (or, for principals, sometimes a service name); visuals show them shortened. */
export const ARN_COLUMNS: ReadonlySet<string> = new Set(['resource_arn', 'principal', 'issuing_ca_arn', 'requested_key', 'undone_by']);

/**
 * Columns that hold IAM and STS principal ARNs joined by spaces (the approvers the retirement path
 * records); visuals show each of them shortened.
 */
export const PRINCIPAL_LIST_COLUMNS: ReadonlySet<string> = new Set(['approved_by', 'step_approved_by']);

/** The calculated field that shows an ARN column (or a list of them) shortened. */
export function shortArnField(column: string): string {
  return `short_${column}`;
}

/** Whether visuals show `column` through its shortened field. */
export function isShortened(column: string): boolean {
  return ARN_COLUMNS.has(column) || PRINCIPAL_LIST_COLUMNS.has(column);
}

/** The column a visual shows for `column`: its shortened form for ARNs, the column itself otherwise. */
export function shownColumn(column: string): string {
  return isShortened(column) ? shortArnField(column) : column;
}

/** A shortened column's text as the dashboard shows it (shortArn, or shortPrincipalList for a list). */
export function shortened(column: string, text: string): string {
  return PRINCIPAL_LIST_COLUMNS.has(column) ? shortPrincipalList(text) : shortArn(text);
}

/** The calculated field's expression for a shortened column. */
export function shortenedExpression(column: string): string {
  return PRINCIPAL_LIST_COLUMNS.has(column) ? shortPrincipalListExpression(column) : shortArnExpression(column);
}

/**
 * An ARN without `arn:<partition>:<service>:`, which the dashboard already says (one organization is
 * one partition; each visual is about one service): `us-east-1:111111111111:key/…`, or
 * `111111111111:role/…` for a global service. Region, account and resource stay, so two resources
 * that differ keep differing. Anything that is not an ARN (a service principal) is shown as it is.
 */
export function shortArn(text: string): string {
  if (!text.startsWith('arn:')) return text;
  const c1 = text.indexOf(':');
  const c2 = text.indexOf(':', c1 + 1);
  const c3 = c2 < 0 ? -1 : text.indexOf(':', c2 + 1);
  if (c3 < 0) return text;
  const rest = text.slice(c3 + 1);
  return rest.startsWith(':') ? rest.slice(1) : rest;
}

/**
 * shortArn as a QuickSight calculated field over `column`, with functions an analysis may use
 * (locate, substring, strlen, left, ifelse; not split, which only data preparation allows).
 * QuickSight's strings are 1-based: the third colon is at c3, the rest starts at c3 + 1.
 */
export function shortArnExpression(column: string): string {
  const x = `{${column}}`;
  const c1 = `locate(${x}, ':')`;
  const c2 = `locate(${x}, ':', ${c1} + 1)`;
  const c3 = `locate(${x}, ':', ${c2} + 1)`;
  const rest = `substring(${x}, ${c3} + 1, strlen(${x}) - ${c3})`;
  const withoutEmptyRegion = `ifelse(left(${rest}, 1) = ':', substring(${rest}, 2, strlen(${rest}) - 1), ${rest})`;
  return `ifelse(left(${x}, 4) = 'arn:' AND ${c3} > 0, ${withoutEmptyRegion}, ${x})`;
}

/** The partitions an organization can be in; IAM and STS ARNs name one of them. */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
/** What an IAM or STS principal ARN starts with, in every partition: `arn:aws:iam::`, `arn:aws-cn:sts::`… */
const PRINCIPAL_PREFIXES = PARTITIONS.flatMap((p) => [`arn:${p}:iam::`, `arn:${p}:sts::`]);

/**
 * A space-separated list of IAM and STS principal ARNs, each shortened as shortArn shortens it
 * (`111111111111:assumed-role/KeyCustodian/jdoe 111111111111:user/alice`): every principal ARN
 * prefix removed, exactly as the calculated field removes them.
 */
export function shortPrincipalList(text: string): string {
  return PRINCIPAL_PREFIXES.reduce((x, prefix) => x.split(prefix).join(''), text);
}

/**
 * shortPrincipalList as a QuickSight calculated field: QuickSight has no split in an analysis, but
 * `replace` (every occurrence) drops each principal ARN's prefix wherever it stands in the list.
 */
export function shortPrincipalListExpression(column: string): string {
  return PRINCIPAL_PREFIXES.reduce((x, prefix) => `replace(${x}, '${prefix}', '')`, `{${column}}`);
}
