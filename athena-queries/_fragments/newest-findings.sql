-- Fragment: the findings of one rule of ours in the state window (currentStateDays days, not
--   lookbackDays: a finding from AWS Config gets a row only when its result changes; see
--   current-failures and docs/analysis.md), newest first per finding. Two CTEs: evaluations
--   (every row of the window) and failing (see current-failures), which queries read.
-- Parameters: rule: the rule's key in the catalog (lib/catalog.ts)
-- Columns: evaluations: the columns of finding-columns; failing: the same and first_observed
evaluations AS (
  SELECT
    {{fragment:finding-columns}}
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{currentStateDays}}' DAY
    AND finding_info.title = '{{rule:{{param:rule}}}}'
),
{{fragment:current-failures}}
