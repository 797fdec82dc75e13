-- Question: Who was denied access to which secrets in the window, for which operation, and how often?
-- Columns: account_id, region, resource_arn, operation, principal, error_code, attempts, first_attempt, last_attempt
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
WITH {{fragment:secrets-manager-events}}
SELECT
  coalesce(split_part(resource_arn, ':', 5), recorded_in_account) AS account_id,
  coalesce(split_part(resource_arn, ':', 4), recorded_in_region) AS region,
  resource_arn, operation, principal, error_code,
  count(DISTINCT call_id) AS attempts,
  min(time_dt) AS first_attempt,
  max(time_dt) AS last_attempt
FROM secret_calls
WHERE error_code IN ('AccessDenied', 'AccessDeniedException')
GROUP BY 1, 2, resource_arn, operation, principal, error_code
ORDER BY attempts DESC, account_id, region, resource_arn, operation, principal
