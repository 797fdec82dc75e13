/** The AWS Control Tower proactive controls (cfn-guard) over every stack, the member template included. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { App, Stack } from 'aws-cdk-lib';
import { GUARD_ACKNOWLEDGEMENTS, GUARD_CONTEXT_KEY, addGuardChecks, guardRuleName } from '../../lib/guard';
import { buildTestApp, cdkJsonContext } from '../support/app';

/** Every feature on: analytics, dashboards, a central account, the organization trail, the exemption policy and the retirement path. */
const EVERYTHING = {
  inventory: { enabled: true, bucketAccountId: '444455556666' },
  exemptions: { serviceControlPolicy: { enabled: true, allowedPrincipalArns: ['arn:aws:iam::*:role/SecurityExemptions'] } },
  retirement: {
    enabled: true,
    approverArns: ['arn:aws:iam::111122223333:role/KeyCustodian'],
    notificationTopicArn: 'arn:aws:sns:eu-west-1:111122223333:AutomationRetirementApprovals',
  },
  analytics: { enabled: true },
  dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: ['group/default/security'] },
  alerting: {
    centralAccountId: '111122223333',
    centralRegion: 'eu-west-1',
    organizationId: 'o-a1b2c3d4e5',
    organizationTrail: { create: true },
    notifications: { emails: ['security@example.com'], httpsEndpoints: ['https://example.com/hook'] },
    alarms: { importedKeyMaterialExpiry: { keyIds: ['1234abcd-12ab-34cd-56ef-1234567890ab'] } },
  },
};

function violations(assemblyDir: string): { plugin: string; rule: string; paths: (string | undefined)[] }[] {
  const report = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((p: any) =>
    p.violations.map((v: any) => ({ plugin: p.pluginName, rule: v.ruleName, paths: (v.violatingConstructs ?? []).map((c: any) => c.constructPath) })),
  );
}

test('every stack, the member template included, passes the Control Tower controls with every feature on', () => {
  // The member template's own validation throws inside buildApp (assertValidationPassed).
  const { app } = buildTestApp(EVERYTHING, { [GUARD_CONTEXT_KEY]: true });
  const assembly = app.synth();
  const stacks = assembly.stacks.map((s) => s.stackName).sort();
  expect(stacks).toEqual(expect.arrayContaining(['CryptoAssetMonitoring', 'CryptoAssetMonitoringAlerting', 'CryptoAssetMonitoringAnalytics']));
  expect(violations(assembly.directory)).toEqual([]);
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports.map((p: any) => p.pluginName)).toContain('cdk-validator-cfnguard');
}, 180_000);

test('every acknowledgement names a bundled control and a reason, and is still needed somewhere', () => {
  const { app } = buildTestApp(EVERYTHING);
  const placed = addGuardChecks(app);
  for (const ack of GUARD_ACKNOWLEDGEMENTS) {
    expect(guardRuleName(ack.control)).toMatch(/^[a-z0-9_]+$/);
    expect(ack.reason.length).toBeGreaterThan(40);
  }
  // The member template is its own App: its acknowledgements are placed there (the first test proves they hold).
  const unplaced = GUARD_ACKNOWLEDGEMENTS.filter((a) => placed.get(a)!.length === 0 && !a.path.source.includes('Member'));
  expect(unplaced.map((a) => `${a.control} ${a.path}`)).toEqual([]);
}, 180_000);

test('a finding fails synthesis (the controls are real) and names its control', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cam-guard-')), context: cdkJsonContext() });
  const stack = new Stack(app, 'Bad');
  new s3.Bucket(stack, 'Bucket');
  addGuardChecks(app);
  expect(() => app.synth()).toThrow(/CT\.S3\.PR\.1[01]?|CT\.S3\.PR\.2/);
});

test('the control ids map to the rule names cfn-guard reports', () => {
  expect(guardRuleName('CT.LAMBDA.PR.2')).toBe('lambda_function_public_access_prohibited_check');
  expect(guardRuleName('CT.KMS.PR.3')).toBe('kms_create_grant_aws_service_check');
  expect(() => guardRuleName('CT.NOPE.PR.1')).toThrow(/No Control Tower control/);
});
