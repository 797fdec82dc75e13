import type { DashboardSpec } from './model';

/** KMS keys: configuration risks from findings, then who uses and is refused which keys. */
export const KMS_DASHBOARD: DashboardSpec = {
  id: 'kms',
  name: 'KMS keys',
  sheets: [
    {
      id: 'kms-overview',
      name: 'KMS keys',
      visuals: [
        {
          kind: 'kpi', id: 'unused-keys-count', title: 'KMS keys reported unused by the kms-unused-key-check rule',
          dataSet: 'kms/unused-keys', value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Unused keys' },
        },
        {
          kind: 'bar', id: 'keys-without-rotation-by-account', title: 'KMS keys without automatic rotation, by account',
          dataSet: 'kms/keys-without-rotation', category: 'account_id', categoryLabel: 'Account',
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Keys' },
        },
        {
          kind: 'bar', id: 'operations-by-type', title: 'KMS calls by operation',
          dataSet: 'kms/operations', category: 'operation', categoryLabel: 'Operation',
          value: { column: 'calls', aggregation: 'SUM', label: 'Calls' },
        },
        {
          kind: 'bar', id: 'access-denied-by-principal', title: 'Denied KMS calls by principal',
          dataSet: 'kms/access-denied', category: 'principal', categoryLabel: 'Principal',
          value: { column: 'attempts', aggregation: 'SUM', label: 'Denied calls' }, top: 10,
        },
        {
          kind: 'bar', id: 'most-active-principals', title: 'Principals making the most KMS calls (top 10)',
          dataSet: 'kms/operations', category: 'principal', categoryLabel: 'Principal',
          value: { column: 'calls', aggregation: 'SUM', label: 'Calls' }, top: 10,
        },
        {
          kind: 'bar', id: 'top-keys-by-use', title: 'Most used KMS keys (top 10, by calls)',
          dataSet: 'kms/operations', category: 'resource_arn', categoryLabel: 'Key',
          value: { column: 'calls', aggregation: 'SUM', label: 'Calls' }, top: 10,
        },
        {
          kind: 'table', id: 'inactive-keys', title: 'Inactive KMS keys: unused since first reported',
          dataSet: 'kms/unused-keys', columns: ['account_id', 'region', 'resource_arn', 'first_observed', 'last_evaluated', 'workflow_status'],
          sortBy: 'first_observed', headings: { resource_arn: 'Key' },
        },
      ],
    },
  ],
};
