import { RULE_NAMES } from '../../lib/catalog';
import { SecurityLake } from '../fixtures/security-lake/lake';
import { organizationLake, run } from '../fixtures/security-lake/organization';
import { finding } from '../fixtures/security-lake/records';
import { DEV, EU, NOW, PROD, SHARED, US, certs, daysAgo, daysAhead, hoursAgo, principals, privateCa, privateCert, privateCertForProd, ts } from '../fixtures/security-lake/scenarios';

let lake: SecurityLake;
beforeAll(async () => {
  lake = await organizationLake();
});
afterAll(() => lake.close());

describe('certs/dns-validation-pending', () => {
  test('lists the certificate still pending, not the one validated yesterday, with whole hours and its console page', async () => {
    expect(await run(lake, 'certs/dns-validation-pending')).toEqual([
      {
        account_id: PROD, region: US, resource_arn: certs.pendingValidation, first_observed: ts(hoursAgo(30.5)), last_evaluated: ts(hoursAgo(30.5)), workflow_status: 'New',
        hours_pending: 30,
        console_url: 'https://us-east-1.console.aws.amazon.com/acm/home?region=us-east-1#/certificates/c0000000-0000-4000-8000-000000000001',
      },
    ]);
  });

  test('links no console page for a certificate outside the aws partition', async () => {
    const china = await SecurityLake.open({ now: NOW });
    try {
      const arn = 'arn:aws-cn:acm:cn-north-1:111111111111:certificate/c0000000-0000-4000-8000-0000000000cn';
      await china.addFindings([
        finding({ account: PROD, region: 'cn-north-1', resourceUid: arn, resourceType: 'AwsCertificateManagerCertificate', rule: RULE_NAMES.acmPendingDnsValidation, status: 'FAILED', at: hoursAgo(2) }),
      ]);
      expect(await run(china, 'certs/dns-validation-pending')).toEqual([expect.objectContaining({ resource_arn: arn, hours_pending: 2, console_url: null })]);
    } finally {
      china.close();
    }
  });
});

describe('certs/expiring', () => {
  test('lists every certificate the expiry checks evaluate, soonest expiry first, unknown expiry last', async () => {
    expect(await run(lake, 'certs/expiring')).toEqual([
      {
        // Its newest finding writes the date without fractions of a second.
        account_id: SHARED, region: US, resource_arn: certs.expiringByControl, not_after: '2026-06-01 00:00:00',
        failed_checks: 'ACM.1', last_evaluated: ts(daysAgo(1)),
      },
      // Day 45: both checks (30-day horizon) pass it, yet it expires within a 60-day view.
      { account_id: PROD, region: US, resource_arn: certs.expiringDay45, not_after: ts(daysAhead(45)), failed_checks: null, last_evaluated: ts(daysAgo(1)) },
      // Renewed: the newest finding's date, failing no check.
      { account_id: SHARED, region: US, resource_arn: certs.renewed, not_after: ts(daysAhead(415)), failed_checks: null, last_evaluated: ts(daysAgo(1)) },
      // No finding carries a readable date (one has none, one an unreadable one): listed with expiry unknown, not left out.
      { account_id: PROD, region: US, resource_arn: certs.unknownExpiry, not_after: null, failed_checks: null, last_evaluated: ts(daysAgo(12)) },
      { account_id: DEV, region: EU, resource_arn: certs.expiringByRule, not_after: null, failed_checks: 'acm-certificate-expiration-check', last_evaluated: ts(daysAgo(1)) },
    ]);
  });

  test('a 60-day view keeps the certificate expiring on day 45 and the unknown ones', async () => {
    const horizon = ts(daysAhead(60));
    const inView = (await run(lake, 'certs/expiring')).filter((r) => r.not_after === null || (r.not_after as string) <= horizon).map((r) => r.resource_arn);
    expect(inView).toEqual([certs.expiringByControl, certs.expiringDay45, certs.unknownExpiry, certs.expiringByRule]);
  });

  test('a deleted certificate (archived finding) and a weak-key finding are not listed', async () => {
    const listed = (await run(lake, 'certs/expiring')).map((r) => r.resource_arn);
    expect(listed).not.toContain(certs.deleted);
    expect(listed).not.toContain(certs.requested);
  });
});

describe('certs/operations', () => {
  test('groups ACM calls by certificate, operation and principal', async () => {
    expect(await run(lake, 'certs/operations')).toEqual([
      {
        account_id: PROD, region: EU, resource_arn: certs.requested, operation: 'DescribeCertificate', principal: principals.paymentsApp.issuer,
        calls: 2, failed_calls: 0, first_call: ts(daysAgo(5)), last_call: ts(daysAgo(2)),
      },
      {
        account_id: DEV, region: US, resource_arn: certs.imported, operation: 'ExportCertificate', principal: principals.devCi.issuer,
        calls: 2, failed_calls: 0, first_call: ts(daysAgo(3)), last_call: ts(daysAgo(1)),
      },
      {
        account_id: PROD, region: EU, resource_arn: certs.requested, operation: 'RequestCertificate', principal: principals.certAdmin.issuer,
        calls: 1, failed_calls: 0, first_call: ts(daysAgo(6)), last_call: ts(daysAgo(6)),
      },
      {
        account_id: PROD, region: EU, resource_arn: certs.requested, operation: 'RevokeCertificate', principal: principals.certAdmin.issuer,
        calls: 1, failed_calls: 0, first_call: ts(daysAgo(1)), last_call: ts(daysAgo(1)),
      },
      {
        account_id: DEV, region: US, resource_arn: certs.imported, operation: 'ImportCertificate', principal: principals.devCi.issuer,
        calls: 1, failed_calls: 0, first_call: ts(daysAgo(4)), last_call: ts(daysAgo(4)),
      },
      // A refused request names no certificate.
      {
        account_id: DEV, region: US, resource_arn: null, operation: 'RequestCertificate', principal: principals.intern.arn,
        calls: 1, failed_calls: 1, first_call: ts(daysAgo(2)), last_call: ts(daysAgo(2)),
      },
    ]);
  });
});

describe('certs/issued', () => {
  test('lists successful requests, imports and private-CA issuances in the window, newest first', async () => {
    expect(await run(lake, 'certs/issued')).toEqual([
      // Issued for another account by a shared CA: both trails recorded it, one row; the
      // certificate's ARN is under the CA, so it is placed in the CA's account.
      {
        account_id: SHARED, region: US, resource_arn: privateCertForProd, operation: 'IssueCertificate', domain_name: null,
        issuing_ca_arn: privateCa, principal: principals.paymentsApp.issuer, event_time: ts(daysAgo(2)),
      },
      {
        account_id: SHARED, region: US, resource_arn: privateCert, operation: 'IssueCertificate', domain_name: null,
        issuing_ca_arn: privateCa, principal: principals.certAdmin.issuer, event_time: ts(daysAgo(3)),
      },
      {
        account_id: DEV, region: US, resource_arn: certs.imported, operation: 'ImportCertificate', domain_name: null,
        issuing_ca_arn: null, principal: principals.devCi.issuer, event_time: ts(daysAgo(4)),
      },
      {
        account_id: PROD, region: EU, resource_arn: certs.requested, operation: 'RequestCertificate', domain_name: 'shop.example.com',
        issuing_ca_arn: null, principal: principals.certAdmin.issuer, event_time: ts(daysAgo(6)),
      },
    ]);
  });

  test('a refused request and a request just before the window are not listed', async () => {
    const rows = await run(lake, 'certs/issued');
    expect(rows.map((r) => r.resource_arn)).not.toContain(certs.requestedLongAgo);
    expect(rows.map((r) => r.domain_name)).not.toContain('intern.example.com');
  });
});

describe('certs/revoked', () => {
  test('lists ACM and private-CA revocations with their reason', async () => {
    expect(await run(lake, 'certs/revoked')).toEqual([
      {
        account_id: PROD, region: EU, resource_arn: certs.requested, certificate_serial: null, revocation_reason: 'SUPERSEDED',
        operation_source: 'acm.amazonaws.com', principal: principals.certAdmin.issuer, event_time: ts(daysAgo(1)),
      },
      {
        account_id: SHARED, region: US, resource_arn: privateCa, certificate_serial: '0a:1b:2c', revocation_reason: 'KEY_COMPROMISE',
        operation_source: 'acm-pca.amazonaws.com', principal: principals.certAdmin.issuer, event_time: ts(daysAgo(2)),
      },
    ]);
  });
});

describe('certs/exported', () => {
  test('lists who exported which certificate, and how often', async () => {
    expect(await run(lake, 'certs/exported')).toEqual([
      { account_id: DEV, region: US, resource_arn: certs.imported, principal: principals.devCi.issuer, exports: 2, last_export: ts(daysAgo(1)) },
    ]);
  });
});
