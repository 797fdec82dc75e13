import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { allowGrantsOnlyForAwsResources } from './grants-only-for-aws-resources';

export interface AlertTopicProps {
  readonly namePrefix: string;
  readonly emails: readonly string[];
  readonly httpsEndpoints: readonly string[];
}

/** The services that publish alerts, CloudWatch alarms and EventBridge rules, and the resources of this account they publish from. */
const PUBLISHERS = [
  { sid: 'AllowCloudWatchAlarmsOfThisAccount', service: 'cloudwatch', resource: 'alarm:*' },
  { sid: 'AllowEventBridgeRulesOfThisAccount', service: 'events', resource: 'rule/*' },
] as const;

/**
 * The one topic every alert goes to, encrypted with its own customer-managed key. One topic, not
 * one per severity: each message states its severity in its first line, and the same people act
 * on all of them; a second audience subscribes with a filter policy rather than a second topic.
 */
export class AlertTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${props.namePrefix}-alerts`,
      description: 'Encrypts the crypto-asset-monitoring alert topic',
      enableKeyRotation: true,
    });
    allowGrantsOnlyForAwsResources(this.key);
    // SNS encrypts each message with a data key requested on the publisher's behalf, so the
    // publishing services need the key; the topic policy below decides who may publish.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmAndEventPublishersToUseTheKey',
        principals: PUBLISHERS.map((p) => new iam.ServicePrincipal(`${p.service}.amazonaws.com`)),
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${props.namePrefix}-alerts`,
      displayName: 'Crypto asset alerts',
      masterKey: this.key,
      // Denies every request that does not use TLS.
      enforceSSL: true,
    });
    for (const p of PUBLISHERS) {
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: p.sid,
          principals: [new iam.ServicePrincipal(`${p.service}.amazonaws.com`)],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:${p.service}:${stack.region}:${stack.account}:${p.resource}` },
          },
        }),
      );
    }

    for (const address of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    for (const url of props.httpsEndpoints) {
      this.topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }));
    }
  }
}
