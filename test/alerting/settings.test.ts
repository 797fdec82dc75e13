import { parseSettings, rawSettingsFromContext } from '../../lib/settings';
import { cdkJsonContext } from '../support/app';
import { settingsProblems } from '../support/settings';

function alerting(raw: Record<string, unknown>) {
  return parseSettings({ alerting: raw }).alerting;
}

const problemsOf = (raw: Record<string, unknown>) => settingsProblems({ alerting: raw });

describe('alerting settings', () => {
  it('defaults to alerting on the Control Tower log group, with no central account and no subscribers', () => {
    const a = alerting({});
    expect(a).toMatchObject({
      enabled: true,
      logGroupName: 'aws-controltower/CloudTrailLogs',
      organizationTrail: {
        create: false,
        logRetentionDays: 365,
        transitionToInfrequentAccessDays: 90,
        expireAfterDays: 2557,
        noncurrentVersionExpireAfterDays: 30,
      },
      eventBusName: 'crypto-monitoring-alerts',
      notifications: { emails: [], httpsEndpoints: [] },
      accessAnalyzerFindings: true,
    });
    expect(a.centralAccountId).toBeUndefined();
    expect(a.organizationId).toBeUndefined();
    expect(a.organizationTrail.objectLockGovernanceDays).toBeUndefined();
    expect(a.alarms.kmsKeyDisabledOrScheduledForDeletion).toEqual({ enabled: true, threshold: 1, periodMinutes: 5, evaluationPeriods: 1 });
    expect(a.alarms.kmsCryptographicOperations).toMatchObject({ anomalyDetection: true, anomalyBandWidth: 3 });
    expect(a.alarms.secretReads.watchedSecrets).toEqual([]);
    expect(a.alarms.importedKeyMaterialExpiry).toEqual({ keyIds: [], daysBeforeExpiry: 30 });
  });

  it('keeps cdk.json and the schema defaults in agreement', () => {
    const fromCdkJson = parseSettings(rawSettingsFromContext(cdkJsonContext())).alerting;
    expect(fromCdkJson).toEqual(alerting({}));
  });

  it('coerces the string forms given with -c', () => {
    const a = parseSettings(
      rawSettingsFromContext({
        'cryptoMonitoring.alerting.enabled': 'true',
        'cryptoMonitoring.alerting.centralAccountId': '012345678901',
        'cryptoMonitoring.alerting.centralRegion': 'eu-west-1',
        'cryptoMonitoring.alerting.notifications.emails': 'sec@example.com, oncall@example.org',
        'cryptoMonitoring.alerting.alarms.kmsAccessDenied.threshold': '12',
        'cryptoMonitoring.alerting.alarms.kmsCryptographicOperations.anomalyBandWidth': '2.5',
        'cryptoMonitoring.alerting.alarms.secretReads.watchedSecrets': '["prod/db", "arn:aws:secretsmanager:eu-west-1:012345678901:secret:prod/api-AbCdEf"]',
        'cryptoMonitoring.alerting.organizationTrail.create': 'false',
      }),
    ).alerting;
    expect(a.centralAccountId).toBe('012345678901');
    expect(a.notifications.emails).toEqual(['sec@example.com', 'oncall@example.org']);
    expect(a.alarms.kmsAccessDenied.threshold).toBe(12);
    expect(a.alarms.kmsCryptographicOperations.anomalyBandWidth).toBe(2.5);
    expect(a.alarms.secretReads.watchedSecrets).toHaveLength(2);
  });

  it.each([
    [{ centralAccountId: '12345', centralRegion: 'eu-west-1' }, 'alerting.centralAccountId: got "12345"; must be a 12-digit AWS account id'],
    [{ centralAccountId: '123456789012', centralRegion: 'eu-middle-9' }, 'alerting.centralRegion: got "eu-middle-9"; must be a known AWS region name'],
    [{ centralAccountId: '123456789012' }, 'alerting.centralRegion: got nothing; centralAccountId and centralRegion must be given together'],
    [{ organizationId: 'org-1' }, 'alerting.organizationId: got "org-1"; must be an organization id'],
    [{ notifications: { emails: ['not-an-address'] } }, 'alerting.notifications.emails[0]: got "not-an-address"; must be an e-mail address'],
    [{ notifications: { httpsEndpoints: ['http://hooks.example.com/x'] } }, 'alerting.notifications.httpsEndpoints[0]: got "http://hooks.example.com/x"; must be an https:// URL'],
    [{ eventBusName: 'default' }, 'alerting.eventBusName: got "default"; must be an event bus name'],
    [{ logGroupName: 'bad name' }, 'alerting.logGroupName: got "bad name"; must be a log group name'],
    [{ alarms: { kmsAccessDenied: { threshold: 0 } } }, 'alerting.alarms.kmsAccessDenied.threshold: got 0; must be an integer from 1 to 1000000000'],
    [{ alarms: { kmsAccessDenied: { periodMinutes: 7 } } }, 'alerting.alarms.kmsAccessDenied.periodMinutes: got 7; must be one of 1, 5, 10'],
    [{ alarms: { kmsAccessDenied: { periodMinutes: 60, evaluationPeriods: 25 } } }, 'alerting.alarms.kmsAccessDenied.evaluationPeriods: got 25; periodMinutes (60) × evaluationPeriods must be at most 1440 minutes'],
    [{ alarms: { kmsCryptographicOperations: { anomalyBandWidth: 0 } } }, 'alerting.alarms.kmsCryptographicOperations.anomalyBandWidth: got 0; must be a number from 0.5 to 10'],
    [{ alarms: { secretReads: { watchedSecrets: ['has space'] } } }, 'alerting.alarms.secretReads.watchedSecrets[0]: got "has space"; must be a secret name'],
    [{ alarms: { secretReads: { watchedSecrets: Array.from({ length: 9 }, (_, i) => `s${i}`) } } }, 'alerting.alarms.secretReads.watchedSecrets: got ['],
    [{ alarms: { importedKeyMaterialExpiry: { keyIds: ['alias/x'] } } }, 'alerting.alarms.importedKeyMaterialExpiry.keyIds[0]: got "alias/x"; must be a KMS key id'],
    [{ alarms: { kmsAccessDenied: { treshold: 3 } } }, 'alerting.alarms.kmsAccessDenied: unknown key(s) "treshold"'],
    [{ organizationTrail: { logRetentionDays: 10 } }, 'alerting.organizationTrail.logRetentionDays: got 10; must be one of 1, 3, 5'],
    [{ organizationTrail: { transitionToInfrequentAccessDays: 29 } }, 'alerting.organizationTrail.transitionToInfrequentAccessDays: got 29; must be an integer from 30 to 36500'],
    [{ organizationTrail: { expireAfterDays: 90 } }, 'alerting.organizationTrail.expireAfterDays: got 90; must be greater than transitionToInfrequentAccessDays (90)'],
    [{ organizationTrail: { transitionToInfrequentAccessDays: 400, expireAfterDays: 365 } }, 'alerting.organizationTrail.expireAfterDays: got 365; must be greater than transitionToInfrequentAccessDays (400)'],
    [{ organizationTrail: { noncurrentVersionExpireAfterDays: 0 } }, 'alerting.organizationTrail.noncurrentVersionExpireAfterDays: got 0; must be an integer from 1 to 36500'],
    [{ organizationTrail: { objectLockGovernanceDays: 0 } }, 'alerting.organizationTrail.objectLockGovernanceDays: got 0; must be an integer from 1 to 3650'],
    [{ organizationTrail: { objectLockGovernanceDays: 3651 } }, 'alerting.organizationTrail.objectLockGovernanceDays: got 3651; must be an integer from 1 to 3650'],
  ])('rejects %j naming the key, the value and what is allowed', (raw, message) => {
    expect(problemsOf(raw).join('\n')).toContain(`cryptoMonitoring.${message}`);
  });
  const twice = (where: string, value: string, comparedBy = '') => `cryptoMonitoring.alerting.${where}: got "${value}" twice; every entry must be different${comparedBy}`;

  it.each([
    [{ notifications: { emails: ['sec@example.com', 'sec@example.com'] } }, [twice('notifications.emails[1]', 'sec@example.com', ' (ignoring case)')]],
    [{ notifications: { emails: ['Sec@Example.com', 'oncall@example.org', 'sec@example.COM'] } }, [twice('notifications.emails[2]', 'sec@example.COM', ' (ignoring case)')]],
    [{ notifications: { emails: 'a@example.com, A@EXAMPLE.COM' } }, [twice('notifications.emails[1]', 'A@EXAMPLE.COM', ' (ignoring case)')]],
    [{ notifications: { emails: ['sec@example.com', 'sec@example.org'] } }, []],
    [{ notifications: { httpsEndpoints: ['https://hooks.example.com/a', 'https://hooks.example.com/a'] } }, [twice('notifications.httpsEndpoints[1]', 'https://hooks.example.com/a', ' (as URLs)')]],
    [{ notifications: { httpsEndpoints: ['https://hooks.example.com', 'https://HOOKS.example.com/'] } }, [twice('notifications.httpsEndpoints[1]', 'https://HOOKS.example.com/', ' (as URLs)')]],
    [{ notifications: { httpsEndpoints: ['https://hooks.example.com/a', 'https://hooks.example.com/b'] } }, []],
    [
      { alarms: { importedKeyMaterialExpiry: { keyIds: ['1234abcd-12ab-34cd-56ef-1234567890ab', '1234abcd-12ab-34cd-56ef-1234567890ab'] } } },
      [twice('alarms.importedKeyMaterialExpiry.keyIds[1]', '1234abcd-12ab-34cd-56ef-1234567890ab')],
    ],
    [
      { alarms: { importedKeyMaterialExpiry: { keyIds: 'mrk-1234abcd12ab34cd56ef1234567890ab,mrk-1234abcd12ab34cd56ef1234567890ab' } } },
      [twice('alarms.importedKeyMaterialExpiry.keyIds[1]', 'mrk-1234abcd12ab34cd56ef1234567890ab')],
    ],
    [{ alarms: { secretReads: { watchedSecrets: ['prod/db', 'prod/api', 'prod/db'] } } }, [twice('alarms.secretReads.watchedSecrets[2]', 'prod/db')]],
  ])('a list never takes the same entry twice: %j', (raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  const keyIdAllowed =
    'must be a KMS key id (a lower-case UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab, or a multi-Region key id such as mrk-1234abcd12ab34cd56ef1234567890ab)';

  it.each([
    ['1234abcd-12ab-34cd-56ef-1234567890ab', true],
    // A multi-Region key: mrk- and 32 hex digits, the same id in every Region of the key.
    ['mrk-1234abcd12ab34cd56ef1234567890ab', true],
    ['mrk-0123456789abcdef0123456789abcdef', true],
    ['mrk-1234abcd12ab34cd56ef1234567890a', false],
    ['mrk-1234abcd12ab34cd56ef1234567890abc', false],
    ['mrk-1234abcd-12ab-34cd-56ef-1234567890ab', false],
    ['mrk-1234ABCD12AB34CD56EF1234567890AB', false],
    ['MRK-1234abcd12ab34cd56ef1234567890ab', false],
    ['mrk-1234abcd12ab34cd56ef1234567890ag', false],
    ['1234abcd12ab34cd56ef1234567890ab', false],
    ['arn:aws:kms:us-east-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab', false],
    ['alias/x', false],
  ])('importedKeyMaterialExpiry.keyIds: %s accepted: %s', (keyId, accepted) => {
    expect(problemsOf({ alarms: { importedKeyMaterialExpiry: { keyIds: [keyId] } } })).toEqual(
      accepted ? [] : [`cryptoMonitoring.alerting.alarms.importedKeyMaterialExpiry.keyIds[0]: got "${keyId}"; ${keyIdAllowed}`],
    );
  });
});
