-- Question: Which KMS keys were used in the window by principals of another account than the key's own,
--   by whom and with which operations?
-- Columns: account_id, region, resource_arn, caller_account_id, principal, operations, calls, failed_calls, last_call
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com)
WITH kms_events AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).uid AS resource_arn,
    actor.user.account.uid AS caller_account_id,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    api.operation AS operation,
    status,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'kms.amazonaws.com'
)
SELECT
  -- The key owner is the account field of the key ARN: arn:partition:kms:region:account:key/id.
  regexp_extract(resource_arn, '^arn:[^:]+:kms:[^:]+:([0-9]{12}):key/', 1) AS account_id,
  split_part(resource_arn, ':', 4) AS region,
  resource_arn, caller_account_id, principal,
  array_join(array_sort(array_agg(DISTINCT operation)), ', ') AS operations,
  count(DISTINCT call_id) AS calls,
  count(DISTINCT CASE WHEN status = 'Failure' THEN call_id END) AS failed_calls,
  max(time_dt) AS last_call
FROM kms_events
WHERE resource_arn IS NOT NULL
  AND caller_account_id IS NOT NULL
  AND caller_account_id <> regexp_extract(resource_arn, '^arn:[^:]+:kms:[^:]+:([0-9]{12}):key/', 1)
GROUP BY 1, 2, resource_arn, caller_account_id, principal
ORDER BY account_id, region, resource_arn, caller_account_id, principal
