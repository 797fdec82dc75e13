-- Fragment: the expression for a KMS key's ARN from the finding-columns of a KMS rule's finding.
--   The rule reports the key id; Security Hub normally turns it into the key ARN, but a bare id is
--   rebuilt into one in the finding's own partition (aws when the finding names none), region and
--   account.
-- Columns: one value, the key ARN; it reads resource_uid, resource_partition, region, account_id
CASE
  WHEN resource_uid LIKE 'arn:%' THEN resource_uid
  ELSE 'arn:' || coalesce(resource_partition, 'aws') || ':kms:' || region || ':'
    || account_id || ':key/' || resource_uid
END
