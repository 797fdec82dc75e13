import { CfnCondition, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ALL_MANAGEMENT_EVENTS_STATE, forwardedEventPattern, needsReadOnlyManagementEvents, type AlertOptions } from '../event-patterns';
import type { Settings } from '../settings';

export interface EventForwardingProps {
  /** The central event bus of the alerting account. */
  readonly targetBusArn: string;
  /** Which alerts the central bus raises: exactly their events are forwarded. */
  readonly alerts: AlertOptions;
  /**
   * The rule's name, and its role's with the Region appended (roles are global). It starts with
   * `deployment.namePrefix`, so the management account's StackSet execution role can be scoped to it.
   */
  readonly name: string;
  /**
   * An account and region where this construct creates nothing: the alerting stack forwards
   * that account's events itself, and a second rule there would send every alert twice.
   */
  readonly skipIn?: { readonly account: string; readonly region: string };
}

/** The ARN of the central bus members forward to, from settings alone; undefined until its account and region are set. */
export function centralBusArn(settings: Settings, partition: string): string | undefined {
  const a = settings.alerting;
  if (!a.enabled || a.centralAccountId === undefined || a.centralRegion === undefined) return undefined;
  return `arn:${partition}:events:${a.centralRegion}:${a.centralAccountId}:event-bus/${a.eventBusName}`;
}

/**
 * Forwards this account's native KMS, ACM, Secrets Manager rotation and IAM Access Analyzer events
 * from its default bus to the central bus. A bus in another account or region is a target only
 * through a role, and this role may put events on that one bus and nothing else.
 */
export class EventForwarding extends Construct {
  readonly rule: events.Rule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: `${props.name}-${stack.region}`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Forwards crypto asset events to the central alerting bus',
    });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: props.name,
      description: 'Forwards crypto asset events to the central alerting bus',
      eventPattern: forwardedEventPattern(props.alerts),
    });
    this.rule.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralBus', props.targetBusArn), { role: this.role }));
    // Read-only management events (Decrypt, GetSecretValue) reach a rule only in this state.
    if (needsReadOnlyManagementEvents(props.alerts)) (this.rule.node.defaultChild as events.CfnRule).state = ALL_MANAGEMENT_EVENTS_STATE;

    if (props.skipIn) {
      const condition = new CfnCondition(this, 'OutsideAlertingAccount', {
        expression: Fn.conditionNot(
          Fn.conditionAnd(Fn.conditionEquals(stack.account, props.skipIn.account), Fn.conditionEquals(stack.region, props.skipIn.region)),
        ),
      });
      for (const child of this.node.findAll()) {
        if (child instanceof CfnResource) child.cfnOptions.condition = condition;
      }
    }
  }
}
