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

  it('starts every alarm description with its severity and says what to do, as event messages do', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    // Count alarms, the anomaly alarm and the key material alarm.
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const a of alarms) {
      // A description that names the trail's log group is an Fn::Join; its text starts the join.
      const d = a.Properties.AlarmDescription;
      const text: string = typeof d === 'string' ? d : d['Fn::Join'][1][0];
      expect(text).toMatch(/^\[(CRITICAL|HIGH|MEDIUM|INFO)\] .+ What to do: /);
    }
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

  const trailBucket = () => {
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    const id = Object.keys(buckets).find((k) => k.startsWith('OrganizationTrailBucket'))!;
    return { id, bucket: buckets[id] };
  };
  const trailKeyPolicy = () =>
    Object.values(resourcesOf(template, 'AWS::KMS::Key')).find((k) => k.Properties.Description.includes('organization trail'))!.Properties.KeyPolicy
      .Statement as Record<string, any>[];
  const trailArn = (t: Template) => {
    const trail = Object.values(resourcesOf(t, 'AWS::CloudTrail::Trail'))[0];
    expect(trail.Properties.TrailName).toBe('crypto-monitoring-organization-trail');
    // The region is known, so the partition is written out.
    return 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/crypto-monitoring-organization-trail';
  };

  it('moves trail logs to Standard-IA after 90 days, deletes them after 2557, old versions after 30, and abandoned uploads after 7', () => {
    expect(trailBucket().bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'trail-log-retention',
        Status: 'Enabled',
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
        ExpirationInDays: 2557,
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
    expect(trailBucket().bucket.Properties.ObjectLockEnabled).toBeUndefined();
    expect(trailBucket().bucket.Properties.ObjectLockConfiguration).toBeUndefined();
  });

  it('encrypts the log group with the trail key, which CloudWatch Logs of this account and region may use', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 400,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrganizationTrailKey'), 'Arn'] },
    });
    const logGroup = Object.values(template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 400 } }))[0] as any;
    expect(logGroup.Properties.LogGroupName).toBeUndefined();
    expect(logGroup.DeletionPolicy).toBe('Retain');
    const logs = trailKeyPolicy().find((st) => JSON.stringify(st.Principal).includes('logs.'))!;
    expect(logs).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
    });
    expect(logs.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:log-group:*' },
    });
  });

  it('limits CloudTrail to this trail (aws:SourceArn) on every bucket policy and key policy statement for it', () => {
    const arn = trailArn(template);
    const { id } = trailBucket();
    const policy = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === id)!;
    const forCloudTrail = (policy.Properties.PolicyDocument.Statement as Record<string, any>[]).filter((st) => st.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(forCloudTrail.map((st) => st.Action).sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
    for (const st of forCloudTrail) expect(st.Condition.StringEquals['aws:SourceArn']).toEqual(arn);
    const put = forCloudTrail.find((st) => st.Action === 's3:PutObject')!;
    expect(put.Condition.StringEquals['s3:x-amz-acl']).toBe('bucket-owner-full-control');
    expect(JSON.stringify(put.Resource)).toContain('/AWSLogs/111122223333/*');
    expect(JSON.stringify(put.Resource)).toContain('/AWSLogs/o-a1b2c3d4e5/*');
    const keyStatements = trailKeyPolicy().filter((st) => st.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(keyStatements).toHaveLength(2);
    for (const st of keyStatements) expect(st.Condition.StringEquals['aws:SourceArn']).toEqual(arn);
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0] as any;
    expect(trail.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^OrganizationTrailBucketPolicy/)]));
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

describe('with an organization trail under Object Lock and its own retention', () => {
  const { app, built } = buildTestApp({
    alerting: {
      centralAccountId: '111122223333',
      centralRegion: 'eu-west-1',
      organizationId: 'o-a1b2c3d4e5',
      organizationTrail: { create: true, transitionToInfrequentAccessDays: 30, expireAfterDays: 400, noncurrentVersionExpireAfterDays: 5, objectLockGovernanceDays: 365 },
    },
  });
  const template = Template.fromStack(built.alerting!);

  it('synthesizes every stack with cdk-nag clean', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('locks every new log file in governance mode and keeps the retention settings', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
            ExpirationInDays: 400,
            NoncurrentVersionExpiration: { NoncurrentDays: 5 },
          }),
        ],
      },
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
