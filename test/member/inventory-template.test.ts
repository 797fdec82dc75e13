/**
 * The member template and the inventory: while it is off nothing changes; while it is on, each of
 * the three rules gets the bucket, its owner and Region and the prices its pricing reads as rule
 * parameters (within AWS Config's 1,024 characters), and its role may put only this account's and
 * Region's inventory objects in that bucket, plus KMS's rotation reads; cdk-nag stays clean.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CUSTOM_RULES, inventoryParameters, plainDecimal } from '../../lib/catalog';
import { CustomConfigRule, MAX_INPUT_PARAMETERS_LENGTH } from '../../lib/member/custom-config-rule';
import { synthesizeMemberTemplate } from '../../lib/member/member-template';
import { KNOWN_REGIONS } from '../../lib/settings/fields';
import { settingsFromContext } from '../../lib/settings';
import { contextWith } from '../support/app';
import { PARAMETER_NAMES as ACM_PARAMETERS } from '../../lambda/acm-pending-dns-validation';
import { PARAMETER_NAMES as KMS_PARAMETERS } from '../../lambda/kms-unused-keys';
import { PARAMETER_NAMES as SECRETS_PARAMETERS } from '../../lambda/secrets-unused';
import { PARAMETER_NAMES as PCA_PARAMETERS } from '../../lambda/acm-pca-certificate-authority-check';

const ON = { inventory: { enabled: true, bucketAccountId: '444455556666' }, analytics: { enabled: true, securityLakeRegion: 'us-east-1' } };
const BUCKET = 'crypto-monitoring-inventory-444455556666-us-east-1';
const THREE = ['kms-unused-key-check', 'secretsmanager-unused-secret-check', 'acm-pending-dns-validation-check'];

function member(overrides: Record<string, unknown>) {
  const context = contextWith(overrides);
  const settings = settingsFromContext(context);
  const built = synthesizeMemberTemplate(settings, context, fs.mkdtempSync(path.join(os.tmpdir(), 'cam-inventory-')));
  return { settings, template: Template.fromStack(built.stack), json: JSON.parse(fs.readFileSync(built.templatePath, 'utf8')) };
}

const rules = (t: Template) => Object.fromEntries(Object.values(t.findResources('AWS::Config::ConfigRule')).map((r: any) => [r.Properties.ConfigRuleName, r.Properties]));
const policyOf = (t: Template, ruleKey: string) =>
  Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith(`${ruleKey}Policy`))![1].Properties.PolicyDocument.Statement as any[];
const actionsOf = (statements: any[]) => statements.flatMap((s) => [].concat(s.Action)).sort();

describe('inventory off (the default)', () => {
  const off = member({});

  test('no inventory parameter, no S3 permission, no rotation read', () => {
    for (const name of THREE) expect(Object.keys(rules(off.template)[name].InputParameters ?? {})).not.toEqual(expect.arrayContaining(['inventoryBucket']));
    // Everything but the handlers' code, which knows the inventory whether it is on or not.
    const withoutCode = structuredClone(off.json);
    for (const r of Object.values<any>(withoutCode.Resources)) if (r.Type === 'AWS::Lambda::Function') delete r.Properties.Code;
    const text = JSON.stringify(withoutCode);
    expect(text).not.toMatch(/s3:PutObject|kms:GetKeyRotationStatus|kms:ListKeyRotations|inventoryBucket|priceDate/);
  });

  test('inventory settings that are off change nothing in the template', () => {
    const configuredButOff = member({ inventory: { enabled: false, bucketAccountId: '444455556666', prices: { kmsKeyMonthlyUsd: 2, date: '2027-01-01' } } });
    expect(configuredButOff.json).toEqual(off.json);
  });
});

describe('inventory on', () => {
  const on = member(ON);

  test('each rule gets the bucket, its owner and Region, the prices date and the prices it reads', () => {
    const r = rules(on.template);
    const target = { inventoryBucket: BUCKET, inventoryBucketOwner: '444455556666', inventoryRegion: 'us-east-1', priceDate: '2026-11-01' };
    expect(r['kms-unused-key-check'].InputParameters).toEqual({
      unusedForDays: '90',
      exemptionTagKey: 'crypto-monitoring:exempt',
      requestsPerSecond: '4',
      ...target,
      kmsKeyMonthlyUsd: '1',
      kmsKeyRotationMonthlyUsd: '1',
    });
    expect(r['secretsmanager-unused-secret-check'].InputParameters).toEqual({ unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: '80', ...target, secretMonthlyUsd: '0.4' });
    expect(r['acm-pending-dns-validation-check'].InputParameters).toEqual({ maxPendingHours: '24', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: '8', ...target });
  });

  test('every parameter a catalog entry passes is one its handler takes (the handlers refuse any other)', () => {
    const r = rules(on.template);
    const takes: Record<string, readonly string[]> = { 'kms-unused-key-check': KMS_PARAMETERS, 'secretsmanager-unused-secret-check': SECRETS_PARAMETERS, 'acm-pending-dns-validation-check': ACM_PARAMETERS };
    for (const name of THREE) for (const key of Object.keys(r[name].InputParameters)) expect(takes[name]).toContain(key);
  });

  test("each role may put only this account's and Region's inventory objects in that bucket", () => {
    for (const key of ['kmsUnusedKey', 'secretsUnusedSecret', 'acmPendingDnsValidation']) {
      const put = policyOf(on.template, key).filter((s) => [].concat(s.Action).includes('s3:PutObject' as never));
      expect(put).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${BUCKET}/inventory/dt=*/`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-*']] },
        },
      ]);
    }
  });

  test('KMS adds its rotation reads on keys of its own account and Region; ACM and Secrets Manager read nothing more', () => {
    expect(actionsOf(policyOf(on.template, 'kmsUnusedKey'))).toEqual([
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'kms:DescribeKey',
      'kms:GetKeyLastUsage',
      'kms:GetKeyRotationStatus',
      'kms:ListKeyRotations',
      'kms:ListKeys',
      'kms:ListResourceTags',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'tag:GetResources',
    ]);
    const rotation = policyOf(on.template, 'kmsUnusedKey').find((s) => [].concat(s.Action).includes('kms:GetKeyRotationStatus' as never));
    expect(rotation.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/*']] });
    expect(actionsOf(policyOf(on.template, 'secretsUnusedSecret'))).toEqual([
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'secretsmanager:ListSecrets',
    ]);
    expect(actionsOf(policyOf(on.template, 'acmPendingDnsValidation'))).toContain('acm:DescribeCertificate');
  });

  test('the S3 client is the Lambda runtime\'s: no handler bundle carries it, the KMS one included', () => {
    for (const fn of Object.values(on.template.findResources('AWS::Lambda::Function')) as any[]) {
      const code: string = fn.Properties.Code.ZipFile;
      if (!code.includes('PutObject')) continue;
      expect(code).toContain('require("@aws-sdk/client-s3")');
    }
  });
});

describe('InputParameters stay within 1,024 characters', () => {
  const longestRegion = [...KNOWN_REGIONS].sort((a, b) => b.length - a.length)[0];

  test('with every setting at its longest, each rule is well within the limit', () => {
    const tagKey = `k${'x'.repeat(127)}`;
    const settings = settingsFromContext(
      contextWith({
        deployment: { namePrefix: 'a'.repeat(20) },
        analytics: { enabled: true, securityLakeRegion: longestRegion },
        inventory: {
          enabled: true,
          bucketAccountId: '444455556666',
          prices: { date: '2026-11-01', kmsKeyMonthlyUsd: 99999.123456789, kmsKeyRotationMonthlyUsd: 0.000000123456789, secretMonthlyUsd: 99999.99, privateCaGeneralPurposeMonthlyUsd: 99999.99, privateCaShortLivedMonthlyUsd: 99999.99 },
        },
        rules: {
          kmsUnusedKey: { exemptionTagKey: tagKey, unusedForDays: 365, requestsPerSecond: 999.123456789 },
          secretsUnusedSecret: { exemptionTagKey: tagKey, unusedForDays: 365, requestsPerSecond: 999.123456789 },
          acmPendingDnsValidation: { exemptionTagKey: tagKey, maxPendingHours: 72, requestsPerSecond: 999.123456789 },
        },
      }),
    );
    for (const spec of CUSTOM_RULES.filter((s) => ['kmsUnusedKey', 'secretsUnusedSecret', 'acmPendingDnsValidation'].includes(s.key))) {
      const length = JSON.stringify(spec.parameters(settings)).length;
      expect(length).toBeLessThan(MAX_INPUT_PARAMETERS_LENGTH * 0.6);
    }
    expect(inventoryParameters(settings, ['kmsKeyRotationMonthlyUsd']).kmsKeyRotationMonthlyUsd).toBe('0.000000123456789');
  });

  test('parameters past the limit stop synthesis, naming the rule and the length', () => {
    const stack = new Stack(new App(), 'S');
    const spec = CUSTOM_RULES.find((s) => s.key === 'secretsUnusedSecret')!;
    expect(
      () =>
        new CustomConfigRule(stack, 'R', {
          spec,
          inputParameters: { exemptionTagKey: 'x'.repeat(1000), unusedForDays: '90' },
          maximumExecutionFrequency: 'TwentyFour_Hours',
          namePrefix: 'crypto-monitoring',
          logRetentionDays: 365,
        }),
    ).toThrow(/secretsmanager-unused-secret-check: its InputParameters are 10\d\d characters as JSON; AWS Config takes at most 1024/);
  });

  test.each<[number, string]>([
    [1, '1'],
    [0.4, '0.4'],
    [100000, '100000'],
    [1e-7, '0.0000001'],
    [0.000000123456789, '0.000000123456789'],
  ])('prices are written as plain decimals: %p → %s', (n, text) => {
    expect(plainDecimal(n)).toBe(text);
  });
});

describe('the Private CA rule (off by default) and the inventory', () => {
  const PCA = { rules: { acmPcaCertificateAuthority: { enabled: true } } };
  const PCA_NAME = 'acm-pca-certificate-authority-check';
  const own = { expiringWithinDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', requestsPerSecond: '16' };

  test('inventory off: its parameters and role are unchanged (no bucket, no price, no s3:PutObject)', () => {
    const off = member(PCA);
    expect(rules(off.template)[PCA_NAME].InputParameters).toEqual(own);
    expect(actionsOf(policyOf(off.template, 'acmPcaCertificateAuthority'))).not.toContain('s3:PutObject');
  });

  test('inventory on: the bucket, its owner and Region, the prices date and both Private CA prices; its role may put only its own inventory objects; no other read', () => {
    const on = member({ ...ON, ...PCA });
    const params = rules(on.template)[PCA_NAME].InputParameters;
    expect(params).toEqual({
      ...own,
      inventoryBucket: BUCKET,
      inventoryBucketOwner: '444455556666',
      inventoryRegion: 'us-east-1',
      priceDate: '2026-11-01',
      privateCaGeneralPurposeMonthlyUsd: '400',
      privateCaShortLivedMonthlyUsd: '50',
    });
    // The handler refuses any parameter it does not take.
    for (const key of Object.keys(params)) expect(PCA_PARAMETERS).toContain(key);
    const statements = policyOf(on.template, 'acmPcaCertificateAuthority');
    expect(statements.filter((s) => [].concat(s.Action).includes('s3:PutObject' as never))).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${BUCKET}/inventory/dt=*/`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-*']] },
      },
    ]);
    // The records come from the listing the rule reads anyway.
    expect(actionsOf(statements)).toEqual([
      'acm-pca:ListCertificateAuthorities',
      'acm-pca:ListTags',
      'config:GetComplianceDetailsByConfigRule',
      'config:PutEvaluations',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'tag:GetResources',
    ]);
  });

  test('with every setting at its longest, its parameters stay well within 1,024 characters', () => {
    const settings = settingsFromContext(
      contextWith({
        deployment: { namePrefix: 'a'.repeat(20) },
        analytics: { enabled: true, securityLakeRegion: [...KNOWN_REGIONS].sort((a, b) => b.length - a.length)[0] },
        inventory: { enabled: true, bucketAccountId: '444455556666', prices: { date: '2026-11-01', privateCaGeneralPurposeMonthlyUsd: 99999.123456789, privateCaShortLivedMonthlyUsd: 0.000000123456789 } },
        rules: { acmPcaCertificateAuthority: { enabled: true, exemptionTagKey: `k${'x'.repeat(127)}`, expiringWithinDays: 3650, requestsPerSecond: 999.123456789 } },
      }),
    );
    const spec = CUSTOM_RULES.find((s) => s.key === 'acmPcaCertificateAuthority')!;
    expect(JSON.stringify(spec.parameters(settings)).length).toBeLessThan(MAX_INPUT_PARAMETERS_LENGTH * 0.6);
  });
});
