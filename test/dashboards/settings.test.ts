import { parseSettings } from '../../lib/settings';
import { settingsProblems } from '../support/settings';

const problems = settingsProblems;

test('off by default, SPICE with a daily refresh, no principals', () => {
  expect(parseSettings({}).dashboards).toMatchObject({
    enabled: false, importMode: 'SPICE', refreshInterval: 'DAILY', refreshTimeOfDay: '06:00', owners: [], viewers: [], identityRegion: 'us-east-1',
  });
});

test('the -c string forms are coerced', () => {
  const d = parseSettings({ analytics: { enabled: 'true' }, dashboards: { enabled: 'true', owners: 'group/default/security, user/default/alice' } }).dashboards;
  expect(d.enabled).toBe(true);
  expect(d.owners).toEqual(['group/default/security', 'user/default/alice']);
});

test('dashboards need the analytics stack and an owner', () => {
  expect(problems({ dashboards: { enabled: true } })).toEqual([
    expect.stringContaining('cryptoMonitoring.dashboards.enabled: got true; the dashboards query the Athena workgroup'),
    expect.stringContaining('cryptoMonitoring.dashboards.owners: got []; name at least one'),
  ]);
});

test('a principal ARN must name the identity region', () => {
  expect(problems({ analytics: { enabled: true }, dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: ['group/default/security'], viewers: ['arn:aws:quicksight:us-east-1:123456789012:user/default/bob'] } })).toEqual([
    expect.stringContaining('identity region "eu-west-1"'),
  ]);
});

test('refuses an IAM ARN as a QuickSight principal, a bad refresh time and an unknown mode', () => {
  const found = problems({ dashboards: { owners: ['arn:aws:iam::123456789012:role/x'], refreshTimeOfDay: '25:00', importMode: 'LIVE' } });
  expect(found).toEqual([
    expect.stringMatching(/^cryptoMonitoring\.dashboards\.owners\[0\]: .*QuickSight user or group ARN/),
    expect.stringMatching(/^cryptoMonitoring\.dashboards\.importMode: .*DIRECT_QUERY, SPICE/),
    expect.stringMatching(/^cryptoMonitoring\.dashboards\.refreshTimeOfDay: .*HH:MM/),
  ]);
});

test.each([
  [{ owners: ['group/default/security', 'group/default/security'] }, ['cryptoMonitoring.dashboards.owners[1]: got "group/default/security" twice; every entry must be different']],
  [{ viewers: 'user/default/bob, user/default/alice, user/default/bob' }, ['cryptoMonitoring.dashboards.viewers[2]: got "user/default/bob" twice; every entry must be different']],
  [
    { securityLakeKmsKeyArns: ['arn:aws:kms:us-east-1:111111111111:key/abc', 'arn:aws:kms:us-east-1:111111111111:key/abc'] },
    ['cryptoMonitoring.dashboards.securityLakeKmsKeyArns[1]: got "arn:aws:kms:us-east-1:111111111111:key/abc" twice; every entry must be different'],
  ],
  [{ owners: ['group/default/security'], viewers: ['user/default/bob', 'user/default/alice'] }, []],
])('a list of principals or keys names each once: %j', (dashboards, expected) => {
  expect(problems({ dashboards })).toEqual(expected);
});

describe('refreshTimeZone is an IANA time zone name the runtime knows', () => {
  const refused = (zone: string) => `cryptoMonitoring.dashboards.refreshTimeZone: got ${JSON.stringify(zone)}; must be an IANA time zone name such as Europe/Paris or UTC`;

  test.each([
    ['UTC', true],
    ['Europe/Paris', true],
    ['America/Argentina/Buenos_Aires', true],
    ['America/Port_of_Spain', true],
    ['Etc/GMT+5', true],
    // Aliases the runtime resolves to a canonical name.
    ['Asia/Kolkata', true],
    ['Asia/Calcutta', true],
    ['US/Pacific', true],
    ['Etc/UTC', true],
    ['Mars/Olympus', false],
    ['Europe/Pariss', false],
    ['europe/paris', false],
    ['EUROPE/PARIS', false],
    ['utc', false],
    ['+01:00', false],
    ['UTC+1', false],
    ['', false],
  ])('%j accepted: %s', (zone, accepted) => {
    expect(problems({ dashboards: { refreshTimeZone: zone } })).toEqual(accepted ? [] : [refused(zone)]);
  });

  test('every zone the runtime lists is accepted', () => {
    const rejected = Intl.supportedValuesOf('timeZone').filter((zone) => problems({ dashboards: { refreshTimeZone: zone } }).length > 0);
    expect(rejected).toEqual([]);
  });

  test('a value that is not a string', () => {
    expect(problems({ dashboards: { refreshTimeZone: 1 } })).toEqual(['cryptoMonitoring.dashboards.refreshTimeZone: got 1; must be an IANA time zone name such as Europe/Paris or UTC']);
  });
});

test('a bad value elsewhere does not hide what the dashboards need from the rest of the settings', () => {
  expect(problems({ analytics: { lookbackDays: 'a week' }, dashboards: { enabled: true, importMode: 'LIVE' } })).toEqual([
    'cryptoMonitoring.analytics.lookbackDays: got "a week"; must be an integer from 1 to 365',
    'cryptoMonitoring.dashboards.importMode: got "LIVE"; must be one of DIRECT_QUERY, SPICE',
    expect.stringContaining('cryptoMonitoring.dashboards.enabled: got true; the dashboards query the Athena workgroup'),
    expect.stringContaining('cryptoMonitoring.dashboards.owners: got []; name at least one'),
  ]);
});
