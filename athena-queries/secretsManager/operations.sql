-- Question: Which Secrets Manager operations ran in the window, called by whom, on which secrets?
-- Columns: account_id, region, resource_arn, operation, principal, calls, failed_calls, first_call, last_call
-- Source: cloud_trail_mgmt_2_0 (CloudTrail management events of secretsmanager.amazonaws.com)
WITH {{fragment:secrets-manager-events}}
{{fragment:operation-summary(events=secret_calls)}}
