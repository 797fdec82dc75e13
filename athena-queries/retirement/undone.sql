-- Question: Which steps of the retirement path were undone in the window, by whom, when, and which
--   step (quarantine or retire) approved by whom did each undo?
-- Columns: account_id, region, resource_arn, resource_type, undone_at, undo_operation, undone_by,
--   undid_step, step_at, step_approved_by
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com and
--   secretsmanager.amazonaws.com: EnableKey, CancelKeyDeletion, RestoreSecret, DeleteResourcePolicy
--   and PutResourcePolicy without the quarantine's statement, after a step of the step-runner role)
WITH {{fragment:retirement-events}},
steps AS (
  SELECT resource_key, 'quarantine' AS step, time_dt, quarantine_approved_by AS approved_by FROM path_events WHERE by_path AND quarantine_tagged
  UNION ALL
  SELECT resource_key, 'retire', time_dt, retire_approved_by FROM path_events WHERE by_path AND retire_tagged
),
undos AS (
  SELECT * FROM path_events
  WHERE operation IN ('EnableKey', 'CancelKeyDeletion', 'RestoreSecret', 'DeleteResourcePolicy')
    OR (operation = 'PutResourcePolicy' AND NOT by_path AND json_extract_scalar(request_data, '$.resourcePolicy') IS NOT NULL AND NOT quarantine_statement)
),
listed AS (
  -- Each undo against the newest step before it on the same resource.
  SELECT
    u.call_id, u.resource_arn, u.resource_type, u.time_dt AS undone_at, u.operation AS undo_operation, u.principal AS undone_by,
    max_by(s.step, s.time_dt) AS undid_step,
    max(s.time_dt) AS step_at,
    max_by(s.approved_by, s.time_dt) AS step_approved_by
  FROM undos u
  JOIN steps s ON s.resource_key = u.resource_key AND s.time_dt < u.time_dt
  GROUP BY u.call_id, u.resource_arn, u.resource_type, u.time_dt, u.operation, u.principal
)
SELECT
  split_part(resource_arn, ':', 5) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, resource_type, undone_at, undo_operation, undone_by, undid_step, step_at, step_approved_by
FROM listed
ORDER BY undone_at DESC, resource_arn
