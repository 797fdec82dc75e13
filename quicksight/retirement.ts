import type { DashboardSpec } from './model';

/**
 * The retirement path (docs/retirement.md), from the organization's CloudTrail: what is in
 * quarantine, what awaits deletion and what was deleted, each with the people who approved the
 * step, and what owners took back. Deployed only while the path is on (retirement.enabled).
 */
export const RETIREMENT_DASHBOARD: DashboardSpec = {
  id: 'retirement',
  name: 'Retirement of unused keys and secrets',
  sheets: [
    {
      id: 'retirement-overview',
      name: 'Retirement of unused keys and secrets',
      visuals: [
        {
          kind: 'kpi', id: 'in-quarantine-count', title: 'Keys and secrets in quarantine now (disabled, or their value denied), watched for attempts',
          dataSet: 'retirement/quarantined', filters: [{ kind: 'oneOf', column: 'state', values: ['quarantined'] }],
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'In quarantine' },
        },
        {
          kind: 'kpi', id: 'awaiting-deletion-count', title: 'Keys and secrets awaiting deletion (still reversible until the date shown below)',
          dataSet: 'retirement/awaiting-deletion', filters: [{ kind: 'oneOf', column: 'state', values: ['awaiting deletion'] }],
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Awaiting deletion' },
        },
        {
          kind: 'kpi', id: 'deleted-count', title: 'Keys and secrets the path deleted in the window (their waiting period over)',
          dataSet: 'retirement/awaiting-deletion', filters: [{ kind: 'oneOf', column: 'state', values: ['deleted'] }],
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Deleted' },
        },
        {
          kind: 'kpi', id: 'taken-back-count', title: 'Keys and secrets their owners took back from the path in the window',
          dataSet: 'retirement/undone', value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Taken back' },
        },
        {
          kind: 'bar', id: 'quarantines-by-state', title: 'Every quarantine in the window by where it stands now',
          dataSet: 'retirement/quarantined', category: 'state', categoryLabel: 'Now',
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Keys and secrets' },
        },
        {
          kind: 'bar', id: 'deletions-by-state', title: 'Every deletion the path scheduled in the window by where it stands now',
          dataSet: 'retirement/awaiting-deletion', category: 'state', categoryLabel: 'Now',
          value: { column: 'resource_arn', aggregation: 'DISTINCT_COUNT', label: 'Keys and secrets' },
        },
        {
          // The ARN says key or secret; resource_type stays in the data set for filtering.
          kind: 'table', id: 'in-quarantine', title: 'In quarantine, oldest first, with who approved it ("tagged only" needs a look: nothing was disabled or denied)',
          dataSet: 'retirement/quarantined', filters: [{ kind: 'oneOf', column: 'state', values: ['quarantined', 'tagged only'] }],
          columns: ['account_id', 'region', 'resource_arn', 'quarantined_at', 'quarantine_action', 'approved_by', 'state'],
          sortBy: 'quarantined_at', headings: { resource_arn: 'Key or secret' },
        },
        {
          kind: 'table', id: 'awaiting-deletion', title: 'Awaiting deletion, soonest first, with who approved the retirement (undo before the date: CancelKeyDeletion, RestoreSecret)',
          dataSet: 'retirement/awaiting-deletion', filters: [{ kind: 'oneOf', column: 'state', values: ['awaiting deletion'] }],
          columns: ['account_id', 'region', 'resource_arn', 'quarantined_at', 'scheduled_at', 'deletion_due', 'approved_by'],
          sortBy: 'deletion_due', headings: { resource_arn: 'Key or secret' },
        },
        {
          kind: 'table', id: 'deleted', title: 'Deleted by the path in the window, newest first, with who approved the retirement',
          dataSet: 'retirement/awaiting-deletion', filters: [{ kind: 'oneOf', column: 'state', values: ['deleted'] }],
          columns: ['account_id', 'region', 'resource_arn', 'quarantined_at', 'scheduled_at', 'deletion_due', 'approved_by'],
          sortBy: 'deletion_due', descending: true, headings: { resource_arn: 'Key or secret' },
        },
        {
          kind: 'table', id: 'taken-back', title: 'Steps owners undid, newest first: who undid which step, and who had approved it',
          dataSet: 'retirement/undone',
          columns: ['account_id', 'region', 'resource_arn', 'undone_at', 'undo_operation', 'undone_by', 'undid_step', 'step_approved_by'],
          sortBy: 'undone_at', descending: true, headings: { resource_arn: 'Key or secret' },
        },
      ],
    },
  ],
};
