import * as fs from 'fs';
import * as path from 'path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadQueries, renderQuery, securityLakeNames } from '../../lib/analytics/queries';
import { ANALYTICS_STACK_NAME } from '../../lib/app';
import { buildTestApp } from '../support/app';

const READER = 'arn:aws:iam::444444444444:role/security-analyst';

describe('analytics stack', () => {
  const { built } = buildTestApp({ analytics: { enabled: true, securityLakeRegion: 'eu-central-1', lakeFormationReaders: [READER] } });
  const stack = built.analytics!;
  const template = Template.fromStack(stack);
  const names = securityLakeNames('eu-central-1');
  const logicalId = (b: { node: { defaultChild?: unknown } }) => stack.getLogicalId(b.node.defaultChild as CfnElement);
  const resultsBucket = logicalId(stack.results.bucket);
  const accessLogsBucket = logicalId(stack.results.accessLogs);

  test('lives in the Security Lake rollup region under its own name', () => {
    expect(stack.stackName).toBe(ANALYTICS_STACK_NAME);
    expect(stack.region).toBe('eu-central-1');
  });

  test('the workgroup enforces engine 3, encrypted results in the results bucket and the scan cutoff', () => {
    template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'crypto-asset-monitoring',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        BytesScannedCutoffPerQuery: 10_000_000_000,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { Ref: resultsBucket }, '/results/']],
          },
        },
      },
    });
  });

  test('the results bucket is encrypted, private, TLS only, expires results and logs access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })]) },
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogsBucket }, LogFilePrefix: 'results-bucket/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: resultsBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(template.toJSON().Resources[accessLogsBucket].Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 365 }),
    ]);
  });

  test('one named query per .sql file, filled for the rollup region, in the workgroup', () => {
    const queries = loadQueries();
    const named = template.findResources('AWS::Athena::NamedQuery');
    expect(Object.keys(named)).toHaveLength(queries.length);
    const byName = new Map(Object.values(named).map((r: any) => [r.Properties.Name, r]));
    for (const q of queries) {
      const r: any = byName.get(q.id);
      expect(r).toBeDefined();
      expect(r.Properties.Database).toBe(names.database);
      expect(r.Properties.WorkGroup).toBe('crypto-asset-monitoring');
      expect(r.Properties.QueryString).toBe(renderQuery(q.sql, { ...names, lookbackDays: 30 }));
      expect(r.Properties.QueryString).toContain(`${names.database}.amazon_security_lake_table_eu_central_1_`);
      expect(r.Properties.Description.length).toBeLessThanOrEqual(1024);
      expect(r.Properties.Description).not.toContain('{{');
      expect(r.DependsOn).toEqual([expect.stringMatching(/AthenaWorkGroup/)]);
    }
  });

  test('Lake Formation: DESCRIBE on the database, SELECT and DESCRIBE on both tables, no grant option', () => {
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 3);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: READER },
      Resource: { Database: { CatalogId: { Ref: 'AWS::AccountId' }, Name: names.database } },
      Permissions: ['DESCRIBE'],
      PermissionsWithGrantOption: [],
    });
    for (const table of [names.findingsTable, names.cloudTrailTable]) {
      template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
        Principal: { DataLakePrincipalIdentifier: READER },
        Resource: { Table: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: names.database, Name: table } },
        Permissions: ['SELECT', 'DESCRIBE'],
        PermissionsWithGrantOption: [],
      });
    }
  });

});

test('the analytics stack synthesizes with cdk-nag reporting no finding', () => {
  // A fresh app: synthesis runs the AwsSolutions checks and throws on any unacknowledged finding.
  const { app, built } = buildTestApp({ analytics: { enabled: true, lakeFormationReaders: [READER] } });
  const assembly = app.synth();
  expect(assembly.getStackArtifact(built.analytics!.artifactId).template.Resources).toBeDefined();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports).toEqual([expect.objectContaining({ pluginName: 'AwsSolutions', conclusion: 'success', violations: [] })]);
});

describe('analytics settings reach the template', () => {
  test('cutoff, expiry, window, workgroup name and region', () => {
    const { built } = buildTestApp({
      analytics: {
        enabled: 'true',
        securityLakeRegion: 'ap-southeast-2',
        lookbackDays: '7',
        bytesScannedCutoffPerQuery: '10000000',
        resultsExpirationDays: '3',
        workGroupName: 'security-lake',
      },
    });
    const template = Template.fromStack(built.analytics!);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'security-lake',
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10_000_000 }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 3 })]) },
    });
    const named = Object.values(template.findResources('AWS::Athena::NamedQuery')) as any[];
    for (const r of named) {
      expect(r.Properties.Database).toBe('amazon_security_lake_glue_db_ap_southeast_2');
      expect(r.Properties.WorkGroup).toBe('security-lake');
      // CloudTrail questions look back lookbackDays; findings questions read the state window,
      // a year by default (see lib/analytics/queries.ts), whatever lookbackDays says.
      const sql: string = r.Properties.QueryString;
      expect(sql).toMatch(sql.includes('cloud_trail_mgmt_2_0') ? /INTERVAL '7' DAY/ : /INTERVAL '365' DAY/);
      expect(sql).not.toMatch(sql.includes('cloud_trail_mgmt_2_0') ? /INTERVAL '365' DAY/ : /INTERVAL '7' DAY/);
    }
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  });

  test('disabled by default: no analytics stack', () => {
    const { built } = buildTestApp();
    expect(built.analytics).toBeUndefined();
  });
});

describe('analytics stack with KMS-encrypted query results', () => {
  const { built } = buildTestApp({ analytics: { enabled: true, resultsEncryption: 'KMS', workGroupName: 'crypto.monitoring' } });
  const stack = built.analytics!;
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(stack.results.encryptionKey!.node.defaultChild as CfnElement);
  const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };

  test('creates one rotated key with an alias', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/crypto-monitoring/query-results', TargetKeyId: keyArn });
  });

  test('the results bucket encrypts with it by default, with an S3 Bucket Key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }],
      },
      LoggingConfiguration: Match.anyValue(),
    });
  });

  test('the workgroup writes results with SSE_KMS and the key', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: { ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn } } },
    });
  });
});

test('with S3_MANAGED results (the default) the stack creates no key', () => {
  const { built } = buildTestApp({ analytics: { enabled: true } });
  const template = Template.fromStack(built.analytics!);
  template.resourceCountIs('AWS::KMS::Key', 0);
  expect(built.analytics!.results.encryptionKey).toBeUndefined();
});
