/**
 * The retirement path's step-runner (lambda/retirement/step-runner.ts), as the function the
 * Automation documents invoke. Its settings come from the member template in one environment
 * variable; its clients are the Lambda runtime's (every @aws-sdk client stays out of the bundle,
 * lib/bundle.ts), each call paced and bounded.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ApiCalls } from './runtime/api-calls';
import { CLIENT_DEFAULTS } from './runtime/clients';
import { deadlineOf, type InvocationContext } from './runtime/deadline';
import { LOOKUP_EVENTS_PER_SECOND } from './retirement/cloudtrail';
import { SETTINGS_VARIABLE } from './retirement/environment';
import type { Services } from './retirement/resources';
import { runStep, type ActDone, type Plan, type RunnerSettings, type StepEvent } from './retirement/step-runner';

export { SETTINGS_VARIABLE };

/** The settings the stack wrote into the environment; a function without them refuses to act. */
export function settingsFromEnvironment(env: Record<string, string | undefined> = process.env): RunnerSettings {
  const text = env[SETTINGS_VARIABLE];
  if (!text) throw new Error(`${SETTINGS_VARIABLE} is not set`);
  return JSON.parse(text) as RunnerSettings;
}

/**
 * Calls per second, at 80% of each documented quota; LookupEvents' is 2 per second per account and
 * Region. GetAutomationExecution (one call per act) is held at 5 per second, the pace of AWS Config's.
 */
export const RATES_PER_SECOND = { LookupEvents: LOOKUP_EVENTS_PER_SECOND, DescribeKey: 1600, ListResourceTags: 1600, DescribeSecret: 40, GetResourcePolicy: 40, GetComplianceDetailsByResource: 5, GetAutomationExecution: 5 };

/**
 * A call may take a minute with the SDK's retries; none runs within 10 s of the function's timeout,
 * and neither a CloudTrail page nor an act starts within 30 s of it (Services.softDeadline).
 */
const MARGINS = { softMarginMs: 30_000, hardMarginMs: 10_000, callTimeoutMs: 60_000 };

export interface Clients {
  readonly kms: KMSClient;
  readonly secrets: SecretsManagerClient;
  readonly config: ConfigServiceClient;
  readonly cloudtrail: CloudTrailClient;
  readonly ssm: SSMClient;
}

let clients: Clients | undefined;

export function services(context: InvocationContext | undefined, made = clients): Services {
  clients = made ?? {
    kms: new KMSClient({ ...CLIENT_DEFAULTS }),
    secrets: new SecretsManagerClient({ ...CLIENT_DEFAULTS }),
    config: new ConfigServiceClient({ ...CLIENT_DEFAULTS }),
    cloudtrail: new CloudTrailClient({ ...CLIENT_DEFAULTS }),
    ssm: new SSMClient({ ...CLIENT_DEFAULTS }),
  };
  const deadline = deadlineOf(context, MARGINS);
  return { ...clients, api: new ApiCalls(RATES_PER_SECOND, { callTimeoutMs: deadline.callTimeoutMs, hardDeadline: () => deadline.hard }), softDeadline: deadline.soft };
}

export async function handler(event: StepEvent, context?: InvocationContext): Promise<Plan | ActDone> {
  return runStep(event, services(context), settingsFromEnvironment(), new Date());
}
