/**
 * The retirement path in the member template: off by default (nothing of it, the template unchanged),
 * and when on, manual remediation configurations bound to the resource id, well-formed Automation
 * documents (plan, branch, approval, act), and least-privilege roles with their conditions.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { PATH_TAG_KEYS, TAGS } from '../../lambda/retirement/tags';
import { SETTINGS_VARIABLE } from '../../lambda/retirement/environment';
import type { Plan } from '../../lambda/retirement/step-runner';
import { TEMPLATE_URL_LIMIT_BYTES } from '../../lib/member/member-template';
import { buildTestApp } from '../support/app';
import { isAllowed, type RequestContext } from '../support/iam-conditions';
import { settingsProblems } from '../support/settings';

const APPROVERS = ['arn:aws:iam::111122223333:role/KeyCustodian', 'arn:aws:iam::111122223333:user/alice'];
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:AutomationRetirementApprovals';
const ON = { retirement: { enabled: true, approverArns: APPROVERS, minApprovals: 2, notificationTopicArn: TOPIC, observationDays: 45, kmsPendingWindowDays: 21, secretRecoveryWindowDays: 14 } };

const memberJson = (overrides: Record<string, unknown>) => Template.fromStack(buildTestApp(overrides).built.member.stack).toJSON();
const ofType = (json: any, type: string) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type);

describe('retirement off', () => {
  test('by default the member template carries nothing of it', () => {
    const json = memberJson({});
    for (const type of ['AWS::SSM::Document', 'AWS::Config::RemediationConfiguration']) expect(ofType(json, type)).toEqual([]);
    expect(Object.keys(json.Resources).filter((id) => id.startsWith('Retirement'))).toEqual([]);
  });

  test('configured but off, the template is the same as with no retirement settings at all', () => {
    expect(memberJson({ retirement: { ...ON.retirement, enabled: false } })).toEqual(memberJson({}));
  });
});

describe('retirement on', () => {
  const { built } = buildTestApp(ON);
  const template = Template.fromStack(built.member.stack);
  const json = template.toJSON();
  const documents = Object.fromEntries(ofType(json, 'AWS::SSM::Document').map(([, r]) => [r.Properties.Name, r]));
  const remediations = ofType(json, 'AWS::Config::RemediationConfiguration').map(([, r]) => r);
  const roleNamed = (fragment: string) => ofType(json, 'AWS::IAM::Role').find(([, r]) => JSON.stringify(r.Properties.RoleName).includes(fragment))!;
  const policyOf = (roleLogicalId: string) => ofType(json, 'AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))![1].Properties.PolicyDocument.Statement as any[];
  const [runnerRoleId] = roleNamed('retirement-step');
  const [automationRoleId, automationRole] = roleNamed('retirement-automation');
  const runner = policyOf(runnerRoleId);
  const bySid = (sid: string) => runner.find((s) => s.Sid === sid);

  test('one manual remediation per rule, running its document with the noncompliant resource\'s id', () => {
    expect(remediations.map((r) => r.Properties.ConfigRuleName).sort()).toEqual(['kms-unused-key-check', 'secretsmanager-unused-secret-check']);
    for (const r of remediations) {
      expect(r.Properties).toMatchObject({
        Automatic: false,
        TargetType: 'SSM_DOCUMENT',
        TargetId: { Ref: expect.stringMatching(/Document/) },
        Parameters: {
          ResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
          AutomationAssumeRole: { StaticValue: { Values: [{ 'Fn::GetAtt': [automationRoleId, 'Arn'] }] } },
        },
      });
      expect(r.Properties).not.toHaveProperty('MaximumAutomaticAttempts');
      // Created after its rule: a remediation needs the rule to exist.
      expect((r.DependsOn ?? []).some((d: string) => json.Resources[d]?.Type === 'AWS::Config::ConfigRule')).toBe(true);
    }
    expect(remediations.map((r) => r.Properties.ResourceType).sort()).toEqual(['AWS::KMS::Key', 'AWS::SecretsManager::Secret']);
  });

  test.each(['crypto-monitoring-retire-kms-key', 'crypto-monitoring-retire-secret'])('%s: an Automation document plan → branch → approve → act', (name) => {
    const doc = documents[name];
    expect(doc.Properties).toMatchObject({ DocumentType: 'Automation', DocumentFormat: 'JSON', UpdateMethod: 'NewVersion' });
    const content = doc.Properties.Content;
    expect(content.schemaVersion).toBe('0.3');
    expect(content.assumeRole).toBe('{{ AutomationAssumeRole }}');
    expect(Object.keys(content.parameters).sort()).toEqual(['AutomationAssumeRole', 'ResourceId']);
    expect(content.parameters.ResourceId).toMatchObject({ type: 'String', allowedPattern: expect.stringMatching(/^\^/) });
    expect(content.parameters.AutomationAssumeRole.default).toEqual({ 'Fn::GetAtt': [automationRoleId, 'Arn'] });
    const steps = content.mainSteps;
    expect(steps.map((s: any) => [s.name, s.action])).toEqual([
      ['plan', 'aws:invokeLambdaFunction'],
      ['mayRun', 'aws:branch'],
      ['approve', 'aws:approve'],
      ['act', 'aws:invokeLambdaFunction'],
      ['noStepMayRun', 'aws:sleep'],
    ]);
    const [plan, branch, approve, act, end] = steps;
    const resourceType = name.endsWith('kms-key') ? 'AWS::KMS::Key' : 'AWS::SecretsManager::Secret';
    expect(plan.inputs.InputPayload).toEqual({ mode: 'plan', resourceType, resourceId: '{{ ResourceId }}', executionId: '{{ automation:EXECUTION_ID }}' });
    expect(branch.inputs).toEqual({ Choices: [{ NextStep: 'approve', Variable: '{{ plan.Payload }}', Contains: 'RETIREMENT_STEP_MAY_RUN' }], Default: 'noStepMayRun' });
    expect(approve.inputs).toMatchObject({ Approvers: APPROVERS, MinRequiredApprovals: 2, NotificationArn: TOPIC });
    expect(approve.inputs.Message).toContain('{{ ResourceId }}');
    expect(approve.inputs.Message).toContain('{{ global:ACCOUNT_ID }}, Region {{ global:REGION }}');
    expect(approve.inputs.Message).toContain('{{ plan.Payload }}');
    // aws:approve's Message holds at most 4,096 characters once its variables are filled: at worst a
    // secret name of 512 characters (in the id and the ARN), a 256-character annotation (PutEvaluations'
    // limit, quoted again in the evidence) and the longest action.
    const longestId = `arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:${'n'.repeat(512)}-AbCdEf`;
    const annotation = 'a'.repeat(256);
    const worstPlan: Plan = {
      mayRun: true, decision: 'RETIREMENT_STEP_MAY_RUN', step: 'quarantine', resourceType: 'AWS::SecretsManager::Secret',
      resourceId: longestId, resourceArn: longestId, rule: 'secretsmanager-unused-secret-check', ruleResult: 'NON_COMPLIANT', annotation,
      evidence: `The rule reports the secret NON_COMPLIANT: "${annotation}".`,
      action: "Add a Deny statement for secretsmanager:GetSecretValue to the secret's resource policy (other statements kept) and tag it; removing the statement undoes it.",
    };
    const filled = (approve.inputs.Message as string)
      .replace('{{ ResourceId }}', longestId).replace('{{ global:ACCOUNT_ID }}', '111122223333').replace('{{ global:REGION }}', 'us-gov-west-1')
      .replace('{{ plan.Payload }}', JSON.stringify(worstPlan));
    expect(filled.length).toBeLessThanOrEqual(4096);
    expect(approve.timeoutSeconds).toBeLessThanOrEqual(30 * 24 * 3600);
    // The resource and the execution only: the step-runner reads the approval and the plan back from Systems Manager.
    expect(act.inputs.InputPayload).toEqual({ mode: 'act', resourceType, resourceId: '{{ ResourceId }}', executionId: '{{ automation:EXECUTION_ID }}' });
    // The step names the step-runner looks for in GetAutomationExecution.
    expect([plan.name, approve.name, act.name]).toEqual(['plan', 'approve', 'act']);
    expect([act.isEnd, end.isEnd]).toEqual([true, true]);
    for (const s of [plan, act]) {
      expect(s).toMatchObject({ onFailure: 'Abort', maxAttempts: 1 });
      expect(s.timeoutSeconds).toBeLessThanOrEqual(300);
      expect(JSON.stringify(s.inputs.FunctionName)).toContain('crypto-monitoring-retirement-step');
    }
    // Every {{ step.Output }} names a step before it and an output its action has.
    const outputs: Record<string, string[]> = { plan: ['Payload'], approve: ['ApprovalStatus', 'ApproverDecisions'] };
    for (const ref of JSON.stringify(steps).matchAll(/\{\{ (\w+)\.(\w+) \}\}/g)) expect(outputs[ref[1]]).toContain(ref[2]);
    expect(content.outputs).toEqual(['plan.Payload', 'act.Payload']);
  });

  test('the step-runner: its settings in the environment, below the Automation step timeout, SDK clients from the runtime', () => {
    const [, fn] = ofType(json, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === 'crypto-monitoring-retirement-step')!;
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 240 });
    expect(JSON.parse(fn.Properties.Environment.Variables[SETTINGS_VARIABLE])).toEqual({
      observationDays: 45,
      kmsPendingWindowDays: 21,
      secretRecoveryWindowDays: 14,
      approverArns: APPROVERS,
      minApprovals: 2,
      rules: {
        'AWS::KMS::Key': { ruleName: 'kms-unused-key-check', exemptionTagKey: 'crypto-monitoring:exempt', documentName: 'crypto-monitoring-retire-kms-key' },
        'AWS::SecretsManager::Secret': { ruleName: 'secretsmanager-unused-secret-check', exemptionTagKey: 'crypto-monitoring:exempt', documentName: 'crypto-monitoring-retire-secret' },
      },
    });
    // The documents the act step accepts executions of are the ones the template creates.
    for (const rule of Object.values<any>(JSON.parse(fn.Properties.Environment.Variables[SETTINGS_VARIABLE]).rules)) expect(documents[rule.documentName]).toBeDefined();
    const code: string = fn.Properties.Code.ZipFile;
    // Every client, CloudTrail's and Systems Manager's included, is the Lambda runtime's: imported, not bundled.
    for (const client of ['client-kms', 'client-secrets-manager', 'client-config-service', 'client-cloudtrail', 'client-ssm']) expect(code).toContain(`require("@aws-sdk/${client}")`);
    expect(code).not.toContain('CloudTrail_20131101');
    expect(code).not.toContain('AmazonSSM');
    expect(code.length).toBeLessThan(40_000);
    expect(code).not.toContain('GetSecretValueCommand');
  });

  test('the Automation role: assumed by Systems Manager for this account\'s executions, may only invoke the step-runner (and announce approvals)', () => {
    expect(automationRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'ssm.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': expect.anything() } },
      }),
    ]);
    const statements = policyOf(automationRoleId);
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['InvokeStepRunnerOnly', 'lambda:InvokeFunction'],
      ['AnnounceApprovals', 'sns:Publish'],
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain(':function:crypto-monitoring-retirement-step');
    expect(statements[1].Resource).toBe(TOPIC);
  });

  test('each call the step-runner makes is allowed with the request it sends, and nothing beyond it (IAM condition semantics: an absent key fails its condition)', () => {
    const quarantined = { [`aws:ResourceTag/${TAGS.quarantinedAt}`]: '2026-05-01T12:00:00.000Z', [`secretsmanager:ResourceTag/${TAGS.quarantinedAt}`]: '2026-05-01T12:00:00.000Z' };
    const tagKeys = (step: 'quarantine' | 'retire') => PATH_TAG_KEYS.filter((k) => (step === 'quarantine' ? !/retire/.test(k) : /retire/.test(k)));
    // What lambda/retirement/resources.ts sends, call by call.
    const sent: [string, RequestContext][] = [
      ['kms:TagResource', { 'aws:TagKeys': tagKeys('quarantine') }],
      ['kms:DisableKey', quarantined],
      ['kms:TagResource', { ...quarantined, 'aws:TagKeys': tagKeys('retire') }],
      ['kms:ScheduleKeyDeletion', { ...quarantined, 'kms:ScheduleKeyDeletionPendingWindowInDays': 21 }],
      ['secretsmanager:PutResourcePolicy', { 'secretsmanager:BlockPublicPolicy': true }],
      ['secretsmanager:TagResource', { 'aws:TagKeys': tagKeys('quarantine') }],
      ['secretsmanager:DeleteSecret', { ...quarantined, 'secretsmanager:RecoveryWindowInDays': 14 }],
    ];
    for (const [action, context] of sent) expect([action, isAllowed(runner, action, context)]).toEqual([action, true]);
    const refused: [string, RequestContext][] = [
      ['kms:ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': 21 }],
      ['kms:ScheduleKeyDeletion', { ...quarantined, 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 }],
      ['secretsmanager:DeleteSecret', { ...quarantined, 'secretsmanager:ForceDeleteWithoutRecovery': true }],
      ['secretsmanager:DeleteSecret', { 'secretsmanager:RecoveryWindowInDays': 14 }],
      ['secretsmanager:PutResourcePolicy', { 'secretsmanager:BlockPublicPolicy': false }],
      ['secretsmanager:PutResourcePolicy', {}],
      ['kms:TagResource', { 'aws:TagKeys': ['crypto-monitoring:exempt'] }],
      ['kms:DisableKey', { 'aws:ResourceTag/crypto-monitoring:exempt': 'true' }],
      ['secretsmanager:DeleteSecret', { ...quarantined, 'secretsmanager:RecoveryWindowInDays': 14, 'secretsmanager:ResourceTag/crypto-monitoring:exempt': 'SEC-1' }],
      ['secretsmanager:GetSecretValue', {}],
    ];
    for (const [action, context] of refused) expect([action, context, isAllowed(runner, action, context)]).toEqual([action, context, false]);
    // A dated exemption is for the decision to read (IAM cannot compare dates).
    expect(isAllowed(runner, 'kms:DisableKey', { 'aws:ResourceTag/crypto-monitoring:exempt': '2027-03-31 SEC-1234' })).toBe(true);
  });

  test('the step-runner\'s conditions: deletion only of quarantined resources with the configured window, path tags only, never an exempt resource, never a secret value', () => {
    expect(bySid('RetireQuarantinedKeysOnly')).toMatchObject({
      Effect: 'Allow',
      Action: 'kms:ScheduleKeyDeletion',
      Condition: { Null: { [`aws:ResourceTag/${TAGS.quarantinedAt}`]: 'false' }, NumericEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 21 } },
    });
    expect(bySid('RetireQuarantinedSecretsOnly')).toMatchObject({
      Effect: 'Allow',
      Action: 'secretsmanager:DeleteSecret',
      Condition: {
        Null: { [`aws:ResourceTag/${TAGS.quarantinedAt}`]: 'false' },
        NumericEquals: { 'secretsmanager:RecoveryWindowInDays': 14 },
      },
    });
    expect(bySid('NeverForceDeleteSecrets')).toMatchObject({ Effect: 'Deny', Action: 'secretsmanager:DeleteSecret', Condition: { Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'true' } } });
    for (const sid of ['TagKeysWithPathTagsOnly', 'TagSecretsWithPathTagsOnly']) expect(bySid(sid).Condition).toEqual({ 'ForAllValues:StringEquals': { 'aws:TagKeys': [...PATH_TAG_KEYS] } });
    expect(bySid('QuarantineSecrets').Condition).toEqual({ Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } });
    expect(bySid('NeverChangeExemptKeys')).toMatchObject({
      Effect: 'Deny',
      Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:TagResource'],
      Condition: { Null: { 'aws:ResourceTag/crypto-monitoring:exempt': 'false' }, StringNotLike: { 'aws:ResourceTag/crypto-monitoring:exempt': '????-??-??*' } },
    });
    expect(bySid('NeverChangeExemptSecrets').Effect).toBe('Deny');
    expect(bySid('NeverChangeExemptSecretsServiceKey').Condition.Null).toEqual({ 'secretsmanager:ResourceTag/crypto-monitoring:exempt': 'false' });
    // Its own Automation executions only: this account and Region, no other Systems Manager action.
    expect(bySid('ReadOwnApprovals')).toEqual({
      Sid: 'ReadOwnApprovals',
      Effect: 'Allow',
      Action: 'ssm:GetAutomationExecution',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':automation-execution/*']] },
    });
    expect(bySid('NeverReadSecretValues')).toMatchObject({ Effect: 'Deny', Action: ['secretsmanager:BatchGetSecretValue', 'secretsmanager:GetSecretValue'], Resource: '*' });
    // No allowed action reads a value, and no allowed action is a wildcard.
    const allowed = runner.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());
    expect(allowed.filter((a: string) => /GetSecretValue|\*/.test(a))).toEqual([]);
    expect(allowed.sort()).toEqual(
      [
        'cloudtrail:LookupEvents',
        'config:GetComplianceDetailsByResource',
        'ssm:GetAutomationExecution',
        'kms:DescribeKey',
        'kms:DisableKey',
        'kms:ListResourceTags',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:PutResourcePolicy',
        'secretsmanager:TagResource',
      ].sort(),
    );
  });

  test('stays well under the 1 MB template-URL limit', () => {
    expect(built.member.sizeBytes).toBeLessThan(TEMPLATE_URL_LIMIT_BYTES * 0.7);
  });

  test('only the enabled rules get a document and a remediation', () => {
    const only = memberJson({ ...ON, rules: { secretsUnusedSecret: { enabled: false } } });
    expect(ofType(only, 'AWS::SSM::Document').map(([, d]) => d.Properties.Name)).toEqual(['crypto-monitoring-retire-kms-key']);
    expect(ofType(only, 'AWS::Config::RemediationConfiguration')).toHaveLength(1);
    const runnerStatements = ofType(only, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(runnerStatements.some((s: any) => s.Sid === 'RetireQuarantinedSecretsOnly')).toBe(false);
  });
});

describe('retirement settings', () => {
  test('off by default, with the documented defaults', () => {
    expect(settingsProblems({})).toEqual([]);
  });

  test.each([
    [{ retirement: { enabled: true } }, 'cryptoMonitoring.retirement.approverArns: got no approver; needs at least one IAM user or role ARN'],
    [{ retirement: { enabled: true, approverArns: APPROVERS, minApprovals: 3 } }, 'cryptoMonitoring.retirement.minApprovals: got 3; must be at most the number of approvers (2)'],
    [{ retirement: { observationDays: 90 } }, 'cryptoMonitoring.retirement.observationDays: got 90; must be an integer from 7 to 89'],
    [{ retirement: { observationDays: 6 } }, 'cryptoMonitoring.retirement.observationDays: got 6; must be an integer from 7 to 89'],
    [{ retirement: { kmsPendingWindowDays: 31 } }, 'cryptoMonitoring.retirement.kmsPendingWindowDays: got 31; must be an integer from 7 to 30'],
    [{ retirement: { secretRecoveryWindowDays: 0 } }, 'cryptoMonitoring.retirement.secretRecoveryWindowDays: got 0; must be an integer from 7 to 30'],
    [{ retirement: { approverArns: ['arn:aws:iam::*:role/Any'] } }, 'cryptoMonitoring.retirement.approverArns[0]: got "arn:aws:iam::*:role/Any"; must be an IAM user or role ARN'],
    [{ retirement: { notificationTopicArn: 'arn:aws:sns:eu-west-1:111122223333:Approvals' } }, 'cryptoMonitoring.retirement.notificationTopicArn: got "arn:aws:sns:eu-west-1:111122223333:Approvals"; must be an SNS topic ARN whose topic name starts with "Automation"'],
    [
      { retirement: { enabled: true, approverArns: APPROVERS }, rules: { kmsUnusedKey: { enabled: false }, secretsUnusedSecret: { enabled: false } } },
      'cryptoMonitoring.retirement.enabled: got true; needs cryptoMonitoring.rules.kmsUnusedKey or cryptoMonitoring.rules.secretsUnusedSecret enabled',
    ],
    [{ retirement: { approverArns: Array.from({ length: 11 }, (_, i) => `arn:aws:iam::111122223333:user/u${i}`) } }, 'cryptoMonitoring.retirement.approverArns: got 11 approvers; must name at most 10 approvers'],
  ])('%j is refused', (raw, problem) => {
    expect(settingsProblems(raw).join('\n')).toContain(problem);
  });
});
