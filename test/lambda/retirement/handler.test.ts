/** The deployed entry point: settings from the environment the template writes, clients made once and kept. */
import { handler, services, settingsFromEnvironment, SETTINGS_VARIABLE } from '../../../lambda/retirement-step';
import { runOnVirtualClock } from '../../support/virtual-clock';
import { SimulatedAccount } from './simulated-account';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const SETTINGS = {
  observationDays: 30,
  kmsPendingWindowDays: 30,
  secretRecoveryWindowDays: 30,
  approverArns: ['arn:aws:iam::111122223333:role/KeyCustodian'],
  minApprovals: 1,
  rules: { 'AWS::KMS::Key': { ruleName: 'kms-unused-key-check', exemptionTagKey: 'crypto-monitoring:exempt', documentName: 'crypto-monitoring-retire-kms-key' } },
};

beforeEach(() => jest.spyOn(console, 'info').mockImplementation(() => undefined));
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env[SETTINGS_VARIABLE];
});

test('without its settings the function refuses to run', () => {
  expect(() => settingsFromEnvironment({})).toThrow(`${SETTINGS_VARIABLE} is not set`);
});

test('plans with the settings of its environment and the clients it was given', async () => {
  process.env[SETTINGS_VARIABLE] = JSON.stringify(SETTINGS);
  const account = new SimulatedAccount();
  account.addKey({ keyId: KEY });
  account.result({ resourceType: 'AWS::KMS::Key', resourceId: KEY, rule: 'kms-unused-key-check', compliance: 'NON_COMPLIANT', annotation: 'Unused for 200 days' });
  const made = account.services().services;
  const context = { getRemainingTimeInMillis: () => 240_000 };
  // The first invocation's clients are kept for the next ones, as a warm Lambda environment keeps them.
  services(context, { kms: made.kms, secrets: made.secrets, config: made.config, cloudtrail: made.cloudtrail, ssm: made.ssm });
  const { result } = await runOnVirtualClock(() => handler({ mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY }, context));
  expect(result).toMatchObject({ mayRun: true, step: 'quarantine' });
  // A resource type whose rule is not deployed is refused.
  await expect(runOnVirtualClock(() => handler({ mode: 'plan', resourceType: 'AWS::SecretsManager::Secret', resourceId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:a-AbCdEf' }, context))).rejects.toThrow(/not deployed for AWS::SecretsManager::Secret/);
});

test('without kept clients it makes the SDK\'s own, CloudTrail and Systems Manager included (imported, not loaded by name)', () => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fresh = require('../../../lambda/retirement-step') as typeof import('../../../lambda/retirement-step');
    const made = fresh.services(undefined);
    expect(Object.fromEntries(['kms', 'secrets', 'config', 'cloudtrail', 'ssm'].map((k) => [k, (made as any)[k].constructor.name]))).toEqual({
      kms: 'KMSClient',
      secrets: 'SecretsManagerClient',
      config: 'ConfigServiceClient',
      cloudtrail: 'CloudTrailClient',
      ssm: 'SSMClient',
    });
    // The same clients again on the next invocation of a warm environment.
    expect(fresh.services(undefined).ssm).toBe(made.ssm);
  });
});
