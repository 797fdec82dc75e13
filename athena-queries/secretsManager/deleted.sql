-- Question: Which secrets were deleted in the window, by whom, with which recovery window, and were they restored since?
-- Columns: account_id, region, resource_arn, principal, deleted_at, recovery_window_days, force_delete, restored_at
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
WITH {{fragment:secrets-manager-events}},
deletions AS (
  SELECT * FROM secret_calls WHERE operation = 'DeleteSecret' AND status = 'Success'
),
restores AS (
  SELECT secret_key, time_dt FROM secret_calls WHERE operation = 'RestoreSecret' AND status = 'Success'
)
SELECT
  split_part(d.resource_arn, ':', 5) AS account_id,
  split_part(d.resource_arn, ':', 4) AS region,
  d.resource_arn, d.principal,
  d.time_dt AS deleted_at,
  json_extract_scalar(d.request_data, '$.recoveryWindowInDays') AS recovery_window_days,
  coalesce(json_extract_scalar(d.request_data, '$.forceDeleteWithoutRecovery'), 'false') AS force_delete,
  -- The first restore after this deletion, if any.
  min(r.time_dt) AS restored_at
FROM deletions d
-- One key per secret: a restore by ARN matches a deletion by name (see secrets-manager-events).
LEFT JOIN restores r ON r.secret_key = d.secret_key AND r.time_dt > d.time_dt
GROUP BY d.call_id, d.resource_arn, d.principal, d.time_dt, d.request_data
ORDER BY deleted_at DESC, resource_arn
