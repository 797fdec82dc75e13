import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALL_MANAGEMENT_EVENTS_STATE, alertEventSpecs, type AlertId, type AlertOptions } from '../event-patterns';
import { messageFor } from './messages';

export interface EventAlertsProps {
  readonly eventBusName: string;
  /** The organization whose accounts may put events on the bus. */
  readonly organizationId: string;
  readonly topic: sns.ITopic;
  readonly alerts: AlertOptions;
  readonly namePrefix: string;
}

/**
 * Sends a rule's matches to the topic with a readable message. The topic's own policy already
 * admits EventBridge rules of this account, so unlike aws-events-targets' SnsTopic this target
 * adds no broader publish statement of its own.
 */
class AlertTopicTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly input: events.RuleTargetInput,
  ) {}

  bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: this.input, targetResource: this.topic };
  }
}

/**
 * The central event bus that member accounts forward native KMS, ACM, Secrets Manager and IAM
 * Access Analyzer events to, limited to the organization, and one rule per alert on it.
 * A rule is ENABLED, except the rules whose events are read-only CloudTrail management events
 * (the retirement path's alerts on uses of disabled keys and refused secret reads): EventBridge
 * matches those, on a custom bus too, only in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
 */
export class EventAlerts extends Construct {
  readonly bus: events.EventBus;
  readonly rules: Partial<Record<AlertId, events.Rule>> = {};

  constructor(scope: Construct, id: string, props: EventAlertsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName, description: 'Crypto asset events forwarded from every account of the organization' });
    // The policy is set on the bus itself, not as a separate AWS::Events::EventBusPolicy.
    (this.bus.node.defaultChild as events.CfnEventBus).policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AllowOrganizationAccountsToForward',
          principals: [new iam.AnyPrincipal()],
          actions: ['events:PutEvents'],
          // From the name: the bus's own ARN attribute would make the bus depend on itself.
          resources: [Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: props.eventBusName })],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        }),
      ],
    }).toJSON();

    for (const spec of alertEventSpecs(props.alerts)) {
      const rule = new events.Rule(this, spec.id, {
        eventBus: this.bus,
        ruleName: `${props.namePrefix}-${spec.id}`,
        description: spec.description,
        eventPattern: spec.pattern,
      });
      if (spec.readOnlyManagementEvents) (rule.node.defaultChild as events.CfnRule).state = ALL_MANAGEMENT_EVENTS_STATE;
      rule.addTarget(new AlertTopicTarget(props.topic, messageFor(spec.id)));
      this.rules[spec.id] = rule;
    }
  }
}
