/** The inventory's home in the analytics stack: its bucket, bucket policy, Glue table, named queries and grants. */
import * as fs from 'fs';
import * as path from 'path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AnalyticsStack } from '../../lib/analytics/analytics-stack';
import { INVENTORY_COLUMNS, hiveType } from '../../lib/analytics/inventory-schema';
import { JSON_SERDE } from '../../lib/analytics/inventory-table';
import { loadInventoryQueries, loadQueries, renderQuery, securityLakeNames } from '../../lib/analytics/queries';
import { inventoryLocation } from '../../lib/inventory-location';
import { loadSettings } from '../../lib/settings';
import { buildTestApp, contextWith } from '../support/app';

const ACCOUNT = '123456789012';
const READER = 'arn:aws:iam::123456789012:role/security-analyst';
const INVENTORY = { enabled: true, bucketAccountId: ACCOUNT, retentionDays: 90 };
const BUCKET = 'crypto-monitoring-inventory-123456789012-eu-central-1';

describe('with the inventory on', () => {
  const { built } = buildTestApp({
    analytics: { enabled: true, securityLakeRegion: 'eu-central-1', lakeFormationReaders: [READER] },
    inventory: INVENTORY,
  });
  const stack = built.analytics!;
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, any>;
  const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const bucketId = logicalId(stack.inventory!.bucket.bucket);
  const bucket = resources[bucketId];
  const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId);
  const statement = (sid: string) => policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === sid);

  test('the bucket has exactly the name the member accounts compute', () => {
    expect(bucket.Properties.BucketName).toBe(BUCKET);
    expect(bucket.Properties.BucketName).toBe(inventoryLocation(built.settings)!.bucketName);
  });

  test('SSE-S3, bucket owner enforced, versioned, private, TLS only, logged like the other buckets, kept when the stack goes', () => {
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.results.accessLogs) }, LogFilePrefix: 'inventory-bucket/' },
    });
    expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  test('a day of the inventory expires after retentionDays; overwritten versions 30 days later', () => {
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'expire-inventory-days', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
      { Id: 'remove-expired-delete-markers', ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
    ]);
  });

  test('only the organization\'s rule roles write, each only objects named after its own account, with SSE-S3', () => {
    expect(statement('RuleRolesOfTheOrganizationWriteTheirOwnAccount')).toEqual({
      Sid: 'RuleRolesOfTheOrganizationWriteTheirOwnAccount',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inventory/dt=*/${aws:PrincipalAccount}-*']] },
      Condition: {
        // Looked up at deploy time: alerting.organizationId is not set.
        StringEquals: { 'aws:PrincipalOrgID': { 'Fn::GetAtt': [stack.getLogicalId(stack.organizationIdLookup!.resource.node.defaultChild as CfnElement), 'Organization.Id'] } },
        ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/crypto-monitoring-*']] } },
        StringEqualsIfExists: { 's3:x-amz-server-side-encryption': 'AES256' },
      },
    });
    // Nothing else may write or delete.
    const writes = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => /Put|Delete|\*/.test(a)));
    expect(writes.map((s: any) => s.Sid)).toEqual(['RuleRolesOfTheOrganizationWriteTheirOwnAccount']);
  });

  test('the listed readers may list the bucket and read the inventory', () => {
    expect(statement('ListedReadersList')).toMatchObject({ Principal: { AWS: READER }, Action: ['s3:GetBucketLocation', 's3:ListBucket'] });
    expect(statement('ListedReadersRead')).toMatchObject({ Principal: { AWS: READER }, Action: 's3:GetObject' });
  });

  test('a Glue database of our own and a JSON table over the inventory, projected by day over the retention', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'crypto_monitoring_inventory' }) });
    const [table] = Object.values(resources).filter((r) => r.Type === 'AWS::Glue::Table');
    expect(table.Properties.DatabaseName).toBe('crypto_monitoring_inventory');
    expect(table.DependsOn).toEqual([stack.getLogicalId(stack.inventory!.table.database)]);
    const input = table.Properties.TableInput;
    expect(input).toMatchObject({
      Name: 'records',
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
      Parameters: {
        classification: 'json',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': 'NOW-90DAYS,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': `s3://${BUCKET}/inventory/dt=\${dt}/`,
      },
      StorageDescriptor: {
        Location: `s3://${BUCKET}/inventory/`,
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        SerdeInfo: { SerializationLibrary: JSON_SERDE, Parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'TRUE' } },
      },
    });
    expect(JSON_SERDE).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(input.StorageDescriptor.Columns).toEqual(Object.entries(INVENTORY_COLUMNS).map(([name, type]) => ({ Name: name.toLowerCase(), Type: hiveType(type) })));
  });

  test('one named query per inventory query, in the inventory database, filled with its names', () => {
    const named = Object.values(template.findResources('AWS::Athena::NamedQuery')) as any[];
    expect(named).toHaveLength(loadQueries().length + loadInventoryQueries().length);
    const values = { ...securityLakeNames('eu-central-1'), lookbackDays: 30, inventoryDatabase: 'crypto_monitoring_inventory', inventoryTable: 'records' };
    for (const q of loadInventoryQueries()) {
      const r = named.find((n) => n.Properties.Name === q.id);
      expect(r.Properties.Database).toBe('crypto_monitoring_inventory');
      expect(r.Properties.QueryString).toBe(renderQuery(q.sql, values));
      expect(r.Properties.QueryString).toContain('FROM crypto_monitoring_inventory.records r');
      expect(r.Properties.Description).not.toContain('{{');
    }
    expect(named.find((n) => n.Properties.Name === 'kms/unused-keys').Properties.Database).toBe(securityLakeNames('eu-central-1').database);
  });

  test('Lake Formation: the readers get DESCRIBE on the inventory database and SELECT on its table, after both exist', () => {
    const grants = Object.values(resources).filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions' && JSON.stringify(r.Properties.Resource).includes('crypto_monitoring_inventory'));
    expect(grants.map((g) => [g.Properties.Principal.DataLakePrincipalIdentifier, Object.keys(g.Properties.Resource)[0], g.Properties.Permissions, g.Properties.PermissionsWithGrantOption])).toEqual([
      [READER, 'Database', ['DESCRIBE'], []],
      [READER, 'Table', ['SELECT', 'DESCRIBE'], []],
    ]);
    for (const g of grants) expect(g.DependsOn).toEqual([expect.stringMatching(/^InventoryGlueDatabase/), expect.stringMatching(/^InventoryGlueTable/)]);
    // The Security Lake grants are as before.
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 5);
  });
});

test('a given organization id is used as it is, with no lookup', () => {
  const { built } = buildTestApp({ analytics: { enabled: true }, inventory: INVENTORY, alerting: { organizationId: 'o-a1b2c3d4e5' } });
  expect(built.analytics!.organizationIdLookup).toBeUndefined();
  const policies = Template.fromStack(built.analytics!).findResources('AWS::S3::BucketPolicy');
  expect(JSON.stringify(policies)).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
  Template.fromStack(built.analytics!).resourceCountIs('Custom::AWS', 0);
});

test('with the inventory off (the default): no bucket of it, no Glue table, no inventory query, no lookup', () => {
  const { built } = buildTestApp({ analytics: { enabled: true } });
  const template = Template.fromStack(built.analytics!);
  expect(built.analytics!.inventory).toBeUndefined();
  template.resourceCountIs('AWS::Glue::Table', 0);
  template.resourceCountIs('AWS::Glue::Database', 0);
  template.resourceCountIs('Custom::AWS', 0);
  expect(JSON.stringify(template.toJSON())).not.toContain('-inventory-');
  expect(Object.keys(template.findResources('AWS::Athena::NamedQuery'))).toHaveLength(loadQueries().length);
  expect(built.analytics!.values.inventoryDatabase).toBeUndefined();
});

test('a stack given another account than inventory.bucketAccountId is refused', () => {
  const app = new App({ context: contextWith({ analytics: { enabled: true }, inventory: INVENTORY }) });
  const settings = loadSettings(app.node);
  expect(() => new AnalyticsStack(app, 'Elsewhere', { settings, env: { account: '999999999999', region: 'us-east-1' } })).toThrow(
    /inventory bucket belongs to inventory\.bucketAccountId 123456789012, but the analytics stack is deployed to 999999999999/,
  );
  expect(() => new AnalyticsStack(app, 'There', { settings, env: { account: ACCOUNT, region: 'us-east-1' } })).not.toThrow();
});

test('the analytics stack with the inventory and dashboards on synthesizes with cdk-nag reporting no finding', () => {
  const { app, built } = buildTestApp({
    analytics: { enabled: true, lakeFormationReaders: [READER] },
    inventory: INVENTORY,
    dashboards: { enabled: true, owners: ['group/default/security'] },
  });
  const assembly = app.synth();
  expect(assembly.getStackArtifact(built.analytics!.artifactId).template.Resources).toBeDefined();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports).toEqual([expect.objectContaining({ pluginName: 'AwsSolutions', conclusion: 'success', violations: [] })]);
});
