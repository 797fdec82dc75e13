-- Question: Which KMS operations ran in the window, called by whom, on which keys?
-- Columns: account_id, region, resource_arn, operation, principal, calls, failed_calls, first_call, last_call
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com)
WITH kms_events AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    coalesce(
      element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).uid,
      json_extract_scalar(api.response.data, '$.keyMetadata.arn'),
      CASE WHEN json_extract_scalar(api.request.data, '$.keyId') LIKE 'arn:%:key/%' THEN json_extract_scalar(api.request.data, '$.keyId') END
    ) AS resource_arn,
    api.operation AS operation,
    -- An assumed-role session counts as its role; a service acting on its own as the service.
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    status,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'kms.amazonaws.com'
)
{{fragment:operation-summary(events=kms_events)}}
