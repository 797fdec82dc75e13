-- Fragment: the Secrets Manager CloudTrail events of the window, each with the ARN of the secret it
--   names. Two CTEs: secret_events (the events as recorded) and secret_calls (the same rows plus
--   resource_arn); queries read secret_calls and narrow it to the operations they ask about.
-- Columns: secret_calls: call_id, recorded_in_account, recorded_in_region, secret_id, operation,
--   principal, error_code, status, request_data, time_dt, resource_arn
secret_events AS (
  SELECT
    {{fragment:call-id}} AS call_id,
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
),
secret_calls AS (
  SELECT *,
    -- A name resolves in the recording account and region; the ARN built from it is partial
    -- (Secrets Manager's 6-character suffix is unknown), which Secrets Manager itself accepts.
    CASE
      WHEN secret_id LIKE 'arn:%' THEN secret_id
      ELSE 'arn:' || CASE WHEN recorded_in_region LIKE 'cn-%' THEN 'aws-cn' WHEN recorded_in_region LIKE 'us-gov-%' THEN 'aws-us-gov' ELSE 'aws' END
        || ':secretsmanager:' || recorded_in_region || ':' || recorded_in_account || ':secret:' || secret_id
    END AS resource_arn
  FROM secret_events
)
