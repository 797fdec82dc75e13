-- Question: Which principals read which secrets' values in the window (successful GetSecretValue entries,
--   one per secret also for BatchGetSecretValue), how often, first and last?
-- Columns: account_id, region, resource_arn, principal, reads, first_read, last_read
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
WITH {{fragment:secrets-manager-events}}
SELECT
  split_part(resource_arn, ':', 5) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, principal,
  count(DISTINCT call_id) AS reads,
  min(time_dt) AS first_read,
  max(time_dt) AS last_read
FROM secret_calls
WHERE reads_value
GROUP BY 1, 2, resource_arn, principal
ORDER BY account_id, region, resource_arn, reads DESC, principal
