-- Question: Which keys and secrets did the retirement path quarantine in the window, approved by whom,
--   and are they still quarantined, retired since, or given back? (state: quarantined, retired,
--   given back, or tagged only when the disabling or the policy did not follow the tags)
-- Columns: account_id, region, resource_arn, resource_type, quarantined_at, approved_by, execution_id,
--   quarantine_action, retired_at, undone_at, state
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com and
--   secretsmanager.amazonaws.com: the step-runner role's TagResource with the quarantine tag, its
--   DisableKey or PutResourcePolicy, and the calls that undo them)
WITH {{fragment:retirement-events}},
quarantines AS (
  SELECT * FROM path_events WHERE by_path AND quarantine_tagged
),
-- The quarantine itself: the key disabled after the tags, the secret's Deny statement put before them, in the same run.
actions AS (
  SELECT resource_key, operation, time_dt FROM path_events
  WHERE by_path AND (operation = 'DisableKey' OR (operation = 'PutResourcePolicy' AND quarantine_statement))
),
retirements AS (
  SELECT resource_key, time_dt FROM path_events WHERE by_path AND operation IN ('ScheduleKeyDeletion', 'DeleteSecret')
),
-- A cancelled deletion brings the resource back quarantined: the key Disabled, the secret with its Deny.
cancels AS (
  SELECT resource_key, time_dt FROM path_events WHERE operation IN ('CancelKeyDeletion', 'RestoreSecret')
),
undos AS (
  SELECT resource_key, time_dt FROM path_events
  WHERE operation IN ('EnableKey', 'DeleteResourcePolicy')
    OR (operation = 'PutResourcePolicy' AND NOT by_path AND json_extract_scalar(request_data, '$.resourcePolicy') IS NOT NULL AND NOT quarantine_statement)
),
listed AS (
  SELECT
    q.call_id, q.resource_arn, q.resource_type, q.time_dt AS quarantined_at,
    q.quarantine_approved_by AS approved_by, q.quarantine_execution AS execution_id,
    -- One act runs for at most 240 seconds.
    max(a.operation) AS quarantine_action,
    min(r.time_dt) AS retired_at,
    min(u.time_dt) AS undone_at,
    max(r.time_dt) AS last_retired,
    max(c.time_dt) AS last_cancelled,
    max(u.time_dt) AS last_undone
  FROM quarantines q
  LEFT JOIN actions a ON a.resource_key = q.resource_key AND abs(date_diff('second', q.time_dt, a.time_dt)) <= 300
  LEFT JOIN retirements r ON r.resource_key = q.resource_key AND r.time_dt > q.time_dt
  LEFT JOIN cancels c ON c.resource_key = q.resource_key AND c.time_dt > q.time_dt
  LEFT JOIN undos u ON u.resource_key = q.resource_key AND u.time_dt > q.time_dt
  GROUP BY q.call_id, q.resource_arn, q.resource_type, q.time_dt, q.quarantine_approved_by, q.quarantine_execution
)
SELECT
  split_part(resource_arn, ':', 5) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, resource_type, quarantined_at, approved_by, execution_id, quarantine_action, retired_at, undone_at,
  -- What the newest of these calls left it in.
  CASE
    WHEN last_undone IS NOT NULL AND (last_retired IS NULL OR last_undone > last_retired) AND (last_cancelled IS NULL OR last_undone > last_cancelled) THEN 'given back'
    WHEN last_retired IS NOT NULL AND (last_cancelled IS NULL OR last_retired > last_cancelled) THEN 'retired'
    WHEN quarantine_action IS NULL THEN 'tagged only'
    ELSE 'quarantined'
  END AS state
FROM listed
ORDER BY quarantined_at DESC, resource_arn
