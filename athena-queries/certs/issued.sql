-- Question: Which certificates were requested or imported in ACM, or issued by an ACM private CA, in the window, and by whom?
-- Columns: account_id, region, resource_arn, operation, domain_name, issuing_ca_arn, principal, event_time
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of acm.amazonaws.com and acm-pca.amazonaws.com)
WITH issued AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    json_extract_scalar(api.response.data, '$.certificateArn') AS resource_arn,
    api.operation AS operation,
    json_extract_scalar(api.request.data, '$.domainName') AS domain_name,
    json_extract_scalar(api.request.data, '$.certificateAuthorityArn') AS issuing_ca_arn,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    time_dt AS event_time
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND status = 'Success'
    AND (
      (api.service.name = 'acm.amazonaws.com' AND api.operation IN ('RequestCertificate', 'ImportCertificate'))
      OR (api.service.name = 'acm-pca.amazonaws.com' AND api.operation = 'IssueCertificate')
    )
),
-- A call on another account's private CA is recorded by both accounts' trails: one row per call,
-- the copy that names the certificate first.
one_copy AS (
  SELECT *, row_number() OVER (PARTITION BY call_id ORDER BY resource_arn IS NULL, recorded_in_account, recorded_in_region) AS copy
  FROM issued
)
SELECT
  coalesce(split_part(resource_arn, ':', 5), recorded_in_account) AS account_id,
  coalesce(split_part(resource_arn, ':', 4), recorded_in_region) AS region,
  resource_arn, operation, domain_name, issuing_ca_arn, principal, event_time
FROM one_copy
WHERE copy = 1
ORDER BY event_time DESC, resource_arn
