import { parseSettings } from '../../lib/settings';
import { KNOWN_REGIONS } from '../../lib/settings/fields';
import { cdkJsonContext } from '../support/app';
import { settingsProblems } from '../support/settings';

const analytics = (raw: Record<string, unknown>) => parseSettings({ analytics: raw }).analytics;

const problems = (raw: Record<string, unknown>) => settingsProblems({ analytics: raw });

test('defaults', () => {
  expect(parseSettings({}).analytics).toEqual({
    enabled: false,
    securityLakeRegion: 'us-east-1',
    lookbackDays: 30,
    currentStateDays: 365,
    bytesScannedCutoffPerQuery: 10_000_000_000,
    resultsExpirationDays: 30,
    accessLogsExpirationDays: 365,
    workGroupName: 'crypto-asset-monitoring',
    lakeFormationReaders: [],
    resultsEncryption: 'S3_MANAGED',
  });
});

test('the state window is never shorter than the activity window', () => {
  expect(problems({ lookbackDays: 90, currentStateDays: 60 })).toEqual([
    'cryptoMonitoring.analytics.currentStateDays: got 60; must be at least lookbackDays (90): the state questions read the window the activity questions read, and more',
  ]);
  expect(problems({ lookbackDays: 90, currentStateDays: 90 })).toEqual([]);
  expect(problems({ currentStateDays: 3651 })[0]).toContain('cryptoMonitoring.analytics.currentStateDays: got 3651; must be an integer from 1 to 3650');
});

test('cdk.json states the same defaults', () => {
  const fromCdkJson = (cdkJsonContext().cryptoMonitoring as { analytics: unknown }).analytics;
  expect(parseSettings({ analytics: fromCdkJson }).analytics).toEqual(parseSettings({}).analytics);
  expect(fromCdkJson).toEqual(parseSettings({}).analytics);
});

test('-c strings are coerced', () => {
  expect(
    analytics({
      enabled: 'true',
      lookbackDays: '90',
      bytesScannedCutoffPerQuery: '10000000',
      resultsExpirationDays: '7',
      accessLogsExpirationDays: '30',
      lakeFormationReaders: 'arn:aws:iam::111111111111:role/a, arn:aws:iam::222222222222:user/b',
    }),
  ).toMatchObject({
    enabled: true,
    lookbackDays: 90,
    bytesScannedCutoffPerQuery: 10_000_000,
    resultsExpirationDays: 7,
    accessLogsExpirationDays: 30,
    lakeFormationReaders: ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::222222222222:user/b'],
  });
  expect(analytics({ lakeFormationReaders: '["arn:aws-cn:iam::111111111111:role/path/to/r"]' }).lakeFormationReaders).toEqual([
    'arn:aws-cn:iam::111111111111:role/path/to/r',
  ]);
});

test('resultsEncryption: absent means S3_MANAGED; KMS is accepted', () => {
  expect(analytics({}).resultsEncryption).toBe('S3_MANAGED');
  expect(analytics({ resultsEncryption: 'KMS' }).resultsEncryption).toBe('KMS');
  expect(analytics({ resultsEncryption: 'S3_MANAGED' }).resultsEncryption).toBe('S3_MANAGED');
});

test('every known region is accepted as rollup region', () => {
  for (const region of KNOWN_REGIONS) expect(analytics({ securityLakeRegion: region }).securityLakeRegion).toBe(region);
});

test.each([
  [{ securityLakeRegion: 'us-east-9' }, 'cryptoMonitoring.analytics.securityLakeRegion: got "us-east-9"; must be a known AWS region name ('],
  [{ lookbackDays: '0' }, 'cryptoMonitoring.analytics.lookbackDays: got 0; must be an integer from 1 to 365'],
  [{ lookbackDays: 'a week' }, 'cryptoMonitoring.analytics.lookbackDays: got "a week"; must be an integer from 1 to 365'],
  [{ bytesScannedCutoffPerQuery: 9_999_999 }, 'cryptoMonitoring.analytics.bytesScannedCutoffPerQuery: got 9999999; must be an integer from 10000000 to'],
  [{ resultsExpirationDays: 0 }, 'cryptoMonitoring.analytics.resultsExpirationDays: got 0; must be an integer from 1 to 3650'],
  [{ accessLogsExpirationDays: 1.5 }, 'cryptoMonitoring.analytics.accessLogsExpirationDays: got 1.5; must be an integer from 1 to 3650'],
  [{ enabled: 'yes' }, 'cryptoMonitoring.analytics.enabled: got "yes"; must be true or false'],
  [{ workGroupName: 'my workgroup' }, 'cryptoMonitoring.analytics.workGroupName: got "my workgroup"; must be 1 to 128 letters, digits, dots, underscores or dashes'],
  [{ lakeFormationReaders: ['arn:aws:iam::111111111111:group/admins'] }, 'cryptoMonitoring.analytics.lakeFormationReaders[0]: got "arn:aws:iam::111111111111:group/admins"; must be an IAM role or user ARN'],
  [{ lakeFormationReaders: 'not-an-arn' }, 'cryptoMonitoring.analytics.lakeFormationReaders[0]: got "not-an-arn"; must be an IAM role or user ARN'],
  [{ resultsEncryption: 'SSE_KMS' }, 'cryptoMonitoring.analytics.resultsEncryption: got "SSE_KMS"; must be one of S3_MANAGED, KMS'],
  [{ rollupRegion: 'us-east-1' }, 'cryptoMonitoring.analytics: unknown key(s) "rollupRegion"; allowed keys: enabled, securityLakeRegion'],
])('%j is refused with a message naming key, value and what is allowed', (raw, message) => {
  expect(problems(raw).join('\n')).toContain(message);
});

test.each([
  [
    ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::222222222222:user/b', 'arn:aws:iam::111111111111:role/a'],
    ['cryptoMonitoring.analytics.lakeFormationReaders[2]: got "arn:aws:iam::111111111111:role/a" twice; every entry must be different'],
  ],
  ['arn:aws:iam::111111111111:role/a,arn:aws:iam::111111111111:role/a', ['cryptoMonitoring.analytics.lakeFormationReaders[1]: got "arn:aws:iam::111111111111:role/a" twice; every entry must be different']],
  [['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/A'], []],
])('lakeFormationReaders %j: each principal once (a repeat would be granted twice under one construct id)', (readers, expected) => {
  expect(problems({ lakeFormationReaders: readers })).toEqual(expected);
});
