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
  'acm-pca-untag-exemption': ['exemptionTagChanged'],
  // The retirement path's alerts exist only while retirement is on (below).
  'kms-decrypt-disabled-key': [],
  'secretsmanager-get-secret-value-denied': [],
  'secretsmanager-get-secret-value': [],
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

describe('with the retirement path on', () => {
  const { built: b } = buildTestApp({
    alerting: { organizationId: 'o-a1b2c3d4e5', centralAccountId: '444455556666', centralRegion: 'eu-west-1' },
    retirement: { enabled: true, approverArns: ['arn:aws:iam::111122223333:role/KeyCustodian'] },
  });
  const all = Object.values(resourcesOf(Template.fromStack(b.alerting!), 'AWS::Events::Rule'));
  const onBus = all.filter((r) => r.Properties.EventBusName !== undefined);
  const forwarding = all.find((r) => r.Properties.EventBusName === undefined)!;
  const message = (alert: string, sample: string) => {
    const rule = onBus.find((r) => alertNameOf(r) === alert)!;
    const { InputPathsMap, InputTemplate } = rule.Properties.Targets[0].InputTransformer;
    return renderInputTemplate(InputPathsMap, InputTemplate, eventSample(sample));
  };
  const raisedBy = (sample: string) => onBus.filter((r) => matchesEventPattern(r.Properties.EventPattern, eventSample(sample))).map(alertNameOf);

  it('alerts on a use of a disabled key and on a refused read of a secret, and on nothing else new', () => {
    expect(raisedBy('kms-decrypt-disabled-key')).toEqual(['kmsDisabledKeyUse']);
    expect(raisedBy('secretsmanager-get-secret-value-denied')).toEqual(['secretReadDenied']);
    expect(raisedBy('secretsmanager-get-secret-value')).toEqual([]);
    expect(raisedBy('kms-decrypt-api-call')).toEqual([]);
    expect(raisedBy('kms-tag-resource-exemption-denied')).toEqual([]);
  });

  it('names the key, the caller and the operation', () => {
    const text = message('kmsDisabledKeyUse', 'kms-decrypt-disabled-key');
    expect(text).toMatch(/^\[HIGH\] Disabled KMS key used$/m);
    expect(text).toContain('What: a Decrypt call on a disabled KMS key was refused (DisabledException: arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is disabled.)');
    expect(text).toContain('Resource: arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(text).toContain('Who: arn:aws:sts::111122223333:assumed-role/BillingApp/i-0abc1234def567890 (AssumedRole)');
    expect(text).toContain('Account and region: 111122223333, us-west-2');
    expect(text).toContain('aws kms enable-key');
  });

  it('names the secret the caller tried to read, and why it was refused', () => {
    const text = message('secretReadDenied', 'secretsmanager-get-secret-value-denied');
    expect(text).toContain('Resource: prod/legacy/db');
    expect(text).toContain('Who: arn:aws:iam::111122223333:user/ci (IAMUser)');
    expect(text).toContain('with an explicit deny in a resource-based policy');
    expect(text).not.toMatch(/<[A-Za-z]+>/);
  });

  it('puts exactly the rules of read-only events, and the forwarding rule that carries them, in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', () => {
    const states = Object.fromEntries(onBus.map((r) => [alertNameOf(r), r.Properties.State]));
    expect(states.kmsDisabledKeyUse).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(states.secretReadDenied).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(Object.entries(states).filter(([, st]) => st !== 'ENABLED').map(([id]) => id).sort()).toEqual(['kmsDisabledKeyUse', 'secretReadDenied']);
    expect(forwarding.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    // Still exactly the union of the central rules' patterns (compared with keys in one order).
    const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b2]) => a.localeCompare(b2))) : x));
    expect(forwarding.Properties.EventPattern.$or.map(canonical).sort()).toEqual(onBus.map((r) => canonical(r.Properties.EventPattern)).sort());
  });

  it('member accounts forward those events with a rule in the same state', () => {
    const member = Template.fromStack(b.member.stack).toJSON();
    const rules = Object.values<any>(member.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(matchesEventPattern(rules[0].Properties.EventPattern, eventSample('secretsmanager-get-secret-value-denied'))).toBe(true);
  });
});

test('with the retirement path off, every forwarding and alert rule stays ENABLED', () => {
  expect(localForwarding[0].Properties.State).toBe('ENABLED');
  const member = Template.fromStack(built.member.stack).toJSON();
  for (const r of Object.values<any>(member.Resources).filter((x) => x.Type === 'AWS::Events::Rule')) expect(r.Properties.State).toBe('ENABLED');
});

describe('sources agree with AWS', () => {
  // EventBridge gives a CloudTrail record of <service>.amazonaws.com the source aws.<service>
  // (EventBridge events reference, e.g. "source: aws.tagging, eventSource: tagging.amazonaws.com").
  const eventSourcesIn = (node: unknown): string[] =>
    node === null || typeof node !== 'object'
      ? []
      : Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => (k === 'eventSource' && Array.isArray(v) ? v.map(String) : eventSourcesIn(v)));
  const { built: every } = buildTestApp({
    alerting: { organizationId: 'o-a1b2c3d4e5' },
    retirement: { enabled: true, approverArns: ['arn:aws:iam::111122223333:role/KeyCustodian'] },
  });
  const patterns = Object.values(resourcesOf(Template.fromStack(every.alerting!), 'AWS::Events::Rule')).map((r) => r.Properties.EventPattern);

  it.each(patterns.map((p) => [JSON.stringify(p).slice(0, 80), p]))('%s…: every CloudTrail event source has its EventBridge source', (_name, pattern) => {
    if (!pattern['detail-type']?.includes('AWS API Call via CloudTrail')) return;
    for (const eventSource of eventSourcesIn(pattern.detail)) {
      expect([eventSource, pattern.source]).toEqual([eventSource, expect.arrayContaining([`aws.${eventSource.replace('.amazonaws.com', '')}`])]);
    }
  });
});
