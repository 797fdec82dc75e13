-- Question: Which KMS keys have automatic rotation off right now, according to the newest finding of
--   our {{rule:cmkBackingKeyRotation}} rule or of Security Hub's own control KMS.4?
-- Columns: account_id, region, resource_arn, failed_checks, last_evaluated
-- Source: sh_findings_2_0 (Security Hub findings: AWS Config rule and Security Hub control)
WITH evaluations AS (
  SELECT
    coalesce(cloud.account.uid, accountid) AS account_id,
    coalesce(cloud.region, region) AS region,
    CASE
      WHEN resource.uid LIKE 'arn:%' THEN resource.uid
      ELSE 'arn:' || coalesce(resource.cloud_partition, 'aws') || ':kms:' || coalesce(cloud.region, region) || ':'
        || coalesce(cloud.account.uid, accountid) || ':key/' || resource.uid
    END AS resource_arn,
    CASE WHEN finding_info.title = '{{rule:cmkBackingKeyRotation}}' THEN finding_info.title ELSE compliance.control END AS check_name,
    compliance.status AS compliance_status,
    element_at(unmapped, 'RecordState') AS record_state,
    time_dt AS evaluated_at,
    row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND (finding_info.title = '{{rule:cmkBackingKeyRotation}}' OR compliance.control = 'KMS.4')
)
-- One row per key, however many checks (and Security Hub standards) report it.
SELECT account_id, region, resource_arn,
  array_join(array_sort(array_agg(DISTINCT check_name)), ', ') AS failed_checks,
  max(evaluated_at) AS last_evaluated
FROM evaluations
WHERE newest = 1
  AND compliance_status = 'FAILED'
  AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
GROUP BY account_id, region, resource_arn
ORDER BY account_id, region, resource_arn
