-- Question: Which secrets were deleted in the window, by whom, with which recovery window, and were they restored since?
-- Columns: account_id, region, resource_arn, principal, deleted_at, recovery_window_days, force_delete, restored_at
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
WITH secret_events AS (
  SELECT
    metadata.uid AS event_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    -- Callers name a secret by ARN or by name (CreateSecret: by its new name).
    coalesce(json_extract_scalar(api.request.data, '$.secretId'), json_extract_scalar(api.request.data, '$.name')) AS secret_id,
    api.operation AS operation,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    api.response.error AS error_code,
    status,
    api.request.data AS request_data,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'secretsmanager.amazonaws.com'
    AND api.operation IN ('DeleteSecret', 'RestoreSecret')
    AND status = 'Success'
),
named AS (
  SELECT *,
    -- A name resolves in the recording account and region; the ARN built from it is partial
    -- (Secrets Manager's 6-character suffix is unknown), which Secrets Manager itself accepts.
    CASE
      WHEN secret_id LIKE 'arn:%' THEN secret_id
      ELSE 'arn:' || CASE WHEN recorded_in_region LIKE 'cn-%' THEN 'aws-cn' WHEN recorded_in_region LIKE 'us-gov-%' THEN 'aws-us-gov' ELSE 'aws' END
        || ':secretsmanager:' || recorded_in_region || ':' || recorded_in_account || ':secret:' || secret_id
    END AS resource_arn
  FROM secret_events
),
deletions AS (
  SELECT * FROM named WHERE operation = 'DeleteSecret'
),
restores AS (
  SELECT resource_arn, time_dt FROM named WHERE operation = 'RestoreSecret'
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
LEFT JOIN restores r ON r.resource_arn = d.resource_arn AND r.time_dt > d.time_dt
GROUP BY d.event_id, d.resource_arn, d.principal, d.time_dt, d.request_data
ORDER BY deleted_at DESC, resource_arn
