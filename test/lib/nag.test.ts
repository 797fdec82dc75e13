import * as iam from 'aws-cdk-lib/aws-iam';
import { App, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import { assertValidationPassed, synthesizeMemberTemplate } from '../../lib/member/member-template';
import { addNagChecks } from '../../lib/nag';
import { parseSettings } from '../../lib/settings';
import { buildTestApp, cdkJsonContext } from '../support/app';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test('the whole app synthesizes with cdk-nag AwsSolutions checks and no unacknowledged finding', () => {
  const { app } = buildTestApp();
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  for (const plugin of report.pluginReports) expect({ plugin: plugin.pluginName, violations: plugin.violations }).toEqual({ plugin: plugin.pluginName, violations: [] });
});

test('cdk-nag findings fail synthesis (the checks are real)', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cam-nag-')), context: cdkJsonContext() });
  const stack = new Stack(app, 'Bad');
  new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
    new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }),
  );
  addNagChecks(app);
  expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
});

test('a finding in a separately synthesized template (as the member template is) fails synthesis too', () => {
  // The member template is its own App whose validation report the CLI never reads; assertValidationPassed must throw.
  // As under `cdk synth`, where the app process only writes the report (process mode) instead of throwing.
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cam-member-')), context: { ...cdkJsonContext(), '@aws-cdk/core:appMode': 'process' } });
  const stack = new Stack(app, 'Member', { synthesizer: new BootstraplessSynthesizer({}) });
  new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
    new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: ['*'] }),
  );
  addNagChecks(app);
  // In process mode the failed validation sets process.exitCode for the CLI; keep it out of Jest's own exit code.
  const exitCode = process.exitCode;
  // The CLI-style report it prints is the expected failure: read it rather than print it.
  const report = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  let assembly;
  try {
    assembly = app.synth();
  } finally {
    process.exitCode = exitCode;
  }
  expect(() => assertValidationPassed(assembly.directory)).toThrow(/The member template failed validation:[\s\S]*AwsSolutions-IAM5/);
  expect(report).toHaveBeenCalledWith(expect.stringContaining('AwsSolutions-IAM5'));
  report.mockRestore();
});

test('the real member template passes its own validation', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-member-'));
  const member = synthesizeMemberTemplate(parseSettings({}), cdkJsonContext(), outdir);
  expect(() => assertValidationPassed(path.dirname(member.templatePath))).not.toThrow();
});
