import { Template, Match } from 'aws-cdk-lib/assertions';
import { MANAGEMENT_ACCOUNT_STACK_SET_SUFFIX } from '../../lib/org/management-account-stack-set';
import { buildTestApp } from '../support/app';

type Json = any;

const stackSets = (template: Template) => Object.values(template.findResources('AWS::CloudFormation::StackSet')) as Json[];
const selfManaged = (template: Template) => stackSets(template).filter((r) => r.Properties.PermissionModel === 'SELF_MANAGED');
const roleNamed = (template: Template, name: string): Json => {
  const [role] = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: name } })) as Json[];
  return role;
};
const statements = (role: Json): Json[] => role.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement);

describe('the management account, which service-managed StackSets never reach, gets the member template from a self-managed StackSet', () => {
  const { app, built } = buildTestApp({ deployment: { targetRegions: ['eu-west-1', 'us-east-1', 'af-south-1'] } });
  const template = Template.fromStack(built.management);

  test('no stack of the app is named after a Region: the app has the same stacks whatever targetRegions says', () => {
    const other = buildTestApp({ deployment: { targetRegions: [] } });
    const names = (a: typeof app) => a.synth().stacks.map((s) => s.stackName).sort();
    expect(names(app)).toEqual(names(other.app));
    expect(names(app).some((n) => /-(eu|us|af)-[a-z]+-\d$/.test(n))).toBe(false);
  });

  test('one StackSet instance per target Region, in this account only, from the same template URL as the organization StackSet', () => {
    const [own] = selfManaged(template);
    const [org] = stackSets(template).filter((r) => r.Properties.PermissionModel === 'SERVICE_MANAGED');
    expect(own.Properties.StackSetName).toBe(`crypto-asset-monitoring${MANAGEMENT_ACCOUNT_STACK_SET_SUFFIX}`);
    expect(own.Properties.StackInstancesGroup).toEqual([{ DeploymentTargets: { Accounts: [{ Ref: 'AWS::AccountId' }] }, Regions: ['eu-west-1', 'us-east-1', 'af-south-1'] }]);
    expect(own.Properties.TemplateURL).toEqual(org.Properties.TemplateURL);
    expect(own.Properties.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(own.Properties.AutoDeployment).toBeUndefined();
    expect(own.Properties.OperationPreferences).toEqual(org.Properties.OperationPreferences);
  });

  test('the StackSet names its own administration role and execution role, and waits for both', () => {
    const [ownId] = Object.entries(template.findResources('AWS::CloudFormation::StackSet', { Properties: { PermissionModel: 'SELF_MANAGED' } })).map(([id]) => id);
    const own = template.toJSON().Resources[ownId];
    const admin = Object.entries(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'crypto-monitoring-stackset-administration' } }))[0];
    const exec = Object.entries(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'crypto-monitoring-stackset-execution' } }))[0];
    expect(own.Properties.AdministrationRoleARN).toEqual({ 'Fn::GetAtt': [admin[0], 'Arn'] });
    expect(own.Properties.ExecutionRoleName).toBe('crypto-monitoring-stackset-execution');
    expect(own.DependsOn).toEqual(expect.arrayContaining([admin[0], exec[0]]));
    // The execution role trusts the administration role alone.
    expect((exec[1] as Json).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [admin[0], 'Arn'] } } },
    ]);
  });

  test('the administration role trusts CloudFormation and, for an opt-in Region, its Regional principal; it may assume only the execution role', () => {
    const admin = roleNamed(template, 'crypto-monitoring-stackset-administration');
    const [trust] = admin.Properties.AssumeRolePolicyDocument.Statement;
    expect([...trust.Principal.Service].sort()).toEqual(['cloudformation.af-south-1.amazonaws.com', 'cloudformation.amazonaws.com']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/crypto-monitoring-stackset-execution']] },
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('AdministrationRole') }],
    });
  });

  test('the execution role cannot attach managed policies, cannot touch the StackSet roles, and passes roles only to Lambda and EventBridge', () => {
    const all = statements(roleNamed(template, 'crypto-monitoring-stackset-execution'));
    const actions = all.filter((s) => s.Effect === 'Allow').flatMap((s) => [].concat(s.Action));
    expect(actions).not.toContain('iam:*');
    expect(actions).not.toContain('iam:AttachRolePolicy');
    expect(actions).not.toContain('*');
    const deny = all.find((s) => s.Effect === 'Deny');
    expect(deny.Action).toBe('iam:*');
    expect(JSON.stringify(deny.Resource)).toContain(':role/crypto-monitoring-stackset-*');
    const pass = all.find((s) => s.Sid === 'PassRuleRoles');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'events.amazonaws.com'] } });
  });

  test('every named resource of the member template falls inside what the execution role may manage', () => {
    const member = Template.fromStack(built.member.stack).toJSON();
    const prefix = 'crypto-monitoring-';
    for (const r of Object.values(member.Resources) as Json[]) {
      const p = r.Properties ?? {};
      const name = p.FunctionName ?? p.LogGroupName ?? p.RoleName ?? p.Name;
      if (name === undefined || typeof name === 'object' && !('Fn::Join' in name)) continue;
      const text = typeof name === 'string' ? name : name['Fn::Join'][1].filter((x: Json) => typeof x === 'string').join('');
      expect(text.replace('/aws/lambda/', '')).toMatch(new RegExp(`^${prefix}`));
    }
  });
});

test('with no target Regions the StackSet deploys to the stack\'s own Region, and the Regional principal is added only in an opt-in Region', () => {
  const { built } = buildTestApp({ deployment: { targetRegions: [] } });
  const template = Template.fromStack(built.management);
  const [own] = selfManaged(template);
  expect(own.Properties.StackInstancesGroup[0].Regions).toEqual([{ Ref: 'AWS::Region' }]);
  const admin = roleNamed(template, 'crypto-monitoring-stackset-administration');
  const [trust] = admin.Properties.AssumeRolePolicyDocument.Statement;
  const [, regional] = trust.Principal.Service;
  expect(regional['Fn::If'][1]).toEqual({ 'Fn::Sub': 'cloudformation.${AWS::Region}.amazonaws.com' });
  expect(regional['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
  const condition = JSON.stringify(template.toJSON().Conditions[regional['Fn::If'][0]]);
  for (const r of ['af-south-1', 'ap-east-2', 'mx-central-1']) expect(condition).toContain(`"${r}"`);
  expect(condition).not.toContain('"us-east-1"');
});

test('switched off, the management stack has only the organization StackSet', () => {
  const { built } = buildTestApp({ deployment: { includeManagementAccount: false } });
  expect(selfManaged(Template.fromStack(built.management))).toEqual([]);
  expect(built.management.managementAccountStackSet).toBeUndefined();
});

test('from a delegated administrator the default is off: its own account is already a StackSet target', () => {
  const { built } = buildTestApp({ deployment: { callAs: 'DELEGATED_ADMIN' } });
  expect(selfManaged(Template.fromStack(built.management))).toEqual([]);
});

describe('with every part of the member template on, the execution role may manage each of its resource types', () => {
  const { built } = buildTestApp({
    analytics: { enabled: true },
    inventory: { enabled: true, bucketAccountId: '111122223333' },
    alerting: { enabled: true },
    rules: { cryptoQuantumReadiness: { enabled: true }, acmPcaCertificateAuthority: { enabled: true } },
    retirement: { enabled: true, approverArns: ['arn:aws:iam::111122223333:role/KeyCustodian'], notificationTopicArn: 'arn:aws:sns:us-east-1:111122223333:AutomationApprovals' },
  });
  const role = statements(roleNamed(Template.fromStack(built.management), 'crypto-monitoring-stackset-execution'));
  const allowed = role.filter((s) => s.Effect === 'Allow');
  // What CloudFormation calls to create each type, and the ARN it calls it on.
  const NEEDS: Record<string, { action: string; resource: RegExp }> = {
    'AWS::Config::ConfigRule': { action: 'config:PutConfigRule', resource: /:config-rule\/\*$/ },
    'AWS::Config::RemediationConfiguration': { action: 'config:PutRemediationConfigurations', resource: /:remediation-configuration\/\*$/ },
    'AWS::SSM::Document': { action: 'ssm:CreateDocument', resource: /:document\/crypto-monitoring-\*$/ },
    'AWS::IAM::Role': { action: 'iam:CreateRole', resource: /:role\/crypto-monitoring-\*$/ },
    'AWS::IAM::Policy': { action: 'iam:PutRolePolicy', resource: /:role\/crypto-monitoring-\*$/ },
    'AWS::Lambda::Function': { action: 'lambda:CreateFunction', resource: /:function:crypto-monitoring-\*$/ },
    'AWS::Lambda::Permission': { action: 'lambda:AddPermission', resource: /:function:crypto-monitoring-\*$/ },
    'AWS::Lambda::EventInvokeConfig': { action: 'lambda:PutFunctionEventInvokeConfig', resource: /:function:crypto-monitoring-\*$/ },
    'AWS::Logs::LogGroup': { action: 'logs:CreateLogGroup', resource: /:log-group:\/aws\/lambda\/crypto-monitoring-\*$/ },
    'AWS::Events::Rule': { action: 'events:PutRule', resource: /:rule\/crypto-monitoring-\*$/ },
  };
  const types = [...new Set(Object.values(Template.fromStack(built.member.stack).toJSON().Resources).map((r: Json) => r.Type as string))].sort();

  test('every type is known here (a new type must be added to NEEDS and to the role)', () => {
    expect(types.filter((t) => !(t in NEEDS))).toEqual([]);
    expect(types).toEqual(expect.arrayContaining(['AWS::SSM::Document', 'AWS::Config::RemediationConfiguration']));
  });

  test.each(types.filter((t) => t in NEEDS))('%s', (type) => {
    const { action, resource } = NEEDS[type];
    const [service] = action.split(':');
    const covering = allowed.filter((s) => [].concat(s.Action).some((a: string) => a === action || a === `${service}:*`));
    const resources = covering.flatMap((s) => [].concat(s.Resource)).map((r: Json) => (typeof r === 'string' ? r : JSON.stringify(r).replace(/[{}"[\]]|Fn::Join|Ref|AWS::(Partition|AccountId)|,/g, '')));
    expect(resources.some((r: string) => resource.test(r))).toBe(true);
  });

  test('the Automation role may be passed to Systems Manager, and roles to nothing else new', () => {
    expect(role.find((s) => s.Sid === 'PassRuleRoles').Condition).toEqual({ StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'events.amazonaws.com', 'ssm.amazonaws.com'] } });
  });
});
