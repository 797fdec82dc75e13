import { Match, Template } from 'aws-cdk-lib/assertions';
import { MANAGED_RULES, RULE_NAMES } from '../../lib/catalog';
import { buildTestApp } from '../support/app';

/** The statements of the policy attached to the role of a rule's function, by the rule's catalog key. */
function policyOf(template: Template, key: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
    JSON.stringify(p.Properties.Roles).includes(`${key}Role`),
  );
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}
const actionsOf = (statements: any[]) => statements.flatMap((s) => [].concat(s.Action)).sort();

describe('member template: the Secrets Manager and ACM rules', () => {
  const { built } = buildTestApp({
    rules: {
      secretsUnusedSecret: { unusedForDays: 60, evaluationFrequency: 'Six_Hours', exemptionTagKey: 'keep-secret' },
      acmPendingDnsValidation: { maxPendingHours: 36, evaluationFrequency: 'Three_Hours', exemptionTagKey: 'keep-cert' },
    },
  });
  const template = Template.fromStack(built.member.stack);

  test.each([
    [RULE_NAMES.secretsUnusedSecret, 'secretsUnusedSecret', { unusedForDays: '60', exemptionTagKey: 'keep-secret' }, 'Six_Hours'],
    [RULE_NAMES.acmPendingDnsValidation, 'acmPendingDnsValidation', { maxPendingHours: '36', exemptionTagKey: 'keep-cert' }, 'Three_Hours'],
  ])('%s: periodic custom rule with its parameters and schedule from settings', (name, key, parameters, frequency) => {
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: name,
      InputParameters: parameters,
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp(`${key}Function`), 'Arn'] },
        SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: frequency }],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `crypto-monitoring-${name}`, Runtime: 'nodejs24.x', Code: { ZipFile: Match.anyValue() } });
  });

  test('both handlers take their SDK clients from the Lambda runtime (small inline code)', () => {
    for (const name of [RULE_NAMES.secretsUnusedSecret, RULE_NAMES.acmPendingDnsValidation]) {
      const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.FunctionName === `crypto-monitoring-${name}`) as any;
      const code: string = fn.Properties.Code.ZipFile;
      expect(code.length).toBeLessThan(50_000);
      expect(code).toMatch(/require\("@aws-sdk\/client-(secrets-manager|acm)"\)/);
    }
  });

  test('Secrets Manager role: ListSecrets only, never GetSecretValue or any other secret read', () => {
    const statements = policyOf(template, 'secretsUnusedSecret');
    expect(actionsOf(statements)).toEqual([
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:ListSecrets',
    ]);
    const text = JSON.stringify(statements);
    expect(text).not.toMatch(/secretsmanager:GetSecretValue|secretsmanager:DescribeSecret|secretsmanager:BatchGetSecretValue|secretsmanager:\*|kms:Decrypt/);
    // And no policy anywhere in the template grants a secret read.
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('secretsmanager:GetSecretValue');
  });

  test('ACM role: ListCertificates and tag:GetResources unscoped (they have no resource scope), per-certificate reads scoped to certificate ARNs', () => {
    const statements = policyOf(template, 'acmPendingDnsValidation');
    expect(actionsOf(statements)).toEqual([
      'acm:DescribeCertificate',
      'acm:ListCertificates',
      'acm:ListTagsForCertificate',
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'tag:GetResources',
    ]);
    for (const s of statements) {
      const actions: string[] = [].concat(s.Action);
      const star = [].concat(s.Resource).includes('*' as never);
      expect(star).toBe(actions.every((a) => ['acm:ListCertificates', 'tag:GetResources', 'config:PutEvaluations'].includes(a)));
      if (actions.includes('acm:DescribeCertificate')) {
        expect(s.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':certificate/*']] });
      }
    }
  });

  test('each rule runs under its own role, named after the rule, without managed policies', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role')).map((r: any) => r.Properties);
    for (const key of ['secretsUnusedSecret', 'acmPendingDnsValidation']) {
      const role = roles.find((r) => JSON.stringify(r.RoleName).includes(`crypto-monitoring-${key}-`));
      expect(role).toBeDefined();
      expect(role.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('member template: the AWS managed rules', () => {
  const { built } = buildTestApp({
    rules: {
      // Off: this describe counts the functions of the three rules it looks at (the Private CA rule's are in crypto-rules-template.test.ts).
      acmPcaCertificateAuthority: { enabled: false },
      managed: {
        secretsPeriodicRotation: { maxDaysSinceRotation: 30, evaluationFrequency: 'Twelve_Hours' },
        acmCertificateExpiration: { daysToExpiration: 45 },
        secretsRotationEnabled: { maximumAllowedRotationFrequency: 60 },
      },
    },
  });
  const template = Template.fromStack(built.member.stack);
  const rule = (name: string) => Object.values(template.findResources('AWS::Config::ConfigRule')).find((r: any) => r.Properties.ConfigRuleName === name) as any;

  test.each([
    ['cmk-backing-key-rotation-enabled', 'CMK_BACKING_KEY_ROTATION_ENABLED', undefined, 'TwentyFour_Hours', undefined],
    ['kms-cmk-not-scheduled-for-deletion', 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION', undefined, 'TwentyFour_Hours', undefined],
    ['kms-key-policy-no-public-access', 'KMS_KEY_POLICY_NO_PUBLIC_ACCESS', ['AWS::KMS::Key'], undefined, undefined],
    ['secretsmanager-rotation-enabled-check', 'SECRETSMANAGER_ROTATION_ENABLED_CHECK', ['AWS::SecretsManager::Secret'], undefined, { maximumAllowedRotationFrequency: '60' }],
    ['secretsmanager-scheduled-rotation-success-check', 'SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK', ['AWS::SecretsManager::Secret'], undefined, undefined],
    ['secretsmanager-secret-periodic-rotation', 'SECRETSMANAGER_SECRET_PERIODIC_ROTATION', undefined, 'Twelve_Hours', { maxDaysSinceRotation: '30' }],
    ['acm-certificate-expiration-check', 'ACM_CERTIFICATE_EXPIRATION_CHECK', ['AWS::ACM::Certificate'], 'TwentyFour_Hours', { daysToExpiration: '45' }],
    ['acm-certificate-rsa-check', 'ACM_CERTIFICATE_RSA_CHECK', ['AWS::ACM::Certificate'], undefined, undefined],
  ])('%s: %s, scope %j, frequency %s, parameters %j', (name, identifier, scope, frequency, parameters) => {
    const r = rule(name);
    expect(r).toBeDefined();
    expect(r.Properties.Source).toEqual({ Owner: 'AWS', SourceIdentifier: identifier });
    // Change-triggered rules are scoped to their resource types; periodic ones run on the configured frequency.
    expect(r.Properties.Scope).toEqual(scope ? { ComplianceResourceTypes: scope } : undefined);
    expect(r.Properties.MaximumExecutionFrequency).toBe(frequency);
    expect(r.Properties.InputParameters).toEqual(parameters);
  });

  test('every managed rule of the catalog is deployed under its stable name, and no function is created for them', () => {
    const names = Object.values(template.findResources('AWS::Config::ConfigRule')).map((r: any) => r.Properties.ConfigRuleName);
    for (const spec of MANAGED_RULES) expect(names).toContain(spec.name);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(3);
  });
});

describe('settings switch rules off', () => {
  test('disabled custom and managed rules are absent, the others stay', () => {
    const { built } = buildTestApp({
      rules: {
        secretsUnusedSecret: { enabled: false },
        acmPendingDnsValidation: { enabled: false },
        acmPcaCertificateAuthority: { enabled: false },
        managed: { kmsKeyPolicyNoPublicAccess: { enabled: false }, acmCertificateRsa: { enabled: false } },
      },
    });
    const names = Object.values(Template.fromStack(built.member.stack).findResources('AWS::Config::ConfigRule')).map((r: any) => r.Properties.ConfigRuleName).sort();
    expect(names).toEqual(
      [
        'acm-certificate-expiration-check',
        'cmk-backing-key-rotation-enabled',
        'kms-cmk-not-scheduled-for-deletion',
        'kms-unused-key-check',
        'secretsmanager-rotation-enabled-check',
        'secretsmanager-scheduled-rotation-success-check',
        'secretsmanager-secret-periodic-rotation',
      ].sort(),
    );
  });
});
