-- Question: Which ACM certificates expire soon right now, according to the newest finding of our
--   {{rule:acmCertificateExpiration}} rule or of Security Hub's own control ACM.1?
-- Columns: account_id, region, resource_arn, not_after, failed_checks, last_evaluated
-- Source: sh_findings_2_0 (Security Hub findings: AWS Config rule and Security Hub control)
WITH {{fragment:newest-check-findings(rule=acmCertificateExpiration, control=ACM.1)}}
SELECT account_id, region, resource_uid AS resource_arn,
  -- Present when Security Hub attached the certificate's details to the finding; NULL otherwise.
  max(json_extract_scalar(resource_data, '$.AwsCertificateManagerCertificate.NotAfter')) AS not_after,
  array_join(array_sort(array_agg(DISTINCT check_name)), ', ') AS failed_checks,
  max(evaluated_at) AS last_evaluated
FROM failing
GROUP BY account_id, region, resource_uid
ORDER BY not_after, account_id, region, resource_arn
