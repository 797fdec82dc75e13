import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Denies kms:CreateGrant on a key unless the grant is for an AWS resource or asked by an AWS
 * service: nobody can hand the key's use to a principal the key policy does not name (AWS Control
 * Tower control CT.KMS.PR.3). The app's keys are used directly by services, never through grants.
 */
export function allowGrantsOnlyForAwsResources(key: kms.IKey): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}
