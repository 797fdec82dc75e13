import { decideKeyUsage, keyUsageFrom, parseParameters, stateDecision, type KeyUsage } from '../../lambda/kms-unused-keys';
import { exemptionDecision } from '../../lambda/runtime/exemption';
import { InvalidParameterError } from '../../lambda/runtime/parameters';

const DAY = 86_400_000;
const NOW = new Date('2026-11-23T12:00:00Z');
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);
const T = { unusedForDays: 90 };

const tracking = ago(210); // tracking began 210 days before NOW
const oldKey = ago(400); // created before tracking began

function usage(u: Partial<KeyUsage>): KeyUsage {
  return { trackingStartDate: tracking, keyCreationDate: oldKey, ...u };
}

describe('decideKeyUsage: every branch and its boundaries (T = 90 days)', () => {
  test.each<[string, KeyUsage, string, RegExp]>([
    ['used yesterday', usage({ lastOperation: 'Decrypt', lastUsedAt: ago(1) }), 'COMPLIANT', /^Last used for Decrypt on 2026-11-22 \(1 day ago; threshold 90 days\)\.$/],
    ['used exactly T days ago', usage({ lastOperation: 'Sign', lastUsedAt: ago(90) }), 'COMPLIANT', /Last used for Sign .*90 days ago/],
    ['used T-1 days ago', usage({ lastOperation: 'Encrypt', lastUsedAt: ago(89) }), 'COMPLIANT', /89 days ago/],
    ['used T days and 1 ms ago', usage({ lastOperation: 'Decrypt', lastUsedAt: ago(90, 1) }), 'NON_COMPLIANT', /^Unused for 90 days: last used for Decrypt on/],
    ['used T+1 days ago', usage({ lastOperation: 'GenerateDataKey', lastUsedAt: ago(91) }), 'NON_COMPLIANT', /^Unused for 91 days: last used for GenerateDataKey on 2026-08-24 \(threshold 90 days\)\.$/],
    ['used 120 days ago', usage({ lastOperation: 'ReEncrypt', lastUsedAt: ago(120) }), 'NON_COMPLIANT', /Unused for 120 days/],
    ['never used, created after tracking, 10 days old', usage({ keyCreationDate: ago(10) }), 'COMPLIANT', /^Not used yet; created 10 days ago, within the 90-day grace for new keys\.$/],
    ['never used, created after tracking, exactly T days old', usage({ keyCreationDate: ago(90) }), 'COMPLIANT', /within the 90-day grace/],
    ['never used, created after tracking, T+1 days old', usage({ keyCreationDate: ago(91) }), 'NON_COMPLIANT', /^Never used since creation 91 days ago \(threshold 90 days\)\.$/],
    ['never used, created the instant tracking began', usage({ keyCreationDate: tracking }), 'NON_COMPLIANT', /Never used since creation 210 days ago/],
    ['no record, key predates tracking that began > T days ago', usage({}), 'NON_COMPLIANT', /^No recorded use since tracking began on 2026-04-27 \(210 days ago; threshold 90 days\)\.$/],
    ['no record, key predates tracking that began T+1 days ago', usage({ trackingStartDate: ago(91) }), 'NON_COMPLIANT', /No recorded use since tracking began .*91 days ago/],
    ['no record, key predates tracking that began exactly T days ago', usage({ trackingStartDate: ago(90) }), 'NOT_APPLICABLE', /use before tracking is unknown/],
    ['no record, key predates tracking that began 30 days ago', usage({ trackingStartDate: ago(30) }), 'NOT_APPLICABLE', /^No use recorded since tracking began on .* \(30 days ago\); use before tracking is unknown, so the key is judged once tracking covers 90 days\.$/],
  ])('%s → %s', (_name, u, compliance, annotation) => {
    const d = decideKeyUsage(u, NOW, T);
    expect(d.compliance).toBe(compliance);
    expect(d.annotation).toMatch(annotation);
    expect(d.annotation.length).toBeLessThanOrEqual(256);
  });

  test('a different threshold moves the boundary', () => {
    expect(decideKeyUsage(usage({ lastOperation: 'Decrypt', lastUsedAt: ago(8) }), NOW, { unusedForDays: 7 }).compliance).toBe('NON_COMPLIANT');
    expect(decideKeyUsage(usage({ lastOperation: 'Decrypt', lastUsedAt: ago(8) }), NOW, { unusedForDays: 365 }).compliance).toBe('COMPLIANT');
  });
});

describe('stateDecision', () => {
  test.each(['Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'PendingReplicaDeletion', 'Creating'])('%s → NOT_APPLICABLE naming the state', (state) => {
    const d = stateDecision(state);
    expect(d?.compliance).toBe('NOT_APPLICABLE');
    expect(d?.annotation).toContain(`Key state is ${state}`);
  });
  test.each([
    [undefined, 'Could not evaluate: DescribeKey returned no key state.'],
    ['', 'Could not evaluate: DescribeKey returned no key state.'],
    ['Archived', 'Could not evaluate: DescribeKey returned the unknown key state "Archived".'],
  ])('%p → could not evaluate (fail closed, never NOT_APPLICABLE)', (state, annotation) => {
    expect(stateDecision(state)).toEqual({ compliance: 'NON_COMPLIANT', annotation });
  });

  test.each(['Enabled', 'Updating'])('%s keys are judged on use', (state) => {
    expect(stateDecision(state)).toBeUndefined();
  });
});

test('exemption names the tag', () => {
  expect(exemptionDecision('key', 'crypto-monitoring:exempt')).toEqual({ compliance: 'NOT_APPLICABLE', annotation: 'Exempt: the key carries the tag "crypto-monitoring:exempt".' });
});

describe('parseParameters', () => {
  test('defaults when AWS Config passes none', () => {
    expect(parseParameters({})).toEqual({ unusedForDays: 90, exemptionTagKey: undefined, requestsPerSecond: 4 });
  });
  test('string values as AWS Config sends them', () => {
    expect(parseParameters({ unusedForDays: '30', exemptionTagKey: 'keep', requestsPerSecond: '2.5' })).toEqual({ unusedForDays: 30, exemptionTagKey: 'keep', requestsPerSecond: 2.5 });
  });
  test.each(['0', '366', 'abc', '12.5', '-1'])('unusedForDays=%s is rejected with the parameter named', (v) => {
    expect(() => parseParameters({ unusedForDays: v })).toThrow(InvalidParameterError);
    expect(() => parseParameters({ unusedForDays: v })).toThrow(`Invalid rule parameter unusedForDays="${v}": must be an integer from 1 to 365`);
  });
});

describe('keyUsageFrom: what GetKeyLastUsage answered, checked', () => {
  const tracking = new Date('2026-04-27T00:00:00Z');
  const created = new Date('2025-01-01T00:00:00Z');
  test.each([
    ['no KeyLastUsage: never used since tracking began', {}, { lastOperation: undefined, lastUsedAt: undefined }],
    ['an empty KeyLastUsage: the same', { KeyLastUsage: {} }, { lastOperation: undefined, lastUsedAt: undefined }],
    ['a use with its time', { KeyLastUsage: { Operation: 'Decrypt', Timestamp: new Date('2026-11-01T00:00:00Z') } }, { lastOperation: 'Decrypt', lastUsedAt: new Date('2026-11-01T00:00:00Z') }],
  ])('%s', (_case, usage, expected) => {
    expect(keyUsageFrom({ ...usage, TrackingStartDate: tracking, KeyCreationDate: created }, undefined)).toEqual({ ...expected, trackingStartDate: tracking, keyCreationDate: created });
  });
  test.each([
    ['a use named without its time', { KeyLastUsage: { Operation: 'Sign' }, TrackingStartDate: tracking, KeyCreationDate: created }, 'Could not evaluate: GetKeyLastUsage reported a use without its Timestamp.'],
    ['no creation date from either call', { TrackingStartDate: tracking }, 'Could not evaluate: neither GetKeyLastUsage nor DescribeKey returned the key creation date.'],
  ])('%s → could not evaluate', (_case, answer, annotation) => {
    expect(keyUsageFrom(answer, undefined)).toEqual({ compliance: 'NON_COMPLIANT', annotation });
  });
  test('the creation date from DescribeKey serves when GetKeyLastUsage leaves it out', () => {
    expect(keyUsageFrom({ TrackingStartDate: tracking }, created)).toMatchObject({ keyCreationDate: created });
  });
});
