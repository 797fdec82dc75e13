-- Fragment: the findings of a check that both a rule of ours and a Security Hub control make, in
--   the state window (currentStateDays days, not lookbackDays: a finding from AWS Config gets a row
--   only when its result changes; see current-failures and docs/analysis.md), newest first per
--   finding. Two CTEs: evaluations (every row of the window) and failing (see current-failures),
--   which queries read. check_name says which check reported the row: the rule's name, or the
--   control's id.
-- Parameters: rule: the rule's key in the catalog (lib/catalog.ts); control: the Security Hub
--   control id, e.g. KMS.4
-- Columns: evaluations: check_name, then the columns of finding-columns; failing: the same and
--   first_observed
evaluations AS (
  SELECT
    CASE WHEN finding_info.title = '{{rule:{{param:rule}}}}' THEN finding_info.title ELSE compliance.control END AS check_name,
    {{fragment:finding-columns}}
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{currentStateDays}}' DAY
    AND (finding_info.title = '{{rule:{{param:rule}}}}' OR compliance.control = '{{param:control}}')
),
{{fragment:current-failures}}
