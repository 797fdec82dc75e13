import type { CfnStackSet } from 'aws-cdk-lib';
import type { DeploymentSettings } from '../settings/deployment';

/**
 * The deployment settings as StackSet operation preferences, shared by the organization's
 * StackSet and the management account's. CloudFormation applies them to operations the app starts
 * (create, update); automatic deployments to accounts joining a target OU follow their own order.
 */
export function stackSetOperationPreferences(d: DeploymentSettings): CfnStackSet.OperationPreferencesProperty {
  return {
    maxConcurrentPercentage: d.maxConcurrentPercentage,
    failureTolerancePercentage: d.failureTolerancePercentage,
    regionConcurrencyType: d.regionConcurrency,
    concurrencyMode: d.concurrencyMode,
    ...(d.regionOrder.length > 0 ? { regionOrder: d.regionOrder } : {}),
  };
}
