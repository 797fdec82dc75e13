import { Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../support/app';
import { matchesEventPattern } from '../support/event-pattern';
import { renderInputTemplate } from '../support/input-transformer';
import { eventSample, eventSampleNames, resourcesOf } from './support';

const { built } = buildTestApp({ alerting: { organizationId: 'o-a1b2c3d4e5' } });
const template = Template.fromStack(built.alerting!);
const rules = resourcesOf(template, 'AWS::Events::Rule');
const alertRules = Object.values(rules).filter((r) => r.Properties.EventBusName !== undefined);
const localForwarding = Object.values(rules).filter((r) => r.Properties.EventBusName === undefined);

function alertNameOf(rule: { Properties: Record<string, any> }): string {
  return (rule.Properties.Name as string).replace(/^crypto-monitoring-/, '');
}

/** The message the alert's rule sends for the event. */
function messageOf(alert: string, event: Record<string, unknown>): string {
  const rule = alertRules.find((r) => alertNameOf(r) === alert)!;
  const { InputPathsMap, InputTemplate } = rule.Properties.Targets[0].InputTransformer;
  return renderInputTemplate(InputPathsMap, InputTemplate, event);
}

/** Which alert each documented sample must raise; every other sample raises none. */
const EXPECTED: Record<string, string[]> = {
  'kms-cmk-deletion': ['kmsKeyDeleted'],
  'kms-cmk-rotation': ['kmsKeyRotated'],
  'kms-imported-key-material-expiration': ['kmsImportedKeyMaterialExpired'],
  'acm-certificate-approaching-expiration': ['acmCertificateApproachingExpiration'],
  'acm-certificate-expired': ['acmCertificateExpired'],
  'acm-certificate-renewal-action-required': ['acmCertificateRenewalActionRequired'],
  'secretsmanager-rotation-failed': ['secretRotationFailed'],
  'secretsmanager-rotation-succeeded': [],
  'access-analyzer-kms-key-public': ['accessAnalyzerPublicFinding'],
  'access-analyzer-kms-key-archived': [],
  'access-analyzer-kms-key-resolved': [],
  'access-analyzer-secret-external': ['accessAnalyzerExternalFinding'],
  'access-analyzer-s3-bucket-public': [],
  'kms-decrypt-api-call': [],
};

describe('event rules on the central bus', () => {
  it('has an expectation for every event sample', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(eventSampleNames());
  });

  it.each(Object.entries(EXPECTED))('%s raises %j', (sample, expected) => {
    const event = eventSample(sample);
    const raised = alertRules.filter((r) => matchesEventPattern(r.Properties.EventPattern, event)).map(alertNameOf);
    expect(raised.sort()).toEqual([...expected].sort());
  });

  it('puts every rule on the central bus, ENABLED, with the topic as its only target', () => {
    expect(alertRules).toHaveLength(9);
    for (const r of alertRules) {
      expect(r.Properties.State).toBe('ENABLED');
      expect(r.Properties.EventBusName).toEqual({ Ref: expect.stringMatching(/^EventsBus/) });
      expect(r.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^AlertsTopic/) } })]);
    }
  });

  it.each(Object.entries(EXPECTED).filter(([, e]) => e.length > 0))('turns %s into sentences a person can act on', (sample, [alert]) => {
    const event = eventSample(sample);
    const message = messageOf(alert, event);
    const lines = message.split('\n');
    expect(lines[0]).toMatch(/^\[(CRITICAL|HIGH|MEDIUM|INFO)\] /);
    for (const label of ['What:', 'Resource:', 'Account and region:', 'When:', 'Who:', 'What to do:']) {
      expect(lines.some((l) => l.startsWith(label))).toBe(true);
    }
    // Every placeholder filled from the event: no empty value, no leftover <name>, no JSON dump.
    expect(message).not.toMatch(/<[A-Za-z]+>/);
    expect(message).not.toMatch(/: ,|: $|\(\)|  /m);
    expect(message).not.toContain('"detail"');
    const detail = event.detail as Record<string, any>;
    const account = (detail.accountId as string) ?? (event.account as string);
    const region = (detail.region as string) ?? (event.region as string);
    expect(message).toContain(`Account and region: ${account}, ${region}`);
  });

  it('names the key, its account and region, and the grant in the Access Analyzer sample', () => {
    const message = messageOf('accessAnalyzerPublicFinding', eventSample('access-analyzer-kms-key-public'));
    expect(message).toContain('Resource: arn:aws:kms:ap-southeast-2:111122223333:key/4ab85425-3ede-4dd1-9f17-914a7e2f33d7');
    expect(message).toContain('AWS::KMS::Key below is public');
    expect(message).toContain('principal {"AWS":"*"}');
    expect(message).toContain('Finding 0aad2c61-a82c-43da-b3c7-18c3f771a818');
  });

  it('lets only accounts of the organization put events on the bus', () => {
    const bus = Object.values(resourcesOf(template, 'AWS::Events::EventBus'))[0];
    expect(bus.Properties.Name).toBe('crypto-monitoring-alerts');
    expect(bus.Properties.Policy.Statement).toEqual([
      {
        Sid: 'AllowOrganizationAccountsToForward',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/crypto-monitoring-alerts']] },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
    ]);
  });

  it('forwards this account\'s own events to the central bus: every alerting sample, and no API call', () => {
    expect(localForwarding).toHaveLength(1);
    const pattern = localForwarding[0].Properties.EventPattern;
    for (const [sample, expected] of Object.entries(EXPECTED)) {
      if (expected.length > 0) expect([sample, matchesEventPattern(pattern, eventSample(sample))]).toEqual([sample, true]);
    }
    expect(matchesEventPattern(pattern, eventSample('kms-decrypt-api-call'))).toBe(false);
    expect(localForwarding[0].Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EventsBus/), 'Arn'] });
  });

  it('needs no organization lookup when the organization id is given', () => {
    template.resourceCountIs('Custom::AWS', 0);
  });
});
