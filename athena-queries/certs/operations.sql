-- Question: Which ACM operations ran in the window, called by whom, on which certificates?
-- Columns: account_id, region, resource_arn, operation, principal, calls, failed_calls, first_call, last_call
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of acm.amazonaws.com)
WITH acm_events AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    accountid AS recorded_in_account,
    region AS recorded_in_region,
    -- ACM names the certificate in the request, or in the response of RequestCertificate/ImportCertificate.
    coalesce(
      json_extract_scalar(api.request.data, '$.certificateArn'),
      json_extract_scalar(api.response.data, '$.certificateArn')
    ) AS resource_arn,
    api.operation AS operation,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    status,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'acm.amazonaws.com'
)
{{fragment:operation-summary(events=acm_events)}}
