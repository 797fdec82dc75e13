import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { exemptionGuardrailDocument } from '../exemption-policy';

export interface ExemptionGuardrailProps {
  readonly namePrefix: string;
  /** The exemption tag keys of the enabled custom rules. */
  readonly tagKeys: readonly string[];
  /** Principals (ArnLike patterns of `aws:PrincipalArn`) that may still set and remove them. */
  readonly allowedPrincipalArns: readonly string[];
  /** Roots or OUs the policy is attached to: the StackSet's targets. */
  readonly targetIds: readonly string[];
}

/**
 * A service control policy that makes granting an exemption a controlled act: setting or removing
 * an exemption tag key on a KMS key, secret or certificate is denied to every principal of the
 * covered accounts except those listed. Like every SCP it does not apply to the management
 * account or to service-linked roles; the exemption alert still reports changes made there.
 */
export class ExemptionGuardrail extends Construct {
  readonly policy: organizations.CfnPolicy;

  constructor(scope: Construct, id: string, props: ExemptionGuardrailProps) {
    super(scope, id);
    this.policy = new organizations.CfnPolicy(this, 'Policy', {
      name: `${props.namePrefix}-exemption-tags`,
      description: `crypto-asset-monitoring: only listed principals may set or remove the exemption tag (${props.tagKeys.join(', ')}) on KMS keys, secrets and certificates`.slice(0, 512),
      type: 'SERVICE_CONTROL_POLICY',
      content: exemptionGuardrailDocument(props.tagKeys, props.allowedPrincipalArns),
      targetIds: [...props.targetIds],
      tags: [{ key: 'managed-by', value: 'crypto-asset-monitoring' }],
    });
  }
}
