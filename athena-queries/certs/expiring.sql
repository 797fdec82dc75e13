-- Question: Which ACM certificates expire soon right now, according to the newest finding of our
--   {{rule:acmCertificateExpiration}} rule or of Security Hub's own control ACM.1?
-- Columns: account_id, region, resource_arn, not_after, failed_checks, last_evaluated
-- Source: sh_findings_2_0 (Security Hub findings: AWS Config rule and Security Hub control)
WITH evaluations AS (
  SELECT
    coalesce(cloud.account.uid, accountid) AS account_id,
    coalesce(cloud.region, region) AS region,
    resource.uid AS resource_arn,
    -- Present when Security Hub attached the certificate's details to the finding; NULL otherwise.
    json_extract_scalar(resource.data, '$.AwsCertificateManagerCertificate.NotAfter') AS not_after,
    CASE WHEN finding_info.title = '{{rule:acmCertificateExpiration}}' THEN finding_info.title ELSE compliance.control END AS check_name,
    compliance.status AS compliance_status,
    element_at(unmapped, 'RecordState') AS record_state,
    time_dt AS evaluated_at,
    row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest
  FROM {{database}}.{{findingsTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND (finding_info.title = '{{rule:acmCertificateExpiration}}' OR compliance.control = 'ACM.1')
)
SELECT account_id, region, resource_arn,
  max(not_after) AS not_after,
  array_join(array_sort(array_agg(DISTINCT check_name)), ', ') AS failed_checks,
  max(evaluated_at) AS last_evaluated
FROM evaluations
WHERE newest = 1
  AND compliance_status = 'FAILED'
  AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
GROUP BY account_id, region, resource_arn
ORDER BY not_after, account_id, region, resource_arn
