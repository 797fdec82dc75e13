-- Question: Which ACM certificates and Private CAs expire within the next 90 days (or already have
--   and are still there), soonest first, and which issued ones have an expiry nobody could read,
--   listed last rather than left out?
-- Columns: account_id, region, resource_arn, asset_type, domain_name, kind, status, expires_at, days_left, in_use, renewal_eligibility, collected_at
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- Every certificate and CA of the inventory, not only ACM's own expiry events (which imported
--   certificates never get) and not only inside a Config rule's horizon. The expiry is the record's
--   expiresAt, else the certificate's or CA's notAfter. Certificates still pending validation,
--   failed or timed out, and CAs being created, waiting for their certificate, failed or deleted
--   have nothing to expire and are not listed. kind is the certificate's type (AMAZON_ISSUED,
--   IMPORTED, PRIVATE) or the CA's (ROOT, SUBORDINATE).
WITH {{fragment:current-assets}},
dated AS (
  SELECT a.*,
    from_iso8601_timestamp(coalesce(expiresAt, certificate.notAfter, certificateAuthority.notAfter)) AS expiry
  FROM assets a
  WHERE (assetType = 'certificate' AND coalesce(certificate.status, '') NOT IN ('PENDING_VALIDATION', 'VALIDATION_TIMED_OUT', 'FAILED'))
    OR (assetType = 'certificate-authority' AND coalesce(certificateAuthority.status, '') NOT IN ('CREATING', 'PENDING_CERTIFICATE', 'FAILED', 'DELETED'))
)
SELECT accountId AS account_id, region, arn AS resource_arn, assetType AS asset_type,
  certificate.domainName AS domain_name,
  coalesce(certificate.type, certificateAuthority.type) AS kind,
  coalesce(certificate.status, certificateAuthority.status) AS status,
  CAST(expiry AS timestamp) AS expires_at,
  date_diff('day', now(), expiry) AS days_left,
  certificate.inUse AS in_use,
  certificate.renewalEligibility AS renewal_eligibility,
  CAST(from_iso8601_timestamp(collectedAt) AS timestamp) AS collected_at
FROM dated
WHERE expiry IS NULL OR expiry <= now() + INTERVAL '90' DAY
ORDER BY expires_at ASC NULLS LAST, account_id, region, resource_arn
