-- Question: Which principals decrypted the most in the window, with how many keys in how many accounts?
-- Columns: principal, principal_account_id, decrypt_calls, distinct_keys, key_accounts, last_decrypt
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of kms.amazonaws.com, successful Decrypt calls)
WITH decrypts AS (
  SELECT
    {{fragment:call-id}} AS call_id,
    coalesce(actor.session.issuer, actor.user.uid, actor.invoked_by) AS principal,
    actor.user.account.uid AS principal_account_id,
    element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).uid AS key_arn,
    time_dt
  FROM {{database}}.{{cloudTrailTable}}
  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY
    AND api.service.name = 'kms.amazonaws.com'
    AND api.operation = 'Decrypt'
    AND status = 'Success'
)
SELECT
  principal, principal_account_id,
  count(DISTINCT call_id) AS decrypt_calls,
  count(DISTINCT key_arn) AS distinct_keys,
  count(DISTINCT split_part(key_arn, ':', 5)) AS key_accounts,
  max(time_dt) AS last_decrypt
FROM decrypts
GROUP BY principal, principal_account_id
ORDER BY decrypt_calls DESC, principal
LIMIT 50
