import { exemptionDecision, readExemptionTag, withLapsedExemption, type ExemptionTag } from '../../../lambda/runtime/exemption';
import { MAX_ANNOTATION_LENGTH, type Decision } from '../../../lambda/runtime/evaluation';

// Noon UTC: "today" is 2026-11-23 whatever the machine's time zone.
const NOW = new Date('2026-11-23T12:00:00Z');

describe('readExemptionTag: the decision table', () => {
  test.each<[string, string | undefined, ExemptionTag]>([
    // A valid YYYY-MM-DD first: honoured through the end of that day (UTC), not after.
    ['a future date', '2027-03-31', { status: 'until', lastDay: '2027-03-31' }],
    ['today (still honoured until midnight UTC)', '2026-11-23', { status: 'until', lastDay: '2026-11-23' }],
    ['yesterday (expired)', '2026-11-22', { status: 'expired', lastDay: '2026-11-22' }],
    ['long past', '2020-01-01', { status: 'expired', lastDay: '2020-01-01' }],
    ['a date then free text', '2027-03-31 SEC-1234 migration', { status: 'until', lastDay: '2027-03-31' }],
    ['a date then a tab and free text', '2027-03-31\tSEC-1234', { status: 'until', lastDay: '2027-03-31' }],
    ['an expired date then free text', '2026-10-01 SEC-1234', { status: 'expired', lastDay: '2026-10-01' }],
    ['leading whitespace is ignored', '  2027-03-31', { status: 'until', lastDay: '2027-03-31' }],
    ['leading whitespace before an expired date', ' 2026-10-01', { status: 'expired', lastDay: '2026-10-01' }],
    ['trailing whitespace', '2027-03-31  ', { status: 'until', lastDay: '2027-03-31' }],
    ['29 February of a leap year', '2028-02-29', { status: 'until', lastDay: '2028-02-29' }],
    ['29 February of 2000 (a leap century)', '2000-02-29', { status: 'expired', lastDay: '2000-02-29' }],
    // Looks like a date but cannot be read: fail closed.
    ['30 February', '2027-02-30', { status: 'unreadable', found: '2027-02-30' }],
    ['29 February of a common year', '2027-02-29', { status: 'unreadable', found: '2027-02-29' }],
    ['29 February of 2100 (not a leap year)', '2100-02-29', { status: 'unreadable', found: '2100-02-29' }],
    ['month 13', '2027-13-01', { status: 'unreadable', found: '2027-13-01' }],
    ['month 00', '2027-00-10', { status: 'unreadable', found: '2027-00-10' }],
    ['day 00', '2027-04-00', { status: 'unreadable', found: '2027-04-00' }],
    ['31 April', '2027-04-31 SEC-1', { status: 'unreadable', found: '2027-04-31' }],
    ['day first with slashes', '31/12/2027', { status: 'unreadable', found: '31/12/2027' }],
    ['year first with slashes', '2027/12/31', { status: 'unreadable', found: '2027/12/31' }],
    ['month first with dots', '12.31.2027', { status: 'unreadable', found: '12.31.2027' }],
    ['a two-digit year', '31/12/27 SEC-1', { status: 'unreadable', found: '31/12/27' }],
    ['no zero padding', '2027-3-31', { status: 'unreadable', found: '2027-3-31' }],
    ['a month without a day', '2027-12', { status: 'unreadable', found: '2027-12' }],
    ['a date-time', '2027-03-31T23:59:59Z', { status: 'unreadable', found: '2027-03-31T23:59:59Z' }],
    ['a date glued to punctuation', '2027-03-31,SEC-1234', { status: 'unreadable', found: '2027-03-31,SEC-1234' }],
    ['a date not first in the value', 'until 2027-03-31', { status: 'unreadable', found: '2027-03-31' }],
    ['another form not first in the value', 'approved, ends 31.12.2027', { status: 'unreadable', found: '31.12.2027' }],
    ['an unreadable first word is quoted back shortened', `2027-03-31T${'9'.repeat(60)}`, { status: 'unreadable', found: `2027-03-31T${'9'.repeat(28)}…` }],
    // Anything else: a permanent exemption, as before expiries existed.
    ['"true"', 'true', { status: 'permanent' }],
    ['"yes"', 'yes', { status: 'permanent' }],
    ['an empty value', '', { status: 'permanent' }],
    ['no Value in the answer', undefined, { status: 'permanent' }],
    ['only whitespace', '   ', { status: 'permanent' }],
    ['free text', 'approved by security', { status: 'permanent' }],
    ['a ticket id', 'SEC-1234', { status: 'permanent' }],
    ['a version', 'v1.2.3', { status: 'permanent' }],
    ['an IPv4 address', 'shared with 10.0.0.1', { status: 'permanent' }],
    ['a year and a number', 'ticket 2024-117', { status: 'permanent' }],
    ['eight digits without separators', '20270331', { status: 'permanent' }],
  ])('%s: %j', (_case, value, expected) => {
    expect(readExemptionTag(value, NOW)).toEqual(expected);
  });

  test.each<[string, string, ExemptionTag['status']]>([
    ['the last millisecond of the day', '2026-11-23T23:59:59.999Z', 'until'],
    ['the first millisecond of the next day', '2026-11-24T00:00:00.000Z', 'expired'],
    ['the first millisecond of the day', '2026-11-23T00:00:00.000Z', 'until'],
  ])('2026-11-23 at %s (%s) → %s: days end at midnight UTC', (_case, now, status) => {
    expect(readExemptionTag('2026-11-23', new Date(now)).status).toBe(status);
  });

  test('the date is judged against the time it is given, not the machine clock', () => {
    expect(readExemptionTag('2020-06-30', new Date('2020-06-30T18:00:00Z')).status).toBe('until');
    expect(readExemptionTag('2099-06-30', new Date('2099-07-01T00:00:00Z')).status).toBe('expired');
  });
});

describe('exemptionDecision', () => {
  test('a permanent exemption keeps the existing wording', () => {
    expect(exemptionDecision('key', 'crypto-monitoring:exempt', { status: 'permanent' })).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt: the key carries the tag "crypto-monitoring:exempt".',
    });
    expect(exemptionDecision('secret', 'keep')).toEqual({ compliance: 'NOT_APPLICABLE', annotation: 'Exempt: the secret carries the tag "keep".' });
  });

  test('a dated exemption says until when', () => {
    expect(exemptionDecision('certificate', 'crypto-monitoring:exempt', { status: 'until', lastDay: '2027-03-31' })).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt until 2027-03-31 (end of day, UTC): the certificate carries the tag "crypto-monitoring:exempt".',
    });
  });
});

describe('withLapsedExemption', () => {
  const failing: Decision = { compliance: 'NON_COMPLIANT', annotation: 'Unused for 120 days: last used for Decrypt on 2026-07-26 (threshold 90 days).' };

  test('an expired exemption names its date ahead of the failing annotation', () => {
    expect(withLapsedExemption(failing, 'crypto-monitoring:exempt', { status: 'expired', lastDay: '2026-10-01' })).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation: 'Exemption tag "crypto-monitoring:exempt" expired on 2026-10-01; Unused for 120 days: last used for Decrypt on 2026-07-26 (threshold 90 days).',
    });
  });

  test('an unreadable expiry names what was found and the expected format', () => {
    expect(withLapsedExemption(failing, 'keep', { status: 'unreadable', found: '31/12/2027' })).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation:
        'Exemption tag "keep" not honoured: its expiry "31/12/2027" could not be read (expected YYYY-MM-DD at the start of the value); Unused for 120 days: last used for Decrypt on 2026-07-26 (threshold 90 days).',
    });
  });

  test.each<Decision>([
    { compliance: 'COMPLIANT', annotation: 'Last used for Decrypt on 2026-11-20 (3 days ago; threshold 90 days).' },
    { compliance: 'NOT_APPLICABLE', annotation: 'Key state is Disabled; only enabled keys are judged on use.' },
  ])('a $compliance result is left as it is', (decision) => {
    expect(withLapsedExemption(decision, 'keep', { status: 'expired', lastDay: '2026-10-01' })).toBe(decision);
    expect(withLapsedExemption(decision, 'keep', { status: 'unreadable', found: '2027-02-30' })).toBe(decision);
  });

  test('a result that could not be evaluated keeps its annotation (the runtime counts those by how it starts)', () => {
    const couldNot: Decision = { compliance: 'NON_COMPLIANT', annotation: 'Could not evaluate: DescribeKey returned no key state.' };
    expect(withLapsedExemption(couldNot, 'keep', { status: 'expired', lastDay: '2026-10-01' })).toBe(couldNot);
  });

  test('an honoured tag adds nothing', () => {
    expect(withLapsedExemption(failing, 'keep', { status: 'permanent' })).toBe(failing);
    expect(withLapsedExemption(failing, 'keep', { status: 'until', lastDay: '2027-01-01' })).toBe(failing);
  });

  test('a rule annotation shaped to the limit is built again to fit after the reason, when the rule can', () => {
    const fitWithin = jest.fn((maxLength: number) => `rebuilt within ${maxLength}`);
    const full: Decision = { compliance: 'NON_COMPLIANT', annotation: 'x'.repeat(256), fitWithin };
    const out = withLapsedExemption(full, 'keep', { status: 'expired', lastDay: '2026-10-01' });
    const why = 'Exemption tag "keep" expired on 2026-10-01; ';
    expect(fitWithin).toHaveBeenCalledWith(256 - why.length);
    expect(out).toEqual({ compliance: 'NON_COMPLIANT', annotation: `${why}rebuilt within ${256 - why.length}` });
    // Not when it fits anyway, nor when too little room would be left for it to say anything.
    fitWithin.mockClear();
    expect(withLapsedExemption({ ...full, annotation: 'short' }, 'keep', { status: 'expired', lastDay: '2026-10-01' }).annotation).toBe(`${why}short`);
    expect(withLapsedExemption(full, 'k'.repeat(128), { status: 'unreadable', found: '2027-02-30' }).annotation).toMatch(/x…$/);
    expect(fitWithin).not.toHaveBeenCalled();
  });

  test('the whole fits the annotation limit: the reason stays, the end of the rule annotation gives way', () => {
    const longKey = 'k'.repeat(128);
    const full: Decision = { compliance: 'NON_COMPLIANT', annotation: `DNS validation pending for 30 h: create CNAME ${'x'.repeat(200)}.` };
    const out = withLapsedExemption(full, longKey, { status: 'unreadable', found: '2027-02-30' });
    expect(out.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(out.annotation).toMatch(new RegExp(`^Exemption tag "${longKey}" not honoured: its expiry "2027-02-30" could not be read \\(expected YYYY-MM-DD`));
    expect(out.annotation.endsWith('…')).toBe(true);
    expect(exemptionDecision('certificate', longKey, { status: 'until', lastDay: '2027-03-31' }).annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });
});
