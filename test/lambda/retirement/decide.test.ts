/** The retirement decision as a table: one row per situation, the step it allows (or none) and why. */
import { mayRunStep, type KeyFacts, type ResourceFacts, type SecretFacts, type UseAttempt } from '../../../lambda/retirement/decide';
import { lookupStart } from '../../../lambda/retirement/cloudtrail';
import { MAX_OBSERVATION_DAYS } from '../../../lambda/retirement/environment';
import { TAGS } from '../../../lambda/retirement/tags';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const SETTINGS = { exemptionTagKey: 'crypto-monitoring:exempt', observationDays: 30 };

const unused = { compliance: 'NON_COMPLIANT' as const, annotation: 'Unused for 200 days: last used for Decrypt on 2026-05-07 (threshold 90 days).' };
const quarantined = (daysAgo: number, extra: Record<string, string> = {}) => ({ [TAGS.quarantinedAt]: ago(daysAgo).toISOString(), ...extra });
const quiet = (days: number) => ({ from: ago(days), to: NOW, attempts: [] as UseAttempt[] });
const attempt: UseAttempt = { time: ago(3), eventName: 'Decrypt', caller: 'arn:aws:sts::111122223333:assumed-role/App/i-1', errorCode: 'DisabledException' };

const key = (f: Partial<KeyFacts> = {}): KeyFacts => ({ kind: 'kms-key', exists: true, keyManager: 'CUSTOMER', keyState: 'Enabled', tags: {}, ruleResult: unused, ...f });
const secret = (f: Partial<SecretFacts> = {}): SecretFacts => ({
  kind: 'secret',
  exists: true,
  tags: {},
  lastAccessedDate: new Date('2026-04-01T00:00:00Z'),
  quarantineStatementPresent: false,
  ruleResult: { compliance: 'NON_COMPLIANT', annotation: 'Unused for 236 days: last accessed on 2026-04-01.' },
  ...f,
});
/** A quarantined secret whose recorded LastAccessedDate still matches. */
const quarantinedSecret = (daysAgo: number, f: Partial<SecretFacts> = {}) =>
  secret({ tags: quarantined(daysAgo, { [TAGS.lastAccessedAtQuarantine]: '2026-04-01' }), quarantineStatementPresent: true, ...f });

type Row = [string, ResourceFacts, 'quarantine' | 'retire' | 'none', RegExp];

const TABLE: Row[] = [
  // KMS: starting the path
  ['unused enabled key, not tagged', key(), 'quarantine', /NON_COMPLIANT: "Unused for 200 days/],
  ['enabled key the rule reports COMPLIANT', key({ ruleResult: { compliance: 'COMPLIANT', annotation: 'Last used for Decrypt' } }), 'none', /result is COMPLIANT .* not NON_COMPLIANT/],
  ['annotation no longer NON_COMPLIANT (NOT_APPLICABLE)', key({ ruleResult: { compliance: 'NOT_APPLICABLE' } }), 'none', /result is NOT_APPLICABLE/],
  ['no result of the rule', key({ ruleResult: undefined }), 'none', /holds no result/],
  ['AWS managed key (never)', key({ keyManager: 'AWS' }), 'none', /AWS managed key.*never/],
  ['exempt key (permanent tag)', key({ tags: { 'crypto-monitoring:exempt': 'true' } }), 'none', /^Exempt: .*never touched/],
  ['exempt key until a later day', key({ tags: { 'crypto-monitoring:exempt': '2027-03-31 SEC-1' } }), 'none', /^Exempt until 2027-03-31/],
  ['expired exemption is no exemption', key({ tags: { 'crypto-monitoring:exempt': '2026-10-01' } }), 'quarantine', /NON_COMPLIANT/],
  ['unreadable exemption expiry is no exemption', key({ tags: { 'crypto-monitoring:exempt': '31/12/2027' } }), 'quarantine', /NON_COMPLIANT/],
  ['deleted key', key({ exists: false }), 'none', /no longer exists/],
  ['key pending import (no material)', key({ keyState: 'PendingImport' }), 'none', /PendingImport/],
  ['key already pending deletion', key({ keyState: 'PendingDeletion', deletionDate: ago(-10), tags: quarantined(40) }), 'none', /Already scheduled .*CancelKeyDeletion/],
  ['key being created or unavailable', key({ keyState: 'Unavailable' }), 'none', /Key state Unavailable/],
  ['multi-Region primary with replicas', key({ multiRegionKeyType: 'PRIMARY', replicaCount: 2 }), 'none', /primary key with 2 replicas: retire the replicas first/],
  ['multi-Region primary without replicas', key({ multiRegionKeyType: 'PRIMARY', replicaCount: 0 }), 'quarantine', /NON_COMPLIANT/],
  ['multi-Region replica (its own key in its Region)', key({ multiRegionKeyType: 'REPLICA' }), 'quarantine', /NON_COMPLIANT/],
  ['key disabled by its owner, not tagged', key({ keyState: 'Disabled', ruleResult: { compliance: 'NOT_APPLICABLE' } }), 'none', /not by this path/],
  // KMS: after quarantine
  ['quarantined 10 of 30 days', key({ keyState: 'Disabled', tags: quarantined(10), evidence: quiet(10) }), 'none', /\(10 of 30 days\): retirement is possible from 2026-12-13/],
  ['quarantined 30 days, quiet', key({ keyState: 'Disabled', tags: quarantined(30), evidence: quiet(30), ruleResult: { compliance: 'NOT_APPLICABLE' } }), 'retire', /no attempt .* \(30 days\)/],
  ['quarantined 45 days, an attempt seen (DisabledException)', key({ keyState: 'Disabled', tags: quarantined(45), evidence: { ...quiet(45), attempts: [attempt] } }), 'none', /1 attempt to use the key .*Decrypt \(DisabledException\) by arn:aws:sts::111122223333:assumed-role\/App\/i-1/],
  ['quarantined, two attempts: first and last named', key({ keyState: 'Disabled', tags: quarantined(45), evidence: { ...quiet(45), attempts: [attempt, { ...attempt, time: ago(20), eventName: 'GenerateDataKey' }] } }), 'none', /2 attempts .*GenerateDataKey.*; last Decrypt/],
  ['quarantined, re-enabled by its owner (state changed)', key({ keyState: 'Enabled', tags: quarantined(40), evidence: quiet(40) }), 'none', /Re-enabled after its quarantine/],
  ['quarantined, CloudTrail not readable', key({ keyState: 'Disabled', tags: quarantined(40), evidenceError: 'AccessDeniedException on LookupEvents' }), 'none', /could not be read \(AccessDeniedException/],
  ['quarantined, CloudTrail covers less than the observation', key({ keyState: 'Disabled', tags: quarantined(40), evidence: { from: ago(20), to: NOW, attempts: [] } }), 'none', /covered only 20\.0 days/],
  ['quarantined 120 days ago: the last 90 days suffice', key({ keyState: 'Disabled', tags: quarantined(120), evidence: quiet(90) }), 'retire', /\(90 days\)/],
  ['quarantined, rule reports it COMPLIANT again', key({ keyState: 'Disabled', tags: quarantined(40), evidence: quiet(40), ruleResult: { compliance: 'COMPLIANT', annotation: 'Last used' } }), 'none', /now reports the key COMPLIANT/],
  ['quarantined, then exempted', key({ keyState: 'Disabled', tags: { ...quarantined(40), 'crypto-monitoring:exempt': 'true' }, evidence: quiet(40) }), 'none', /^Exempt/],
  ['quarantine tag not written by the path', key({ keyState: 'Disabled', tags: { [TAGS.quarantinedAt]: 'yesterday' } }), 'none', /holds "yesterday"/],
  ['quarantined key in an external key store', key({ keyState: 'Disabled', tags: quarantined(40), evidence: quiet(40), customKeyStoreId: 'cks-1234567890abcdef0' }), 'none', /custom key store cks-1234567890abcdef0: it stays quarantined/],
  ['enabled key in a custom key store may be quarantined', key({ customKeyStoreId: 'cks-1234567890abcdef0' }), 'quarantine', /NON_COMPLIANT/],
  // Secrets: starting the path
  ['unused secret, not tagged', secret(), 'quarantine', /NON_COMPLIANT: "Unused for 236 days/],
  ['secret read recently (COMPLIANT)', secret({ ruleResult: { compliance: 'COMPLIANT', annotation: 'Last accessed on 2026-11-20' } }), 'none', /result is COMPLIANT/],
  ['exempt secret', secret({ tags: { 'crypto-monitoring:exempt': '' } }), 'none', /^Exempt:/],
  ['deleted secret', secret({ exists: false }), 'none', /no longer exists/],
  ['secret already scheduled for deletion', secret({ deletedDate: ago(1) }), 'none', /RestoreSecret/],
  // Secrets: after quarantine
  ['secret quarantined 29 days', quarantinedSecret(29, { evidence: quiet(29) }), 'none', /29 of 30 days/],
  ['secret quarantined 31 days, quiet', quarantinedSecret(31, { evidence: quiet(31) }), 'retire', /no attempt to use the secret/],
  ['secret read (LastAccessedDate moved)', quarantinedSecret(31, { evidence: quiet(31), lastAccessedDate: ago(2) }), 'none', /Read since its quarantine: LastAccessedDate is 2026-11-21, it was 2026-04-01/],
  ['secret read attempt denied by the quarantine', quarantinedSecret(31, { evidence: { ...quiet(31), attempts: [{ time: ago(5), eventName: 'GetSecretValue', caller: 'arn:aws:iam::111122223333:user/ci', errorCode: 'AccessDenied' }] } }), 'none', /GetSecretValue \(AccessDenied\) by arn:aws:iam::111122223333:user\/ci/],
  ['secret policy statement removed (state changed)', quarantinedSecret(31, { evidence: quiet(31), quarantineStatementPresent: false }), 'none', /no longer in the resource policy/],
  ['secret never read, quarantined as never read', quarantinedSecret(31, { evidence: quiet(31), lastAccessedDate: null, tags: quarantined(31, { [TAGS.lastAccessedAtQuarantine]: 'never' }) }), 'retire', /no attempt/],
  ['secret missing its recorded LastAccessedDate', quarantinedSecret(31, { evidence: quiet(31), tags: quarantined(31) }), 'none', /is missing/],
  ['secret exempted during observation', quarantinedSecret(31, { evidence: quiet(31), tags: quarantined(31, { [TAGS.lastAccessedAtQuarantine]: '2026-04-01', 'crypto-monitoring:exempt': '2027-01-31' }) }), 'none', /^Exempt until 2027-01-31/],
];

describe('mayRunStep: which retirement step may run now', () => {
  test.each(TABLE.map(([name, facts, step, reason]) => [`${name} → ${step}`, facts, step, reason] as Row))('%s', (_name, facts, step, reason) => {
    const d = mayRunStep(facts, NOW, SETTINGS);
    expect(d.step).toBe(step);
    expect(d.mayRun).toBe(step !== 'none');
    expect(d.reason).toMatch(reason);
  });

  test('an unfinished observation says when retirement becomes possible', () => {
    const d = mayRunStep(key({ keyState: 'Disabled', tags: quarantined(10) }), NOW, SETTINGS);
    expect(d).toMatchObject({ mayRun: false, notBefore: new Date('2026-12-13T12:00:00Z') });
  });

  test('the observation period is a setting', () => {
    const facts = key({ keyState: 'Disabled', tags: quarantined(10), evidence: quiet(10) });
    expect(mayRunStep(facts, NOW, { ...SETTINGS, observationDays: 7 }).step).toBe('retire');
    expect(mayRunStep(facts, NOW, { ...SETTINGS, observationDays: 11 }).step).toBe('none');
  });

  test('the exemption tag key is the rule\'s own', () => {
    const facts = key({ tags: { 'team:keep': 'true' } });
    expect(mayRunStep(facts, NOW, SETTINGS).step).toBe('quarantine');
    expect(mayRunStep(facts, NOW, { ...SETTINGS, exemptionTagKey: 'team:keep' }).step).toBe('none');
  });

  test('the decision is pure: same facts, same answer, no input changed', () => {
    const facts = quarantinedSecret(31, { evidence: quiet(31) });
    const copy = structuredClone(facts);
    expect(mayRunStep(facts, NOW, SETTINGS)).toEqual(mayRunStep(facts, NOW, SETTINGS));
    expect(facts).toEqual(copy);
  });
});

describe('every observation the settings allow can end in a retirement', () => {
  // The evidence window as the step-runner reads CloudTrail (lookupStart), for a key quarantined
  // exactly the observation ago, and for one quarantined long before (the lookup reaches 90 days back).
  test.each([7, 30, MAX_OBSERVATION_DAYS])('%i days', (days) => {
    for (const since of [days, days + 0.5, 200]) {
      const from = lookupStart(ago(since), NOW);
      const decision = mayRunStep(key({ keyState: 'Disabled', tags: quarantined(since), evidence: { from, to: NOW, attempts: [] } }), NOW, { ...SETTINGS, observationDays: days });
      expect([since, decision.step]).toEqual([since, 'retire']);
    }
  });

  test('the settings stop at the longest observation CloudTrail can cover: 90 days never could', () => {
    expect(MAX_OBSERVATION_DAYS).toBe(89);
    const from = lookupStart(ago(90), NOW);
    expect(mayRunStep(key({ keyState: 'Disabled', tags: quarantined(90), evidence: { from, to: NOW, attempts: [] } }), NOW, { ...SETTINGS, observationDays: 90 }).reason).toMatch(/covered only/);
  });
});
