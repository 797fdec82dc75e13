import { editDistance, parseSettings, rawSettingsFromContext, settingsFromContext } from '../../lib/settings';
import { cdkJsonContext } from '../support/app';
import { contextProblems, settingsProblems } from '../support/settings';

const problems = settingsProblems;

describe('settings defaults', () => {
  const s = parseSettings({});

  test('deployment defaults cover the whole organization in the deploy region', () => {
    expect(s.deployment).toMatchObject({
      targetOrganizationalUnitIds: [],
      targetRegions: [],
      regionOrder: [],
      callAs: 'SELF',
      regionConcurrency: 'PARALLEL',
      maxConcurrentPercentage: 25,
      failureTolerancePercentage: 10,
      concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      retainStacksOnAccountRemoval: false,
      logRetentionDays: 365,
    });
  });

  test('the KMS rule defaults', () => {
    expect(s.rules.kmsUnusedKey).toEqual({
      enabled: true,
      unusedForDays: 90,
      evaluationFrequency: 'TwentyFour_Hours',
      exemptionTagKey: 'crypto-monitoring:exempt',
      // 80% of GetKeyLastUsage's documented quota of 5 requests per second.
      requestsPerSecond: 4,
    });
  });
});

describe('values from `cdk -c` arrive as strings and are coerced', () => {
  test.each([
    ['cryptoMonitoring.rules.kmsUnusedKey.unusedForDays', '30', (s: any) => s.rules.kmsUnusedKey.unusedForDays, 30],
    ['cryptoMonitoring.rules.kmsUnusedKey.enabled', 'false', (s: any) => s.rules.kmsUnusedKey.enabled, false],
    ['cryptoMonitoring.deployment.targetRegions', 'eu-west-1, us-east-1', (s: any) => s.deployment.targetRegions, ['eu-west-1', 'us-east-1']],
    ['cryptoMonitoring.deployment.targetRegions', '["eu-west-1"]', (s: any) => s.deployment.targetRegions, ['eu-west-1']],
    ['cryptoMonitoring.deployment.targetOrganizationalUnitIds', 'ou-ab12-abcdefgh', (s: any) => s.deployment.targetOrganizationalUnitIds, ['ou-ab12-abcdefgh']],
    ['cryptoMonitoring.deployment.logRetentionDays', '90', (s: any) => s.deployment.logRetentionDays, 90],
    ['cryptoMonitoring.rules.kmsUnusedKey.requestsPerSecond', '2.5', (s: any) => s.rules.kmsUnusedKey.requestsPerSecond, 2.5],
  ])('%s=%s', (key, value, read, expected) => {
    expect(read(parseSettings(rawSettingsFromContext({ [key]: value })))).toEqual(expected);
  });

  test.each(['0x1E', '0b11', '1e1', '3e1', 'Infinity', '30 days'])('%s from -c is not a number: refused, naming key, value and what is allowed', (value) => {
    expect(() => parseSettings(rawSettingsFromContext({ 'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays': value }))).toThrow(
      `cryptoMonitoring.rules.kmsUnusedKey.unusedForDays: got ${JSON.stringify(value)}; must be an integer from 1 to 365`,
    );
  });

  test('a whole JSON object given as a string', () => {
    const s = parseSettings(rawSettingsFromContext({ cryptoMonitoring: '{"rules":{"kmsUnusedKey":{"unusedForDays":"7"}}}' }));
    expect(s.rules.kmsUnusedKey.unusedForDays).toBe(7);
  });

  test('dotted keys override the object from cdk.json', () => {
    const s = parseSettings(
      rawSettingsFromContext({
        cryptoMonitoring: { rules: { kmsUnusedKey: { unusedForDays: 90, evaluationFrequency: 'One_Hour' } } },
        'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays': '45',
      }),
    );
    expect(s.rules.kmsUnusedKey).toMatchObject({ unusedForDays: 45, evaluationFrequency: 'One_Hour' });
  });
});

describe('bad values stop synthesis with the key, the value and what is allowed', () => {
  test.each([
    [{ rules: { kmsUnusedKey: { unusedForDays: 0 } } }, 'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays: got 0; must be an integer from 1 to 365'],
    [{ inventory: { prices: { date: '2026-02-31' } } }, 'cryptoMonitoring.inventory.prices.date: got "2026-02-31"; must be a calendar date YYYY-MM-DD from the year 2000 on, such as 2030-12-31'],
    [{ rules: { kmsUnusedKey: { unusedForDays: 366 } } }, 'got 366; must be an integer from 1 to 365'],
    [{ rules: { kmsUnusedKey: { unusedForDays: 1.5 } } }, 'got 1.5; must be an integer from 1 to 365'],
    [{ rules: { kmsUnusedKey: { unusedForDays: 'ninety' } } }, 'got "ninety"; must be an integer from 1 to 365'],
    [{ rules: { kmsUnusedKey: { enabled: 'yes' } } }, 'cryptoMonitoring.rules.kmsUnusedKey.enabled: got "yes"; must be true or false'],
    [{ rules: { kmsUnusedKey: { evaluationFrequency: 'Daily' } } }, 'got "Daily"; must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours'],
    [{ rules: { kmsUnusedKey: { exemptionTagKey: 'aws:reserved' } } }, 'cryptoMonitoring.rules.kmsUnusedKey.exemptionTagKey: got "aws:reserved"'],
    [{ rules: { kmsUnusedKey: { unusedfordays: 30 } } }, 'cryptoMonitoring.rules.kmsUnusedKey: unknown key(s) "unusedfordays"; allowed keys: enabled, unusedForDays'],
    [{ rules: { kmsUnusedKey: { requestsPerSecond: 0 } } }, 'cryptoMonitoring.rules.kmsUnusedKey.requestsPerSecond: got 0; must be a number from 0.1 to 1000'],
    [{ rules: { acmPendingDnsValidation: { requestsPerSecond: 'fast' } } }, 'cryptoMonitoring.rules.acmPendingDnsValidation.requestsPerSecond: got "fast"; must be a number from 0.1 to 1000'],
    [{ deployment: { targetRegions: ['eu-west-1', 'eu-west-9'] } }, 'cryptoMonitoring.deployment.targetRegions[1]: got "eu-west-9"; must be a known AWS region name'],
    [{ deployment: { targetOrganizationalUnitIds: ['ou-123'] } }, 'cryptoMonitoring.deployment.targetOrganizationalUnitIds[0]: got "ou-123"; must be an organization root id (r-xxxx) or OU id'],
    [{ deployment: { callAs: 'ADMIN' } }, 'cryptoMonitoring.deployment.callAs: got "ADMIN"; must be one of SELF, DELEGATED_ADMIN'],
    [{ deployment: { maxConcurrentPercentage: 0 } }, 'got 0; must be an integer from 1 to 100'],
    [{ deployment: { failureTolerancePercentage: 101 } }, 'got 101; must be an integer from 0 to 100'],
    [{ deployment: { logRetentionDays: 10 } }, 'cryptoMonitoring.deployment.logRetentionDays: got 10; must be one of 1, 3, 5, 7, 14, 30'],
    [{ deployment: { namePrefix: 'Crypto_Monitoring' } }, 'cryptoMonitoring.deployment.namePrefix: got "Crypto_Monitoring"'],
    [{ deployment: { stackSetName: `s${'x'.repeat(109)}` } }, 'cryptoMonitoring.deployment.stackSetName: got "sxxx'],
    [{ deployment: { targetRegions: ['eu-west-1'], regionOrder: ['us-east-1'] } }, 'cryptoMonitoring.deployment.regionOrder: got "us-east-1"; every region in regionOrder must also be in targetRegions'],
    [{ deployments: {} }, 'cryptoMonitoring: unknown key(s) "deployments"'],
    [{ deployment: 'eu-west-1' }, 'cryptoMonitoring.deployment: got "eu-west-1"; must be an object'],
  ])('%j', (raw, expected) => {
    expect(problems(raw).join('\n')).toContain(expected);
  });

  test('every bad value is reported at once', () => {
    expect(problems({ rules: { kmsUnusedKey: { unusedForDays: 0, enabled: 'x' } }, deployment: { callAs: 'x' } })).toHaveLength(3);
  });

  test('an unparsable JSON string under cryptoMonitoring', () => {
    expect(() => rawSettingsFromContext({ cryptoMonitoring: '{not json' })).toThrow('must be an object or a JSON object string');
  });

  test('the error message says nothing was synthesized', () => {
    expect(() => parseSettings({ rules: { kmsUnusedKey: { unusedForDays: 0 } } })).toThrow(/nothing was synthesized/);
  });
});

describe('numbers given with -c must be plain decimals, for every kind of numeric field', () => {
  const fields = [
    ['int', 'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays', 'must be an integer from 1 to 365'],
    ['int', 'cryptoMonitoring.analytics.lookbackDays', 'must be an integer from 1 to 365'],
    ['decimal', 'cryptoMonitoring.rules.kmsUnusedKey.requestsPerSecond', 'must be a number from 0.1 to 1000'],
    ['decimal', 'cryptoMonitoring.alerting.alarms.kmsCryptographicOperations.anomalyBandWidth', 'must be a number from 0.5 to 10'],
    ['one of numbers', 'cryptoMonitoring.deployment.logRetentionDays', 'must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365'],
  ] as const;
  const cases = fields.flatMap(([kind, key, allowed]) => ['0x1E', '0b11', '1e1'].map((value) => [kind, key, value, allowed] as const));

  test.each(cases)('%s %s=%s is refused', (_kind, key, value, allowed) => {
    expect(contextProblems({ [key]: value })).toEqual([expect.stringMatching(new RegExp(`^${key.replace(/\./g, '\\.')}: got "${value}"; ${allowed}`))]);
  });

  test.each([
    ['cryptoMonitoring.rules.kmsUnusedKey.unusedForDays', '30', 30],
    ['cryptoMonitoring.rules.kmsUnusedKey.requestsPerSecond', '0.5', 0.5],
    ['cryptoMonitoring.alerting.alarms.kmsCryptographicOperations.anomalyBandWidth', ' 2 ', 2],
    ['cryptoMonitoring.deployment.logRetentionDays', '30', 30],
  ])('%s=%s (plain decimal) is read as %d', (key, value, expected) => {
    const path = key.split('.').slice(1);
    let v: any = settingsFromContext({ [key]: value });
    for (const part of path) v = v[part];
    expect(v).toBe(expected);
  });
});

describe('a list never takes the same entry twice: refused at the repeat, with the value', () => {
  test.each([
    [{ deployment: { targetRegions: ['eu-west-1', 'us-east-1', 'eu-west-1'] } }, ['cryptoMonitoring.deployment.targetRegions[2]: got "eu-west-1" twice; every entry must be different']],
    [{ deployment: { targetRegions: 'eu-west-1, eu-west-1' } }, ['cryptoMonitoring.deployment.targetRegions[1]: got "eu-west-1" twice; every entry must be different']],
    [
      { deployment: { targetOrganizationalUnitIds: ['ou-ab12-abcdefgh', 'r-ab12', 'ou-ab12-abcdefgh'] } },
      ['cryptoMonitoring.deployment.targetOrganizationalUnitIds[2]: got "ou-ab12-abcdefgh" twice; every entry must be different'],
    ],
    [
      { deployment: { targetRegions: ['eu-west-1', 'us-east-1'], regionOrder: ['us-east-1', 'us-east-1'] } },
      ['cryptoMonitoring.deployment.regionOrder[1]: got "us-east-1" twice; every entry must be different'],
    ],
    // Each repeat is named, and a repeated bad entry is refused for both reasons.
    [
      { deployment: { targetRegions: ['eu-west-1', 'eu-west-1', 'eu-west-1'] } },
      [
        'cryptoMonitoring.deployment.targetRegions[1]: got "eu-west-1" twice; every entry must be different',
        'cryptoMonitoring.deployment.targetRegions[2]: got "eu-west-1" twice; every entry must be different',
      ],
    ],
    [
      { deployment: { targetOrganizationalUnitIds: ['ou-1', 'ou-1'] } },
      [
        'cryptoMonitoring.deployment.targetOrganizationalUnitIds[0]: got "ou-1"; must be an organization root id (r-xxxx) or OU id (ou-xxxx-xxxxxxxx)',
        'cryptoMonitoring.deployment.targetOrganizationalUnitIds[1]: got "ou-1"; must be an organization root id (r-xxxx) or OU id (ou-xxxx-xxxxxxxx)',
        'cryptoMonitoring.deployment.targetOrganizationalUnitIds[1]: got "ou-1" twice; every entry must be different',
      ],
    ],
    [{ deployment: { targetRegions: ['eu-west-1', 'us-east-1'], regionOrder: ['us-east-1', 'eu-west-1'] } }, []],
  ])('%j', (raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });
});

describe('target regions are of one partition: one StackSet deploys within the partition of its account', () => {
  const region = (regions: string[]) => problems({ deployment: { targetRegions: regions } });

  test.each([
    [['eu-west-1', 'cn-north-1'], ['cryptoMonitoring.deployment.targetRegions[1]: got "cn-north-1"; must be in the same partition as "eu-west-1" (aws), not aws-cn: one StackSet deploys within one partition']],
    [
      ['us-gov-west-1', 'us-east-1', 'us-gov-east-1', 'eu-west-1'],
      [
        'cryptoMonitoring.deployment.targetRegions[1]: got "us-east-1"; must be in the same partition as "us-gov-west-1" (aws-us-gov), not aws: one StackSet deploys within one partition',
        'cryptoMonitoring.deployment.targetRegions[3]: got "eu-west-1"; must be in the same partition as "us-gov-west-1" (aws-us-gov), not aws: one StackSet deploys within one partition',
      ],
    ],
    [['us-iso-east-1', 'us-isob-east-1'], ['cryptoMonitoring.deployment.targetRegions[1]: got "us-isob-east-1"; must be in the same partition as "us-iso-east-1" (aws-iso), not aws-iso-b: one StackSet deploys within one partition']],
    // An unknown region is refused as such and compared with nothing.
    [['eu-west-9', 'cn-north-1', 'cn-northwest-1'], [expect.stringMatching(/^cryptoMonitoring\.deployment\.targetRegions\[0\]: got "eu-west-9"; must be a known AWS region name/)]],
    [['cn-north-1', 'cn-northwest-1'], []],
    [['us-gov-east-1', 'us-gov-west-1'], []],
    [['eu-west-1', 'us-east-1', 'ap-southeast-6'], []],
  ])('%j', (regions, expected) => {
    expect(region(regions)).toEqual(expected);
  });
});

describe('a context key that looks like a misspelled cryptoMonitoring is refused, not ignored', () => {
  const hint = (key: string, got: string, meant: string) => `${key}: got ${got}; unknown context key, which the app would ignore: did you mean ${meant}?`;

  test.each([
    [{ cryptoMonitring: { rules: {} } }, [hint('cryptoMonitring', '{"rules":{}}', 'cryptoMonitoring')]],
    [{ cryptomonitoring: {} }, [hint('cryptomonitoring', '{}', 'cryptoMonitoring')]],
    [{ CryptoMonitoring: {} }, [hint('CryptoMonitoring', '{}', 'cryptoMonitoring')]],
    [{ 'crypto-monitoring': {} }, [hint('crypto-monitoring', '{}', 'cryptoMonitoring')]],
    [{ crytpoMonitoring: {} }, [hint('crytpoMonitoring', '{}', 'cryptoMonitoring')]],
    [
      { 'cryptoMonitring.rules.kmsUnusedKey.unusedForDays': '30' },
      [hint('cryptoMonitring.rules.kmsUnusedKey.unusedForDays', '"30"', 'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays')],
    ],
    [{ 'crypto_monitor1ng.deployment.callAs': 'SELF' }, [hint('crypto_monitor1ng.deployment.callAs', '"SELF"', 'cryptoMonitoring.deployment.callAs')]],
    [{ cryptoMonitring: { note: 'x'.repeat(100) } }, [hint('cryptoMonitring', `{"note":"${'x'.repeat(68)}...`, 'cryptoMonitoring')]],
    // Not near enough (three edits or more), or a key of CDK itself: never flagged.
    [{ cryptoMonitor: {} }, []],
    [{ monitoring: {} }, []],
    [{ '@aws-cdk/core:cryptoMonitoring': true }, []],
    [{ 'aws:cdk:enable-path-metadata': true, 'aws-cdk:enableDiffNoFail': true }, []],
    [{ 'cdk-cryptoMonitoring': 'x', 'acknowledged-issue-numbers': [32775] }, []],
    [{ 'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'] }, []],
    [{ 'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays': '30' }, []],
  ])('%j', (context, expected) => {
    expect(contextProblems(context)).toEqual(expected);
  });

  test('the context of cdk.json has no near miss', () => {
    expect(contextProblems(cdkJsonContext())).toEqual([]);
  });

  test('a near miss stops synthesis even when the settings are valid, and says nothing was synthesized', () => {
    expect(() => settingsFromContext({ ...cdkJsonContext(), cryptoMonitring: {} })).toThrow(/nothing was synthesized[\s\S]*did you mean cryptoMonitoring\?/);
  });

  test('with otherwise good settings, only the near miss is reported', () => {
    expect(contextProblems({ cryptoMonitoring: {}, cryptomonitoring: {} })).toHaveLength(1);
  });

  test('an unreadable cryptoMonitoring string is reported with the near misses', () => {
    expect(contextProblems({ cryptoMonitoring: '{not json', cryptoMonitorin: {} })).toEqual([
      expect.stringMatching(/^cryptoMonitorin: /),
      'cryptoMonitoring: got "{not json"; must be an object or a JSON object string',
    ]);
  });

  test('Damerau-Levenshtein distance: an adjacent swap is one edit', () => {
    expect([editDistance('cryptomonitoring', 'crytpomonitoring'), editDistance('kitten', 'sitting'), editDistance('', 'ab'), editDistance('ab', 'ab')]).toEqual([1, 3, 2, 0]);
  });
});

describe('every problem at once', () => {
  test('near misses, an unreadable value, repeats, partitions, time zone, key id and rules off are all reported together', () => {
    const off = () => ({ enabled: false });
    const found = contextProblems({
      'cryptoMonitring.rules.kmsUnusedKey.unusedForDays': '30',
      cryptoMonitoring: {
        deployment: { targetRegions: ['eu-west-1', 'eu-west-1', 'cn-north-1'], targetOrganizationalUnitIds: 'ou-ab12-abcdefgh,ou-ab12-abcdefgh' },
        rules: {
          kmsUnusedKey: off(),
          secretsUnusedSecret: off(),
          acmPendingDnsValidation: off(),
          managed: Object.fromEntries(Object.keys(parseSettings({}).rules.managed).map((k) => [k, off()])),
        },
        alerting: { notifications: { emails: ['sec@example.com', 'SEC@example.com'] }, alarms: { importedKeyMaterialExpiry: { keyIds: ['mrk-123'] } } },
        dashboards: { refreshTimeZone: 'Mars/Olympus' },
      },
      'cryptoMonitoring.rules.kmsUnusedKey.requestsPerSecond': '1e1',
    });
    expect(found).toEqual([
      expect.stringMatching(/^cryptoMonitring\.rules\.kmsUnusedKey\.unusedForDays: .*did you mean cryptoMonitoring\.rules\.kmsUnusedKey\.unusedForDays\?$/),
      'cryptoMonitoring.deployment.targetOrganizationalUnitIds[1]: got "ou-ab12-abcdefgh" twice; every entry must be different',
      'cryptoMonitoring.deployment.targetRegions[1]: got "eu-west-1" twice; every entry must be different',
      expect.stringMatching(/^cryptoMonitoring\.deployment\.targetRegions\[2\]: got "cn-north-1"; must be in the same partition as "eu-west-1" \(aws\), not aws-cn/),
      'cryptoMonitoring.rules.kmsUnusedKey.requestsPerSecond: got "1e1"; must be a number from 0.1 to 1000',
      expect.stringMatching(/^cryptoMonitoring\.alerting\.notifications\.emails\[1\]: got "SEC@example\.com" twice/),
      expect.stringMatching(/^cryptoMonitoring\.alerting\.alarms\.importedKeyMaterialExpiry\.keyIds\[0\]: got "mrk-123"; must be a KMS key id/),
      'cryptoMonitoring.dashboards.refreshTimeZone: got "Mars/Olympus"; must be an IANA time zone name such as Europe/Paris or UTC',
      expect.stringMatching(/^cryptoMonitoring\.rules: got every rule disabled; enable at least one custom or managed rule/),
    ]);
  });

  test.each([
    [
      'a bad callAs does not hide a regionOrder outside targetRegions',
      { deployment: { callAs: 'x', targetRegions: ['eu-west-1'], regionOrder: ['us-east-1'] } },
      [
        'cryptoMonitoring.deployment.callAs: got "x"; must be one of SELF, DELEGATED_ADMIN',
        'cryptoMonitoring.deployment.regionOrder: got "us-east-1"; every region in regionOrder must also be in targetRegions (["eu-west-1"])',
      ],
    ],
    [
      'a bad number elsewhere does not hide includeManagementAccount with DELEGATED_ADMIN',
      { deployment: { callAs: 'DELEGATED_ADMIN', includeManagementAccount: true, maxConcurrentPercentage: 'all' } },
      [
        'cryptoMonitoring.deployment.maxConcurrentPercentage: got "all"; must be an integer from 1 to 100',
        expect.stringMatching(/^cryptoMonitoring\.deployment\.includeManagementAccount: got true; must be false or unset when callAs is DELEGATED_ADMIN/),
      ],
    ],
    [
      'a bad enabled does not hide a central account without its region',
      { alerting: { centralAccountId: '123456789012', accessAnalyzerFindings: 'yes' } },
      [
        'cryptoMonitoring.alerting.accessAnalyzerFindings: got "yes"; must be true or false',
        'cryptoMonitoring.alerting.centralRegion: got nothing; centralAccountId and centralRegion must be given together (the member accounts forward events to the bus in that account and region)',
      ],
    ],
    [
      'a bad enabled of an alarm does not hide its too long evaluation',
      { alerting: { alarms: { kmsAccessDenied: { enabled: 'x', periodMinutes: 60, evaluationPeriods: 25 } } } },
      [
        'cryptoMonitoring.alerting.alarms.kmsAccessDenied.enabled: got "x"; must be true or false',
        'cryptoMonitoring.alerting.alarms.kmsAccessDenied.evaluationPeriods: got 25; periodMinutes (60) × evaluationPeriods must be at most 1440 minutes (one day)',
      ],
    ],
    [
      'a check is skipped only when a value it reads is itself refused',
      { deployment: { targetRegions: 5, regionOrder: ['us-east-1'] } },
      ['cryptoMonitoring.deployment.targetRegions: got 5; must be a list (JSON array or comma-separated string)'],
    ],
  ])('checks across keys still run beside type errors: %s', (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });
});
