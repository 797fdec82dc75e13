import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token, type CfnElement } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleHandler } from '../bundle';
import { acknowledgeNag } from '../nag';
import type { CustomRuleSpec } from '../catalog';

export interface CustomConfigRuleProps {
  readonly spec: CustomRuleSpec;
  readonly inputParameters: Record<string, string>;
  readonly maximumExecutionFrequency: string;
  readonly namePrefix: string;
  readonly logRetentionDays: number;
}

/** AWS Config's limit on a rule's InputParameters, as the JSON text it stores. */
export const MAX_INPUT_PARAMETERS_LENGTH = 1024;

/**
 * One periodic custom AWS Config rule and what it needs: the function with its handler inlined,
 * a role allowed only what that handler calls, an explicit log group with retention, and the
 * permission for AWS Config in this account to invoke it. While the rule's parameters name an
 * inventory bucket, the role may also put the rule's own inventory objects there (this account's
 * and Region's keys under inventory/) and make the reads the inventory adds.
 */
export class CustomConfigRule extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly rule: config.CfnConfigRule;
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: CustomConfigRuleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { spec } = props;
    const functionName = `${props.namePrefix}-${spec.name}`;

    // A fixed name (Lambda's own, so the logs are where people look) must go with the stack:
    // a retained group would make creating the stack instance again fail with "already exists".
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      // A predictable name, so key policies can allow it: <prefix>-<rule key>-<region> (at most 64 characters).
      roleName: `${props.namePrefix}-${spec.key}-${stack.region}`,
      description: `Runs the ${spec.name} AWS Config rule`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const parametersText = JSON.stringify(props.inputParameters);
    if (parametersText.length > MAX_INPUT_PARAMETERS_LENGTH) {
      throw new Error(`${spec.name}: its InputParameters are ${parametersText.length} characters as JSON; AWS Config takes at most ${MAX_INPUT_PARAMETERS_LENGTH}`);
    }
    const inventoryBucket = props.inputParameters.inventoryBucket;
    // Keys are inventory/dt=<day>/<account>-<region>-<asset type>-<run>-<part>.json.gz (lambda/inventory/record.ts).
    const inventoryObjects = inventoryBucket && `arn:${stack.partition}:s3:::${inventoryBucket}/inventory/dt=*/${stack.account}-${stack.region}-*`;
    const handlerStatements = [
      ...spec.statements(stack),
      ...(inventoryObjects ? [...(spec.inventoryStatements?.(stack) ?? []), new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [inventoryObjects] })] : []),
    ];
    // Built from the name, not the function's attribute: the function depends on this policy.
    const ownArn = Arn.format({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
    const policy = (this.policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${this.logGroup.logGroupArn}`, `${this.logGroup.logGroupArn}:log-stream:*`],
        }),
        // PutEvaluations has no resource scope.
        new iam.PolicyStatement({ actions: ['config:PutEvaluations'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['config:GetComplianceDetailsByConfigRule'],
          resources: [Arn.format({ service: 'config', resource: 'config-rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack)],
        }),
        // A run that reaches its deadline hands the rest of the pass to a new invocation of itself.
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [ownArn] }),
        ...handlerStatements,
      ],
    }));
    policy.attachToRole(this.role);

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(bundleHandler(spec.handlerEntry, spec.bundledModules)),
      memorySize: spec.memorySizeMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      // The runtime reads the period to stop a pass that would run into the next one.
      environment: { EVALUATION_FREQUENCY: props.maximumExecutionFrequency },
      // No silent retries: a failed run is logged and counted; the next scheduled run or the continuation redoes the work.
      retryAttempts: 0,
      // A pass over a large account is a chain of continuations longer than the 16 invocations after
      // which Lambda's loop detection would stop it; the runtime bounds the chain itself (continuation.ts).
      recursiveLoop: lambda.RecursiveLoop.ALLOW,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
    });
    this.function.node.addDependency(policy);

    const permission = new lambda.CfnPermission(this, 'ConfigInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionArn,
      principal: 'config.amazonaws.com',
      sourceAccount: stack.account,
    });

    this.rule = new config.CfnConfigRule(this, 'Rule', {
      configRuleName: spec.name,
      description: spec.description,
      inputParameters: props.inputParameters,
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: this.function.functionArn,
        sourceDetails: [
          {
            eventSource: 'aws.config',
            messageType: 'ScheduledNotification',
            maximumExecutionFrequency: props.maximumExecutionFrequency,
          },
        ],
      },
    });
    this.rule.node.addDependency(permission);

    // Each acknowledgement names the exact finding and why it does not apply. cdk-nag names an ARN
    // as the template holds it: literal partition and region in a stack bound to a region (the
    // management account's), references in the account- and region-agnostic member template.
    const inStack = (finding: string) =>
      finding
        .replace('<AWS::Partition>', Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition)
        .replace('<AWS::Region>', Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region);
    const unscoped = handlerStatements.filter((st) => st.resources.includes('*')).flatMap((st) => st.actions);
    acknowledgeNag(policy, 'AwsSolutions-IAM5', [
      ['Resource::*', `${[...unscoped, 'config:PutEvaluations'].join(' and ')} have no resource scope.`],
      [`Resource::<${stack.getLogicalId(this.logGroup.node.defaultChild as CfnElement)}.Arn>:log-stream:*`, "Log streams of the function's own log group; their names are chosen by Lambda."],
      [
        inStack('Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*'),
        'GetComplianceDetailsByConfigRule on rules of this account and region: the rule ARN holds an id assigned at creation, and naming it would make the role depend on the rule that depends on the function.',
      ],
      ...spec.nagWildcards.map((w): [string, string] => [inStack(w.finding), w.reason]),
      ...(inventoryBucket
        ? [
            [
              inStack(`Resource::arn:<AWS::Partition>:s3:::${inventoryBucket}/inventory/dt=*/<AWS::AccountId>-<AWS::Region>-*`),
              "Inventory objects of this account and Region only, in the central bucket: their keys hold the pass's day, asset type, run id and part, unknown until the run writes them.",
            ] as [string, string],
          ]
        : []),
    ]);
  }
}
