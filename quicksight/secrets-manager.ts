import type { DashboardSpec } from './model';

/** How far back the deletions visual looks, whatever the query window. */
const DELETED_WITHIN_DAYS = 30;

/** Secrets Manager: who reads which secrets, who is refused, and secrets left unused or unrotated. */
export const SECRETS_MANAGER_DASHBOARD: DashboardSpec = {
  id: 'secrets-manager',
  name: 'Secrets Manager secrets',
  sheets: [
    {
      id: 'secrets-overview',
      name: 'Secrets Manager secrets',
      visuals: [
        {
          kind: 'kpi', id: 'unused-secrets-count', title: 'Secrets reported unused by the secretsmanager-unused-secret-check rule',
          dataSet: 'secretsManager/unused-secrets', value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Unused secrets' },
        },
        {
          // Calls as CloudTrail records them: a BatchGetSecretValue is one call here, and each secret it
          // returns is also a GetSecretValue entry. Values read are counted once in the most-read bar.
          kind: 'bar', id: 'calls-by-operation', title: 'Secrets Manager calls by operation, as CloudTrail records them',
          dataSet: 'secretsManager/operations', category: 'operation', categoryLabel: 'Operation',
          value: { column: 'calls', aggregation: 'SUM', label: 'Calls' },
        },
        {
          kind: 'bar', id: 'access-denied-by-principal', title: 'Denied Secrets Manager calls by principal',
          dataSet: 'secretsManager/access-denied', category: 'principal', categoryLabel: 'Principal',
          value: { column: 'attempts', aggregation: 'SUM', label: 'Denied calls' }, top: 10,
        },
        {
          kind: 'bar', id: 'top-read-secrets', title: 'Most read secrets (top 10, values returned, batch reads included once)',
          dataSet: 'secretsManager/reads', category: 'resource_arn', categoryLabel: 'Secret',
          value: { column: 'reads', aggregation: 'SUM', label: 'Reads' }, top: 10,
        },
        {
          kind: 'table', id: 'unused-secrets', title: 'Unused secrets, longest unused first',
          dataSet: 'secretsManager/unused-secrets', columns: ['account_id', 'region', 'resource_arn', 'first_observed', 'last_evaluated', 'workflow_status'],
          sortBy: 'first_observed', headings: { resource_arn: 'Secret' },
        },
        {
          kind: 'table', id: 'deleted', title: `Secrets deleted in the last ${DELETED_WITHIN_DAYS} days, and whether they were restored`,
          dataSet: 'secretsManager/deleted', columns: ['account_id', 'region', 'resource_arn', 'principal', 'deleted_at', 'recovery_window_days', 'restored_at'],
          sortBy: 'deleted_at', descending: true, headings: { resource_arn: 'Secret', principal: 'Deleted by' },
          filters: [{ kind: 'lastDays', column: 'deleted_at', days: DELETED_WITHIN_DAYS }],
        },
        {
          kind: 'table', id: 'rotation-not-enabled', title: 'Secrets without automatic rotation, and the checks that report it',
          dataSet: 'secretsManager/rotation-not-enabled', columns: ['account_id', 'region', 'resource_arn', 'failed_checks', 'last_evaluated'],
          sortBy: 'account_id', headings: { resource_arn: 'Secret' },
        },
      ],
    },
  ],
};
