-- Question: Which KMS keys, certificates and Private CAs use public-key cryptography a quantum
--   computer would break (RSA, elliptic curves, SM2), in the order to migrate them (priority 1
--   first: material exposed to "harvest now, decrypt later"), and which use an algorithm the
--   classifier does not know, listed first because nobody can plan them until someone classifies
--   them, as the newest snapshot of each account and Region shows them?
-- Columns: account_id, region, resource_arn, asset_type, algorithm, quantum_class, migration_priority, priority_group, reason, expires_at, collected_at
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- The class, priority and reason are the rule's, written with the record (lambda/inventory/); the
--   query does not classify. Symmetric keys, HMAC keys, post-quantum (ML-DSA) keys and CAs, and
--   secrets are not listed.
WITH {{fragment:current-assets}}
SELECT accountId AS account_id, region, arn AS resource_arn, assetType AS asset_type, algorithm,
  quantum.class AS quantum_class,
  quantum.priority AS migration_priority,
  CASE
    WHEN quantum.class = 'unknown' THEN 'Unclassified algorithm'
    WHEN quantum.priority IS NULL THEN 'No priority given'
    ELSE 'Priority ' || CAST(quantum.priority AS varchar)
  END AS priority_group,
  quantum.reason AS reason,
  CAST(from_iso8601_timestamp(expiresAt) AS timestamp) AS expires_at,
  CAST(from_iso8601_timestamp(collectedAt) AS timestamp) AS collected_at
FROM assets
WHERE quantum.class IN ('quantum-vulnerable', 'unknown')
ORDER BY CASE WHEN quantum.class = 'unknown' THEN 0 ELSE 1 END, migration_priority ASC NULLS LAST, account_id, region, resource_arn
