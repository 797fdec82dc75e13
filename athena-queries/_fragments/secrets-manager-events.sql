-- Fragment: the Secrets Manager CloudTrail events of the window, each with one key for the secret
--   it names, however the caller named it. Three CTEs: secret_events (the events as recorded),
--   secret_keys (plus secret_key and full_arn) and secret_calls (plus resource_arn and
--   reads_value), which queries read and narrow to the operations they ask about.
--   One secret, one key. A caller names a secret by name, by partial ARN
--   (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>) or by full ARN (the partial
--   ARN, a hyphen and six random characters); secret_key is the partial ARN in every case: a name
--   is placed in the account and region that recorded the call (a name resolves only in the
--   caller's own account; another account's secret must be named by ARN), and an ARN ending in a
--   hyphen and six letters or digits loses them. That last rule is Secrets Manager's own: "if your
--   secret has a name that ends in a hyphen followed by six characters ... and you try to use that
--   as a partial ARN, then those characters cause Secrets Manager to assume that you're specifying
--   a complete ARN" (Secrets Manager API reference, SecretId of DescribeSecret and the other
--   operations), which is why AWS tells users not to end names that way (CreateSecret, Name). So a
--   partial ARN of such a name is keyed as Secrets Manager reads it: as the full ARN of a shorter
--   name. A name itself is never cut, even if it ends that way: given as a name, the suffix is not
--   allowed ("you must not include the random suffix"), so such a call fails in any case.
--   Where a call's response names the secret's full ARN (CreateSecret, DeleteSecret, RestoreSecret,
--   UpdateSecret, PutSecretValue ...; "aRN" in some responses before February 2024, per "AWS
--   CloudTrail entries for Secrets Manager"), that ARN keys the call. resource_arn shows the
--   secret's full ARN when any call of the window revealed it (the newest, if the name was reused
--   by a new secret), else its partial ARN.
--   Reads. reads_value is true for a successful GetSecretValue entry: one secret value returned.
--   BatchGetSecretValue is not a read of its own: "Secrets Manager generates CloudTrail
--   GetSecretValue log entries for each secret you request when you call this action"
--   (Secrets Manager API reference, BatchGetSecretValue), so its values are the GetSecretValue
--   entries it causes, and counting it too would count every batch read twice.
-- Columns: secret_calls: call_id, recorded_in_account, recorded_in_region, secret_id, response_arn,
--   operation, principal, error_code, status, request_data, time_dt, secret_key, full_arn,
--   resource_arn, reads_value
secret_events AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    -- Callers name a secret by name, partial ARN or full ARN (CreateSecret: by its new name).
    coalesce(json_extract_scalar(api.request.data, '$.secretId'), json_extract_scalar(api.request.data, '$.name')) AS secret_id,
    coalesce(
      json_extract_scalar(api.response.data, '$.arn'),
      json_extract_scalar(api.response.data, '$.aRN'),
      json_extract_scalar(api.response.data, '$.ARN')
    ) AS response_arn,
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
secret_keys AS (
  SELECT *,
    CASE
      WHEN response_arn LIKE 'arn:%:secret:%' THEN regexp_replace(response_arn, '-[A-Za-z0-9]{6}$', '')
      WHEN secret_id LIKE 'arn:%' THEN regexp_replace(secret_id, '-[A-Za-z0-9]{6}$', '')
      WHEN secret_id IS NOT NULL THEN
        'arn:' || CASE WHEN recorded_in_region LIKE 'cn-%' THEN 'aws-cn' WHEN recorded_in_region LIKE 'us-gov-%' THEN 'aws-us-gov' ELSE 'aws' END
          || ':secretsmanager:' || recorded_in_region || ':' || recorded_in_account || ':secret:' || secret_id
    END AS secret_key,
    CASE
      WHEN response_arn LIKE 'arn:%:secret:%' THEN response_arn
      WHEN regexp_like(secret_id, '^arn:.*-[A-Za-z0-9]{6}$') THEN secret_id
    END AS full_arn
  FROM secret_events
),
secret_calls AS (
  SELECT *,
    coalesce(max_by(full_arn, CASE WHEN full_arn IS NOT NULL THEN time_dt END) OVER (PARTITION BY secret_key), secret_key) AS resource_arn,
    operation = 'GetSecretValue' AND status = 'Success' AS reads_value
  FROM secret_keys
)
