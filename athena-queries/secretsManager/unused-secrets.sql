-- Question: Which secrets does our {{rule:secretsUnusedSecret}} rule report as unused right now
--   (newest evaluation in the window is FAILED; a secret read again since is not listed)?
-- Columns: account_id, region, resource_arn, first_observed, last_evaluated, workflow_status
-- Source: sh_findings_2_0 (Security Hub findings copied from the AWS Config rule)
WITH evaluations AS (
  SELECT
    coalesce(cloud.account.uid, accountid) AS account_id,
    coalesce(cloud.region, region) AS region,
    resource.uid AS resource_arn,
    compliance.status AS compliance_status,
    element_at(unmapped, 'RecordState') AS record_state,
    status AS workflow_status,
    finding_info.first_seen_time_dt AS first_observed,
    time_dt AS evaluated_at,
    row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND finding_info.title = '{{rule:secretsUnusedSecret}}'
)
SELECT account_id, region, resource_arn, first_observed, evaluated_at AS last_evaluated, workflow_status
FROM evaluations
WHERE newest = 1
  AND compliance_status = 'FAILED'
  AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
ORDER BY account_id, region, resource_arn
