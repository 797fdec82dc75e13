-- Question: Which principals read which secrets (GetSecretValue) in the window, how often, first and last?
-- Columns: account_id, region, resource_arn, principal, reads, first_read, last_read
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
    AND api.operation = 'GetSecretValue'
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
)
SELECT
  split_part(resource_arn, ':', 5) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, principal,
  count(DISTINCT event_id) AS reads,
  min(time_dt) AS first_read,
  max(time_dt) AS last_read
FROM named
GROUP BY 1, 2, resource_arn, principal
ORDER BY account_id, region, resource_arn, reads DESC, principal
