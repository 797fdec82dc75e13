import { CertificateAuthorityStatus } from '@aws-sdk/client-acm-pca';
import {
  decideCertificateAuthority,
  KNOWN_STATUSES,
  parseParameters,
  PENDING_CERTIFICATE_GRACE_DAYS,
  type CaFacts,
} from '../../lambda/acm-pca-certificate-authority-check';
import { MAX_ANNOTATION_LENGTH } from '../../lambda/runtime/evaluation';
import { InvalidParameterError } from '../../lambda/runtime/parameters';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const daysFromNow = (d: number) => new Date(NOW.getTime() + d * DAY);
const params = { expiringWithinDays: 90 };
const decide = (ca: CaFacts, p = params) => decideCertificateAuthority(ca, NOW, p);

const root = (over: Partial<CaFacts> = {}): CaFacts => ({
  Type: 'ROOT',
  Status: 'ACTIVE',
  UsageMode: 'GENERAL_PURPOSE',
  CreatedAt: daysFromNow(-400),
  LastStateChangeAt: daysFromNow(-399),
  NotAfter: daysFromNow(3000),
  ...over,
});
const subordinate = (over: Partial<CaFacts> = {}): CaFacts => root({ Type: 'SUBORDINATE', NotAfter: daysFromNow(1000), ...over });

describe('every status AWS Private CA lists', () => {
  test('the rule knows exactly the statuses of the pinned SDK (a new one must be decided here first)', () => {
    expect([...KNOWN_STATUSES].sort()).toEqual(Object.values(CertificateAuthorityStatus).sort());
  });

  test.each([
    ['ACTIVE, far from expiry', 'COMPLIANT', subordinate(), /^Active subordinate CA \(general-purpose mode\); its certificate expires on 2029-08-19\.$/],
    ['DISABLED subordinate: billed, cannot issue', 'NON_COMPLIANT', subordinate({ Status: 'DISABLED', LastStateChangeAt: daysFromNow(-40) }),
      /^Disabled since 2026-10-14 \(40 days\) and still billed: it cannot issue\. Delete it once the certificates it issued have expired\.$/],
    ['DISABLED root: what PCA.1 asks, the anchor of its hierarchy', 'COMPLIANT', root({ Status: 'DISABLED' }), /^Disabled root CA, as Security Hub PCA\.1 asks between signings; billed while it anchors its hierarchy/],
    ['EXPIRED: billed until deleted', 'NON_COMPLIANT', subordinate({ Status: 'EXPIRED', NotAfter: daysFromNow(-3) }), /^CA certificate expired on 2026-11-20: the CA cannot issue and is billed until it is deleted/],
    ['EXPIRED without NotAfter', 'NON_COMPLIANT', subordinate({ Status: 'EXPIRED', NotAfter: undefined }), /^CA certificate expired: the CA cannot issue/],
    ['PENDING_CERTIFICATE within the grace', 'COMPLIANT', subordinate({ Status: 'PENDING_CERTIFICATE', NotAfter: undefined, CreatedAt: daysFromNow(-2) }), /^Waiting for its CA certificate since 2026-11-21 \(2 days; grace 7 days\)\.$/],
    ['PENDING_CERTIFICATE past the grace', 'NON_COMPLIANT', subordinate({ Status: 'PENDING_CERTIFICATE', NotAfter: undefined, CreatedAt: daysFromNow(-30) }), /^No CA certificate installed 30 days after creation on 2026-10-24: the CA is billed from creation but cannot issue/],
    ['CREATING', 'NOT_APPLICABLE', subordinate({ Status: 'CREATING', NotAfter: undefined }), /^Being created/],
    ['FAILED, with its reason', 'NOT_APPLICABLE', subordinate({ Status: 'FAILED', NotAfter: undefined, FailureReason: 'REQUEST_TIMED_OUT' }), /^Creation failed \(REQUEST_TIMED_OUT\)/],
    ['DELETED: not billed', 'NOT_APPLICABLE', subordinate({ Status: 'DELETED', RestorableUntil: daysFromNow(20) }), /^Deleted, restorable until 2026-12-13: not billed unless it is restored\.$/],
    ['DELETED without a restoration date', 'NOT_APPLICABLE', subordinate({ Status: 'DELETED', RestorableUntil: undefined }), /^Deleted: not billed/],
  ] as const)('%s → %s', (_case, compliance, ca, annotation) => {
    const d = decide(ca);
    expect(d.compliance).toBe(compliance);
    expect(d.annotation).toMatch(annotation);
    expect(d.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });

  test('the grace for a CA waiting for its certificate ends after exactly 7 days', () => {
    expect(PENDING_CERTIFICATE_GRACE_DAYS).toBe(7);
    const pending = (created: Date) => decide(subordinate({ Status: 'PENDING_CERTIFICATE', NotAfter: undefined, CreatedAt: created }));
    expect(pending(new Date(NOW.getTime() - 7 * DAY)).compliance).toBe('COMPLIANT');
    expect(pending(new Date(NOW.getTime() - 7 * DAY - 1)).compliance).toBe('NON_COMPLIANT');
  });
});

describe('expiry within expiringWithinDays (default 90)', () => {
  test.each([
    [91, 'COMPLIANT'],
    [90, 'NON_COMPLIANT'],
    [30, 'NON_COMPLIANT'],
    [0.5, 'NON_COMPLIANT'],
  ])('a certificate expiring in %s days → %s', (days, compliance) => {
    expect(decide(subordinate({ NotAfter: daysFromNow(days) })).compliance).toBe(compliance);
  });

  test('the annotation names the date, the days left and the limit', () => {
    expect(decide(subordinate({ NotAfter: daysFromNow(45) })).annotation).toBe('CA certificate expires on 2027-01-07, in 45 days (limit 90): renew it.');
  });

  test('an active CA whose certificate has passed its NotAfter (the status not yet EXPIRED) is reported expired', () => {
    expect(decide(root({ NotAfter: daysFromNow(-1) })).annotation).toBe('CA certificate expired on 2026-11-22.');
  });

  test('a disabled root is judged on expiry too: its subordinates chain to it', () => {
    expect(decide(root({ Status: 'DISABLED', NotAfter: daysFromNow(60) }))).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/^CA certificate expires on 2027-01-22, in 60 days/) });
  });

  test('the limit is a parameter', () => {
    expect(decide(subordinate({ NotAfter: daysFromNow(200) }), { expiringWithinDays: 365 }).compliance).toBe('NON_COMPLIANT');
  });

  test('several findings are all named, within 256 characters', () => {
    const d = decide(subordinate({ Status: 'DISABLED', NotAfter: daysFromNow(10), LastStateChangeAt: daysFromNow(-100) }));
    expect(d.compliance).toBe('NON_COMPLIANT');
    expect(d.annotation).toMatch(/^CA certificate expires on 2026-12-03, in 10 days \(limit 90\): renew it; Disabled since 2026-08-15 \(100 days\) and still billed/);
    expect(d.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });
});

describe('roots issuing end-entity certificates, where the listing shows it', () => {
  test('an active root in short-lived certificate mode issues end-entity certificates directly (such a CA must be the last of its hierarchy)', () => {
    const d = decide(root({ UsageMode: 'SHORT_LIVED_CERTIFICATE' }));
    expect(d.compliance).toBe('NON_COMPLIANT');
    expect(d.annotation).toMatch(/^Root CA in short-lived certificate mode: such a CA must be the last in its hierarchy, so this root issues end-entity certificates directly\. Issue them from a subordinate CA\.$/);
  });

  test('a disabled root in short-lived mode anchors nothing: billed for nothing', () => {
    expect(decide(root({ Status: 'DISABLED', UsageMode: 'SHORT_LIVED_CERTIFICATE' })).annotation).toMatch(/^Disabled root in short-lived certificate mode since .*, still billed: it cannot anchor subordinate CAs/);
  });

  test('a general-purpose root is not judged on what it issues: the listing does not show it (CloudTrail does)', () => {
    expect(decide(root())).toEqual({ compliance: 'COMPLIANT', annotation: 'Active root CA (general-purpose mode); its certificate expires on 2035-02-09.' });
  });

  test('a subordinate in short-lived certificate mode is what the mode is for', () => {
    expect(decide(subordinate({ UsageMode: 'SHORT_LIVED_CERTIFICATE' })).compliance).toBe('COMPLIANT');
  });
});

describe('missing or unknown facts fail closed', () => {
  test.each([
    ['no Status', root({ Status: undefined }), 'ListCertificateAuthorities returned no Status.'],
    ['an unknown status', root({ Status: 'SUSPENDED' as never }), 'ListCertificateAuthorities returned the unknown status "SUSPENDED".'],
    ['an active CA without NotAfter', root({ NotAfter: undefined }), 'ListCertificateAuthorities returned no NotAfter for an active CA.'],
    ['a disabled CA without NotAfter', subordinate({ Status: 'DISABLED', NotAfter: undefined }), 'ListCertificateAuthorities returned no NotAfter for a disabled CA.'],
    ['an active CA without Type', root({ Type: undefined }), 'ListCertificateAuthorities returned no Type for an active CA.'],
    ['an unknown type', root({ Type: 'INTERMEDIATE' as never }), 'ListCertificateAuthorities returned the unknown CA type "INTERMEDIATE".'],
    ['a root without UsageMode', root({ UsageMode: undefined }), 'ListCertificateAuthorities returned no UsageMode for a root CA.'],
    ['a root in an unknown mode', root({ UsageMode: 'EPHEMERAL' as never }), 'ListCertificateAuthorities returned the unknown usage mode "EPHEMERAL".'],
    ['a CA waiting for its certificate without CreatedAt', subordinate({ Status: 'PENDING_CERTIFICATE', CreatedAt: undefined }), 'ListCertificateAuthorities returned no CreatedAt for a CA waiting for its certificate.'],
  ])('%s', (_case, ca, reason) => {
    expect(decide(ca)).toEqual({ compliance: 'NON_COMPLIANT', annotation: `Could not evaluate: ${reason}` });
  });

  test('a subordinate without UsageMode is judged: its mode decides nothing here', () => {
    expect(decide(subordinate({ UsageMode: undefined })).compliance).toBe('COMPLIANT');
  });
});

describe('parameters', () => {
  test('defaults', () => {
    expect(parseParameters({})).toEqual({ expiringWithinDays: 90, exemptionTagKey: undefined, requestsPerSecond: 16 });
  });

  test('as AWS Config passes them', () => {
    expect(parseParameters({ expiringWithinDays: '365', exemptionTagKey: 'keep', requestsPerSecond: '2.5' })).toEqual({ expiringWithinDays: 365, exemptionTagKey: 'keep', requestsPerSecond: 2.5 });
  });

  test.each([['0'], ['3651'], ['90.5'], ['0x5A'], ['9e1'], ['-1'], ['ninety']])('expiringWithinDays %j is refused', (value) => {
    expect(() => parseParameters({ expiringWithinDays: value })).toThrow(InvalidParameterError);
  });
});
