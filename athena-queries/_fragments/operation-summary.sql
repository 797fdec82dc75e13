-- Fragment: the SELECT that ends the <service>/operations queries (secretsManager/operations reads
--   it as a CTE and adds secret_values_read): one row per resource,
--   operation and principal with its calls (each call id once, see call-id), failures and first and
--   last call. Each row is placed in the resource's own account and region, taken from its ARN, so
--   a cross-account call recorded by both trails (two eventIDs, one sharedEventID) is one row,
--   counted once; a call that names no ARN stays in the account and region that recorded it.
-- Parameters: events: the CTE to summarize (with call_id, recorded_in_account,
--   recorded_in_region, resource_arn, operation, principal, status, time_dt)
-- Columns: account_id, region, resource_arn, operation, principal, calls, failed_calls, first_call, last_call
SELECT
  coalesce(split_part(resource_arn, ':', 5), recorded_in_account) AS account_id,
  coalesce(split_part(resource_arn, ':', 4), recorded_in_region) AS region,
  resource_arn, operation, principal,
  count(DISTINCT call_id) AS calls,
  count(DISTINCT CASE WHEN status = 'Failure' THEN call_id END) AS failed_calls,
  min(time_dt) AS first_call,
  max(time_dt) AS last_call
FROM {{param:events}}
GROUP BY 1, 2, resource_arn, operation, principal
ORDER BY calls DESC, account_id, region, resource_arn, operation, principal
