import { Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Settings } from '../settings';
import { exemptionTagKeys } from '../catalog';
import { ExemptionGuardrail } from './exemption-guardrail';
import { ManagementAccountStackSet } from './management-account-stack-set';
import { MemberStackSet } from './member-stack-set';

export interface ManagementStackProps extends StackProps {
  readonly settings: Settings;
  readonly memberTemplatePath: string;
}

/** Deployed in the organization's management account (or a delegated administrator). */
export class ManagementStack extends Stack {
  readonly memberStackSet: MemberStackSet;
  /** The member template in this account itself, when `deployment.includeManagementAccount` is on. */
  readonly managementAccountStackSet?: ManagementAccountStackSet;
  /** The service control policy on exemption tags, when `exemptions.serviceControlPolicy.enabled`. */
  readonly exemptionGuardrail?: ExemptionGuardrail;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id, props);
    this.memberStackSet = new MemberStackSet(this, 'Members', {
      deployment: props.settings.deployment,
      templatePath: props.memberTemplatePath,
    });
    const scp = props.settings.exemptions.serviceControlPolicy;
    if (scp.enabled) {
      this.exemptionGuardrail = new ExemptionGuardrail(this, 'ExemptionGuardrail', {
        namePrefix: props.settings.deployment.namePrefix,
        tagKeys: exemptionTagKeys(props.settings.rules),
        allowedPrincipalArns: scp.allowedPrincipalArns,
        targetIds: this.memberStackSet.targetIds,
      });
    }
    if (props.settings.deployment.includeManagementAccount) {
      this.managementAccountStackSet = new ManagementAccountStackSet(this, 'ManagementAccount', {
        deployment: props.settings.deployment,
        templateAsset: this.memberStackSet.templateAsset,
        retirement: props.settings.retirement.enabled,
      });
    }
  }
}
