-- Question: When does each ACM certificate expire, according to the newest findings of our
--   {{rule:acmCertificateExpiration}} rule and of Security Hub's own control ACM.1: every certificate
--   they evaluate, with its expiry date where a finding carries the certificate's details (NULL
--   when none does: expiry unknown), soonest first and unknown last, and the checks that fail it
--   now?
-- Columns: account_id, region, resource_arn, not_after, failed_checks, last_evaluated
-- Source: sh_findings_2_0 (Security Hub findings: AWS Config rule and Security Hub control)
--
-- A check fails a certificate only inside its own horizon (the rule's daysToExpiration and ACM.1's
--   parameter, 30 days by default), so failing findings alone cannot answer "expiring in the next
--   60 days": a certificate expiring on day 45 passes both. The date comes from the certificate's
--   details (ASFF Resources[].Details.AwsCertificateManagerCertificate.NotAfter), which Security
--   Hub attaches to its control findings and to AWS Config findings on a best-effort basis; a
--   certificate whose findings carry none is listed with not_after NULL rather than left out, and
--   failed_checks then says whether a check puts it inside its horizon. Readers filter on
--   not_after for their own horizon and keep the NULLs as "unknown". ASFF gives NotAfter as RFC 3339
--   text, with or without fractions of a second; it is read as a timestamp here (UTC), and a value
--   that is not a time counts as no date, so no certificate is dropped for the way its date is written.
WITH {{fragment:newest-check-findings(rule=acmCertificateExpiration, control=ACM.1)}},
-- The expiry date from the certificate's newest row that carries it (a renewal brings a new date).
dated AS (
  SELECT resource_uid, max_by(not_after, evaluated_at) AS not_after
  FROM (
    SELECT resource_uid, evaluated_at,
      try(CAST(from_iso8601_timestamp(json_extract_scalar(resource_data, '$.AwsCertificateManagerCertificate.NotAfter')) AS timestamp)) AS not_after
    FROM evaluations
  ) d
  WHERE not_after IS NOT NULL
  GROUP BY resource_uid
),
-- Each check's newest finding for the certificate, unless Security Hub archived it (the
-- certificate is gone).
current AS (
  SELECT * FROM evaluations
  WHERE newest = 1 AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
)
SELECT c.account_id, c.region, c.resource_uid AS resource_arn,
  d.not_after,
  array_join(array_sort(array_agg(DISTINCT c.check_name) FILTER (WHERE c.compliance_status = 'FAILED')), ', ') AS failed_checks,
  max(c.evaluated_at) AS last_evaluated
FROM current c
LEFT JOIN dated d ON d.resource_uid = c.resource_uid
GROUP BY c.account_id, c.region, c.resource_uid, d.not_after
ORDER BY not_after ASC NULLS LAST, account_id, region, resource_arn
