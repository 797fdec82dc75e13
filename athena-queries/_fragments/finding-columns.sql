-- Fragment: the select list that reads a Security Hub finding (sh_findings_2_0) the same way in
--   every findings query, ending with its rank among the rows of the same finding (1 = newest).
--   resource_uid is what the rule reported: an ARN, except for KMS rules, which report the key
--   id (see the kms-key-arn fragment).
-- Columns: account_id, region, resource_uid, resource_partition, resource_data, compliance_status,
--   record_state, workflow_status, first_observed, evaluated_at, newest
coalesce(cloud.account.uid, accountid) AS account_id,
coalesce(cloud.region, region) AS region,
resource.uid AS resource_uid,
resource.cloud_partition AS resource_partition,
resource.data AS resource_data,
compliance.status AS compliance_status,
element_at(unmapped, 'RecordState') AS record_state,
status AS workflow_status,
finding_info.first_seen_time_dt AS first_observed,
time_dt AS evaluated_at,
row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest
