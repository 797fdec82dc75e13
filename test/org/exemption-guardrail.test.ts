import { Template } from 'aws-cdk-lib/assertions';
import { TAGGING_ACTIONS } from '../../lib/exemption-policy';
import { buildTestApp } from '../support/app';
import { wildcardMatch } from '../support/json-path';
import { settingsProblems } from '../support/settings';

type Json = any;

const OU = 'ou-ab12-cdef3456';
const policiesOf = (template: Template) => Object.values(template.findResources('AWS::Organizations::Policy')) as Json[];

/**
 * The one Deny statement's decision for a request, as IAM evaluates these two operators: denied
 * when the action is listed, any requested tag key is listed (ForAnyValue:StringEquals on
 * aws:TagKeys; absent keys never match), and the caller is not an allowed principal (ArnNotLike).
 */
function denies(statement: Json, request: { action: string; tagKeys?: string[]; principalArn: string }): boolean {
  if (!statement.Action.includes(request.action)) return false;
  const keys: string[] = statement.Condition['ForAnyValue:StringEquals']['aws:TagKeys'];
  if (!(request.tagKeys ?? []).some((k) => keys.includes(k))) return false;
  const allowed: string[] | undefined = statement.Condition.ArnNotLike?.['aws:PrincipalArn'];
  return !(allowed ?? []).some((pattern) => wildcardMatch(pattern.replace(/\?/g, '*'), request.principalArn));
}

test('off by default: no service control policy', () => {
  const { built } = buildTestApp();
  expect(policiesOf(Template.fromStack(built.management))).toEqual([]);
  expect(built.management.exemptionGuardrail).toBeUndefined();
});

describe('on: a service control policy on the target OUs guards every exemption tag key', () => {
  const { built } = buildTestApp({
    deployment: { targetOrganizationalUnitIds: [OU] },
    rules: { acmPendingDnsValidation: { exemptionTagKey: 'pki:exempt' } },
    exemptions: { serviceControlPolicy: { enabled: true, allowedPrincipalArns: ['arn:aws:iam::*:role/SecurityExemptions', 'arn:aws:iam::111122223333:role/break-glass-*'] } },
  });
  const [policy] = policiesOf(Template.fromStack(built.management));
  const [statement] = policy.Properties.Content.Statement;

  test('an SCP, attached where the StackSet deploys, with one Deny statement', () => {
    expect(policy.Properties.Type).toBe('SERVICE_CONTROL_POLICY');
    expect(policy.Properties.Name).toBe('crypto-monitoring-exemption-tags');
    expect(policy.Properties.TargetIds).toEqual([OU]);
    expect(policy.Properties.Content.Statement).toHaveLength(1);
    expect(statement.Effect).toBe('Deny');
    expect(statement.Condition['ForAnyValue:StringEquals']['aws:TagKeys']).toEqual(['crypto-monitoring:exempt', 'pki:exempt']);
  });

  const someone = 'arn:aws:iam::444455556666:role/PlatformEngineer';
  const security = 'arn:aws:iam::444455556666:role/SecurityExemptions';
  const breakGlass = 'arn:aws:iam::111122223333:role/break-glass-2026';
  test.each([
    ['an engineer tags a key exempt', { action: 'kms:TagResource', tagKeys: ['crypto-monitoring:exempt'], principalArn: someone }, true],
    ['an engineer removes the exemption from a secret', { action: 'secretsmanager:UntagResource', tagKeys: ['crypto-monitoring:exempt'], principalArn: someone }, true],
    ['an engineer creates a key already exempt', { action: 'kms:CreateKey', tagKeys: ['team', 'crypto-monitoring:exempt'], principalArn: someone }, true],
    ["an engineer tags a certificate with the ACM rule's own key", { action: 'acm:AddTagsToCertificate', tagKeys: ['pki:exempt'], principalArn: someone }, true],
    ['an engineer removes the exemption from a Private CA', { action: 'acm-pca:UntagCertificateAuthority', tagKeys: ['crypto-monitoring:exempt'], principalArn: someone }, true],
    ['an engineer uses the Tagging API', { action: 'tag:TagResources', tagKeys: ['crypto-monitoring:exempt'], principalArn: someone }, true],
    ['an engineer tags a key with other tags', { action: 'kms:TagResource', tagKeys: ['cost-center'], principalArn: someone }, false],
    ['an engineer creates a key without tags', { action: 'kms:CreateKey', principalArn: someone }, false],
    ['the security role of any account tags a key exempt', { action: 'kms:TagResource', tagKeys: ['crypto-monitoring:exempt'], principalArn: security }, false],
    ['a break-glass role matched by wildcard removes it', { action: 'acm:RemoveTagsFromCertificate', tagKeys: ['pki:exempt'], principalArn: breakGlass }, false],
    ['a differently cased key is not an exemption (tag keys are case-sensitive)', { action: 'kms:TagResource', tagKeys: ['Crypto-Monitoring:Exempt'], principalArn: someone }, false],
    ['an unrelated action with the key', { action: 's3:PutBucketTagging', tagKeys: ['crypto-monitoring:exempt'], principalArn: someone }, false],
  ])('%s: denied %s', (_what, request, denied) => {
    expect(denies(statement, request)).toBe(denied);
  });

  test('every action that can set or remove a tag on a key, secret or certificate is covered', () => {
    expect([...statement.Action].sort()).toEqual([...TAGGING_ACTIONS].sort());
    for (const action of ['kms:TagResource', 'kms:UntagResource', 'secretsmanager:TagResource', 'secretsmanager:UntagResource', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate']) {
      expect(statement.Action).toContain(action);
    }
  });
});

test('with no target OUs the policy goes to the organization root the StackSet targets, looked up at deploy time', () => {
  const { built } = buildTestApp({ exemptions: { serviceControlPolicy: { enabled: true, allowedPrincipalArns: ['arn:aws:iam::*:role/SecurityExemptions'] } } });
  const [policy] = policiesOf(Template.fromStack(built.management));
  const [stackSet] = Object.values(Template.fromStack(built.management).findResources('AWS::CloudFormation::StackSet', { Properties: { PermissionModel: 'SERVICE_MANAGED' } })) as Json[];
  expect(policy.Properties.TargetIds).toEqual(stackSet.Properties.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds);
  expect(JSON.stringify(policy.Properties.TargetIds)).toContain('Fn::GetAtt');
});

test('with no listed principal, nobody in the covered accounts may set or remove the tag', () => {
  const { built } = buildTestApp({ exemptions: { serviceControlPolicy: { enabled: true } } });
  const [policy] = policiesOf(Template.fromStack(built.management));
  const [statement] = policy.Properties.Content.Statement;
  expect(statement.Condition.ArnNotLike).toBeUndefined();
  expect(denies(statement, { action: 'kms:TagResource', tagKeys: ['crypto-monitoring:exempt'], principalArn: 'arn:aws:iam::444455556666:role/Admin' })).toBe(true);
});

describe('settings refuse a policy that could not work', () => {
  test.each([
    [
      { exemptions: { serviceControlPolicy: { enabled: true, allowedPrincipalArns: ['SecurityExemptions'] } } },
      'cryptoMonitoring.exemptions.serviceControlPolicy.allowedPrincipalArns[0]: got "SecurityExemptions"; must be an IAM role or user ARN',
    ],
    [
      { exemptions: { serviceControlPolicy: { enabled: true, allowedPrincipalArns: ['arn:aws:iam::*:role/A', 'arn:aws:iam::*:role/A'] } } },
      'cryptoMonitoring.exemptions.serviceControlPolicy.allowedPrincipalArns[1]: got "arn:aws:iam::*:role/A" twice',
    ],
    [
      { exemptions: { serviceControlPolicy: { enabled: true, allowedPrincipalArns: Array.from({ length: 120 }, (_, i) => `arn:aws:iam::111122223333:role/exemption-approver-${i}`) } } },
      'cryptoMonitoring.exemptions.serviceControlPolicy.allowedPrincipalArns: got 120 principals (a ',
    ],
    [
      { rules: { kmsUnusedKey: { enabled: false }, secretsUnusedSecret: { enabled: false }, acmPendingDnsValidation: { enabled: false } }, exemptions: { serviceControlPolicy: { enabled: true } } },
      'cryptoMonitoring.exemptions.serviceControlPolicy.enabled: got true; needs at least one enabled custom rule',
    ],
    [{ exemptions: { alertOnChange: 'yes' } }, 'cryptoMonitoring.exemptions.alertOnChange: got "yes"; must be true or false'],
    [{ exemptions: { scp: {} } }, 'cryptoMonitoring.exemptions: unknown key(s) "scp"; allowed keys: serviceControlPolicy, alertOnChange'],
  ])('%j', (raw, expected) => {
    expect(settingsProblems(raw).join('\n')).toContain(expected);
  });
});
