/**
 * Every stack can be deleted and created again in the same account and Region (a stack instance
 * removed and re-added, a rollback then a retry) without manual clean-up: a resource that outlives
 * its stack (DeletionPolicy Retain) must not carry a fixed name, or the new stack's copy collides
 * with the one left behind.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../support/app';

/** The properties that give each resource type a fixed physical name. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Config::ConfigRule': 'ConfigRuleName',
  'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::Athena::WorkGroup': 'Name',
  'AWS::Logs::QueryDefinition': 'Name',
};

/** A name is fixed unless it derives from another resource's generated one (a Ref to a resource, not to a pseudo parameter). */
function isFixed(name: unknown): boolean {
  if (name === undefined) return false;
  const refs = [...JSON.stringify(name).matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1]);
  return refs.every((ref) => ref.startsWith('AWS::'));
}

const OWNER = 'arn:aws:quicksight:eu-west-1:111122223333:user/default/owner';
const { app, built } = buildTestApp({
  alerting: { organizationTrail: { create: true } },
  analytics: { enabled: true },
  inventory: { enabled: true, bucketAccountId: '111122223333' },
  exemptions: { serviceControlPolicy: { enabled: true } },
  retirement: { enabled: true, approverArns: ['arn:aws:iam::111122223333:role/SecurityApprover'] },
  dashboards: { enabled: true, identityRegion: 'eu-west-1', owners: [OWNER], viewers: [OWNER] },
});
app.synth();
const stacks: Stack[] = [built.member.stack, ...app.node.children.filter((c): c is Stack => c instanceof Stack)];

describe.each(stacks.map((s) => [s.stackName, s] as const))('%s', (_name, stack) => {
  const resources = Object.entries<any>(Template.fromStack(stack).toJSON().Resources ?? {});

  test('no retained resource has a fixed name, but the inventory bucket', () => {
    const collisions = resources
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')
      // The one exception, documented in docs/deployment.md: every member account computes the
      // inventory bucket's name from settings, and the inventory is evidence. Creating the stack
      // again adopts the kept bucket with `cdk deploy --import-existing-resources`.
      .filter(([, r]) => !(r.Type === 'AWS::S3::Bucket' && r.Properties?.BucketName === 'crypto-monitoring-inventory-111122223333-us-east-1'))
      .filter(([, r]) => NAME_PROPERTIES[r.Type] !== undefined && isFixed(r.Properties?.[NAME_PROPERTIES[r.Type]]))
      .map(([id, r]) => `${id} (${r.Type} ${JSON.stringify(r.Properties[NAME_PROPERTIES[r.Type]])})`);
    expect(collisions).toEqual([]);
  });
});

test('the member functions\' log groups keep their fixed names and go with their stack', () => {
  const groups = Template.fromStack(built.member.stack).findResources('AWS::Logs::LogGroup');
  expect(Object.values(groups).map((g: any) => [g.Properties.LogGroupName, g.DeletionPolicy])).toEqual([
    ['/aws/lambda/crypto-monitoring-kms-unused-key-check', 'Delete'],
    ['/aws/lambda/crypto-monitoring-secretsmanager-unused-secret-check', 'Delete'],
    ['/aws/lambda/crypto-monitoring-acm-pending-dns-validation-check', 'Delete'],
    ['/aws/lambda/crypto-monitoring-retirement-step', 'Delete'],
  ]);
});

test("the organization trail's log group outlives its stack, with a name of its own", () => {
  const alerting = stacks.find((s) => s.stackName === 'CryptoAssetMonitoringAlerting')!;
  const groups = Object.values<any>(Template.fromStack(alerting).findResources('AWS::Logs::LogGroup')).filter((g) => g.Properties?.RetentionInDays === 365);
  expect(groups.some((g) => g.DeletionPolicy === 'Retain' && g.Properties.LogGroupName === undefined)).toBe(true);
});
