-- Question: Which Secrets Manager operations ran in the window, called by whom, on which secrets, and
--   how many secret values did they return?
-- Columns: account_id, region, resource_arn, operation, principal, calls, failed_calls, first_call,
--   last_call, secret_values_read
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
--
-- calls counts API calls as CloudTrail records them. secret_values_read counts the values returned:
--   successful GetSecretValue entries, which Secrets Manager also writes one per secret for
--   BatchGetSecretValue, so a BatchGetSecretValue row reads 0 of its own (see
--   secrets-manager-events). Sum secret_values_read, not calls, to count reads: summing calls over
--   GetSecretValue and BatchGetSecretValue counts every batch read twice.
WITH {{fragment:secrets-manager-events}},
summary AS (
  {{fragment:operation-summary(events=secret_calls)}}
),
values_read AS (
  SELECT resource_arn, operation, principal, count(DISTINCT call_id) AS secret_values_read
  FROM secret_calls
  WHERE reads_value
  GROUP BY resource_arn, operation, principal
)
SELECT s.account_id, s.region, s.resource_arn, s.operation, s.principal, s.calls, s.failed_calls, s.first_call, s.last_call,
  coalesce(v.secret_values_read, 0) AS secret_values_read
FROM summary s
LEFT JOIN values_read v
  ON v.resource_arn IS NOT DISTINCT FROM s.resource_arn AND v.operation = s.operation AND v.principal IS NOT DISTINCT FROM s.principal
ORDER BY s.calls DESC, s.account_id, s.region, s.resource_arn, s.operation, s.principal
