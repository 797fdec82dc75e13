import {
  calendarDaysBetween,
  decideSecretUsage,
  evaluateSecret,
  parseParameters,
  type SecretsUnusedParams,
} from '../../lambda/secrets-unused';
import { InvalidParameterError } from '../../lambda/runtime/parameters';

// Mid-afternoon, so date-only rounding is visible: a day boundary lies between "now" and 24 hours ago.
const NOW = new Date('2026-11-23T15:30:00Z');
const DAY = 86_400_000;
/** LastAccessedDate as Secrets Manager returns it: midnight UTC of the day of the read. */
const accessedDaysAgo = (d: number) => new Date(Date.UTC(2026, 10, 23) - d * DAY);
const createdDaysAgo = (d: number, extraMs = 0) => new Date(NOW.getTime() - d * DAY - extraMs);
const params: SecretsUnusedParams = { unusedForDays: 90, exemptionTagKey: 'keep', requestsPerSecond: 80 };

describe('decideSecretUsage: a secret that has been read', () => {
  test.each([
    ['read today', 0, 'COMPLIANT', 'Last accessed on 2026-11-23 (0 days ago; threshold 90 days).'],
    ['read yesterday', 1, 'COMPLIANT', 'Last accessed on 2026-11-22 (1 day ago; threshold 90 days).'],
    ['read exactly 90 calendar days ago', 90, 'COMPLIANT', 'Last accessed on 2026-08-25 (90 days ago; threshold 90 days).'],
    ['read 91 calendar days ago', 91, 'NON_COMPLIANT', 'Unused for 91 days: last accessed on 2026-08-24 (threshold 90 days).'],
    ['read 400 days ago', 400, 'NON_COMPLIANT', 'Unused for 400 days: last accessed on 2025-10-19 (threshold 90 days).'],
  ])('%s → %s', (_case, days, compliance, annotation) => {
    expect(decideSecretUsage({ lastAccessedDate: accessedDaysAgo(days), createdDate: createdDaysAgo(1000) }, NOW, params)).toEqual({ compliance, annotation });
  });

  test('the date-only value is never held against the secret: 90 days and 15 hours since midnight of the access day is still 90 days', () => {
    // The read may have happened at 23:59 on that day; NOW is 15:30, so at most 90 days and 15.5 hours have passed.
    const decision = decideSecretUsage({ lastAccessedDate: accessedDaysAgo(90), createdDate: createdDaysAgo(1000) }, NOW, params);
    expect(NOW.getTime() - accessedDaysAgo(90).getTime()).toBeGreaterThan(90 * DAY);
    expect(decision.compliance).toBe('COMPLIANT');
  });

  test('a threshold of one day, in the singular', () => {
    expect(decideSecretUsage({ lastAccessedDate: accessedDaysAgo(2), createdDate: createdDaysAgo(10) }, NOW, { unusedForDays: 1 }).annotation).toBe(
      'Unused for 2 days: last accessed on 2026-11-21 (threshold 1 day).',
    );
    expect(decideSecretUsage({ lastAccessedDate: accessedDaysAgo(1), createdDate: createdDaysAgo(10) }, NOW, { unusedForDays: 1 }).compliance).toBe('COMPLIANT');
    expect(decideSecretUsage({ lastAccessedDate: accessedDaysAgo(2), createdDate: createdDaysAgo(10) }, NOW, { unusedForDays: 1 }).compliance).toBe('NON_COMPLIANT');
  });
});

describe('decideSecretUsage: a secret never read', () => {
  test.each([
    ['created an hour ago', 0, 3_600_000, 'COMPLIANT', 'Not accessed yet; created 0 days ago, within the 90-day grace for new secrets.'],
    ['created 89 days ago', 89, 0, 'COMPLIANT', 'Not accessed yet; created 89 days ago, within the 90-day grace for new secrets.'],
    ['created exactly 90 days ago', 90, 0, 'COMPLIANT', 'Not accessed yet; created 90 days ago, within the 90-day grace for new secrets.'],
    ['created 90 days and a second ago', 90, 1000, 'NON_COMPLIANT', 'Never accessed since creation 90 days ago (threshold 90 days).'],
    ['created 365 days ago', 365, 0, 'NON_COMPLIANT', 'Never accessed since creation 365 days ago (threshold 90 days).'],
  ])('%s → %s', (_case, days, extraMs, compliance, annotation) => {
    expect(decideSecretUsage({ createdDate: createdDaysAgo(days, extraMs) }, NOW, params)).toEqual({ compliance, annotation });
  });
});

describe('calendarDaysBetween', () => {
  test.each([
    ['same day', '2026-11-23T00:00:00Z', '2026-11-23T23:59:59Z', 0],
    ['across one midnight', '2026-11-22T23:59:59Z', '2026-11-23T00:00:01Z', 1],
    ['in the future (clock skew)', '2026-11-24T00:00:00Z', '2026-11-23T12:00:00Z', 0],
  ])('%s', (_case, then, now, days) => {
    expect(calendarDaysBetween(new Date(then), new Date(now))).toBe(days);
  });
});

describe('evaluateSecret: from the ListSecrets entry alone', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db/password-AbCdEf';

  test('the result is keyed by the secret ARN, the id AWS Config records for AWS::SecretsManager::Secret', () => {
    expect(evaluateSecret({ ARN: arn, Name: 'db/password', CreatedDate: createdDaysAgo(10) }, NOW, params)?.resourceId).toBe(arn);
  });

  test('scheduled for deletion → NOT_APPLICABLE, whatever its use', () => {
    expect(evaluateSecret({ ARN: arn, CreatedDate: createdDaysAgo(500), DeletedDate: new Date('2026-11-20T08:00:00Z') }, NOW, params)).toEqual({
      resourceId: arn,
      compliance: 'NOT_APPLICABLE',
      annotation: 'Scheduled for deletion (deletion requested on 2026-11-20).',
    });
  });

  test('the exemption tag → NOT_APPLICABLE, even for an unused secret', () => {
    const secret = { ARN: arn, CreatedDate: createdDaysAgo(500), Tags: [{ Key: 'team', Value: 'x' }, { Key: 'keep', Value: '' }] };
    expect(evaluateSecret(secret, NOW, params)).toEqual({ resourceId: arn, compliance: 'NOT_APPLICABLE', annotation: 'Exempt: the secret carries the tag "keep".' });
  });

  test.each([
    ['a date to come', [{ Key: 'keep', Value: '2027-01-31 CHG-42' }], 'NOT_APPLICABLE', 'Exempt until 2027-01-31 (end of day, UTC): the secret carries the tag "keep".'],
    ['a tag without a Value (permanent)', [{ Key: 'keep' }], 'NOT_APPLICABLE', 'Exempt: the secret carries the tag "keep".'],
    ['a day that has ended', [{ Key: 'keep', Value: '2026-11-22' }], 'NON_COMPLIANT', 'Exemption tag "keep" expired on 2026-11-22; Never accessed since creation 500 days ago (threshold 90 days).'],
    [
      'a date that does not exist',
      [{ Key: 'keep', Value: '2027-02-30' }],
      'NON_COMPLIANT',
      'Exemption tag "keep" not honoured: its expiry "2027-02-30" could not be read (expected YYYY-MM-DD at the start of the value); Never accessed since creation 500 days ago (threshold 90 days).',
    ],
  ])('an exemption tag with %s', (_case, Tags, compliance, annotation) => {
    expect(evaluateSecret({ ARN: arn, CreatedDate: createdDaysAgo(500), Tags }, NOW, params)).toEqual({ resourceId: arn, compliance, annotation });
  });

  test('a tag with the exemption key as its value does not exempt', () => {
    const secret = { ARN: arn, CreatedDate: createdDaysAgo(500), Tags: [{ Key: 'purpose', Value: 'keep' }] };
    expect(evaluateSecret(secret, NOW, params)?.compliance).toBe('NON_COMPLIANT');
  });

  test('without an exemption tag key, tags are not consulted', () => {
    const secret = { ARN: arn, CreatedDate: createdDaysAgo(500), Tags: [{ Key: 'keep', Value: '' }] };
    expect(evaluateSecret(secret, NOW, { unusedForDays: 90 })?.compliance).toBe('NON_COMPLIANT');
  });

  test('an entry without an ARN cannot be reported and is skipped', () => {
    expect(evaluateSecret({ Name: 'x', CreatedDate: createdDaysAgo(1) }, NOW, params)).toBeUndefined();
  });

  test.each([
    ['never read and no CreatedDate: the grace period is unknown, so it fails closed', { ARN: arn }, 'NON_COMPLIANT', 'Could not evaluate: ListSecrets returned neither LastAccessedDate nor CreatedDate for this secret.'],
    ['no CreatedDate, read 3 days ago: the read decides', { ARN: arn, LastAccessedDate: accessedDaysAgo(3) }, 'COMPLIANT', 'Last accessed on 2026-11-20 (3 days ago; threshold 90 days).'],
    ['no CreatedDate, read 120 days ago: the read decides', { ARN: arn, LastAccessedDate: accessedDaysAgo(120) }, 'NON_COMPLIANT', 'Unused for 120 days: last accessed on 2026-07-26 (threshold 90 days).'],
  ] as const)('%s', (_case, secret, compliance, annotation) => {
    expect(evaluateSecret(secret, NOW, params)).toEqual({ resourceId: arn, compliance, annotation });
  });
});

describe('parseParameters', () => {
  test('defaults: 90 days, no exemption tag', () => {
    expect(parseParameters({})).toEqual({ unusedForDays: 90, exemptionTagKey: undefined, requestsPerSecond: 80 });
  });

  test('string values as AWS Config delivers them', () => {
    expect(parseParameters({ unusedForDays: ' 30 ', exemptionTagKey: 'keep' })).toEqual({ unusedForDays: 30, exemptionTagKey: 'keep', requestsPerSecond: 80 });
  });

  test.each(['0', '366', '12.5', 'ninety', '-1'])('unusedForDays=%p is rejected, naming the parameter and the range', (value) => {
    expect(() => parseParameters({ unusedForDays: value })).toThrow(InvalidParameterError);
    expect(() => parseParameters({ unusedForDays: value })).toThrow(`Invalid rule parameter unusedForDays=${JSON.stringify(value)}: must be an integer from 1 to 365`);
  });

  test('an exemption tag key longer than 128 characters is rejected', () => {
    expect(() => parseParameters({ exemptionTagKey: 'k'.repeat(129) })).toThrow(/exemptionTagKey/);
  });
});
