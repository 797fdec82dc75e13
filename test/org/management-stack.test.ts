import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../support/app';

describe('management stack with defaults', () => {
  const { app, built } = buildTestApp();
  const template = Template.fromStack(built.management);

  test('a service-managed StackSet with automatic deployment to new accounts', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'crypto-asset-monitoring',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OperationPreferences: { MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10, RegionConcurrencyType: 'PARALLEL', ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE' },
    });
  });

  test('by default it targets the organization root, looked up at deploy time, in the deploy region', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('OrganizationRootListRoots'), 'Roots.0.Id'] }] },
          Regions: [{ Ref: 'AWS::Region' }],
        },
      ],
    });
    template.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(Match.objectLike({ service: 'Organizations', action: 'listRoots', outputPaths: ['Roots.0.Id'] })),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'organizations:ListRoots', Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('the root lookup names no region, so the SDK picks the Organizations endpoint of the partition it runs in (aws-cn, aws-us-gov too)', () => {
    const lookups = Object.values(template.findResources('Custom::AWS'));
    expect(lookups).toHaveLength(1);
    for (const key of ['Create', 'Update']) {
      const call = JSON.parse(lookups[0].Properties[key]);
      expect(call.region).toBeUndefined();
    }
  });

  test('the member template travels by URL, as an asset of this stack', () => {
    const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0];
    expect(stackSet.Properties.TemplateBody).toBeUndefined();
    expect(JSON.stringify(stackSet.Properties.TemplateURL)).toMatch(/^\{"Fn::Sub":"https:\/\/s3\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/cdk-hnb659fds-assets-.*\.json"\}$/);
    const assembly = app.synth();
    const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${built.management.artifactId}.assets.json`), 'utf8'));
    const sources = Object.values<any>(assets.files).map((f) => f.source.path);
    expect(sources.some((p: string) => p.endsWith('.json') && fs.readFileSync(path.join(assembly.directory, p), 'utf8').includes('kms-unused-key-check'))).toBe(true);
  });
});

describe('management stack with explicit targets', () => {
  const { built } = buildTestApp({
    deployment: {
      targetOrganizationalUnitIds: ['ou-ab12-11111111', 'ou-ab12-22222222'],
      targetRegions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'],
      regionOrder: ['us-east-1', 'eu-west-1'],
      regionConcurrency: 'SEQUENTIAL',
      callAs: 'DELEGATED_ADMIN',
      maxConcurrentPercentage: 50,
      failureTolerancePercentage: 0,
      concurrencyMode: 'STRICT_FAILURE_TOLERANCE',
      retainStacksOnAccountRemoval: true,
      stackSetName: 'crypto-monitoring-prod',
    },
  });
  const template = Template.fromStack(built.management);

  test('OUs, regions, order and operation preferences come from settings', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'crypto-monitoring-prod',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-11111111', 'ou-ab12-22222222'] }, Regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'] }],
      OperationPreferences: {
        RegionOrder: ['us-east-1', 'eu-west-1'],
        RegionConcurrencyType: 'SEQUENTIAL',
        MaxConcurrentPercentage: 50,
        FailureTolerancePercentage: 0,
        ConcurrencyMode: 'STRICT_FAILURE_TOLERANCE',
      },
    });
  });

  test('no organization-root lookup when OUs are given', () => {
    expect(Object.keys(template.findResources('Custom::AWS'))).toHaveLength(0);
  });
});
