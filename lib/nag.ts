import { Validations, type Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addGuardChecks, GUARD_CONTEXT_KEY } from './guard';

/**
 * cdk-nag's AWS Solutions pack on every stack of a stage; unacknowledged findings fail synthesis.
 * With the context key GUARD_CONTEXT_KEY true (the tests set it), the Control Tower controls too.
 */
export function addNagChecks(stage: Stage): void {
  Validations.of(stage).addPlugins(new AwsSolutionsChecks(stage));
  const guard = stage.node.tryGetContext(GUARD_CONTEXT_KEY);
  if (guard === true || guard === 'true') addGuardChecks(stage);
}

/**
 * Acknowledges cdk-nag findings one by one: each entry is the finding's detail (for example
 * `Resource::*`) and the reason it does not apply, so a new wildcard still fails synthesis.
 */
export function acknowledgeNag(scope: IConstruct, rule: string, findings: readonly (readonly [string, string])[]): void {
  Validations.of(scope).acknowledge(...findings.map(([detail, reason]) => ({ id: `AwsSolutions::${rule}[${detail}]`, reason })));
}

/** Acknowledges a finding that has no detail part. */
export function acknowledgeNagRule(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}
