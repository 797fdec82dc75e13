-- Question: How many KMS keys does each account hold per Region, by who manages them (customer or
--   AWS), where their material comes from (AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE),
--   their key spec and usage, and their quantum class; how many are enabled or multi-Region, and
--   what they cost a month?
-- Columns: account_id, region, key_manager, origin, key_spec, key_usage, quantum_class, keys, enabled_keys, multi_region_keys, monthly_usd
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- A fact a rule could not read is NULL and forms its own group (the record's gaps say why).
--   monthly_usd sums the priced keys (AWS managed keys are free).
WITH {{fragment:current-assets}}
SELECT accountId AS account_id, region,
  kms.keyManager AS key_manager,
  kms.origin AS origin,
  kms.keySpec AS key_spec,
  kms.keyUsage AS key_usage,
  quantum.class AS quantum_class,
  count(*) AS keys,
  count(*) FILTER (WHERE kms.keyState = 'Enabled') AS enabled_keys,
  count(*) FILTER (WHERE kms.multiRegion) AS multi_region_keys,
  round(coalesce(sum(cost.monthlyUsd), 0), 2) AS monthly_usd
FROM assets
WHERE assetType = 'kms-key'
GROUP BY accountId, region, kms.keyManager, kms.origin, kms.keySpec, kms.keyUsage, quantum.class
ORDER BY account_id, region, key_manager, origin, key_spec, key_usage
