-- Question: Which Secrets Manager secrets are encrypted with the AWS managed key aws/secretsmanager
--   rather than a customer managed key, with their owning service, rotation and last access?
-- Columns: account_id, region, resource_arn, secret_name, owning_service, rotation_kind, last_accessed, last_rotated, primary_region, collected_at
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- The AWS managed key's policy cannot be changed: such a secret cannot be read from another account
--   and who may decrypt it cannot be narrowed by the key. A record without encryptedWithAwsManagedKey
--   counts as encrypted with it when it names no key or names the alias aws/secretsmanager, as
--   Secrets Manager reports that key.
WITH {{fragment:current-assets}}
SELECT accountId AS account_id, region, arn AS resource_arn, id AS secret_name,
  secret.owningService AS owning_service,
  secret.rotationKind AS rotation_kind,
  CAST(from_iso8601_timestamp(secret.lastAccessedAt) AS timestamp) AS last_accessed,
  CAST(from_iso8601_timestamp(secret.lastRotatedAt) AS timestamp) AS last_rotated,
  secret.primaryRegion AS primary_region,
  CAST(from_iso8601_timestamp(collectedAt) AS timestamp) AS collected_at
FROM assets
WHERE assetType = 'secret'
  AND coalesce(secret.encryptedWithAwsManagedKey, secret.kmsKeyId IS NULL OR secret.kmsKeyId LIKE '%alias/aws/secretsmanager')
ORDER BY account_id, region, resource_arn
