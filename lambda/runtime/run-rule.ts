/**
 * The one place a custom rule's run is orchestrated: parse the event, validate parameters, let the
 * rule evaluate its resources, withdraw results for vanished resources, send everything to AWS
 * Config and log one summary line. A rule only gathers facts and decides.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ApiCalls } from './api-calls';
import { parseConfigRuleEvent, type ConfigRuleEvent } from './config-event';
import { describeError } from './errors';
import type { Compliance, ResourceEvaluation } from './evaluation';
import { log } from './log';
import { putEvaluations } from './put-evaluations';
import { previouslyReported, staleEvaluations, type StaleResultScope } from './stale-results';

export interface RuleRun<P> {
  readonly event: ConfigRuleEvent;
  readonly params: P;
  readonly now: Date;
  readonly api: ApiCalls;
}

export interface ConfigRule<P> {
  /** The catalog name, for logs. AWS Config's own name for the rule comes from the event. */
  readonly name: string;
  readonly resourceType: string;
  /** Client-side request rates per operation (below the service's quotas). */
  readonly ratesPerSecond?: Record<string, number>;
  /** Which earlier results are read back to withdraw those of vanished resources (default `all`). */
  readonly staleResults?: StaleResultScope;
  parseParameters(raw: Record<string, string>): P;
  /**
   * Every resource in scope, each with a result. Throws when the inventory itself cannot be
   * listed: then nothing is sent and no earlier result is withdrawn.
   */
  evaluate(run: RuleRun<P>): Promise<ResourceEvaluation[]>;
}

export interface RuntimeDeps {
  readonly config: ConfigServiceClient;
  readonly now?: () => Date;
  readonly putRetryDelayMs?: number;
}

export interface RunSummary {
  readonly rule: string;
  readonly configRuleName: string;
  readonly accountId: string;
  readonly region: string | undefined;
  readonly testMode: boolean;
  readonly resources: number;
  readonly compliance: Record<Compliance, number>;
  readonly withdrawn: number;
  readonly failedToSend: number;
  readonly apiCalls: Record<string, number>;
  readonly durationMs: number;
}

export class EvaluationsNotDeliveredError extends Error {
  constructor(count: number, sample: string[]) {
    super(`AWS Config rejected ${count} evaluation(s) after retries (for example ${sample.join(', ')})`);
    this.name = 'EvaluationsNotDeliveredError';
  }
}

export async function runRule<P>(rule: ConfigRule<P>, rawEvent: unknown, deps: RuntimeDeps): Promise<RunSummary> {
  const started = Date.now();
  const now = deps.now?.() ?? new Date();
  let event: ConfigRuleEvent;
  let params: P;
  try {
    event = parseConfigRuleEvent(rawEvent, now);
    params = rule.parseParameters(event.ruleParameters);
  } catch (e) {
    log.error('rejected invocation', { rule: rule.name, error: describeError(e) });
    throw e;
  }
  const api = new ApiCalls(rule.ratesPerSecond);
  const results = await rule.evaluate({ event, params, now, api }).catch((e) => {
    log.error('could not list resources; nothing was evaluated', { rule: rule.name, error: describeError(e), apiCalls: api.snapshot() });
    throw e;
  });

  let stale: ResourceEvaluation[] = [];
  try {
    stale = staleEvaluations(await previouslyReported(api, deps.config, event.configRuleName, rule.resourceType, rule.staleResults), results);
  } catch (e) {
    // Not fatal: this run's results still go out; stale ones are withdrawn on a later run.
    log.warn('could not read earlier results; stale results were not withdrawn', { rule: rule.name, error: describeError(e) });
  }

  const all = [...results, ...stale];
  const outcome = await putEvaluations(api, deps.config, all, {
    resultToken: event.resultToken,
    testMode: event.testMode,
    resourceType: rule.resourceType,
    orderingTimestamp: event.notificationTime,
    retryDelayMs: deps.putRetryDelayMs,
  });

  const compliance: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const r of results) compliance[r.compliance]++;
  const summary: RunSummary = {
    rule: rule.name,
    configRuleName: event.configRuleName,
    accountId: event.accountId,
    region: process.env.AWS_REGION,
    testMode: event.testMode,
    resources: results.length,
    compliance,
    withdrawn: stale.length,
    failedToSend: outcome.failed.length,
    apiCalls: api.snapshot(),
    durationMs: Date.now() - started,
  };
  log.info('rule evaluation finished', { ...summary });
  if (outcome.failed.length > 0) {
    throw new EvaluationsNotDeliveredError(
      outcome.failed.length,
      outcome.failed.slice(0, 3).map((e) => String(e.ComplianceResourceId)),
    );
  }
  return summary;
}
