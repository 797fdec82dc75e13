/**
 * One QuickSight data set per query under athena-queries/, with the columns Athena returns. A
 * test runs every query over the fixture lake and compares these declarations with its result
 * columns, name, order and type; a query changed without its data set fails there.
 */
import type { DataSetColumn, DataSetSpec } from './model';

const s = (name: string): DataSetColumn => ({ name, type: 'STRING' });
const i = (name: string): DataSetColumn => ({ name, type: 'INTEGER' });
const t = (name: string): DataSetColumn => ({ name, type: 'DATETIME' });
const d = (name: string): DataSetColumn => ({ name, type: 'DECIMAL' });
const b = (name: string): DataSetColumn => ({ name, type: 'BOOLEAN' });

/** Every per-resource query starts with these (DESIGN.md's contract). */
const RESOURCE = [s('account_id'), s('region'), s('resource_arn')];
/** The shape of the three `<service>/operations` queries. */
const OPERATIONS = [...RESOURCE, s('operation'), s('principal'), i('calls'), i('failed_calls'), t('first_call'), t('last_call')];
/** The shape of the queries over our own Config rules' findings. */
const RULE_FINDINGS = [...RESOURCE, t('first_observed'), t('last_evaluated'), s('workflow_status')];
/** The shape of the rotation queries (our rule or Security Hub's control). */
const FAILED_CHECKS = [...RESOURCE, s('failed_checks'), t('last_evaluated')];

export const DATA_SETS: readonly DataSetSpec[] = [
  { queryId: 'certs/dns-validation-pending', columns: [...RULE_FINDINGS, i('hours_pending'), s('console_url')] },
  { queryId: 'certs/expiring', columns: [...RESOURCE, t('not_after'), s('failed_checks'), t('last_evaluated')] },
  { queryId: 'certs/exported', columns: [...RESOURCE, s('principal'), i('exports'), t('last_export')] },
  { queryId: 'certs/issued', columns: [...RESOURCE, s('operation'), s('domain_name'), s('issuing_ca_arn'), s('principal'), t('event_time')] },
  { queryId: 'certs/operations', columns: OPERATIONS },
  {
    queryId: 'certs/revoked',
    columns: [...RESOURCE, s('certificate_serial'), s('revocation_reason'), s('operation_source'), s('principal'), t('event_time')],
  },
  {
    queryId: 'kms/access-denied',
    columns: [...RESOURCE, s('requested_key'), s('operation'), s('principal'), s('error_code'), i('attempts'), t('first_attempt'), t('last_attempt')],
  },
  {
    queryId: 'kms/cross-account-use',
    columns: [...RESOURCE, s('caller_account_id'), s('principal'), s('operations'), i('calls'), i('failed_calls'), t('last_call')],
  },
  { queryId: 'kms/keys-without-rotation', columns: FAILED_CHECKS },
  { queryId: 'kms/operations', columns: OPERATIONS },
  { queryId: 'kms/pending-deletion', columns: [...RESOURCE, t('last_evaluated'), s('workflow_status')] },
  {
    queryId: 'kms/top-decrypters',
    columns: [s('principal'), s('principal_account_id'), i('decrypt_calls'), i('distinct_keys'), i('key_accounts'), t('last_decrypt')],
  },
  { queryId: 'kms/unused-keys', columns: RULE_FINDINGS },
  {
    queryId: 'secretsManager/access-denied',
    columns: [...RESOURCE, s('operation'), s('principal'), s('error_code'), i('attempts'), t('first_attempt'), t('last_attempt')],
  },
  {
    queryId: 'secretsManager/deleted',
    columns: [...RESOURCE, s('principal'), t('deleted_at'), s('recovery_window_days'), s('force_delete'), t('restored_at')],
  },
  {
    queryId: 'secretsManager/first-time-readers',
    columns: [...RESOURCE, s('principal'), t('first_read'), i('reads'), i('earlier_readers')],
  },
  // secret_values_read counts each value returned once (a batch read's per-secret GetSecretValue entries, not the batch too).
  { queryId: 'secretsManager/operations', columns: [...OPERATIONS, i('secret_values_read')] },
  { queryId: 'secretsManager/reads', columns: [...RESOURCE, s('principal'), i('reads'), t('first_read'), t('last_read')] },
  { queryId: 'secretsManager/rotation-not-enabled', columns: FAILED_CHECKS },
  { queryId: 'secretsManager/unused-secrets', columns: RULE_FINDINGS },
];

/**
 * One data set per query of the retirement path (athena-queries/retirement/, docs/retirement.md):
 * what it quarantined, scheduled for deletion, and what owners undid, from CloudTrail. Deployed only
 * while the path is on (retirement.enabled): each data set scans CloudTrail, and SPICE refreshes it
 * daily. The named queries stay either way, for an audit after the path is switched off.
 */
export const RETIREMENT_DATA_SETS: readonly DataSetSpec[] = [
  {
    queryId: 'retirement/quarantined',
    columns: [...RESOURCE, s('resource_type'), t('quarantined_at'), s('approved_by'), s('execution_id'), s('quarantine_action'), t('retired_at'), t('undone_at'), s('state')],
  },
  {
    queryId: 'retirement/awaiting-deletion',
    columns: [...RESOURCE, s('resource_type'), t('scheduled_at'), i('window_days'), t('deletion_due'), s('approved_by'), s('execution_id'), t('quarantined_at'), t('cancelled_at'), s('state')],
  },
  {
    queryId: 'retirement/undone',
    columns: [...RESOURCE, s('resource_type'), t('undone_at'), s('undo_operation'), s('undone_by'), s('undid_step'), t('step_at'), s('step_approved_by')],
  },
];

/**
 * One data set per query over the cryptographic inventory (athena-queries/inventory/), deployed
 * only while the inventory is on (inventory.enabled). A test runs each over the inventory fixtures.
 */
export const INVENTORY_DATA_SETS: readonly DataSetSpec[] = [
  {
    queryId: 'inventory/expiring',
    columns: [...RESOURCE, s('asset_type'), s('domain_name'), s('kind'), s('status'), t('expires_at'), i('days_left'), b('in_use'), s('renewal_eligibility'), t('collected_at')],
  },
  {
    queryId: 'inventory/keys-by-origin-and-spec',
    columns: [
      s('account_id'), s('region'), s('key_manager'), s('origin'), s('key_spec'), s('key_usage'), s('quantum_class'),
      i('keys'), i('enabled_keys'), i('multi_region_keys'), d('monthly_usd'),
    ],
  },
  {
    queryId: 'inventory/quantum-vulnerable',
    columns: [...RESOURCE, s('asset_type'), s('algorithm'), s('quantum_class'), i('migration_priority'), s('priority_group'), s('reason'), t('expires_at'), t('collected_at')],
  },
  {
    queryId: 'inventory/secrets-aws-managed-key',
    columns: [...RESOURCE, s('secret_name'), s('owning_service'), s('rotation_kind'), t('last_accessed'), t('last_rotated'), s('primary_region'), t('collected_at')],
  },
  {
    queryId: 'inventory/snapshots',
    columns: [s('account_id'), s('region'), s('asset_type'), s('collected_by'), t('newest_day'), t('last_collected'), i('assets'), i('assets_with_gaps'), s('freshness')],
  },
  {
    queryId: 'inventory/waste',
    columns: [...RESOURCE, s('asset_type'), s('waste_reason'), d('monthly_usd'), s('price_basis'), s('price_date'), t('last_used'), t('collected_at')],
  },
  {
    queryId: 'inventory/waste-by-account',
    columns: [s('account_id'), s('region'), i('unused_keys'), i('unused_secrets'), i('disabled_cas'), d('monthly_usd'), i('unpriced_assets')],
  },
];

/** Whether a query reads the inventory, so that its data set exists only while the inventory is on. */
export function readsInventory(queryId: string): boolean {
  return queryId.startsWith('inventory/');
}

/** Whether a query is one of the retirement path's, so that its data set exists only while the path is on. */
export function readsRetirement(queryId: string): boolean {
  return queryId.startsWith('retirement/');
}

const ALL_DATA_SETS: readonly DataSetSpec[] = [...DATA_SETS, ...RETIREMENT_DATA_SETS, ...INVENTORY_DATA_SETS];

/** The data set of a query, over Security Lake or over the inventory; undefined when none. */
export function findDataSet(queryId: string): DataSetSpec | undefined {
  return ALL_DATA_SETS.find((d) => d.queryId === queryId);
}

export function dataSet(queryId: string): DataSetSpec {
  const found = findDataSet(queryId);
  if (!found) throw new Error(`No data set for query ${JSON.stringify(queryId)}; known: ${ALL_DATA_SETS.map((d) => d.queryId).join(', ')}`);
  return found;
}

/** A column's type as the dashboards see it. */
export function columnType(spec: DataSetSpec, column: string): DataSetColumn['type'] | undefined {
  return spec.columns.find((c) => c.name === column)?.type;
}
