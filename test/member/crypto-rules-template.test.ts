import * as fs from 'fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RULE_NAMES } from '../../lib/catalog';
import { TEMPLATE_URL_LIMIT_BYTES } from '../../lib/member/member-template';
import { buildTestApp } from '../support/app';

/** The statements of the policy attached to the role of a rule's function, by the rule's catalog key. */
function policyOf(template: Template, key: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes(`${key}Role`));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}
const actionsOf = (statements: any[]) => statements.flatMap((s) => [].concat(s.Action)).sort();
/** The actions of the statements whose resource is "*". */
const unscoped = (statements: any[]) => statements.filter((s) => [].concat(s.Resource).includes('*' as never)).flatMap((s) => [].concat(s.Action)).sort();
const functionNamed = (template: Template, name: string) =>
  Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.FunctionName === `crypto-monitoring-${name}`) as any;
const ruleNames = (template: Template) => Object.values(template.findResources('AWS::Config::ConfigRule')).map((r: any) => r.Properties.ConfigRuleName);

describe('member template by default: both rules off', () => {
  const { built } = buildTestApp();
  const template = Template.fromStack(built.member.stack);

  test('neither rule nor its function is deployed', () => {
    for (const name of [RULE_NAMES.acmPcaCertificateAuthority, RULE_NAMES.cryptoQuantumReadiness]) {
      expect(ruleNames(template)).not.toContain(name);
      expect(functionNamed(template, name)).toBeUndefined();
    }
  });

  test('switched on alone, the Private CA rule takes its defaults', () => {
    const on = Template.fromStack(buildTestApp({ rules: { acmPcaCertificateAuthority: { enabled: true } } }).built.member.stack);
    on.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: RULE_NAMES.acmPcaCertificateAuthority,
      InputParameters: { expiringWithinDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: '16' },
      Source: { Owner: 'CUSTOM_LAMBDA', SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' }] },
    });
  });
});

describe('member template with both rules on', () => {
  // cdk-nag (AwsSolutions) and the CloudFormation validator run in synthesis and throw on any unacknowledged finding.
  const { built } = buildTestApp({
    rules: {
      acmPcaCertificateAuthority: { enabled: true, expiringWithinDays: 180, evaluationFrequency: 'Twelve_Hours', exemptionTagKey: 'keep-ca', requestsPerSecond: 5 },
      cryptoQuantumReadiness: { enabled: true, migrationDeadline: '2029-12-31', assetClasses: ['kms-key', 'certificate-authority'], exemptionTagKey: 'pqc-exempt', requestsPerSecond: 50 },
    },
  });
  const template = Template.fromStack(built.member.stack);

  test.each([
    [RULE_NAMES.acmPcaCertificateAuthority, 'acmPcaCertificateAuthority', { expiringWithinDays: '180', exemptionTagKey: 'keep-ca', requestsPerSecond: '5' }, 'Twelve_Hours'],
    [
      RULE_NAMES.cryptoQuantumReadiness,
      'cryptoQuantumReadiness',
      { migrationDeadline: '2029-12-31', assetClasses: 'kms-key,certificate-authority', exemptionTagKey: 'pqc-exempt', requestsPerSecond: '50' },
      'TwentyFour_Hours',
    ],
  ])('%s: a periodic custom rule with its parameters and schedule from settings', (name, key, parameters, frequency) => {
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: name,
      InputParameters: parameters,
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp(`${key}Function`), 'Arn'] },
        SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: frequency }],
      },
    });
  });

  test.each([
    [RULE_NAMES.acmPcaCertificateAuthority, 256, 300, ['acm-pca']],
    [RULE_NAMES.cryptoQuantumReadiness, 512, 900, ['acm', 'acm-pca', 'kms']],
  ])('%s: inline code taking its SDK clients from the Lambda runtime, %i MB, %i s', (name, memory, timeout, services) => {
    const fn = functionNamed(template, name);
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: memory, Timeout: timeout, Environment: { Variables: { EVALUATION_FREQUENCY: expect.any(String) } } });
    const code: string = fn.Properties.Code.ZipFile;
    expect(code.length).toBeLessThan(60_000);
    for (const service of services) expect(code).toContain(`require("@aws-sdk/client-${service}")`);
    // No SDK client is bundled into it.
    expect(code).not.toMatch(/@smithy\/core|AWS SDK for JavaScript/);
  });

  test('Private CA role: the listing and tag:GetResources unscoped (no resource scope), ListTags on the CAs of its own account and Region, nothing else', () => {
    const statements = policyOf(template, 'acmPcaCertificateAuthority');
    expect(actionsOf(statements)).toEqual([
      'acm-pca:ListCertificateAuthorities',
      'acm-pca:ListTags',
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'tag:GetResources',
    ]);
    expect(unscoped(statements)).toEqual(['acm-pca:ListCertificateAuthorities', 'config:PutEvaluations', 'tag:GetResources']);
    const listTags = statements.find((s) => [].concat(s.Action).includes('acm-pca:ListTags' as never));
    expect(JSON.stringify(listTags.Resource)).toMatch(/:acm-pca:".*certificate-authority\/\*/);
    // It reads no certificate, issues nothing, changes nothing.
    expect(JSON.stringify(statements)).not.toMatch(/acm-pca:(Issue|Get|Create|Update|Delete|Revoke|Describe)/);
  });

  test('quantum-readiness role: listings unscoped, DescribeKey and tag reads scoped to keys, certificates and CAs of its own account and Region; no cryptographic call', () => {
    const statements = policyOf(template, 'cryptoQuantumReadiness');
    expect(actionsOf(statements)).toEqual([
      'acm-pca:ListCertificateAuthorities',
      'acm-pca:ListTags',
      'acm:ListCertificates',
      'acm:ListTagsForCertificate',
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'kms:DescribeKey',
      'kms:ListKeys',
      'kms:ListResourceTags',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'tag:GetResources',
    ]);
    expect(unscoped(statements)).toEqual(['acm-pca:ListCertificateAuthorities', 'acm:ListCertificates', 'config:PutEvaluations', 'kms:ListKeys', 'tag:GetResources']);
    const scopeOf = (action: string) => JSON.stringify(statements.find((s) => [].concat(s.Action).includes(action as never)).Resource);
    expect(scopeOf('kms:DescribeKey')).toMatch(/:kms:".*:key\/\*/);
    expect(scopeOf('acm:ListTagsForCertificate')).toMatch(/:acm:".*:certificate\/\*/);
    expect(scopeOf('acm-pca:ListTags')).toMatch(/:acm-pca:".*:certificate-authority\/\*/);
    expect(JSON.stringify(statements)).not.toMatch(/kms:(Decrypt|Encrypt|Sign|GenerateDataKey|GetPublicKey)|acm:(DescribeCertificate|ExportCertificate|GetCertificate)|"[a-z-]+:\*"/);
  });

  test('the template with every custom rule on stays well under the 1 MB template-URL limit', () => {
    expect(built.member.sizeBytes).toBe(fs.statSync(built.member.templatePath).size);
    expect(built.member.sizeBytes).toBeLessThan(TEMPLATE_URL_LIMIT_BYTES * 0.7);
  });
});
