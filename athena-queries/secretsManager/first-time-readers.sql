-- Question: Which secrets were read in the last 24 hours by a principal that had not read them
--   before in the window, and how many other principals had?
-- Columns: account_id, region, resource_arn, principal, first_read, reads, earlier_readers
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
WITH {{fragment:secrets-manager-events}},
pairs AS (
  SELECT secret_key, resource_arn, principal, min(time_dt) AS first_read, count(DISTINCT call_id) AS reads
  FROM secret_calls
  WHERE reads_value
  GROUP BY secret_key, resource_arn, principal
),
newcomers AS (
  SELECT * FROM pairs WHERE first_read >= now() - INTERVAL '1' DAY
)
SELECT
  split_part(n.resource_arn, ':', 5) AS account_id,
  split_part(n.resource_arn, ':', 4) AS region,
  n.resource_arn, n.principal, n.first_read, n.reads,
  count(p.principal) AS earlier_readers
FROM newcomers n
LEFT JOIN pairs p ON p.secret_key = n.secret_key AND p.first_read < n.first_read
GROUP BY n.resource_arn, n.principal, n.first_read, n.reads
ORDER BY n.first_read DESC, n.resource_arn, n.principal
