import { Aws, CfnCondition, Fn, type ICfnConditionExpression } from 'aws-cdk-lib';
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
 *
 * A managed rule that AWS Config does not offer in some Regions carries the condition
 * `<Key>Supported`, false in those Regions, so one Region-agnostic template deploys everywhere
 * (creating the rule there would fail the stack instance). The condition reads AWS::Region even
 * where the stack is bound to a Region (the management account's own stacks): CloudFormation
 * decides, one code path.
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
  const rule = new config.CfnConfigRule(scope, spec.key, {
    configRuleName: spec.name,
    description: spec.description,
    source: { owner: 'AWS', sourceIdentifier: spec.identifier },
    ...(spec.trigger.configurationChanges ? { scope: { complianceResourceTypes: [...spec.resourceTypes] } } : {}),
    ...(spec.trigger.periodic ? { maximumExecutionFrequency: frequency } : {}),
    ...(Object.keys(parameters).length > 0 ? { inputParameters: parameters } : {}),
  });
  if (spec.unsupportedRegions.length > 0) rule.cfnOptions.condition = supportedCondition(scope, spec);
  return rule;
}

/** `<Key>Supported`, true outside the rule's unsupported Regions. */
function supportedCondition(scope: Construct, spec: ManagedRuleSpec): CfnCondition {
  const id = `${spec.key.charAt(0).toUpperCase()}${spec.key.slice(1)}Supported`;
  const condition = new CfnCondition(scope, id, { expression: regionNotIn(spec.unsupportedRegions) });
  condition.overrideLogicalId(id);
  return condition;
}

/**
 * Fn::Not of "AWS::Region equals one of these". Fn::Or takes 2 to 10 conditions: Fn.conditionOr
 * passes a single condition through unwrapped and nests longer lists in groups of ten.
 */
export function regionNotIn(regions: readonly string[]): ICfnConditionExpression {
  if (regions.length === 0) throw new Error('regionNotIn needs at least one Region');
  return Fn.conditionNot(Fn.conditionOr(...regions.map((region) => Fn.conditionEquals(Aws.REGION, region))));
}
