-- Question: Which ACM certificates does our {{rule:acmPendingDnsValidation}} rule report as stuck in
--   DNS validation right now (newest evaluation in the window is FAILED)?
-- Columns: account_id, region, resource_arn, first_observed, last_evaluated, workflow_status,
--   hours_pending, console_url
-- Source: sh_findings_2_0 (Security Hub findings copied from the AWS Config rule)
--
-- The CNAME record to create is in the rule's annotation, which Security Hub does not copy into the
--   finding, so it is not in the lake. console_url opens the certificate in the ACM console of its
--   region, where the record is shown. hours_pending counts from the rule's first report, which
--   comes only after the certificate has already waited the rule's maxPendingHours.
WITH {{fragment:newest-findings(rule=acmPendingDnsValidation)}}
-- The rule reports the certificate ARN itself, so resource_uid is already an ARN.
SELECT
  account_id, region, resource_uid AS resource_arn, first_observed, evaluated_at AS last_evaluated, workflow_status,
  -- Whole hours elapsed (Trino's date_diff truncates).
  date_diff('hour', first_observed, now()) AS hours_pending,
  -- The console's own address for a certificate's detail page (AWS does not document it as a
  -- stable deep link). Only the aws partition: the China and GovCloud consoles live on other
  -- hosts, and no link is better than a wrong one.
  CASE WHEN resource_uid LIKE 'arn:aws:acm:%' THEN
    'https://' || region || '.console.aws.amazon.com/acm/home?region=' || region
      || '#/certificates/' || regexp_extract(resource_uid, 'certificate/([^/]+)$', 1)
  END AS console_url
FROM failing
ORDER BY account_id, region, resource_arn
