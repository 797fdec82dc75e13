-- Question: Which secrets does our {{rule:secretsUnusedSecret}} rule report as unused right now
--   (newest evaluation in the window is FAILED; a secret read again since is not listed)?
-- Columns: account_id, region, resource_arn, first_observed, last_evaluated, workflow_status
-- Source: sh_findings_2_0 (Security Hub findings copied from the AWS Config rule)
WITH {{fragment:newest-findings(rule=secretsUnusedSecret)}}
SELECT account_id, region, resource_uid AS resource_arn, first_observed, evaluated_at AS last_evaluated, workflow_status
FROM failing
ORDER BY account_id, region, resource_arn
