-- Question: Which KMS keys have automatic rotation off right now, according to the newest finding of
--   our {{rule:cmkBackingKeyRotation}} rule or of Security Hub's own control KMS.4?
-- Columns: account_id, region, resource_arn, failed_checks, last_evaluated
-- Source: sh_findings_2_0 (Security Hub findings: AWS Config rule and Security Hub control)
WITH {{fragment:newest-check-findings(rule=cmkBackingKeyRotation, control=KMS.4)}}
-- One row per key, however many checks (and Security Hub standards) report it. Grouped by the
-- rebuilt ARN, so a finding that names the key id and one that names its ARN are the same key.
SELECT account_id, region,
  {{fragment:kms-key-arn}} AS resource_arn,
  array_join(array_sort(array_agg(DISTINCT check_name)), ', ') AS failed_checks,
  max(evaluated_at) AS last_evaluated
FROM failing
GROUP BY 1, 2, 3
ORDER BY account_id, region, resource_arn
