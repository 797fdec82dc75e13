-- Question: Which KMS keys are scheduled for deletion right now, according to the newest evaluation
--   of the {{rule:kmsKeyNotScheduledForDeletion}} managed rule in the window?
-- Columns: account_id, region, resource_arn, last_evaluated, workflow_status
-- Source: sh_findings_2_0 (Security Hub findings copied from the AWS Config rule)
WITH {{fragment:newest-findings(rule=kmsKeyNotScheduledForDeletion)}}
SELECT account_id, region,
  {{fragment:kms-key-arn}} AS resource_arn,
  evaluated_at AS last_evaluated, workflow_status
FROM failing
ORDER BY account_id, region, resource_arn
