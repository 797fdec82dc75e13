import type { DomainValidation } from '@aws-sdk/client-acm';
import {
  decideDescribed,
  decideFromSummary,
  overdueAnnotation,
  parseParameters,
  pendingDnsRecords,
  shortenMiddle,
} from '../../lambda/acm-pending-dns-validation';
import { MAX_ANNOTATION_LENGTH } from '../../lambda/runtime/evaluation';
import { InvalidParameterError } from '../../lambda/runtime/parameters';

const NOW = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;
const hoursAgo = (h: number, extraMs = 0) => new Date(NOW.getTime() - h * HOUR - extraMs);
const record = (n: string) => ({ Name: `_${n}.example.com.`, Type: 'CNAME' as const, Value: `_${n}-target.xyz.acm-validations.aws.` });
const dns = (domain: string, status: DomainValidation['ValidationStatus'], rec = record(domain.split('.')[0])): DomainValidation => ({
  DomainName: domain,
  ValidationMethod: 'DNS',
  ValidationStatus: status,
  ResourceRecord: rec,
});

describe('decideFromSummary: what the listing alone decides', () => {
  test.each([
    ['Amazon-issued, issued', 'AMAZON_ISSUED', 'ISSUED', 'COMPLIANT'],
    ['Amazon-issued, expired', 'AMAZON_ISSUED', 'EXPIRED', 'NOT_APPLICABLE'],
    ['Amazon-issued, revoked', 'AMAZON_ISSUED', 'REVOKED', 'NOT_APPLICABLE'],
    ['Amazon-issued, inactive', 'AMAZON_ISSUED', 'INACTIVE', 'NOT_APPLICABLE'],
    ['imported', 'IMPORTED', 'ISSUED', 'NOT_APPLICABLE'],
    ['private, issued', 'PRIVATE', 'ISSUED', 'NOT_APPLICABLE'],
    ['validation timed out', 'AMAZON_ISSUED', 'VALIDATION_TIMED_OUT', 'NON_COMPLIANT'],
  ] as const)('%s → %s, without DescribeCertificate', (_case, Type, Status, compliance) => {
    expect(decideFromSummary({ Type, Status, CreatedAt: hoursAgo(100) })?.compliance).toBe(compliance);
  });

  test.each([
    ['Amazon-issued, pending validation', 'AMAZON_ISSUED', 'PENDING_VALIDATION'],
    ['Amazon-issued, failed', 'AMAZON_ISSUED', 'FAILED'],
    ['private, failed', 'PRIVATE', 'FAILED'],
    // A listing entry missing what the decision needs is described, never passed.
    ['no Type', undefined, 'ISSUED'],
    ['no Status', 'IMPORTED', undefined],
    ['neither', undefined, undefined],
  ] as const)('%s → must be described', (_case, Type, Status) => {
    expect(decideFromSummary({ Type, Status })).toBeUndefined();
  });

  test('a timed-out request says why and what to do', () => {
    expect(decideFromSummary({ Type: 'AMAZON_ISSUED', Status: 'VALIDATION_TIMED_OUT', CreatedAt: new Date('2026-11-01T09:00:00Z') })?.annotation).toBe(
      "Validation timed out: the certificate requested on 2026-11-01 was not validated within ACM's 72 hours. Delete it and request it again once the validation records are in place.",
    );
  });
});

describe('decideDescribed: a certificate pending DNS validation (maxPendingHours 24)', () => {
  const params = { maxPendingHours: 24 };
  const pending = (created: Date, options: DomainValidation[]) =>
    decideDescribed({ Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED', CreatedAt: created, DomainValidationOptions: options }, NOW, params);

  test.each([
    ['requested a minute ago', hoursAgo(0, 60_000), 'COMPLIANT'],
    ['pending 23 hours', hoursAgo(23), 'COMPLIANT'],
    ['pending exactly 24 hours', hoursAgo(24), 'COMPLIANT'],
    ['pending 24 hours and a second', hoursAgo(24, 1000), 'NON_COMPLIANT'],
    ['pending 71 hours', hoursAgo(71), 'NON_COMPLIANT'],
  ])('%s → %s', (_case, created, compliance) => {
    expect(pending(created, [dns('example.com', 'PENDING_VALIDATION')]).compliance).toBe(compliance);
  });

  test('within the grace, the annotation says how long it has waited', () => {
    expect(pending(hoursAgo(5), [dns('example.com', 'PENDING_VALIDATION'), dns('www.example.com', 'PENDING_VALIDATION')]).annotation).toBe(
      'DNS validation pending for 5 h, within the 24-hour grace (2 domains).',
    );
  });

  test('overdue: the annotation names the CNAME to create (name and value) and the wait', () => {
    expect(pending(hoursAgo(30), [dns('example.com', 'PENDING_VALIDATION')]).annotation).toBe(
      'DNS validation pending for 30 h (limit 24 h; ACM stops at 72 h): create CNAME _example.example.com. -> _example-target.xyz.acm-validations.aws..',
    );
  });

  test('every domain is checked, not only the first: a validated first domain does not hide a pending second one', () => {
    const d = pending(hoursAgo(30), [dns('a.example.com', 'SUCCESS', record('a')), dns('b.example.com', 'PENDING_VALIDATION', record('b'))]);
    expect(d.compliance).toBe('NON_COMPLIANT');
    expect(d.annotation).toContain('_b.example.com.');
    expect(d.annotation).not.toContain('_a.example.com.');
  });

  test('domains sharing one record (apex and wildcard) name it once; others are counted', () => {
    const shared = record('apex');
    const d = pending(hoursAgo(30), [
      dns('example.com', 'PENDING_VALIDATION', shared),
      dns('*.example.com', 'PENDING_VALIDATION', shared),
      dns('other.org', 'PENDING_VALIDATION', record('other')),
      dns('third.net', 'PENDING_VALIDATION', record('third')),
    ]);
    expect(d.annotation).toMatch(/create CNAME _apex\.example\.com\. -> _apex-target\.xyz\.acm-validations\.aws\. \(\+2 more CNAME records\)\.$/);
  });

  test('a pending certificate whose records ACM has not published yet', () => {
    const d = pending(hoursAgo(30), [{ DomainName: 'example.com', ValidationMethod: 'DNS', ValidationStatus: 'PENDING_VALIDATION' }]);
    expect(d).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'DNS validation pending for 30 h (limit 24 h; ACM stops at 72 h) for example.com; ACM has not published the CNAME record yet.',
    });
  });

  test('overdue: room for a note ahead of the annotation is made by shortening the record in the middle, so both ends and the count stay', () => {
    const long = { Name: `_${'a'.repeat(32)}.${'deep.'.repeat(30)}example.com.`, Type: 'CNAME' as const, Value: `_${'b'.repeat(32)}.xlfgrmvvlj.acm-validations.aws.` };
    const d = pending(hoursAgo(30), [dns('example.com', 'PENDING_VALIDATION', long), dns('other.org', 'PENDING_VALIDATION')]);
    expect(d.annotation.length).toBeLessThanOrEqual(256);
    for (const maxLength of [200, 160]) {
      const shorter = d.fitWithin!(maxLength);
      expect(shorter.length).toBeLessThanOrEqual(maxLength);
      expect(shorter).toMatch(/^DNS validation pending for 30 h \(limit 24 h; ACM stops at 72 h\): create CNAME _a+…\S*\.com\. -> _b+…?\S*\.aws\. \(\+1 more CNAME record\)\.$/);
    }
  });

  test('validated by email → NOT_APPLICABLE: this rule judges DNS validation only', () => {
    const d = pending(hoursAgo(50), [{ DomainName: 'example.com', ValidationMethod: 'EMAIL', ValidationStatus: 'PENDING_VALIDATION', ValidationEmails: ['admin@example.com'] }]);
    expect(d).toEqual({ compliance: 'NOT_APPLICABLE', annotation: 'Pending validation by EMAIL; this rule judges DNS validation only.' });
  });

  test('no CreatedAt → fails closed', () => {
    expect(pending(undefined as unknown as Date, [dns('example.com', 'PENDING_VALIDATION')]).compliance).toBe('NON_COMPLIANT');
  });

  test('a certificate validated between listing and description is judged on its new state', () => {
    expect(decideDescribed({ Status: 'ISSUED', Type: 'AMAZON_ISSUED', CreatedAt: hoursAgo(30) }, NOW, params)).toEqual({
      compliance: 'COMPLIANT',
      annotation: 'Issued: domain validation is complete.',
    });
  });
});

describe('decideDescribed: facts missing from DescribeCertificate fail closed', () => {
  const params = { maxPendingHours: 24 };
  test.each([
    ['no Status', { Type: 'AMAZON_ISSUED', CreatedAt: hoursAgo(30) }, 'Could not evaluate: DescribeCertificate returned no Status.'],
    ['an issued certificate without Type', { Status: 'ISSUED', CreatedAt: hoursAgo(30) }, 'Could not evaluate: DescribeCertificate returned status ISSUED without the certificate Type.'],
    ['a pending certificate without Type', { Status: 'PENDING_VALIDATION', CreatedAt: hoursAgo(30) }, 'Could not evaluate: DescribeCertificate returned no certificate Type for a pending certificate.'],
    [
      'pending with no DomainValidationOptions',
      { Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED', CreatedAt: hoursAgo(30) },
      'Could not evaluate: DescribeCertificate returned no DomainValidationOptions for a pending certificate.',
    ],
    [
      'pending with a DNS option without ValidationStatus',
      { Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED', CreatedAt: hoursAgo(30), DomainValidationOptions: [dns('a.example.com', 'PENDING_VALIDATION'), { DomainName: 'b.example.com', ValidationMethod: 'DNS' }] },
      'Could not evaluate: DescribeCertificate returned no validation method or status for b.example.com.',
    ],
    [
      'pending with an option without ValidationMethod',
      { Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED', CreatedAt: hoursAgo(30), DomainValidationOptions: [{ DomainName: 'c.example.com', ValidationStatus: 'PENDING_VALIDATION' }] },
      'Could not evaluate: DescribeCertificate returned no validation method or status for c.example.com.',
    ],
  ] as const)('%s', (_case, detail, annotation) => {
    expect(decideDescribed(detail as never, NOW, params)).toEqual({ compliance: 'NON_COMPLIANT', annotation });
  });

  test('an imported certificate pending validation is not judged on DNS validation', () => {
    expect(decideDescribed({ Status: 'PENDING_VALIDATION', Type: 'IMPORTED', CreatedAt: hoursAgo(30) }, NOW, params).compliance).toBe('NOT_APPLICABLE');
  });
});

describe('shortenMiddle never halves a character', () => {
  test('a surrogate pair at either cut is kept whole or dropped whole', () => {
    const text = `ab\u{1F510}cdefgh\u{1F511}ij`;
    for (let max = 2; max < text.length; max++) {
      const out = shortenMiddle(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});

describe('decideDescribed: a failed request', () => {
  test('NON_COMPLIANT with ACM\'s reason', () => {
    expect(decideDescribed({ Status: 'FAILED', Type: 'AMAZON_ISSUED', FailureReason: 'CAA_ERROR' }, NOW, { maxPendingHours: 24 })).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation: 'Certificate request failed: CAA_ERROR. Fix the cause and request the certificate again.',
    });
  });
});

describe('annotations fit AWS Config\'s 256 characters', () => {
  test('a very long record name is shortened in the middle; the value stays whole', () => {
    const longName = `_${'a'.repeat(32)}.${'deep.'.repeat(40)}example.com.`;
    const value = '_0123456789abcdef0123456789abcdef.xlfgrmvvlj.acm-validations.aws.';
    const text = overdueAnnotation(40, 24, ['x'], [{ name: longName, value }]);
    expect(text.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(text).toContain(value);
    expect(text).toContain(`_${'a'.repeat(32)}.`);
    expect(text).toContain('example.com. ->');
    expect(text).toContain('…');
  });

  test('when both are long, both give way and the text still fits', () => {
    const text = overdueAnnotation(40, 24, ['x'], [{ name: 'n'.repeat(300), value: 'v'.repeat(300) }]);
    expect(text.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(text).toMatch(/create CNAME n+…n+ -> v+…v+\.$/);
  });

  test('shortenMiddle keeps both ends', () => {
    expect(shortenMiddle('abcdefghij', 5)).toBe('ab…ij');
    expect(shortenMiddle('abc', 5)).toBe('abc');
  });
});

test('pendingDnsRecords ignores domains already validated and records not yet published', () => {
  expect(pendingDnsRecords([dns('a.com', 'SUCCESS'), { DomainName: 'b.com', ValidationMethod: 'DNS', ValidationStatus: 'PENDING_VALIDATION' }])).toEqual({ domains: ['b.com'], records: [] });
});

describe('parseParameters', () => {
  test('defaults: 24 hours, no exemption tag', () => {
    expect(parseParameters({})).toEqual({ maxPendingHours: 24, exemptionTagKey: undefined, requestsPerSecond: 8 });
  });
  test.each(['1', '72'])('maxPendingHours=%s is accepted', (v) => {
    expect(parseParameters({ maxPendingHours: v }).maxPendingHours).toBe(Number(v));
  });
  test.each(['0', '73', '1.5', 'a day'])('maxPendingHours=%p is rejected: ACM gives up at 72 hours', (v) => {
    expect(() => parseParameters({ maxPendingHours: v })).toThrow(InvalidParameterError);
    expect(() => parseParameters({ maxPendingHours: v })).toThrow('must be an integer from 1 to 72');
  });
});
