-- Question: Which certificates were revoked in the window (ACM RevokeCertificate, or an ACM private CA
--   revoking a serial), why, and by whom?
-- Columns: account_id, region, resource_arn, certificate_serial, revocation_reason, operation_source, principal, event_time
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of acm.amazonaws.com and acm-pca.amazonaws.com)
WITH revoked AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    -- ACM names the certificate; a private CA names itself and the revoked serial.
    coalesce(
      json_extract_scalar(api.request.data, '$.certificateArn'),
      json_extract_scalar(api.request.data, '$.certificateAuthorityArn')
    ) AS resource_arn,
    json_extract_scalar(api.request.data, '$.certificateSerial') AS certificate_serial,
    json_extract_scalar(api.request.data, '$.revocationReason') AS revocation_reason,
    api.service.name AS operation_source,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    time_dt AS event_time
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND status = 'Success'
    AND api.operation = 'RevokeCertificate'
    AND api.service.name IN ('acm.amazonaws.com', 'acm-pca.amazonaws.com')
),
-- A call on another account's private CA is recorded by both accounts' trails: one row per call,
-- the copy that names the certificate first.
one_copy AS (
  SELECT *, row_number() OVER (PARTITION BY call_id ORDER BY resource_arn IS NULL, recorded_in_account, recorded_in_region) AS copy
  FROM revoked
)
SELECT
  coalesce(split_part(resource_arn, ':', 5), recorded_in_account) AS account_id,
  coalesce(split_part(resource_arn, ':', 4), recorded_in_region) AS region,
  resource_arn, certificate_serial, revocation_reason, operation_source, principal, event_time
FROM one_copy
WHERE copy = 1
ORDER BY event_time DESC, resource_arn
