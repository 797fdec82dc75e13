import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { MANAGED_RULES, type ManagedRuleKey, type ManagedRuleSpec } from '../catalog';
import type { Settings } from '../settings';

export interface ManagedConfigRulesProps {
  readonly settings: Settings;
}

/**
 * The AWS managed Config rules of the catalog that settings enable, each under its stable name:
 * change-triggered rules scoped to their resource types, periodic rules on the configured
 * frequency, parameters only where the managed rule accepts them.
 */
export class ManagedConfigRules extends Construct {
  /** The deployed rules by catalog key; disabled rules are absent. */
  readonly rules: Partial<Record<ManagedRuleKey, config.CfnConfigRule>> = {};

  constructor(scope: Construct, id: string, props: ManagedConfigRulesProps) {
    super(scope, id);
    for (const spec of MANAGED_RULES) {
      const ruleSettings = props.settings.rules.managed[spec.key];
      if (!ruleSettings.enabled) continue;
      this.rules[spec.key] = managedRule(this, spec, props.settings, 'evaluationFrequency' in ruleSettings ? ruleSettings.evaluationFrequency : undefined);
    }
  }
}

function managedRule(scope: Construct, spec: ManagedRuleSpec, settings: Settings, frequency: string | undefined): config.CfnConfigRule {
  if (spec.trigger.periodic && !frequency) throw new Error(`Managed rule ${spec.name} is periodic but its settings have no evaluationFrequency`);
  const parameters = spec.parameters(settings);
  return new config.CfnConfigRule(scope, spec.key, {
    configRuleName: spec.name,
    description: spec.description,
    source: { owner: 'AWS', sourceIdentifier: spec.identifier },
    ...(spec.trigger.configurationChanges ? { scope: { complianceResourceTypes: [...spec.resourceTypes] } } : {}),
    ...(spec.trigger.periodic ? { maximumExecutionFrequency: frequency } : {}),
    ...(Object.keys(parameters).length > 0 ? { inputParameters: parameters } : {}),
  });
}
