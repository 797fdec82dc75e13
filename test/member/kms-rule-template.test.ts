import * as fs from 'fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TEMPLATE_URL_LIMIT_BYTES } from '../../lib/member/member-template';
import { buildTestApp } from '../support/app';

describe('member template: kms-unused-key-check', () => {
  // The other custom rules are switched off: this file looks at the KMS rule's function, role and policy alone.
  const { built } = buildTestApp({
    rules: {
      kmsUnusedKey: { unusedForDays: 45, evaluationFrequency: 'Six_Hours', exemptionTagKey: 'keep-me' },
      secretsUnusedSecret: { enabled: false },
      acmPendingDnsValidation: { enabled: false },
      acmPcaCertificateAuthority: { enabled: false },
    },
  });
  const template = Template.fromStack(built.member.stack);
  const json = template.toJSON();

  test('deploys where CDK was never bootstrapped: no bootstrap parameter or rule, no asset references', () => {
    expect(json.Parameters ?? {}).not.toHaveProperty('BootstrapVersion');
    expect(json.Rules ?? {}).not.toHaveProperty('CheckBootstrapVersion');
    // Everything but the inlined handler code, which contains SDK strings of its own.
    const withoutCode = structuredClone(json);
    for (const r of Object.values<any>(withoutCode.Resources)) if (r.Type === 'AWS::Lambda::Function') delete r.Properties.Code;
    const text = JSON.stringify(withoutCode);
    expect(text).not.toMatch(/cdk-hnb659fds|AssetParameters|S3Bucket|S3Key/);
    for (const r of Object.values<any>(json.Resources)) if (r.Type === 'AWS::Lambda::Function') expect(Object.keys(r.Properties.Code)).toEqual(['ZipFile']);
  });

  test('stays well under the 1 MB template-URL limit', () => {
    expect(built.member.sizeBytes).toBe(fs.statSync(built.member.templatePath).size);
    expect(built.member.sizeBytes).toBeLessThan(TEMPLATE_URL_LIMIT_BYTES * 0.7);
  });

  test('the Config rule is periodic with parameters from settings', () => {
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'kms-unused-key-check',
      InputParameters: { unusedForDays: '45', exemptionTagKey: 'keep-me' },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('kmsUnusedKeyFunction'), 'Arn'] },
        SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Six_Hours' }],
      },
    });
  });

  test('the rule waits for the invoke permission, which is limited to this account', () => {
    const [ruleId, rule] = Object.entries(template.findResources('AWS::Config::ConfigRule'))[0];
    const [permId] = Object.entries(template.findResources('AWS::Lambda::Permission'))[0];
    expect(ruleId).toBeDefined();
    expect(rule.DependsOn).toContain(permId);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'config.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  test('the function: inline bundled code, nodejs24.x on arm64, JSON logs to its own log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'crypto-monitoring-kms-unused-key-check',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 900,
      MemorySize: 512,
      Code: { ZipFile: Match.stringLikeRegexp('GetKeyLastUsage') },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('kmsUnusedKeyLogGroup') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/crypto-monitoring-kms-unused-key-check', RetentionInDays: 365 });
    // The log-retention custom resource is not used.
    expect(Object.keys(template.findResources('Custom::LogRetention'))).toHaveLength(0);
  });

  test('the KMS client is bundled (GetKeyLastUsage is newer than some runtime SDKs); the Config client is not', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    const code: string = fn.Properties.Code.ZipFile;
    expect(code).toContain('require("@aws-sdk/client-config-service")');
    expect(code).not.toContain('require("@aws-sdk/client-kms")');
  });

  test('least privilege: only the calls the handler makes, scoped where the API allows', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s: any) => [].concat(s.Action)).sort();
    expect(actions).toEqual([
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'kms:DescribeKey',
      'kms:GetKeyLastUsage',
      'kms:ListKeys',
      'kms:ListResourceTags',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'tag:GetResources',
    ]);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      const star = [].concat(s.Resource).includes('*' as never);
      // "*" only where the API has no resource scope.
      expect(star).toBe([].concat(s.Action).every((a: string) => ['kms:ListKeys', 'tag:GetResources', 'config:PutEvaluations'].includes(a)));
    }
    const text = JSON.stringify(statements);
    expect(text).not.toMatch(/kms:Decrypt|kms:\*|config:\*|secretsmanager:GetSecretValue/);
    // The function may invoke only itself (its continuation), named from the function's own name.
    const invoke = statements.find((s: any) => s.Action === 'lambda:InvokeFunction');
    expect(invoke.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:crypto-monitoring-kms-unused-key-check']],
    });
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0].Properties.ManagedPolicyArns).toBeUndefined();
    expect(roles[0].Properties.RoleName).toEqual({ 'Fn::Join': ['', ['crypto-monitoring-kmsUnusedKey-', { Ref: 'AWS::Region' }]] });
  });
});

describe('member template: how a run is invoked and continued', () => {
  test('asynchronous invocations are never retried by Lambda, and the continuation chain is not cut at 16', () => {
    const template = Template.fromStack(buildTestApp({}).built.member.stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, Qualifier: '$LATEST' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'crypto-monitoring-kms-unused-key-check',
      RecursiveLoop: 'Allow',
      Timeout: 900,
      Environment: { Variables: { EVALUATION_FREQUENCY: 'TwentyFour_Hours' } },
    });
  });

  test('the request rate and the evaluation period come from settings', () => {
    const { built } = buildTestApp({ rules: { kmsUnusedKey: { requestsPerSecond: 20, evaluationFrequency: 'Twelve_Hours' } } });
    const t = Template.fromStack(built.member.stack);
    t.hasResourceProperties('AWS::Config::ConfigRule', { ConfigRuleName: 'kms-unused-key-check', InputParameters: { requestsPerSecond: '20' } });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'crypto-monitoring-kms-unused-key-check', Environment: { Variables: { EVALUATION_FREQUENCY: 'Twelve_Hours' } } });
  });
});

describe('member template: settings switch the rule off', () => {
  test('a disabled rule is absent', () => {
    const { built } = buildTestApp({ rules: { kmsUnusedKey: { enabled: false } } });
    Template.fromStack(built.member.stack).resourcePropertiesCountIs('AWS::Config::ConfigRule', { ConfigRuleName: 'kms-unused-key-check' }, 0);
  });
});
