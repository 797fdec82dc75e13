-- Fragment: the findings of one rule of ours in the window, newest first per finding. Two CTEs:
--   evaluations (every row of the window) and failing (see current-failures), which queries read.
-- Parameters: rule: the rule's key in the catalog (lib/catalog.ts)
-- Columns: failing: the columns of finding-columns
evaluations AS (
  SELECT
    {{fragment:finding-columns}}
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND finding_info.title = '{{rule:{{param:rule}}}}'
),
{{fragment:current-failures}}
