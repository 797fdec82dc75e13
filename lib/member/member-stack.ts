import { Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CUSTOM_RULES } from '../catalog';
import type { Settings } from '../settings';
import { CustomConfigRule } from './custom-config-rule';
import { ManagedConfigRules } from './managed-config-rules';
import { alertOptionsOf } from '../event-patterns';
import { centralBusArn, EventForwarding } from './event-forwarding';
import { RetirementPath } from './retirement/retirement-path';

export interface MemberStackProps extends StackProps {
  readonly settings: Settings;
}

/** What lives in every member account and region: the custom and the AWS managed Config rules. */
export class MemberStack extends Stack {
  readonly rules: Record<string, CustomConfigRule> = {};
  readonly managedRules: ManagedConfigRules;
  readonly eventForwarding?: EventForwarding;
  /** The retirement path (docs/retirement.md), when `retirement.enabled`. */
  readonly retirement?: RetirementPath;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, props);
    const { settings } = props;
    for (const spec of CUSTOM_RULES) {
      const ruleSettings = settings.rules[spec.key];
      if (!ruleSettings.enabled) continue;
      this.rules[spec.name] = new CustomConfigRule(this, spec.key, {
        spec,
        inputParameters: spec.parameters(settings),
        maximumExecutionFrequency: ruleSettings.evaluationFrequency,
        namePrefix: settings.deployment.namePrefix,
        logRetentionDays: settings.deployment.logRetentionDays,
      });
    }
    if (settings.retirement.enabled) this.retirement = new RetirementPath(this, 'Retirement', { settings, rules: this.rules });
    this.managedRules = new ManagedConfigRules(this, 'ManagedRules', { settings });
    const busArn = centralBusArn(settings, this.partition);
    if (busArn !== undefined) {
      this.eventForwarding = new EventForwarding(this, 'AlertForwarding', {
        targetBusArn: busArn,
        alerts: alertOptionsOf(settings),
        name: `${settings.deployment.namePrefix}-alert-forwarding`,
        skipIn: { account: settings.alerting.centralAccountId!, region: settings.alerting.centralRegion! },
      });
    }
  }
}
