-- Question: Who was denied access to which KMS keys in the window, for which operation, and how often?
-- Columns: account_id, region, resource_arn, requested_key, operation, principal, error_code, attempts, first_attempt, last_attempt
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com)
WITH denied AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    coalesce(
      element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).uid,
      CASE WHEN json_extract_scalar(api.request.data, '$.keyId') LIKE 'arn:%:key/%' THEN json_extract_scalar(api.request.data, '$.keyId') END
    ) AS resource_arn,
    -- What the caller asked for (key id, alias or ARN), kept because a denied call may name no key ARN.
    json_extract_scalar(api.request.data, '$.keyId') AS requested_key,
    api.operation AS operation,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    api.response.error AS error_code,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'kms.amazonaws.com'
    AND api.response.error IN ('AccessDenied', 'AccessDeniedException')
)
SELECT
  coalesce(split_part(resource_arn, ':', 5), recorded_in_account) AS account_id,
  coalesce(split_part(resource_arn, ':', 4), recorded_in_region) AS region,
  resource_arn, requested_key, operation, principal, error_code,
  count(DISTINCT call_id) AS attempts,
  min(time_dt) AS first_attempt,
  max(time_dt) AS last_attempt
FROM denied
GROUP BY 1, 2, resource_arn, requested_key, operation, principal, error_code
ORDER BY attempts DESC, account_id, region, resource_arn, operation, principal
