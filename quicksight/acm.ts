import type { DashboardSpec } from './model';

/** How far ahead the expiry visuals look. */
const EXPIRY_HORIZON_DAYS = 60;

/** ACM certificates: what is about to break (expiry, validation), then what changed, day by day side by side. */
export const ACM_DASHBOARD: DashboardSpec = {
  id: 'acm',
  name: 'ACM certificates',
  sheets: [
    {
      id: 'acm-overview',
      name: 'ACM certificates',
      visuals: [
        {
          kind: 'kpi', id: 'dns-validation-pending-count', title: 'Certificates stuck in DNS validation',
          dataSet: 'certs/dns-validation-pending', value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Pending certificates' },
        },
        {
          kind: 'bar', id: 'expiring-by-account', title: `Certificates expiring in the next ${EXPIRY_HORIZON_DAYS} days or of unknown expiry, by account`,
          dataSet: 'certs/expiring', category: 'account_id', categoryLabel: 'Account',
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Certificates' },
          filters: [{ kind: 'nextDays', column: 'not_after', days: EXPIRY_HORIZON_DAYS, keepUnknown: true }],
        },
        {
          kind: 'table', id: 'expiring', title: `Certificates expiring in the next ${EXPIRY_HORIZON_DAYS} days, soonest first, then those of unknown expiry`,
          dataSet: 'certs/expiring', columns: ['account_id', 'region', 'resource_arn', 'not_after', 'failed_checks'], sortBy: 'not_after', headings: { resource_arn: 'Certificate' },
          filters: [{ kind: 'nextDays', column: 'not_after', days: EXPIRY_HORIZON_DAYS, keepUnknown: true }],
        },
        {
          kind: 'line', id: 'issued-over-time', title: 'Certificates requested, imported or issued per day',
          dataSet: 'certs/issued', time: 'event_time', value: { column: 'resource_arn', aggregation: 'COUNT', label: 'Certificates' },
        },
        {
          kind: 'line', id: 'revoked-over-time', title: 'Certificates revoked per day',
          dataSet: 'certs/revoked', time: 'event_time', value: { column: 'resource_arn', aggregation: 'COUNT', label: 'Revocations' },
        },
        {
          kind: 'bar', id: 'operations-by-type', title: 'ACM calls by operation',
          dataSet: 'certs/operations', category: 'operation', categoryLabel: 'Operation',
          value: { column: 'calls', aggregation: 'SUM', label: 'Calls' },
        },
        {
          kind: 'table', id: 'dns-validation-pending', title: 'Certificates stuck in DNS validation, oldest first',
          dataSet: 'certs/dns-validation-pending',
          columns: ['account_id', 'region', 'resource_arn', 'hours_pending', 'console_url', 'first_observed', 'last_evaluated', 'workflow_status'],
          sortBy: 'first_observed',
          headings: { resource_arn: 'Certificate' },
          // The CNAME to create is not in Security Lake; the certificate's console page shows it.
          links: { console_url: 'Open in ACM console' },
        },
      ],
    },
  ],
};
