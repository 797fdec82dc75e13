import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { MANAGEMENT_ACCOUNT_STACK_NAME } from '../../lib/org/management-account';
import { buildTestApp } from '../support/app';

const configRuleNames = (template: Template) =>
  Object.values(template.findResources('AWS::Config::ConfigRule'))
    .map((r: any) => r.Properties.ConfigRuleName)
    .sort();

describe('the management account, which service-managed StackSets never reach', () => {
  const { app, built } = buildTestApp({ deployment: { targetRegions: ['eu-west-1', 'us-east-1'] } });

  test('one member stack per target region, named after the region and bound to it', () => {
    expect(built.managementAccount.map((s) => s.stackName)).toEqual([`${MANAGEMENT_ACCOUNT_STACK_NAME}-eu-west-1`, `${MANAGEMENT_ACCOUNT_STACK_NAME}-us-east-1`]);
    expect(built.managementAccount.map((s) => s.region)).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('the same rules, parameters and least-privilege roles as the member template the StackSet carries', () => {
    const member = Template.fromStack(built.member.stack);
    for (const stack of built.managementAccount) {
      const template = Template.fromStack(stack);
      expect(configRuleNames(template)).toEqual(configRuleNames(member));
      const params = (t: Template) => Object.values(t.findResources('AWS::Config::ConfigRule')).map((r: any) => [r.Properties.ConfigRuleName, r.Properties.InputParameters]);
      expect(params(template)).toEqual(params(member));
      const actions = (t: Template) =>
        Object.values(t.findResources('AWS::IAM::Policy'))
          .flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)))
          .sort();
      expect(actions(template)).toEqual(actions(member));
    }
  });

  test('the whole app, management-account stacks included, passes cdk-nag', () => {
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    for (const plugin of report.pluginReports) expect({ plugin: plugin.pluginName, violations: plugin.violations }).toEqual({ plugin: plugin.pluginName, violations: [] });
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(expect.arrayContaining(built.managementAccount.map((s) => s.stackName)));
  });
});

test('with no target regions, one stack goes to the region the app is deployed to, as the StackSet does', () => {
  const { built } = buildTestApp({ deployment: { targetRegions: [] } });
  expect(built.managementAccount.map((s) => s.stackName)).toEqual([MANAGEMENT_ACCOUNT_STACK_NAME]);
});

test('switched off, no management-account stack is created', () => {
  const { built } = buildTestApp({ deployment: { includeManagementAccount: false } });
  expect(built.managementAccount).toEqual([]);
});

test('from a delegated administrator the default is off: its own account is already a StackSet target', () => {
  const { built } = buildTestApp({ deployment: { callAs: 'DELEGATED_ADMIN' } });
  expect(built.managementAccount).toEqual([]);
});
