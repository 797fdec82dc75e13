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

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

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
  'kms-tag-resource-exemption': ['exemptionTagChanged'],
  'kms-untag-resource-exemption': ['exemptionTagChanged'],
  'kms-tag-resource-other-tag': [],
  'kms-tag-resource-exemption-denied': [],
  'secretsmanager-untag-resource-exemption': ['exemptionTagChanged'],
  'acm-add-tags-exemption': ['exemptionTagChanged'],
  'tagging-tag-resources-exemption': ['exemptionTagChanged'],
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
    expect(alertRules).toHaveLength(10);
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

  it('forwards this account\'s own events to the central bus: exactly the events some central rule alerts on', () => {
    expect(localForwarding).toHaveLength(1);
    const pattern = localForwarding[0].Properties.EventPattern;
    for (const sample of eventSampleNames()) {
      const alerts = alertRules.some((r) => matchesEventPattern(r.Properties.EventPattern, eventSample(sample)));
      expect([sample, matchesEventPattern(pattern, eventSample(sample))]).toEqual([sample, alerts]);
    }
    // One alternative per alert rule, each the rule's own pattern.
    expect([...pattern.$or].sort(byJson)).toEqual(alertRules.map((r) => r.Properties.EventPattern).sort(byJson));
    expect(localForwarding[0].Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EventsBus/), 'Arn'] });
  });

  it('needs no organization lookup when the organization id is given', () => {
    template.resourceCountIs('Custom::AWS', 0);
  });
});

describe('the exemption alert follows the settings', () => {
  const exemptionRule = (overrides: Record<string, unknown>) => {
    const { built: b } = buildTestApp({ alerting: { organizationId: 'o-a1b2c3d4e5' }, ...overrides });
    const all = Object.values(resourcesOf(Template.fromStack(b.alerting!), 'AWS::Events::Rule'));
    return {
      alert: all.find((r) => r.Properties.Name === 'crypto-monitoring-exemptionTagChanged'),
      forwarding: all.find((r) => r.Properties.EventBusName === undefined)!,
    };
  };

  it('is off, and nothing of it forwarded, with exemptions.alertOnChange false', () => {
    const { alert, forwarding } = exemptionRule({ exemptions: { alertOnChange: false } });
    expect(alert).toBeUndefined();
    expect(matchesEventPattern(forwarding.Properties.EventPattern, eventSample('kms-tag-resource-exemption'))).toBe(false);
  });

  it("watches each enabled custom rule's own key, and not a disabled rule's", () => {
    const { alert } = exemptionRule({
      rules: { kmsUnusedKey: { exemptionTagKey: 'kms:exempt' }, secretsUnusedSecret: { enabled: false, exemptionTagKey: 'secrets:exempt' } },
    });
    const text = JSON.stringify(alert!.Properties.EventPattern);
    expect(text).toContain('"kms:exempt"');
    expect(text).toContain('"crypto-monitoring:exempt"');
    expect(text).not.toContain('secrets:exempt');
    const sample = JSON.parse(JSON.stringify(eventSample('kms-tag-resource-exemption')).replace(/crypto-monitoring:exempt/g, 'kms:exempt'));
    expect(matchesEventPattern(alert!.Properties.EventPattern, sample)).toBe(true);
  });
});

test('the exemption message names who, what and where, with the tag value that was set', () => {
  const message = messageOf('exemptionTagChanged', eventSample('kms-tag-resource-exemption'));
  expect(message).toContain('[MEDIUM] Exemption tag set or removed');
  expect(message).toContain('What: a TagResource call to kms.amazonaws.com set or removed');
  expect(message).toContain('Who: arn:aws:sts::111122223333:assumed-role/PlatformEngineer/jdoe (AssumedRole)');
  expect(message).toContain('Resource: {"keyId":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"');
  expect(message).toContain('"tagValue":"2027-03-31 SEC-1234"');
  expect(message).toContain('Account and region: 111122223333, us-west-2');
  const untag = messageOf('exemptionTagChanged', eventSample('secretsmanager-untag-resource-exemption'));
  expect(untag).toContain('Resource: {"secretId":"prod/payments/db","tagKeys":["crypto-monitoring:exempt"]}');
  expect(untag).toContain('Who: arn:aws:iam::444455556666:user/ops-automation (IAMUser)');
});
