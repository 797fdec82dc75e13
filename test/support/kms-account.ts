/**
 * A simulated account for running the KMS rule end to end through the real SDK clients: KMS, the
 * Tagging API and AWS Config behind one SimulatedAws, on a virtual clock. `invoke` runs one Lambda
 * invocation with a context whose remaining time counts down from `timeoutMs`; continuations the
 * run starts are queued, and `pass` runs invocations until none is left, as Lambda would.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { kmsUnusedKeyRule } from '../../lambda/kms-unused-keys';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule, type RunSummary, type RuntimeDeps } from '../../lambda/runtime/run-rule';
import { SimulatedAws, simulatedClientConfig, type SimulatedAwsOptions } from './simulated-aws';
import { configOperations, type EarlierResult, type SimulatedConfigState } from './simulated-config';
import { kmsOperations, type SimulatedKey } from './simulated-kms';
import { scheduledRuleEvent } from './rule-event';
import { runOnVirtualClock } from './virtual-clock';

/** KMS's documented request quotas (KMS developer guide, "Request quotas"), per second. */
export const KMS_QUOTAS = { DescribeKey: 2000, GetKeyLastUsage: 5, ListKeys: 500, ListResourceTags: 2000 };

export interface KmsAccountOptions {
  readonly keys: readonly SimulatedKey[];
  readonly now: Date;
  readonly previous?: EarlierResult[];
  readonly quotas?: Record<string, number>;
  readonly inject?: SimulatedAwsOptions['inject'];
  readonly params?: Record<string, string>;
  /** The function's timeout; undefined runs without a Lambda context (no deadline). */
  readonly timeoutMs?: number;
  readonly passLimitMs?: number;
  readonly deps?: Partial<RuntimeDeps>;
}

export interface InvocationResult {
  readonly summary?: RunSummary;
  readonly error?: Error;
  readonly simulatedMs: number;
}

export function kmsAccount(o: KmsAccountOptions) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: o.previous ?? [] };
  const sim = new SimulatedAws({ operations: { ...kmsOperations(o.keys), ...configOperations(config) }, quotas: o.quotas ?? KMS_QUOTAS, latencyMs: () => 20, inject: o.inject });
  const rule = kmsUnusedKeyRule(new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const queue: Record<string, unknown>[] = [];
  const firstEvent = scheduledRuleEvent('kms-unused-key-check', o.now, o.params ?? { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' });
  let clock = o.now.getTime();

  /** One invocation, starting where the previous one left the virtual clock. */
  async function invoke(event: unknown = firstEvent): Promise<InvocationResult> {
    const start = clock;
    const timeoutMs = o.timeoutMs;
    const context = timeoutMs === undefined ? undefined : { getRemainingTimeInMillis: () => start + timeoutMs - Date.now(), invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:crypto-monitoring-kms-unused-key-check' };
    let outcome: { summary?: RunSummary; error?: Error } = {};
    const timed = await runOnVirtualClock(
      async () => {
        try {
          outcome = { summary: await runRule(rule, event, { config: cfg, now: () => new Date(), context, passLimitMs: o.passLimitMs, continueWith: async (next) => void queue.push(next), retryDelayMs: 1000, ...o.deps }) };
        } catch (e) {
          outcome = { error: e as Error };
        }
      },
      undefined,
      start,
    );
    clock = start + timed.simulatedMs;
    return { ...outcome, simulatedMs: timed.simulatedMs };
  }

  /** The scheduled invocation and every continuation it leads to. */
  async function pass(): Promise<InvocationResult[]> {
    const results = [await invoke()];
    while (queue.length > 0) results.push(await invoke(queue.shift()));
    return results;
  }

  /** The last evaluation AWS Config holds per resource. */
  const latest = () => {
    const m = new Map<string, any>();
    for (const e of config.putEvaluations.flat()) m.set(e.ComplianceResourceId, e);
    return m;
  };

  return { sim, config, queue, invoke, pass, latest, firstEvent };
}
