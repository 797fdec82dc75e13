import type { DashboardSpec } from './model';

/**
 * The cryptographic inventory, from the newest snapshot of every account and Region: what must move
 * to post-quantum cryptography and in which order, what costs money for nothing, what expires, what
 * keys and secrets there are, and whether every account's inventory is current.
 */
export const INVENTORY_DASHBOARD: DashboardSpec = {
  id: 'inventory',
  name: 'Cryptographic inventory',
  sheets: [
    {
      id: 'inventory-overview',
      name: 'Cryptographic inventory',
      visuals: [
        {
          kind: 'kpi', id: 'to-migrate-count', title: 'Keys, certificates and CAs on quantum-vulnerable or unclassified algorithms',
          dataSet: 'inventory/quantum-vulnerable', value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Assets to migrate' },
        },
        {
          kind: 'kpi', id: 'waste-total', title: 'Monthly cost of unused keys and secrets and of disabled CAs (priced ones, US dollars)',
          dataSet: 'inventory/waste', value: { column: 'monthly_usd', aggregation: 'SUM', label: 'US dollars a month' },
        },
        {
          kind: 'bar', id: 'to-migrate-by-priority', title: 'Assets to migrate by priority (1 first: harvest now, decrypt later)',
          dataSet: 'inventory/quantum-vulnerable', category: 'priority_group', categoryLabel: 'Priority',
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Assets' },
        },
        {
          kind: 'bar', id: 'waste-by-account', title: 'Monthly cost of unused and disabled assets, by account (US dollars)',
          dataSet: 'inventory/waste-by-account', category: 'account_id', categoryLabel: 'Account',
          value: { column: 'monthly_usd', aggregation: 'SUM', label: 'US dollars a month' },
        },
        {
          kind: 'bar', id: 'keys-by-spec', title: 'KMS keys by key spec',
          dataSet: 'inventory/keys-by-origin-and-spec', category: 'key_spec', categoryLabel: 'Key spec',
          value: { column: 'keys', aggregation: 'SUM', label: 'Keys' },
        },
        {
          kind: 'bar', id: 'keys-by-origin', title: 'KMS keys by origin of their key material',
          dataSet: 'inventory/keys-by-origin-and-spec', category: 'origin', categoryLabel: 'Origin',
          value: { column: 'keys', aggregation: 'SUM', label: 'Keys' },
        },
        {
          // The rule's one-sentence reason stays in the data set (too long for a table cell).
          kind: 'table', id: 'to-migrate', title: 'Assets to migrate, by priority (an unclassified algorithm counts as priority 1)',
          dataSet: 'inventory/quantum-vulnerable', columns: ['account_id', 'region', 'resource_arn', 'asset_type', 'algorithm', 'priority_group'],
          sortBy: 'migration_priority', headings: { resource_arn: 'Asset' },
        },
        {
          kind: 'table', id: 'expiring', title: 'Certificates and CAs expiring within 90 days or expired, by expiry, and those of unknown expiry',
          dataSet: 'inventory/expiring', columns: ['account_id', 'region', 'resource_arn', 'domain_name', 'kind', 'status', 'expires_at', 'days_left', 'in_use'],
          sortBy: 'expires_at', headings: { resource_arn: 'Asset' },
        },
        {
          kind: 'table', id: 'waste', title: 'Unused keys and secrets and disabled CAs that cost money, most expensive first',
          dataSet: 'inventory/waste', columns: ['account_id', 'region', 'resource_arn', 'waste_reason', 'monthly_usd', 'last_used'],
          sortBy: 'monthly_usd', descending: true, headings: { resource_arn: 'Asset' },
        },
        {
          kind: 'table', id: 'secrets-aws-managed-key', title: 'Secrets encrypted with the AWS managed key aws/secretsmanager',
          dataSet: 'inventory/secrets-aws-managed-key', columns: ['account_id', 'region', 'resource_arn', 'owning_service', 'rotation_kind', 'last_accessed'],
          sortBy: 'account_id', headings: { resource_arn: 'Secret' },
        },
        {
          kind: 'table', id: 'snapshots', title: 'Newest inventory per account, Region, rule and asset type; stale ones are left out above',
          dataSet: 'inventory/snapshots', columns: ['account_id', 'region', 'asset_type', 'collected_by', 'newest_day', 'assets', 'assets_with_gaps', 'freshness'],
          sortBy: 'freshness', descending: true,
        },
      ],
    },
  ],
};
