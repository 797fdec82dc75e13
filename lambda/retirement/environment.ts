/**
 * How the member template hands its settings to the step-runner: one environment variable holding
 * RunnerSettings as JSON. Kept apart from the handler so the template reads it without loading SDK clients.
 */
import type { ResourceType } from './resources';

export const SETTINGS_VARIABLE = 'RETIREMENT_SETTINGS';

/** How far back CloudTrail LookupEvents reaches (CloudTrail API Reference, LookupEvents). */
export const CLOUDTRAIL_LOOKUP_DAYS = 90;

/**
 * The longest observation the lookup right before retiring can cover whole: the lookup starts a
 * minute inside LookupEvents' 90 days (cloudtrail.ts), so 90 days could never be covered and a
 * 90-day setting would retire nothing, ever.
 */
export const MAX_OBSERVATION_DAYS = CLOUDTRAIL_LOOKUP_DAYS - 1;

/**
 * The resource ids the path accepts, as AWS Config records them: a key by its id (UUID, or mrk- for a
 * multi-Region key), a secret by its ARN. The Automation documents' allowedPattern and the
 * step-runner's own check are both these, so nothing else reaches an API.
 */
export const RESOURCE_ID_PATTERNS: Readonly<Record<ResourceType, string>> = {
  'AWS::KMS::Key': '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$',
  'AWS::SecretsManager::Secret': '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]{1,512}$',
};

/**
 * A plan that names a step carries this value (field `decision`); the Automation document asks for
 * approval only when the plan step's Payload contains it. A value rather than `"mayRun":true`, whose
 * spacing depends on how Automation re-serializes the function's answer.
 */
export const MAY_RUN_MARKER = 'RETIREMENT_STEP_MAY_RUN';

export interface RunnerSettings {
  readonly observationDays: number;
  readonly kmsPendingWindowDays: number;
  readonly secretRecoveryWindowDays: number;
  readonly approverArns: readonly string[];
  readonly minApprovals: number;
  /**
   * Per resource type: the rule whose results start the path, its exemption tag key, and the name of
   * the path's Automation document for the type: the act step acts only for an execution of it.
   */
  readonly rules: Readonly<Partial<Record<ResourceType, RuleSettings>>>;
}

export interface RuleSettings {
  readonly ruleName: string;
  readonly exemptionTagKey: string;
  readonly documentName: string;
}
