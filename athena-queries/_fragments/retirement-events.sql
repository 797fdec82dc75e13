-- Fragment: the successful KMS and Secrets Manager calls of the window that the retirement path
--   makes or that undo what it did, one row per call however many trails recorded it, as
--   path_events. Made by the path (by_path): calls of its step-runner role,
--   <namePrefix>-retirement-step-<region> (lib/member/retirement/retirement-path.ts), recognised by
--   that name's end since the prefix is a setting; the TagResource calls carry the path's tags
--   (lambda/retirement/tags.ts), read with retirement-tag. Undoing it: EnableKey, CancelKeyDeletion,
--   RestoreSecret, DeleteResourcePolicy, and a PutResourcePolicy by anyone else whose logged policy
--   lacks the quarantine's statement (quarantine_statement false; Sid
--   CryptoMonitoringQuarantineDenyReadValue). resource_key joins the calls of one resource: a key's
--   ARN (from the record's resources, the response, or the request's key id placed in the account
--   and region that recorded the call: a bare key id names a key of the caller's own account), a
--   secret's partial ARN (secrets-manager-events: however the caller named it).
-- Columns: path_events: call_id, resource_key, resource_arn, resource_type, operation, principal,
--   request_data, time_dt, by_path, quarantine_tagged, quarantine_approved_by, quarantine_execution,
--   retire_tagged, retire_approved_by, retire_execution, quarantine_statement
{{fragment:secrets-manager-events}},
kms_events AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    coalesce(
      element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).uid,
      CASE WHEN json_extract_scalar(api.response.data, '$.keyId') LIKE 'arn:%:key/%' THEN json_extract_scalar(api.response.data, '$.keyId') END,
      CASE WHEN json_extract_scalar(api.request.data, '$.keyId') LIKE 'arn:%:key/%' THEN json_extract_scalar(api.request.data, '$.keyId') END,
      CASE WHEN regexp_like(json_extract_scalar(api.request.data, '$.keyId'), '^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') THEN
        'arn:' || CASE WHEN region LIKE 'cn-%' THEN 'aws-cn' WHEN region LIKE 'us-gov-%' THEN 'aws-us-gov' ELSE 'aws' END
          || ':kms:' || region || ':' || accountid || ':key/' || json_extract_scalar(api.request.data, '$.keyId')
      END
    ) AS resource_arn,
    api.operation AS operation,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    status,
    api.request.data AS request_data,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'kms.amazonaws.com'
    AND api.operation IN ('TagResource', 'DisableKey', 'EnableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion')
),
path_calls AS (
  SELECT DISTINCT call_id, resource_arn AS resource_key, resource_arn, 'AWS::KMS::Key' AS resource_type, operation, principal, request_data, time_dt
  FROM kms_events
  WHERE status = 'Success' AND resource_arn IS NOT NULL
  UNION ALL
  SELECT DISTINCT call_id, secret_key, resource_arn, 'AWS::SecretsManager::Secret', operation, principal, request_data, time_dt
  FROM secret_calls
  WHERE status = 'Success' AND secret_key IS NOT NULL
    AND operation IN ('TagResource', 'PutResourcePolicy', 'DeleteResourcePolicy', 'DeleteSecret', 'RestoreSecret')
),
path_events AS (
  SELECT *,
    coalesce(regexp_like(principal, ':role/[^/]+-retirement-step-[a-z]{2}(-[a-z]+)+-[0-9]+$'), false) AS by_path,
    operation = 'TagResource' AND {{fragment:retirement-tag(tag=quarantined-at)}} IS NOT NULL AS quarantine_tagged,
    {{fragment:retirement-tag(tag=quarantine-approved-by)}} AS quarantine_approved_by,
    {{fragment:retirement-tag(tag=quarantine-execution)}} AS quarantine_execution,
    operation = 'TagResource' AND {{fragment:retirement-tag(tag=retired-at)}} IS NOT NULL AS retire_tagged,
    {{fragment:retirement-tag(tag=retire-approved-by)}} AS retire_approved_by,
    {{fragment:retirement-tag(tag=retire-execution)}} AS retire_execution,
    strpos(coalesce(json_extract_scalar(request_data, '$.resourcePolicy'), ''), 'CryptoMonitoringQuarantineDenyReadValue') > 0 AS quarantine_statement
  FROM path_calls
)
