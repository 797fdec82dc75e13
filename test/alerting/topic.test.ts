import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../support/app';
import { resourcesOf } from './support';

const { built } = buildTestApp({
  alerting: { notifications: { emails: ['security@example.com', 'oncall@example.org'], httpsEndpoints: ['https://hooks.example.com/crypto'] } },
});
const template = Template.fromStack(built.alerting!);

describe('alert topic', () => {
  it('is encrypted with its own rotating customer-managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'crypto-monitoring-alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts the crypto-asset-monitoring alert topic' });
  });

  it('lets CloudWatch and EventBridge use the key to publish', () => {
    const key = Object.values(resourcesOf(template, 'AWS::KMS::Key')).find((k) => k.Properties.Description.includes('alert topic'))!;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'AllowAlarmAndEventPublishersToUseTheKey',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
  });

  it('denies requests without TLS and admits only this account\'s alarms and rules as service publishers', () => {
    const policy = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
    expect(policy).toHaveLength(1);
    const statements: any[] = policy[0].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: '*' }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual([{ Service: 'cloudwatch.amazonaws.com' }, { Service: 'events.amazonaws.com' }]);
    for (const s of allows) {
      expect(s.Action).toBe('sns:Publish');
      expect(s.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      expect(JSON.stringify(s.Condition.ArnLike['aws:SourceArn'])).toMatch(/:(cloudwatch|events):.*:(alarm:\*|rule\/\*)/);
    }
  });

  it('subscribes the e-mail addresses and HTTPS endpoints from settings', () => {
    const subs = Object.values(resourcesOf(template, 'AWS::SNS::Subscription')).map((s) => [s.Properties.Protocol, s.Properties.Endpoint]);
    expect(subs.sort()).toEqual([
      ['email', 'oncall@example.org'],
      ['email', 'security@example.com'],
      ['https', 'https://hooks.example.com/crypto'],
    ]);
  });

  it('is the action of every alarm', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }]);
  });
});

describe('dashboard', () => {
  it('shows the alarms\' states and every activity metric', () => {
    const dashboard = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0];
    expect(dashboard.Properties.DashboardName).toBe('crypto-asset-activity');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toContain('Crypto asset alarms');
    for (const metric of ['KmsKeyDisabledOrScheduledForDeletion', 'KmsCryptographicOperations', 'SecretReads', 'KmsAccessDenied', 'SecretsManagerAccessDenied', 'KmsKeyPendingDeletionUse', 'DeletedSecretReads']) {
      expect(body).toContain(metric);
    }
  });
});
