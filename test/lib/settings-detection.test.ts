import { parseSettings, rawSettingsFromContext } from '../../lib/settings';
import { cdkJsonContext } from '../support/app';
import { settingsProblems } from '../support/settings';

const parse = (raw: unknown) => parseSettings(raw);
const problems = settingsProblems;

describe('defaults of the Secrets Manager, ACM and managed rules, and of the management account', () => {
  const s = parse({});

  test('custom rules', () => {
    expect(s.rules.secretsUnusedSecret).toEqual({ enabled: true, unusedForDays: 90, evaluationFrequency: 'TwentyFour_Hours', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: 80 });
    expect(s.rules.acmPendingDnsValidation).toEqual({ enabled: true, maxPendingHours: 24, evaluationFrequency: 'Twelve_Hours', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: 8 });
  });

  test('managed rules: all on, parameters at their documented defaults', () => {
    expect(s.rules.managed).toEqual({
      cmkBackingKeyRotation: { enabled: true, evaluationFrequency: 'TwentyFour_Hours' },
      kmsKeyNotScheduledForDeletion: { enabled: true, evaluationFrequency: 'TwentyFour_Hours' },
      kmsKeyPolicyNoPublicAccess: { enabled: true },
      secretsRotationEnabled: { enabled: true, maximumAllowedRotationFrequency: 90 },
      secretsScheduledRotationSuccess: { enabled: true },
      secretsPeriodicRotation: { enabled: true, maxDaysSinceRotation: 90, evaluationFrequency: 'TwentyFour_Hours' },
      acmCertificateExpiration: { enabled: true, daysToExpiration: 30, evaluationFrequency: 'TwentyFour_Hours' },
      acmCertificateRsa: { enabled: true },
    });
  });

  test('the management account is covered by default (callAs SELF)', () => {
    expect(s.deployment.includeManagementAccount).toBe(true);
  });

  test('cdk.json states every default the schema has, section by section (users tune cdk.json, so it must show what runs)', () => {
    const fromCdkJson = parse(rawSettingsFromContext(cdkJsonContext()));
    for (const section of Object.keys(s) as (keyof typeof s)[]) expect([section, fromCdkJson[section]]).toEqual([section, s[section]]);
  });

  test('cdk.json carries the same defaults', () => {
    const fromCdkJson = parse(rawSettingsFromContext(cdkJsonContext()));
    expect(fromCdkJson.rules.secretsUnusedSecret).toEqual(s.rules.secretsUnusedSecret);
    expect(fromCdkJson.rules.acmPendingDnsValidation).toEqual(s.rules.acmPendingDnsValidation);
    expect(fromCdkJson.rules.managed).toEqual(s.rules.managed);
    expect(fromCdkJson.deployment.includeManagementAccount).toBe(true);
  });
});

describe('-c strings are coerced', () => {
  test('numbers and booleans given on the command line', () => {
    const s = parse(
      rawSettingsFromContext({
        'cryptoMonitoring.rules.secretsUnusedSecret.unusedForDays': '30',
        'cryptoMonitoring.rules.acmPendingDnsValidation.maxPendingHours': '72',
        'cryptoMonitoring.rules.managed.acmCertificateExpiration.daysToExpiration': '14',
        'cryptoMonitoring.rules.managed.acmCertificateRsa.enabled': 'false',
        'cryptoMonitoring.deployment.includeManagementAccount': 'false',
      }),
    );
    expect(s.rules.secretsUnusedSecret.unusedForDays).toBe(30);
    expect(s.rules.acmPendingDnsValidation.maxPendingHours).toBe(72);
    expect(s.rules.managed.acmCertificateExpiration.daysToExpiration).toBe(14);
    expect(s.rules.managed.acmCertificateRsa.enabled).toBe(false);
    expect(s.deployment.includeManagementAccount).toBe(false);
  });
});

describe('bad values are refused, naming key, value and what is allowed', () => {
  test.each([
    [{ rules: { secretsUnusedSecret: { unusedForDays: 0 } } }, 'cryptoMonitoring.rules.secretsUnusedSecret.unusedForDays: got 0; must be an integer from 1 to 365'],
    [{ rules: { secretsUnusedSecret: { unusedForDays: '366' } } }, 'cryptoMonitoring.rules.secretsUnusedSecret.unusedForDays: got 366; must be an integer from 1 to 365'],
    [{ rules: { acmPendingDnsValidation: { maxPendingHours: 73 } } }, 'cryptoMonitoring.rules.acmPendingDnsValidation.maxPendingHours: got 73; must be an integer from 1 to 72'],
    [{ rules: { acmPendingDnsValidation: { evaluationFrequency: 'Daily' } } }, 'cryptoMonitoring.rules.acmPendingDnsValidation.evaluationFrequency: got "Daily"; must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours'],
    [{ rules: { secretsUnusedSecret: { exemptionTagKey: 'aws:reserved' } } }, 'cryptoMonitoring.rules.secretsUnusedSecret.exemptionTagKey: got "aws:reserved"; must be a tag key'],
    [{ rules: { managed: { secretsPeriodicRotation: { maxDaysSinceRotation: 'ninety' } } } }, 'cryptoMonitoring.rules.managed.secretsPeriodicRotation.maxDaysSinceRotation: got "ninety"; must be an integer from 1 to 365'],
    [{ rules: { managed: { acmCertificateExpiration: { daysToExpiration: -1 } } } }, 'cryptoMonitoring.rules.managed.acmCertificateExpiration.daysToExpiration: got -1; must be an integer from 1 to 365'],
    [{ rules: { managed: { acmCertificateRsa: { evaluationFrequency: 'One_Hour' } } } }, 'cryptoMonitoring.rules.managed.acmCertificateRsa: unknown key(s) "evaluationFrequency"; allowed keys: enabled'],
    [{ rules: { managed: { secretsUnused: { enabled: true } } } }, 'cryptoMonitoring.rules.managed: unknown key(s) "secretsUnused"'],
    [{ deployment: { includeManagementAccount: 'yes' } }, 'cryptoMonitoring.deployment.includeManagementAccount: got "yes"; must be true or false'],
    [
      { deployment: { callAs: 'DELEGATED_ADMIN', includeManagementAccount: true } },
      'cryptoMonitoring.deployment.includeManagementAccount: got true; must be false or unset when callAs is DELEGATED_ADMIN',
    ],
  ])('%j', (raw, message) => {
    expect(problems(raw).join('\n')).toContain(message);
  });
});

describe('every rule off is refused when the member template would then be empty', () => {
  const off = () => ({ enabled: false });
  const allOff = () => ({
    kmsUnusedKey: off(),
    secretsUnusedSecret: off(),
    acmPendingDnsValidation: off(),
    managed: Object.fromEntries(Object.keys(parse({}).rules.managed).map((k) => [k, off()])),
  });
  const refused =
    'cryptoMonitoring.rules: got every rule disabled; enable at least one custom or managed rule: with none, and no events forwarded to a central bus ' +
    '(cryptoMonitoring.alerting.centralAccountId and centralRegion), the StackSet would deploy an empty template, which CloudFormation refuses, to every account and region';
  const central = { centralAccountId: '123456789012', centralRegion: 'eu-west-1' };

  test.each([
    ['every rule off', { rules: allOff() }, [refused]],
    ['every rule off, given with -c strings', { rules: JSON.parse(JSON.stringify(allOff()).replace(/false/g, '"false"')) }, [refused]],
    ['every rule off, alerting on but without a central bus', { rules: allOff(), alerting: { enabled: true } }, [refused]],
    ['every rule off, a central bus named but alerting off', { rules: allOff(), alerting: { enabled: false, ...central } }, [refused]],
    ['every rule off, a bad value elsewhere in rules: both', { rules: { ...allOff(), kmsUnusedKey: { enabled: false, unusedForDays: 'x' } } }, [
      'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays: got "x"; must be an integer from 1 to 365',
      refused,
    ]],
    ['every rule off, but events forwarded to the central bus', { rules: allOff(), alerting: central }, []],
    ['one custom rule on', { rules: { ...allOff(), secretsUnusedSecret: { enabled: true } } }, []],
    ['one managed rule on', { rules: { ...allOff(), managed: { ...allOff().managed, acmCertificateRsa: { enabled: true } } } }, []],
    ['the custom rules off, the managed ones on by default', { rules: { kmsUnusedKey: off(), secretsUnusedSecret: off(), acmPendingDnsValidation: off() } }, []],
  ])('%s', (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  test('a rule whose enabled is not a boolean is reported as such, not as every rule off', () => {
    expect(problems({ rules: { ...allOff(), kmsUnusedKey: { enabled: 'no' } } })).toEqual(['cryptoMonitoring.rules.kmsUnusedKey.enabled: got "no"; must be true or false']);
  });
});
