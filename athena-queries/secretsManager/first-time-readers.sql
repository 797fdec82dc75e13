-- Question: Which secrets were read in the last 24 hours by a principal that had not read them
--   before in the window, and how many other principals had?
-- Columns: account_id, region, resource_arn, principal, first_read, reads, earlier_readers
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
),
pairs AS (
  SELECT resource_arn, principal, min(time_dt) AS first_read, count(DISTINCT event_id) AS reads
  FROM named
  GROUP BY resource_arn, principal
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
LEFT JOIN pairs p ON p.resource_arn = n.resource_arn AND p.first_read < n.first_read
GROUP BY n.resource_arn, n.principal, n.first_read, n.reads
ORDER BY n.first_read DESC, n.resource_arn, n.principal
