-- Question: Whose calls took certificates and their private keys out of ACM (ExportCertificate) in the window?
-- Columns: account_id, region, resource_arn, principal, exports, last_export
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of acm.amazonaws.com)
WITH exports AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    json_extract_scalar(api.request.data, '$.certificateArn') AS resource_arn,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'acm.amazonaws.com'
    AND api.operation = 'ExportCertificate'
    AND status = 'Success'
)
SELECT
  split_part(resource_arn, ':', 5) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, principal,
  count(DISTINCT call_id) AS exports,
  max(time_dt) AS last_export
FROM exports
GROUP BY 1, 2, resource_arn, principal
ORDER BY last_export DESC, resource_arn, principal
