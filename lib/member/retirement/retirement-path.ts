import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token, type CfnElement } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { bundleHandler } from '../../bundle';
import { RULE_NAMES } from '../../catalog';
import { acknowledgeGuard } from '../../guard';
import { acknowledgeNag } from '../../nag';
import type { Settings } from '../../settings';
import { RESOURCE_ID_PATTERNS, SETTINGS_VARIABLE, type RunnerSettings } from '../../../lambda/retirement/environment';
import { PATH_TAG_KEYS, TAGS } from '../../../lambda/retirement/tags';
import type { CustomConfigRule } from '../custom-config-rule';
import { retirementDocument } from './automation-document';

export interface RetirementPathProps {
  readonly settings: Settings;
  /** The member template's custom rules by name: the path attaches to the enabled unused-key and unused-secret rules. */
  readonly rules: Readonly<Record<string, CustomConfigRule>>;
}

const KEY_ID_PATTERN = RESOURCE_ID_PATTERNS['AWS::KMS::Key'];
const SECRET_ARN_PATTERN = RESOURCE_ID_PATTERNS['AWS::SecretsManager::Secret'];

/**
 * An exemption tag without a date (`true`, empty, free text) is an exemption for good: IAM denies
 * every change to such a resource. A dated one (`2027-03-31 …`) ends on its date, which IAM cannot
 * compare: the step-runner's decision reads it (lambda/runtime/exemption.ts) and refuses until then.
 */
export const DATED_EXEMPTION_VALUE = '????-??-??*';

interface Kind {
  readonly key: 'kms' | 'secret';
  readonly ruleName: string;
  readonly resourceType: 'AWS::KMS::Key' | 'AWS::SecretsManager::Secret';
  readonly what: string;
  readonly pattern: string;
  readonly exemptionTagKey: string;
  readonly rule: CustomConfigRule;
  /** `<namePrefix>-retire-kms-key`, `<namePrefix>-retire-secret`. */
  readonly documentName: string;
}

/**
 * The retirement path in a member account and Region (docs/retirement.md): the step-runner function
 * and its role, the Automation role, and for each of the unused-key and unused-secret rules that is
 * enabled an Automation document and the rule's manual remediation configuration that runs it.
 *
 * Least privilege: the Automation role may only invoke the step-runner (and publish the approval
 * request to the configured topic). The step-runner may read keys, secrets' metadata and policies,
 * the rule's result, CloudTrail and the Automation executions of its account and Region (the act
 * step verifies its own approval there); it may tag only with the path's own tag keys, disable keys, put
 * a secret's resource policy (never one granting public access), and schedule deletion only of keys
 * and secrets that carry the quarantine tag, with exactly the configured window. It can never read a
 * secret value (explicit Deny) and never change a resource that carries an undated exemption tag.
 */
export class RetirementPath extends Construct {
  readonly function: lambda.Function;
  readonly stepRunnerRole: iam.Role;
  readonly automationRole: iam.Role;
  readonly documents: Partial<Record<'kms' | 'secret', ssm.CfnDocument>> = {};
  readonly remediations: Partial<Record<'kms' | 'secret', config.CfnRemediationConfiguration>> = {};

  constructor(scope: Construct, id: string, props: RetirementPathProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { settings } = props;
    const r = settings.retirement;
    const prefix = settings.deployment.namePrefix;
    const functionName = `${prefix}-retirement-step`;

    const kinds: Kind[] = [];
    if (settings.rules.kmsUnusedKey.enabled && props.rules[RULE_NAMES.kmsUnusedKey]) {
      kinds.push({ key: 'kms', ruleName: RULE_NAMES.kmsUnusedKey, resourceType: 'AWS::KMS::Key', what: 'KMS key', pattern: KEY_ID_PATTERN, exemptionTagKey: settings.rules.kmsUnusedKey.exemptionTagKey, rule: props.rules[RULE_NAMES.kmsUnusedKey], documentName: `${prefix}-retire-kms-key` });
    }
    if (settings.rules.secretsUnusedSecret.enabled && props.rules[RULE_NAMES.secretsUnusedSecret]) {
      kinds.push({ key: 'secret', ruleName: RULE_NAMES.secretsUnusedSecret, resourceType: 'AWS::SecretsManager::Secret', what: 'secret', pattern: SECRET_ARN_PATTERN, exemptionTagKey: settings.rules.secretsUnusedSecret.exemptionTagKey, rule: props.rules[RULE_NAMES.secretsUnusedSecret], documentName: `${prefix}-retire-secret` });
    }

    const logGroup = new logs.LogGroup(this, 'StepRunnerLogs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: settings.deployment.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stepRunnerRole = new iam.Role(this, 'StepRunnerRole', {
      roleName: `${prefix}-retirement-step-${stack.region}`,
      description: 'Runs the retirement path steps (quarantine, retire) approved through Systems Manager Automation',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const automationExecutions = Arn.format({ service: 'ssm', resource: 'automation-execution', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    const statements = [
      new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`] }),
      // Neither action has a resource scope (Service Authorization Reference).
      new iam.PolicyStatement({ sid: 'ReadEvidence', actions: ['cloudtrail:LookupEvents', 'config:GetComplianceDetailsByResource'], resources: ['*'] }),
      // The act step reads its own execution back (the approval and the plan): Automation executions of this account and Region only.
      new iam.PolicyStatement({ sid: 'ReadOwnApprovals', actions: ['ssm:GetAutomationExecution'], resources: [automationExecutions] }),
      ...kinds.flatMap((k) => (k.key === 'kms' ? kmsStatements(stack, r.kmsPendingWindowDays, k.exemptionTagKey) : secretStatements(stack, r.secretRecoveryWindowDays, k.exemptionTagKey))),
      new iam.PolicyStatement({ sid: 'NeverReadSecretValues', effect: iam.Effect.DENY, actions: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'], resources: ['*'] }),
    ];
    const policy = new iam.Policy(this, 'StepRunnerPolicy', { statements });
    policy.attachToRole(this.stepRunnerRole);

    const runnerSettings: RunnerSettings = {
      observationDays: r.observationDays,
      kmsPendingWindowDays: r.kmsPendingWindowDays,
      secretRecoveryWindowDays: r.secretRecoveryWindowDays,
      approverArns: r.approverArns,
      minApprovals: r.minApprovals,
      rules: Object.fromEntries(kinds.map((k) => [k.resourceType, { ruleName: k.ruleName, exemptionTagKey: k.exemptionTagKey, documentName: k.documentName }])),
    };
    this.function = new lambda.Function(this, 'StepRunner', {
      functionName,
      description: 'crypto-asset-monitoring retirement path: plans and performs approved quarantine and retirement steps',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(bundleHandler('lambda/retirement-step.ts')),
      memorySize: 256,
      // Below aws:invokeLambdaFunction's 300 seconds, so the function ends (and says why) before the step gives up.
      timeout: Duration.seconds(240),
      role: this.stepRunnerRole,
      logGroup,
      environment: { [SETTINGS_VARIABLE]: JSON.stringify(runnerSettings) },
      // Invoked synchronously by Automation: a failure is the step's failure, never retried behind a person's back.
      retryAttempts: 0,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
    });
    this.function.node.addDependency(policy);

    // Systems Manager assumes it for executions of this account and Region only (confused deputy).
    this.automationRole = new iam.Role(this, 'AutomationRole', {
      roleName: `${prefix}-retirement-automation-${stack.region}`,
      description: 'Systems Manager Automation role of the retirement path: may only invoke the step-runner',
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': Arn.format({ service: 'ssm', resource: 'automation-execution', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack) },
      }),
    });
    // From the name: the function's ARN attribute would tie the role's policy to the function it may invoke.
    const functionArn = Arn.format({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
    new iam.Policy(this, 'AutomationPolicy', {
      roles: [this.automationRole],
      statements: [
        new iam.PolicyStatement({ sid: 'InvokeStepRunnerOnly', actions: ['lambda:InvokeFunction'], resources: [functionArn] }),
        ...(r.notificationTopicArn ? [new iam.PolicyStatement({ sid: 'AnnounceApprovals', actions: ['sns:Publish'], resources: [r.notificationTopicArn] })] : []),
      ],
    });

    for (const k of kinds) {
      const document = new ssm.CfnDocument(this, `${k.key === 'kms' ? 'Kms' : 'Secret'}Document`, {
        name: k.documentName,
        documentType: 'Automation',
        documentFormat: 'JSON',
        // A fixed name: a changed document becomes a new version instead of a replacement that would collide with itself.
        updateMethod: 'NewVersion',
        content: retirementDocument({
          resourceType: k.resourceType,
          resourceIdPattern: k.pattern,
          what: k.what,
          functionArn,
          automationRoleArn: this.automationRole.roleArn,
          approverArns: r.approverArns,
          minApprovals: r.minApprovals,
          notificationTopicArn: r.notificationTopicArn,
        }),
      });
      this.documents[k.key] = document;
      const remediation = new config.CfnRemediationConfiguration(this, `${k.key === 'kms' ? 'Kms' : 'Secret'}Remediation`, {
        configRuleName: k.ruleName,
        targetType: 'SSM_DOCUMENT',
        targetId: document.ref,
        resourceType: k.resourceType,
        // A person starts every step; AWS Config never runs it on its own.
        automatic: false,
        parameters: {
          ResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
          AutomationAssumeRole: { StaticValue: { Values: [this.automationRole.roleArn] } },
        },
      });
      remediation.node.addDependency(k.rule.rule);
      this.remediations[k.key] = remediation;
    }

    const inStack = (finding: string) =>
      finding
        .replace('<AWS::Partition>', Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition)
        .replace('<AWS::Region>', Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region);
    acknowledgeNag(policy, 'AwsSolutions-IAM5', [
      ['Resource::*', 'cloudtrail:LookupEvents and config:GetComplianceDetailsByResource have no resource scope; the Deny of secretsmanager:GetSecretValue covers every secret on purpose.'],
      [inStack('Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*'), "ssm:GetAutomationExecution only: the act step reads its own execution (id known only at run time) to verify the approval; read-only, this account and Region."],
      [`Resource::<${stack.getLogicalId(logGroup.node.defaultChild as CfnElement)}.Arn>:log-stream:*`, "Log streams of the function's own log group; their names are chosen by Lambda."],
      [inStack('Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*'), 'Any key of this account and Region a person starts the path for; the actions are bounded by tag conditions (quarantine tag required to schedule deletion, undated exemption denied) and the path tag keys.'],
      [inStack('Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:*'), 'Any secret of this account and Region a person starts the path for; bounded by tag conditions, BlockPublicPolicy and the recovery window; its value can never be read.'],
    ]);
    acknowledgeGuard(this.function, 'CT.LAMBDA.PR.3', 'The step-runner only calls AWS APIs (KMS, Secrets Manager, AWS Config, CloudTrail) in its own account and Region; a VPC in every member account and Region would need NAT or endpoints for no private resource');
    acknowledgeGuard(logGroup, 'CT.CLOUDWATCH.PR.3', 'The step-runner logs key ids, secret ARNs, decisions and approvers, never key material or secret values; CloudWatch Logs encrypts them at rest with its own keys, and a customer managed key per account and Region would itself be a key to retire');
  }
}

const tagExists = (key: string) => ({ [`aws:ResourceTag/${key}`]: 'false' });

function kmsStatements(stack: Stack, pendingWindowDays: number, exemptionTagKey: string): iam.PolicyStatement[] {
  const keys = Arn.format({ service: 'kms', resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
  return [
    new iam.PolicyStatement({ sid: 'ReadKeys', actions: ['kms:DescribeKey', 'kms:ListResourceTags'], resources: [keys] }),
    new iam.PolicyStatement({ sid: 'TagKeysWithPathTagsOnly', actions: ['kms:TagResource'], resources: [keys], conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [...PATH_TAG_KEYS] } } }),
    new iam.PolicyStatement({ sid: 'QuarantineKeys', actions: ['kms:DisableKey'], resources: [keys] }),
    new iam.PolicyStatement({
      sid: 'RetireQuarantinedKeysOnly',
      actions: ['kms:ScheduleKeyDeletion'],
      resources: [keys],
      conditions: { Null: tagExists(TAGS.quarantinedAt), NumericEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': pendingWindowDays } },
    }),
    new iam.PolicyStatement({
      sid: 'NeverChangeExemptKeys',
      effect: iam.Effect.DENY,
      actions: ['kms:TagResource', 'kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      resources: ['*'],
      conditions: { Null: tagExists(exemptionTagKey), StringNotLike: { [`aws:ResourceTag/${exemptionTagKey}`]: DATED_EXEMPTION_VALUE } },
    }),
  ];
}

function secretStatements(stack: Stack, recoveryWindowDays: number, exemptionTagKey: string): iam.PolicyStatement[] {
  const secrets = Arn.format({ service: 'secretsmanager', resource: 'secret', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
  const mutating = ['secretsmanager:PutResourcePolicy', 'secretsmanager:TagResource', 'secretsmanager:DeleteSecret'];
  return [
    // Metadata and policy only: DescribeSecret and GetResourcePolicy never return the value.
    new iam.PolicyStatement({ sid: 'ReadSecretMetadata', actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'], resources: [secrets] }),
    new iam.PolicyStatement({ sid: 'TagSecretsWithPathTagsOnly', actions: ['secretsmanager:TagResource'], resources: [secrets], conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [...PATH_TAG_KEYS] } } }),
    new iam.PolicyStatement({ sid: 'QuarantineSecrets', actions: ['secretsmanager:PutResourcePolicy'], resources: [secrets], conditions: { Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } } }),
    new iam.PolicyStatement({
      sid: 'RetireQuarantinedSecretsOnly',
      actions: ['secretsmanager:DeleteSecret'],
      resources: [secrets],
      // The request always names the window, so the key is present; a forced deletion cannot name one
      // (DeleteSecret takes one or the other), and the Deny below says so outright. A Bool "false" here
      // would never match: the step-runner does not send ForceDeleteWithoutRecovery, and an absent key
      // fails its condition.
      conditions: {
        Null: tagExists(TAGS.quarantinedAt),
        NumericEquals: { 'secretsmanager:RecoveryWindowInDays': recoveryWindowDays },
      },
    }),
    new iam.PolicyStatement({
      sid: 'NeverForceDeleteSecrets',
      effect: iam.Effect.DENY,
      actions: ['secretsmanager:DeleteSecret'],
      resources: ['*'],
      conditions: { Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'true' } },
    }),
    // Both forms of the tag condition key Secrets Manager documents, so either one denies.
    new iam.PolicyStatement({
      sid: 'NeverChangeExemptSecrets',
      effect: iam.Effect.DENY,
      actions: mutating,
      resources: ['*'],
      conditions: { Null: tagExists(exemptionTagKey), StringNotLike: { [`aws:ResourceTag/${exemptionTagKey}`]: DATED_EXEMPTION_VALUE } },
    }),
    new iam.PolicyStatement({
      sid: 'NeverChangeExemptSecretsServiceKey',
      effect: iam.Effect.DENY,
      actions: mutating,
      resources: ['*'],
      conditions: { Null: { [`secretsmanager:ResourceTag/${exemptionTagKey}`]: 'false' }, StringNotLike: { [`secretsmanager:ResourceTag/${exemptionTagKey}`]: DATED_EXEMPTION_VALUE } },
    }),
  ];
}
