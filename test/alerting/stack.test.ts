import * as fs from 'fs';
import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TEMPLATE_URL_LIMIT_BYTES } from '../../lib/member/member-template';
import { buildTestApp } from '../support/app';
import { resourcesOf } from './support';

function memberTemplate(built: { member: { templatePath: string } }): Template {
  return Template.fromJSON(JSON.parse(fs.readFileSync(built.member.templatePath, 'utf8')));
}

describe('with the cdk.json defaults', () => {
  const { app, built } = buildTestApp();

  it('synthesizes every stack with cdk-nag clean', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('creates an environment-agnostic alerting stack on the Control Tower log group', () => {
    expect(built.alerting).toBeDefined();
    expect(Token.isUnresolved(built.alerting!.account)).toBe(true);
    const filters = Object.values(resourcesOf(Template.fromStack(built.alerting!), 'AWS::Logs::MetricFilter'));
    expect(new Set(filters.map((f) => f.Properties.LogGroupName))).toEqual(new Set(['aws-controltower/CloudTrailLogs']));
  });

  it('looks the organization id up at deploy time for the bus policy', () => {
    const template = Template.fromStack(built.alerting!);
    const lookups = Object.values(resourcesOf(template, 'Custom::AWS'));
    expect(lookups).toHaveLength(1);
    expect(JSON.stringify(lookups[0].Properties.Create)).toContain('describeOrganization');
    const bus = Object.values(resourcesOf(template, 'AWS::Events::EventBus'))[0];
    expect(bus.Properties.Policy.Statement[0].Condition.StringEquals['aws:PrincipalOrgID']).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^OrganizationIdDescribeOrganization/), 'Organization.Id'],
    });
  });

  it('leaves member accounts without forwarding until the central account and region are set', () => {
    memberTemplate(built).resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('with a central account, an organization trail and watched imported keys', () => {
  const { app, built } = buildTestApp({
    alerting: {
      centralAccountId: '111122223333',
      centralRegion: 'eu-west-1',
      organizationId: 'o-a1b2c3d4e5',
      organizationTrail: { create: true, logRetentionDays: 400 },
      alarms: { importedKeyMaterialExpiry: { keyIds: ['1234abcd-12ab-34cd-56ef-1234567890ab'], daysBeforeExpiry: 14 } },
    },
  });
  const template = Template.fromStack(built.alerting!);

  it('synthesizes every stack with cdk-nag clean', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('deploys to the central account and region', () => {
    expect([built.alerting!.account, built.alerting!.region]).toEqual(['111122223333', 'eu-west-1']);
  });

  it('creates a validated, KMS-encrypted, multi-region organization trail of all management events, delivered to CloudWatch Logs', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'crypto-monitoring-organization-trail',
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrganizationTrailKey'), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrganizationTrailLogGroup'), 'Arn'] },
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 400 });
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter'));
    for (const f of filters) expect(f.Properties.LogGroupName).toEqual({ Ref: expect.stringMatching(/^OrganizationTrailLogGroup/) });
  });

  it('lets CloudTrail encrypt with the trail key and write the organization\'s logs to the bucket', () => {
    const key = Object.values(resourcesOf(template, 'AWS::KMS::Key')).find((k) => k.Properties.Description.includes('organization trail'))!;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*' }),
    );
    const policies = JSON.stringify(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    expect(policies).toContain('o-a1b2c3d4e5');
    expect(policies).toContain('aws:SecureTransport');
  });

  it('warns before imported key material expires', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/KMS',
      MetricName: 'SecondsUntilKeyMaterialExpiration',
      Dimensions: [{ Name: 'KeyId', Value: '1234abcd-12ab-34cd-56ef-1234567890ab' }],
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 14 * 86_400,
      TreatMissingData: 'notBreaching',
    });
  });

  describe('member template', () => {
    const member = memberTemplate(built);
    const centralBus = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/crypto-monitoring-alerts']] };

    it('forwards native events to the central bus through a role that may only put events on it', () => {
      const rules = Object.values(resourcesOf(member, 'AWS::Events::Rule'));
      expect(rules).toHaveLength(1);
      expect(rules[0].Properties.Targets).toEqual([expect.objectContaining({ Arn: centralBus, RoleArn: expect.anything() })]);
      expect(rules[0].Properties.State).toBe('ENABLED');
      const policies = Object.values(resourcesOf(member, 'AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('events:PutEvents'));
      expect(policies).toHaveLength(1);
      expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: centralBus }]);
    });

    it('creates nothing in the central account and region, which forwards its own events', () => {
      const forwarding = [...Object.values(resourcesOf(member, 'AWS::Events::Rule')), ...Object.values(resourcesOf(member, 'AWS::IAM::Role')).filter((r) => JSON.stringify(r).includes('events.amazonaws.com'))];
      expect(forwarding.length).toBeGreaterThanOrEqual(2);
      for (const r of forwarding) expect(r.Condition).toBeDefined();
      // The condition every forwarding resource names (the template has Region conditions for managed rules too).
      const names = new Set(forwarding.map((r) => r.Condition));
      expect(names.size).toBe(1);
      const condition = (member.toJSON().Conditions as Record<string, unknown>)[[...names][0] as string];
      expect(condition).toEqual({
        'Fn::Not': [{ 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '111122223333'] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] }],
      });
    });

    it('stays within the template URL budget', () => {
      expect(built.member.sizeBytes).toBeLessThan(TEMPLATE_URL_LIMIT_BYTES);
    });
  });
});

describe('with alerting disabled', () => {
  const { built } = buildTestApp({ alerting: { enabled: false, centralAccountId: '111122223333', centralRegion: 'eu-west-1' } });

  it('creates no alerting stack and no member forwarding', () => {
    expect(built.alerting).toBeUndefined();
    memberTemplate(built).resourceCountIs('AWS::Events::Rule', 0);
  });
});
