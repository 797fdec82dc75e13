-- Question: Which KMS keys does our {{rule:kmsUnusedKey}} rule report as unused right now, that is,
--   whose newest evaluation in the window is FAILED (a key used again since is not listed)?
-- Columns: account_id, region, resource_arn, first_observed, last_evaluated, workflow_status
-- Source: sh_findings_2_0 (Security Hub findings copied from the AWS Config rule)
WITH evaluations AS (
  SELECT
    coalesce(cloud.account.uid, accountid) AS account_id,
    coalesce(cloud.region, region) AS region,
    -- The rule reports the key id; Security Hub normally turns it into the key ARN, but a bare id is rebuilt into one.
    CASE
      WHEN resource.uid LIKE 'arn:%' THEN resource.uid
      ELSE 'arn:' || coalesce(resource.cloud_partition, 'aws') || ':kms:' || coalesce(cloud.region, region) || ':'
        || coalesce(cloud.account.uid, accountid) || ':key/' || resource.uid
    END AS resource_arn,
    compliance.status AS compliance_status,
    element_at(unmapped, 'RecordState') AS record_state,
    status AS workflow_status,
    finding_info.first_seen_time_dt AS first_observed,
    time_dt AS evaluated_at,
    row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND finding_info.title = '{{rule:kmsUnusedKey}}'
)
SELECT account_id, region, resource_arn, first_observed, evaluated_at AS last_evaluated, workflow_status
FROM evaluations
WHERE newest = 1
  AND compliance_status = 'FAILED'
  AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
ORDER BY account_id, region, resource_arn
