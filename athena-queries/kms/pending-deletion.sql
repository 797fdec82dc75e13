-- Question: Which KMS keys are scheduled for deletion right now, according to the newest evaluation
--   of the {{rule:kmsKeyNotScheduledForDeletion}} managed rule in the window?
-- Columns: account_id, region, resource_arn, last_evaluated, workflow_status
-- Source: sh_findings_2_0 (Security Hub findings copied from the AWS Config rule)
WITH evaluations AS (
  SELECT
    coalesce(cloud.account.uid, accountid) AS account_id,
    coalesce(cloud.region, region) AS region,
    CASE
      WHEN resource.uid LIKE 'arn:%' THEN resource.uid
      ELSE 'arn:' || coalesce(resource.cloud_partition, 'aws') || ':kms:' || coalesce(cloud.region, region) || ':'
        || coalesce(cloud.account.uid, accountid) || ':key/' || resource.uid
    END AS resource_arn,
    compliance.status AS compliance_status,
    element_at(unmapped, 'RecordState') AS record_state,
    status AS workflow_status,
    time_dt AS evaluated_at,
    row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND finding_info.title = '{{rule:kmsKeyNotScheduledForDeletion}}'
)
SELECT account_id, region, resource_arn, evaluated_at AS last_evaluated, workflow_status
FROM evaluations
WHERE newest = 1
  AND compliance_status = 'FAILED'
  AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
ORDER BY account_id, region, resource_arn
