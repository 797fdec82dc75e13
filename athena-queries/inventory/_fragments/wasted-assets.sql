-- Fragment: the assets of the newest snapshot that cost money every month for nothing: KMS keys
--   {{rule:kmsUnusedKey}} reports unused, secrets {{rule:secretsUnusedSecret}} reports unused, and
--   Private CAs that are disabled yet still billed (AWS Private CA bills a CA until it is deleted).
--   An asset the price list could not price (monthlyUsd NULL) is kept, with its price unknown; one
--   priced at zero is not waste. Needs the CTE assets (current-assets).
-- Columns: wasted: every column of assets, waste_reason
wasted AS (
  SELECT a.*,
    CASE a.assetType
      WHEN 'kms-key' THEN '{{rule:kmsUnusedKey}} reports it unused'
      WHEN 'secret' THEN '{{rule:secretsUnusedSecret}} reports it unused'
      ELSE 'disabled, still billed'
    END AS waste_reason
  FROM assets a
  WHERE coalesce(a.cost.monthlyUsd, 1) > 0
    AND (
      (a.assetType = 'kms-key' AND a.kms.reportedUnused)
      OR (a.assetType = 'secret' AND a.secret.reportedUnused)
      OR (a.assetType = 'certificate-authority' AND a.certificateAuthority.status = 'DISABLED')
    )
)
