-- Question: Which secrets have automatic rotation off right now, according to the newest finding of
--   our {{rule:secretsRotationEnabled}} rule or of Security Hub's own control SecretsManager.1?
-- Columns: account_id, region, resource_arn, failed_checks, last_evaluated
-- Source: sh_findings_2_0 (Security Hub findings: AWS Config rule and Security Hub control)
WITH {{fragment:newest-check-findings(rule=secretsRotationEnabled, control=SecretsManager.1)}}
-- One row per secret, however many checks (and Security Hub standards) report it.
SELECT account_id, region, resource_uid AS resource_arn,
  array_join(array_sort(array_agg(DISTINCT check_name)), ', ') AS failed_checks,
  max(evaluated_at) AS last_evaluated
FROM failing
GROUP BY account_id, region, resource_uid
ORDER BY account_id, region, resource_arn
