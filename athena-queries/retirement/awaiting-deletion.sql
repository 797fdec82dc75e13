-- Question: Which keys and secrets did the retirement path schedule for deletion in the window,
--   approved by whom, due for deletion when, and are they still awaiting it, past it, or restored?
-- Columns: account_id, region, resource_arn, resource_type, scheduled_at, window_days, deletion_due,
--   approved_by, execution_id, quarantined_at, cancelled_at, state
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com and
--   secretsmanager.amazonaws.com: the step-runner role's ScheduleKeyDeletion or DeleteSecret, its
--   TagResource with the retire tags, CancelKeyDeletion and RestoreSecret)
WITH {{fragment:retirement-events}},
deletions AS (
  SELECT *,
    -- Both default to 30 days when the request names none (ScheduleKeyDeletion, DeleteSecret).
    CAST(coalesce(json_extract_scalar(request_data, '$.pendingWindowInDays'), json_extract_scalar(request_data, '$.recoveryWindowInDays'), '30') AS INTEGER) AS window_days
  FROM path_events
  WHERE by_path AND operation IN ('ScheduleKeyDeletion', 'DeleteSecret')
),
approvals AS (
  SELECT resource_key, retire_approved_by, retire_execution, time_dt FROM path_events WHERE by_path AND retire_tagged
),
quarantines AS (
  SELECT resource_key, time_dt FROM path_events WHERE by_path AND quarantine_tagged
),
cancels AS (
  SELECT resource_key, time_dt FROM path_events WHERE operation IN ('CancelKeyDeletion', 'RestoreSecret')
),
listed AS (
  SELECT
    d.call_id, d.resource_arn, d.resource_type, d.time_dt AS scheduled_at, d.window_days,
    -- The tags are written right before the deletion, in the same run (at most 240 seconds).
    max_by(a.retire_approved_by, a.time_dt) AS approved_by,
    max_by(a.retire_execution, a.time_dt) AS execution_id,
    max(q.time_dt) AS quarantined_at,
    min(c.time_dt) AS cancelled_at
  FROM deletions d
  LEFT JOIN approvals a ON a.resource_key = d.resource_key AND a.time_dt <= d.time_dt AND date_diff('second', a.time_dt, d.time_dt) <= 300
  LEFT JOIN quarantines q ON q.resource_key = d.resource_key AND q.time_dt < d.time_dt
  LEFT JOIN cancels c ON c.resource_key = d.resource_key AND c.time_dt > d.time_dt
  GROUP BY d.call_id, d.resource_arn, d.resource_type, d.time_dt, d.window_days
)
SELECT
  split_part(resource_arn, ':', 5) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, resource_type, scheduled_at, window_days,
  scheduled_at + window_days * INTERVAL '1' DAY AS deletion_due,
  approved_by, execution_id, quarantined_at, cancelled_at,
  CASE
    WHEN cancelled_at IS NOT NULL THEN 'restored'
    WHEN scheduled_at + window_days * INTERVAL '1' DAY <= now() THEN 'deleted'
    ELSE 'awaiting deletion'
  END AS state
FROM listed
ORDER BY deletion_due, resource_arn
