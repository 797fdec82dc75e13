/**
 * secretsmanager-unused-secret-check: secrets not read for more than `unusedForDays`.
 * Every fact comes from ListSecrets (LastAccessedDate, CreatedDate, DeletedDate, Tags), one call
 * per 100 secrets and no call per secret; the rule never reads a secret value.
 * `decideSecretUsage` is the pure decision.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ListSecretsCommand, SecretsManagerClient, type SecretListEntry } from '@aws-sdk/client-secrets-manager';
import { CLIENT_DEFAULTS } from './runtime/clients';
import type { InvocationContext } from './runtime/deadline';
import { dayCount, DAY_MS, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { exemptionDecision, isHonoured, readExemptionTag, withLapsedExemption } from './runtime/exemption';
import { couldNotEvaluate } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { exemptionTagKeyParameter, intParameter, rateParameter } from './runtime/parameters';
import { runRule, type ConfigRule } from './runtime/run-rule';

export const RULE_NAME = 'secretsmanager-unused-secret-check';
export const RESOURCE_TYPE = 'AWS::SecretsManager::Secret';

/** ListSecrets returns at most 100 secrets per call. */
export const LIST_SECRETS_PAGE_SIZE = 100;

/** 80% of Secrets Manager's ListSecrets quota (100 requests per second per account and region); the rule's `requestsPerSecond`. */
export const DEFAULT_LIST_SECRETS_RATE = 80;

export interface SecretsUnusedParams {
  readonly unusedForDays: number;
  readonly exemptionTagKey?: string;
  /** ListSecrets calls per second. */
  readonly requestsPerSecond: number;
}

export const PARAMETER_NAMES = ['unusedForDays', 'exemptionTagKey', 'requestsPerSecond'] as const;

export function parseParameters(raw: Record<string, string>): SecretsUnusedParams {
  return {
    unusedForDays: intParameter(raw, 'unusedForDays', 1, 365, 90),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_LIST_SECRETS_RATE),
  };
}

/** What ListSecrets says about a secret's use. */
export interface SecretUsage {
  /** The day of the last read (Secrets Manager keeps the date only); absent until the first read. */
  readonly lastAccessedDate?: Date;
  /** Needed only for a secret never read (its grace period); a missing one then cannot be evaluated. */
  readonly createdDate?: Date;
}

const utcDay = (d: Date) => Math.floor(d.getTime() / DAY_MS);

/**
 * Whole calendar days (UTC) from the day of `then` to the day of `now`. LastAccessedDate carries
 * no time, so a read late on that day and one early on it look the same; counting calendar days
 * never calls a secret idle for more days than it can have been.
 */
export function calendarDaysBetween(then: Date, now: Date): number {
  return Math.max(0, utcDay(now) - utcDay(then));
}

/**
 * The pure decision. A secret read within `unusedForDays` calendar days is COMPLIANT; one read
 * longer ago is NON_COMPLIANT. A secret never read is COMPLIANT while it is younger than the
 * threshold (new secrets get that long to be used), then NON_COMPLIANT.
 */
export function decideSecretUsage(usage: SecretUsage, now: Date, params: Pick<SecretsUnusedParams, 'unusedForDays'>): Decision {
  const t = params.unusedForDays;
  const threshold = `threshold ${dayCount(t)}`;
  if (usage.lastAccessedDate) {
    const days = calendarDaysBetween(usage.lastAccessedDate, now);
    const when = isoDate(usage.lastAccessedDate);
    return days <= t
      ? { compliance: 'COMPLIANT', annotation: `Last accessed on ${when} (${dayCount(days)} ago; ${threshold}).` }
      : { compliance: 'NON_COMPLIANT', annotation: `Unused for ${dayCount(days)}: last accessed on ${when} (${threshold}).` };
  }
  // CreatedDate has a time of day, so the grace is measured exactly.
  if (!usage.createdDate) return couldNotEvaluate('ListSecrets returned neither LastAccessedDate nor CreatedDate for this secret.');
  const ageMs = now.getTime() - usage.createdDate.getTime();
  const age = Math.max(0, Math.floor(ageMs / DAY_MS));
  return ageMs <= t * DAY_MS
    ? { compliance: 'COMPLIANT', annotation: `Not accessed yet; created ${dayCount(age)} ago, within the ${t}-day grace for new secrets.` }
    : { compliance: 'NON_COMPLIANT', annotation: `Never accessed since creation ${dayCount(age)} ago (${threshold}).` };
}

/** A secret scheduled for deletion is on its way out; judging its use would only add noise. */
export function deletionDecision(deletedDate: Date): Decision {
  return { compliance: 'NOT_APPLICABLE', annotation: `Scheduled for deletion (deletion requested on ${isoDate(deletedDate)}).` };
}

/** Decides one listed secret from the listing alone. */
export function evaluateSecret(secret: SecretListEntry, now: Date, params: Pick<SecretsUnusedParams, 'unusedForDays' | 'exemptionTagKey'>): ResourceEvaluation | undefined {
  // AWS Config records a secret under its ARN; a listing entry without one cannot be reported.
  const resourceId = secret.ARN;
  if (!resourceId) return undefined;
  if (secret.DeletedDate) return { resourceId, ...deletionDecision(secret.DeletedDate) };
  const tagKey = params.exemptionTagKey;
  const tag = tagKey ? secret.Tags?.find((t) => t.Key === tagKey) : undefined;
  // A value left out of the listing reads as '' (a permanent exemption).
  const exemption = tag && readExemptionTag(tag.Value ?? '', now);
  if (exemption && isHonoured(exemption)) return { resourceId, ...exemptionDecision('secret', tagKey!, exemption) };
  const decision = decideSecretUsage({ lastAccessedDate: secret.LastAccessedDate, createdDate: secret.CreatedDate }, now, params);
  // An expired or unreadable exemption: judged as any other secret, and a failing result says why the tag did not count.
  return { resourceId, ...(exemption ? withLapsedExemption(decision, tagKey!, exemption) : decision) };
}

export function secretsUnusedRule(secrets: SecretsManagerClient): ConfigRule<SecretsUnusedParams, SecretListEntry> {
  return {
    name: RULE_NAME,
    resourceType: RESOURCE_TYPE,
    service: 'secretsmanager',
    parameterNames: PARAMETER_NAMES,
    // Every fact is in the listing: nothing to wait for per secret.
    concurrency: 1,
    // Reading back every earlier result would cost as much as the listing itself (100 per call).
    // Secrets leave through a scheduled deletion, reported NOT_APPLICABLE above, so only a
    // force-deleted secret leaves a result behind; only a failing one matters, and only those are read back.
    staleResults: 'nonCompliant',
    parseParameters,
    ratesPerSecond: (params) => ({ ListSecrets: params.requestsPerSecond }),
    prepare: async () => undefined,
    async listPage(run, token) {
      const out = await run.api.send(
        secrets,
        // IncludePlannedDeletion: a secret scheduled for deletion is reported NOT_APPLICABLE
        // rather than vanishing from the listing with its earlier result still standing.
        new ListSecretsCommand({ MaxResults: LIST_SECRETS_PAGE_SIZE, NextToken: token, IncludePlannedDeletion: true }),
      );
      return { items: out.SecretList, next: out.NextToken };
    },
    resourceId: (secret) => secret.ARN,
    evaluate: async (run, secret) => evaluateSecret(secret, run.now, run.params),
  };
}

let clients: { secrets: SecretsManagerClient; config: ConfigServiceClient; lambda: LambdaClient } | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  clients ??= { secrets: new SecretsManagerClient(CLIENT_DEFAULTS), config: new ConfigServiceClient(CLIENT_DEFAULTS), lambda: new LambdaClient(CLIENT_DEFAULTS) };
  return runRule(secretsUnusedRule(clients.secrets), event, handlerDeps(clients, context));
}
