-- Fragment: the select list that reads a Security Hub finding (sh_findings_2_0) the same way in
--   every findings query, ending with the row's place among the rows of the same finding.
--   resource_uid is what the rule reported: an ARN, except for KMS rules, which report the key
--   id (see the kms-key-arn fragment). evaluated_at is the row's time_dt, ASFF UpdatedAt: for a
--   finding from AWS Config, when the rule's result last changed (see current-failures).
--   first_seen is ASFF FirstObservedAt (finding_info.first_seen_time_dt), which only Security Hub's
--   own controls set; findings from AWS Config carry CreatedAt and UpdatedAt alone
--   (finding_info.created_time_dt and modified_time_dt, /work/shared/reference/security-lake-v2.md).
--   newest: 1 for the finding's newest row; oldest: 1 for its oldest row in the window;
--   passes_since: how many rows of the finding, this one or newer, are not FAILED (0 = the row
--   belongs to the run of FAILED rows the finding ends with, if it ends failing).
-- Columns: account_id, region, resource_uid, resource_partition, resource_data, compliance_status,
--   record_state, workflow_status, finding_uid, first_seen, created_at, evaluated_at, newest,
--   oldest, passes_since
coalesce(cloud.account.uid, accountid) AS account_id,
coalesce(cloud.region, region) AS region,
resource.uid AS resource_uid,
resource.cloud_partition AS resource_partition,
resource.data AS resource_data,
compliance.status AS compliance_status,
element_at(unmapped, 'RecordState') AS record_state,
status AS workflow_status,
finding_info.uid AS finding_uid,
finding_info.first_seen_time_dt AS first_seen,
finding_info.created_time_dt AS created_at,
time_dt AS evaluated_at,
row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC) AS newest,
row_number() OVER (PARTITION BY finding_info.uid ORDER BY time_dt ASC) AS oldest,
sum(CASE WHEN compliance.status = 'FAILED' THEN 0 ELSE 1 END)
  OVER (PARTITION BY finding_info.uid ORDER BY time_dt DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS passes_since
