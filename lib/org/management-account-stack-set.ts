import { Aws, CfnCondition, CfnStackSet, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag';
import type { DeploymentSettings } from '../settings/deployment';
import { stackSetOperationPreferences } from './operation-preferences';

/** Appended to `deployment.stackSetName`: a StackSet name must be unique in its Region. */
export const MANAGEMENT_ACCOUNT_STACK_SET_SUFFIX = '-management-account';

export interface ManagementAccountStackSetProps {
  readonly deployment: DeploymentSettings;
  /** The member template, the same asset the organization's StackSet reads. */
  readonly templateAsset: Asset;
  /**
   * Whether the member template carries the retirement path (retirement.enabled): its Automation
   * documents and Config remediation configurations, which the execution role must then manage too.
   */
  readonly retirement?: boolean;
}

/**
 * The member template in the management account itself, which service-managed StackSets never
 * reach: a self-managed StackSet owned by the management stack, with one stack instance per target
 * Region in this account. Because StackSets create those instances, the management account needs a
 * CDK bootstrap in the home Region only, and changing `targetRegions` adds or removes instances of
 * the one StackSet instead of renaming a stack.
 *
 * Self-managed StackSets need two roles (AWS CloudFormation User Guide, "Grant self-managed
 * permissions"): an administration role CloudFormation assumes, and an execution role in the target
 * account that trusts it. Both live here, named for this app so they never meet the account-wide
 * AWSCloudFormationStackSet* roles a user may already have.
 */
export class ManagementAccountStackSet extends Construct {
  readonly stackSet: CfnStackSet;
  readonly administrationRole: iam.Role;
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: ManagementAccountStackSetProps) {
    super(scope, id);
    const d = props.deployment;
    const stack = Stack.of(this);
    const prefix = d.namePrefix;
    const executionRoleName = `${prefix}-stackset-execution`;

    this.administrationRole = new iam.Role(this, 'AdministrationRole', {
      roleName: `${prefix}-stackset-administration`,
      description: 'CloudFormation StackSets assume this to reach the management account execution role of crypto-asset-monitoring',
      assumedBy: cloudFormationPrincipals(this, d.targetRegions),
    });
    const executionRoleArn = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: executionRoleName });
    this.administrationRole.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [executionRoleArn] }));

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: executionRoleName,
      description: 'Creates the crypto-asset-monitoring member resources in the management account, for its self-managed StackSet',
      assumedBy: new iam.ArnPrincipal(this.administrationRole.roleArn),
      inlinePolicies: { MemberResources: memberResourcePolicy(stack, prefix, props.retirement ?? false) },
    });

    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: `${d.stackSetName}${MANAGEMENT_ACCOUNT_STACK_SET_SUFFIX}`,
      description: 'crypto-asset-monitoring: the member Config rules in the management account, which service-managed StackSets never reach',
      permissionModel: 'SELF_MANAGED',
      administrationRoleArn: this.administrationRole.roleArn,
      executionRoleName,
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: stackSetOperationPreferences(d),
      stackInstancesGroup: [{ deploymentTargets: { accounts: [Aws.ACCOUNT_ID] }, regions: d.targetRegions.length > 0 ? d.targetRegions : [stack.region] }],
      templateUrl: props.templateAsset.httpUrl,
      tags: [{ key: 'managed-by', value: 'crypto-asset-monitoring' }],
    });
    // The execution role must exist, with its policy, before the first stack instance is created,
    // and outlive the last one when the stack is deleted.
    this.stackSet.node.addDependency(this.executionRole, this.administrationRole);

    acknowledgeNag(this.executionRole, 'AwsSolutions-IAM5', [
      [
        'Action::cloudformation:*',
        'The minimum a StackSet execution role needs, as "Grant self-managed permissions" in the CloudFormation User Guide states; the role is assumable only by this StackSet administration role',
      ],
      ['Action::s3:*', 'Part of the documented minimum for a StackSet execution role (CloudFormation User Guide, "Grant self-managed permissions")'],
      ['Action::sns:*', 'Part of the documented minimum for a StackSet execution role (CloudFormation User Guide, "Grant self-managed permissions")'],
      ['Resource::*', 'The documented StackSet minimum (cloudformation, s3, sns) and the Describe/List calls CloudFormation makes for Config rules and log groups have no resource scope'],
      ['Action::config:*', 'Every AWS Config action on Config rules only (config-rule/*), for the managed and custom rules of the member template'],
      ...MEMBER_SERVICES.map((s) => [`Action::${s}:*`, `Every ${s} action CloudFormation may need for the member template, on resources named with the app's prefix only`] as const),
      ...memberResourcePatterns(prefix).map((p) => [`Resource::${p}`, 'Resources the member template names with the app prefix'] as const),
      ['Resource::arn:<AWS::Partition>:config:*:<AWS::AccountId>:config-rule/*', 'Config rule ARNs carry an id AWS Config generates, not the rule name'],
      ...(props.retirement
        ? ([
            ['Action::ssm:*', 'Every Systems Manager action CloudFormation may need for the retirement path\'s Automation documents, on documents named with the app\'s prefix only'],
            [`Resource::arn:<AWS::Partition>:ssm:*:<AWS::AccountId>:document/${prefix}-*`, 'The retirement path\'s Automation documents, named with the app prefix'],
            ['Resource::arn:<AWS::Partition>:config:*:<AWS::AccountId>:remediation-configuration/*', 'Remediation configuration ARNs carry an id AWS Config generates, not the rule name'],
          ] as const)
        : []),
    ]);
  }
}

/** Services whose resources the member template creates (lib/member/), besides AWS Config and IAM. */
const MEMBER_SERVICES = ['lambda', 'logs', 'events'] as const;

/** What CloudFormation does to the member template's roles (AWS::IAM::Role with inline AWS::IAM::Policy). */
const MEMBER_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
];

/** The resource ARN patterns the member template's named resources match, nag's way of writing them. */
function memberResourcePatterns(prefix: string): string[] {
  return [
    `arn:<AWS::Partition>:lambda:*:<AWS::AccountId>:function:${prefix}-*`,
    `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${prefix}-*`,
    `arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/lambda/${prefix}-*`,
    `arn:<AWS::Partition>:events:*:<AWS::AccountId>:rule/${prefix}-*`,
  ];
}

/**
 * What the execution role may do: the StackSet minimum the CloudFormation User Guide documents
 * (cloudformation, s3, sns), and the member template's own resources, scoped to the names it gives
 * them (`<namePrefix>-…`), so the role cannot touch any other role, function or rule of the
 * management account.
 */
function memberResourcePolicy(stack: Stack, prefix: string, retirement: boolean): iam.PolicyDocument {
  const memberRoles = `arn:${stack.partition}:iam::${stack.account}:role/${prefix}-*`;
  const arn = (service: string, resource: string, sep = ':') => `arn:${stack.partition}:${service}:*:${stack.account}:${resource}${sep}`;
  // The retirement path's Automation role is assumed by Systems Manager, and its remediation
  // configurations name that role as AutomationAssumeRole.
  const passedTo = ['lambda.amazonaws.com', 'events.amazonaws.com', ...(retirement ? ['ssm.amazonaws.com'] : [])];
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({ sid: 'StackSetMinimum', actions: ['cloudformation:*', 's3:*', 'sns:*'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'ConfigRules', actions: ['config:*'], resources: [`${arn('config', 'config-rule', '/')}*`] }),
      new iam.PolicyStatement({
        sid: 'DescribeWithoutResourceScope',
        actions: ['config:DescribeConfigRules', 'config:DescribeConfigRuleEvaluationStatus', 'logs:DescribeLogGroups', 'lambda:GetAccountSettings'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({ sid: 'RuleFunctions', actions: ['lambda:*'], resources: [`${arn('lambda', 'function')}${prefix}-*`] }),
      // Inline policies only: the member template attaches no managed policy, and iam:AttachRolePolicy
      // would let a template grant AdministratorAccess to a role it creates.
      new iam.PolicyStatement({ sid: 'RuleRoles', actions: MEMBER_ROLE_ACTIONS, resources: [memberRoles] }),
      new iam.PolicyStatement({
        sid: 'PassRuleRoles',
        actions: ['iam:PassRole'],
        resources: [memberRoles],
        conditions: { StringEquals: { 'iam:PassedToService': passedTo } },
      }),
      // The StackSet's own roles share the prefix; the template may never change them.
      new iam.PolicyStatement({
        sid: 'NotTheStackSetRoles',
        effect: iam.Effect.DENY,
        actions: ['iam:*'],
        resources: [`arn:${stack.partition}:iam::${stack.account}:role/${prefix}-stackset-*`],
      }),
      new iam.PolicyStatement({ sid: 'RuleLogGroups', actions: ['logs:*'], resources: [`${arn('logs', 'log-group')}/aws/lambda/${prefix}-*`] }),
      new iam.PolicyStatement({ sid: 'ForwardingRules', actions: ['events:*'], resources: [`${arn('events', 'rule', '/')}${prefix}-*`] }),
      ...(retirement
        ? [
            new iam.PolicyStatement({ sid: 'RetirementDocuments', actions: ['ssm:*'], resources: [`${arn('ssm', 'document', '/')}${prefix}-*`] }),
            new iam.PolicyStatement({
              sid: 'RetirementRemediations',
              actions: ['config:PutRemediationConfigurations', 'config:DeleteRemediationConfiguration', 'config:DescribeRemediationConfigurations'],
              resources: [`${arn('config', 'remediation-configuration', '/')}*`],
            }),
          ]
        : []),
    ],
  });
}

/**
 * CloudFormation, and for each Region that is off by default its own Regional service principal,
 * which StackSets need to deploy there ("Grant self-managed permissions"). With no target Regions
 * the one Region is the stack's own, known only at deploy time: a condition adds its principal when
 * it is an opt-in Region.
 */
function cloudFormationPrincipals(scope: Construct, targetRegions: readonly string[]): iam.IPrincipal {
  const global = new iam.ServicePrincipal('cloudformation.amazonaws.com');
  if (targetRegions.length > 0) {
    const regional = targetRegions.filter((r) => RegionInfo.get(r).isOptInRegion).map((r) => new iam.ServicePrincipal(`cloudformation.${r}.amazonaws.com`));
    return regional.length > 0 ? new iam.CompositePrincipal(global, ...regional) : global;
  }
  const optIn = new CfnCondition(scope, 'InOptInRegion', { expression: Fn.conditionOr(...optInRegions().map((r) => Fn.conditionEquals(Aws.REGION, r))) });
  // AWS::NoValue drops the list entry outside opt-in Regions, leaving the global principal alone.
  const regionalName = Fn.conditionIf(optIn.logicalId, Fn.sub('cloudformation.${AWS::Region}.amazonaws.com'), Aws.NO_VALUE);
  return new iam.CompositePrincipal(global, new iam.ServicePrincipal(regionalName.toString()));
}

function optInRegions(): string[] {
  return RegionInfo.regions.filter((r) => r.isOptInRegion).map((r) => r.name);
}
