-- Question: Which Secrets Manager operations ran in the window, called by whom, on which secrets?
-- Columns: account_id, region, resource_arn, operation, principal, calls, failed_calls, first_call, last_call
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
  coalesce(split_part(resource_arn, ':', 5), recorded_in_account) AS account_id,
  coalesce(split_part(resource_arn, ':', 4), recorded_in_region) AS region,
  resource_arn, operation, principal,
  count(DISTINCT event_id) AS calls,
  count(DISTINCT CASE WHEN status = 'Failure' THEN event_id END) AS failed_calls,
  min(time_dt) AS first_call,
  max(time_dt) AS last_call
FROM named
GROUP BY 1, 2, resource_arn, operation, principal
ORDER BY calls DESC, account_id, region, resource_arn, operation, principal
