/**
 * The yardstick of bench/synth.bench.ts: the smallest CDK app with one AWS Config rule, launched
 * the way ours is (`npx tsx`, see cdk.json here) with the same CDK CLI and the same feature flags
 * (the bench checks that this cdk.json's context equals the root cdk.json's, less our own key),
 * so the ratio of the two `cdk synth` times is the cost of what our app does beyond that.
 */
import { App, Stack } from 'aws-cdk-lib';
import { ManagedRule, ManagedRuleIdentifiers } from 'aws-cdk-lib/aws-config';

const app = new App();
const stack = new Stack(app, 'MinimalConfigRule');
new ManagedRule(stack, 'KeyRotation', { identifier: ManagedRuleIdentifiers.CMK_BACKING_KEY_ROTATION_ENABLED });
