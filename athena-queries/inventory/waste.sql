-- Question: Which KMS keys and secrets that our rules report unused, and which disabled Private
--   CAs, cost money every month, how much each (NULL when it could not be priced) and what the
--   price counts, most expensive first and unpriced last?
-- Columns: account_id, region, resource_arn, asset_type, waste_reason, monthly_usd, price_basis, price_date, last_used, collected_at
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- last_used is the key's last cryptographic use (GetKeyLastUsage), the secret's last access (a
--   date) or the CA's last issuance, where known.
WITH {{fragment:current-assets}},
{{fragment:wasted-assets}}
SELECT accountId AS account_id, region, arn AS resource_arn, assetType AS asset_type, waste_reason,
  cost.monthlyUsd AS monthly_usd,
  cost.basis AS price_basis,
  cost.priceDate AS price_date,
  CAST(from_iso8601_timestamp(coalesce(kms.lastUsedAt, secret.lastAccessedAt, certificateAuthority.lastIssuedAt)) AS timestamp) AS last_used,
  CAST(from_iso8601_timestamp(collectedAt) AS timestamp) AS collected_at
FROM wasted
ORDER BY monthly_usd DESC NULLS LAST, account_id, region, resource_arn
