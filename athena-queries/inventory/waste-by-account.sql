-- Question: What does each account pay every month, per Region, for KMS keys and secrets our rules
--   report unused and for disabled Private CAs, and how many of those could not be priced?
-- Columns: account_id, region, unused_keys, unused_secrets, disabled_cas, monthly_usd, unpriced_assets
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- monthly_usd sums the priced assets only; unpriced_assets says how many more there are, so a
--   total is never read as complete when it is not.
WITH {{fragment:current-assets}},
{{fragment:wasted-assets}}
SELECT accountId AS account_id, region,
  count(*) FILTER (WHERE assetType = 'kms-key') AS unused_keys,
  count(*) FILTER (WHERE assetType = 'secret') AS unused_secrets,
  count(*) FILTER (WHERE assetType = 'certificate-authority') AS disabled_cas,
  round(coalesce(sum(cost.monthlyUsd), 0), 2) AS monthly_usd,
  count(*) FILTER (WHERE cost.monthlyUsd IS NULL) AS unpriced_assets
FROM wasted
GROUP BY accountId, region
ORDER BY monthly_usd DESC, account_id, region
