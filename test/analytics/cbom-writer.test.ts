import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { gzipSync } from 'zlib';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { CBOM_HANDLER_ENTRY, CbomWriter, cbomHandlerAssetDir, DEFAULT_CBOM_HOUR_UTC } from '../../lib/analytics/cbom-writer';
import { bundleHandler, REPO_ROOT } from '../../lib/bundle';
import { inventoryObjectKey } from '../../lambda/inventory/record';
import { buildTestApp } from '../support/app';

const ACCOUNT = '123456789012';
const ORG = 'o-a1b2c3d4e5';
const INVENTORY_ON = {
  analytics: { enabled: true, securityLakeRegion: 'eu-central-1' },
  alerting: { organizationId: ORG },
  inventory: { enabled: true, bucketAccountId: ACCOUNT },
};

describe('the CBOM writer in the analytics stack', () => {
  const { built } = buildTestApp(INVENTORY_ON);
  const stack = built.analytics!;
  const template = Template.fromStack(stack);
  const cbom = stack.cbom!;
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const bucket = id(stack.inventory!.bucket.bucket);
  const fn = template.toJSON().Resources[id(cbom.function)];

  test('a function with the bundled handler as a file asset, 2 GB, 15 minutes, the bucket and the organization', () => {
    expect(fn.Properties).toMatchObject({
      FunctionName: 'crypto-monitoring-inventory-cbom',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 2048,
      Timeout: 900,
      Environment: { Variables: { INVENTORY_BUCKET: { Ref: bucket }, ORGANIZATION_ID: ORG } },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' },
    });
    expect(fn.Properties.Code).toEqual({ S3Bucket: expect.anything(), S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) });
    expect(fs.readdirSync(cbomHandlerAssetDir())).toEqual(['index.js']);
    expect(fs.readFileSync(path.join(cbomHandlerAssetDir(), 'index.js'), 'utf8')).toBe(bundleHandler(CBOM_HANDLER_ENTRY));
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/crypto-monitoring-inventory-cbom', RetentionInDays: 365 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: id(cbom.function) }, MaximumRetryAttempts: 2 });
  });

  test('runs every day at 08:00 UTC, after the longest KMS pass of the day before', () => {
    expect(DEFAULT_CBOM_HOUR_UTC).toBe(8);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id(cbom.function), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [id(cbom.function), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [id(cbom.schedule), 'Arn'] },
    });
  });

  test('the role may list the inventory, read it and write cbom/, nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === id(cbom.role)));
    const roles = Object.values(template.findResources('AWS::IAM::Role')).filter((r: any) => r === template.toJSON().Resources[id(cbom.role)]);
    expect(roles[0].Properties.ManagedPolicyArns).toBeUndefined();
    expect(policies).toHaveLength(1);
    const arn = { 'Fn::GetAtt': [bucket, 'Arn'] };
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [arn, `/${prefix}`]] });
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [{ 'Fn::GetAtt': [id(cbom.logGroup), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(cbom.logGroup), 'Arn'] }, ':log-stream:*']] }],
      },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: arn, Condition: { StringLike: { 's3:prefix': ['inventory/dt=*'] } } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('inventory/*') },
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: objects('cbom/*') },
    ]);
    expect(roles[0].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('sizes: the handler and the template, dashboards included', () => {
    const code = Buffer.byteLength(bundleHandler(CBOM_HANDLER_ENTRY));
    const withDashboards = buildTestApp({ ...INVENTORY_ON, dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: ['group/default/security'] } }).built.analytics!;
    const templateBytes = Buffer.byteLength(JSON.stringify(Template.fromStack(withDashboards).toJSON()));
    // Small enough to inline (4 MB), but not in this template: a template the CLI uploads may be 1 MB.
    expect(code).toBeLessThan(400 * 1024);
    expect(templateBytes).toBeLessThan(1024 * 1024);
  });

  test('not there while the inventory is off', () => {
    const off = buildTestApp({ analytics: { enabled: true } }).built.analytics!;
    expect(off.cbom).toBeUndefined();
    expect(Object.values(Template.fromStack(off).findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.FunctionName)).not.toContain(
      'crypto-monitoring-inventory-cbom',
    );
  });
});

describe('CbomWriter alone', () => {
  test('with a bucket imported by name (cdk-nag acknowledgements follow the literal ARN), its hour and memory', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: ACCOUNT, region: 'eu-central-1' } });
    const bucket = s3.Bucket.fromBucketName(stack, 'Inventory', 'crypto-monitoring-inventory-123456789012-eu-central-1');
    const w = new CbomWriter(stack, 'Cbom', { bucket, namePrefix: 'cam', logRetentionDays: 30, hourUtc: 4, memorySizeMb: 3008 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 4 * * ? *)' });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'cam-inventory-cbom', MemorySize: 3008, Environment: { Variables: { INVENTORY_BUCKET: 'crypto-monitoring-inventory-123456789012-eu-central-1' } } });
    expect(w.function.runtime.name).toBe('nodejs24.x');
    expect(() => new CbomWriter(stack, 'Bad', { bucket, namePrefix: 'cam', logRetentionDays: 30, hourUtc: 24 })).toThrow(/0-23/);
  });
});

describe('the bundled handler', () => {
  test('runs from its bundle: S3 client from the runtime, the CycloneDX library inside; writes a valid CBOM', async () => {
    const code = bundleHandler(CBOM_HANDLER_ENTRY);
    expect(code).toMatch(/require\("@aws-sdk\/client-s3"\)/);
    expect(code).not.toMatch(/require\("(xmlbuilder2|libxmljs2|ajv|ajv-formats)"\)/);
    expect(code).not.toContain('node_modules/@cyclonedx');
    // Inside the repository, so its one external (the SDK) resolves as the runtime's would.
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cbom-bundle-'));
    try {
      const file = path.join(dir, 'index.js');
      fs.writeFileSync(file, code);
      const mod = require(file);
      const objects = new Map<string, Buffer>();
      const record = {
        schemaVersion: 1,
        assetType: 'kms-key',
        collectedAt: '2026-11-01T04:00:00.000Z',
        collectedBy: 'kms-unused-key-check',
        accountId: ACCOUNT,
        region: 'eu-central-1',
        arn: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/mldsa-1`,
        id: 'mldsa-1',
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: null,
        algorithm: 'ML_DSA_44',
        quantum: { class: 'post-quantum', priority: null, reason: 'ML-DSA' },
        cost: { monthlyUsd: 1, basis: 'key', priceDate: '2026-11-01' },
        gaps: [],
        kms: { keySpec: 'ML_DSA_44', keyUsage: 'SIGN_VERIFY', origin: 'AWS_KMS', keyManager: 'CUSTOMER', keyState: 'Enabled' },
      };
      objects.set(
        inventoryObjectKey({ day: '2026-11-01', accountId: ACCOUNT, region: 'eu-central-1', assetType: 'kms-key', runId: 'r-000', part: 1 }),
        gzipSync(JSON.stringify(record)),
      );
      const s3Calls: string[] = [];
      const fake = {
        async send(c: { constructor: { name: string }; input: any }) {
          s3Calls.push(c.constructor.name);
          if (c.constructor.name === 'ListObjectsV2Command') return { Contents: [...objects.keys()].map((Key) => ({ Key })) };
          if (c.constructor.name === 'GetObjectCommand') return { Body: Readable.from([objects.get(c.input.Key)!]) };
          if (c.constructor.name === 'PutObjectCommand') return void objects.set(c.input.Key, c.input.Body);
          throw new Error(c.constructor.name);
        },
      };
      // The handler reports what it read; the test reads the result instead of printing it.
      const quiet = ['info', 'warn'].map((level) => jest.spyOn(console, level as 'info' | 'warn').mockImplementation(() => undefined));
      const result = await mod.handler({}, { s3: fake, bucket: 'b', organizationId: ORG, now: () => new Date('2026-11-02T06:00:00Z') });
      for (const q of quiet) q.mockRestore();
      expect(result.day).toBe('2026-11-01');
      expect(s3Calls).toEqual(['ListObjectsV2Command', 'GetObjectCommand', 'PutObjectCommand', 'PutObjectCommand']);
      const json = objects.get('cbom/latest.json')!.toString();
      expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json)).toBeNull();
      expect(JSON.parse(json).components.map((c: any) => c.name)).toEqual(['mldsa-1', 'ML-DSA-44']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
