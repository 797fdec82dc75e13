/**
 * How the member template hands its settings to the step-runner: one environment variable holding
 * RunnerSettings as JSON. Kept apart from the handler so the template reads it without loading SDK clients.
 */
import type { ResourceType } from './resources';

export const SETTINGS_VARIABLE = 'RETIREMENT_SETTINGS';

export interface RunnerSettings {
  readonly observationDays: number;
  readonly kmsPendingWindowDays: number;
  readonly secretRecoveryWindowDays: number;
  readonly approverArns: readonly string[];
  readonly minApprovals: number;
  /** Per resource type: the rule whose results start the path, and its exemption tag key. */
  readonly rules: Readonly<Partial<Record<ResourceType, { readonly ruleName: string; readonly exemptionTagKey: string }>>>;
}
