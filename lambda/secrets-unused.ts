/**
 * secretsmanager-unused-secret-check: secrets not read for more than `unusedForDays`.
 * Every fact comes from ListSecrets (LastAccessedDate, CreatedDate, DeletedDate, Tags), one call
 * per 100 secrets and no call per secret; the rule never reads a secret value.
 * `decideSecretUsage` is the pure decision.
 *
 * While the inventory is on, each listed secret also gives one inventory record from the same
 * listing entry (rotation, last access, encryption key, owning service, primary Region): no extra
 * call of any kind.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ListSecretsCommand, SecretsManagerClient, type SecretListEntry } from '@aws-sdk/client-secrets-manager';
import { priceSecret } from './inventory/pricing';
import { classifySecret } from './inventory/quantum';
import { INVENTORY_SCHEMA_VERSION, type InventoryRecord, type SecretDetails } from './inventory/record';
import { CLIENT_DEFAULTS } from './runtime/clients';
import type { InvocationContext } from './runtime/deadline';
import { dayCount, DAY_MS, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { exemptionDecision, isHonoured, readExemptionTag, withLapsedExemption } from './runtime/exemption';
import { COULD_NOT_EVALUATE, couldNotEvaluate } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { exemptionTagKeyParameter, intParameter, inventoryParameterNames, inventoryParameters, rateParameter, type InventoryParams, type PriceName } from './runtime/parameters';
import { runRule, type ConfigRule, type InventoryBase } from './runtime/run-rule';

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
  /** Where the inventory goes and the secret price; absent while the inventory is off. */
  readonly inventory?: InventoryParams;
}

/** The prices priceSecret reads. */
export const PRICES: readonly PriceName[] = ['secretMonthlyUsd'];

export const PARAMETER_NAMES: readonly string[] = ['unusedForDays', 'exemptionTagKey', 'requestsPerSecond', ...inventoryParameterNames(PRICES)];

export function parseParameters(raw: Record<string, string>): SecretsUnusedParams {
  const inventory = inventoryParameters(raw, PRICES);
  return {
    unusedForDays: intParameter(raw, 'unusedForDays', 1, 365, 90),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_LIST_SECRETS_RATE),
    ...(inventory ? { inventory } : {}),
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

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

/** The AWS managed key of Secrets Manager, as a KmsKeyId may name it. */
const AWS_MANAGED_KEY = /(^|[:/])alias\/aws\/secretsmanager$/;

/**
 * How the secret rotates, from the listing: `managed` when its owning service (RDS, Aurora,
 * Redshift, DocumentDB, ECS Service Connect) or a managed external secret's partner rotates it
 * ("managed rotation": no Lambda function); `lambda` when a rotation function does; `none` when
 * rotation is off, or was never configured (the listing then leaves RotationEnabled out: "If the
 * secret has never been configured for rotation, Secrets Manager returns null", API Reference,
 * DescribeSecret). Null when it says rotation is on with neither a function nor an owner.
 */
export function rotationKind(secret: Pick<SecretListEntry, 'RotationEnabled' | 'RotationLambdaARN' | 'OwningService' | 'Type'>): SecretDetails['rotationKind'] {
  if (secret.RotationEnabled !== true) return 'none';
  if (secret.RotationLambdaARN) return 'lambda';
  if (secret.OwningService || secret.Type) return 'managed';
  return null;
}

/** True or false when the rule judged the secret's use; null when it did not (exempt, scheduled for deletion, could not evaluate). */
export function reportedUnused(decision: Pick<ResourceEvaluation, 'compliance' | 'annotation'>): boolean | null {
  if (decision.annotation.startsWith(COULD_NOT_EVALUATE)) return null;
  if (decision.compliance === 'COMPLIANT') return false;
  if (decision.compliance === 'NON_COMPLIANT') return true;
  return null;
}

/** The secret's inventory record, from its listing entry alone. Pure. */
export function secretRecord(base: InventoryBase, secret: SecretListEntry, decision: ResourceEvaluation, inventory: InventoryParams): InventoryRecord {
  const kmsKeyId = secret.KmsKeyId && !AWS_MANAGED_KEY.test(secret.KmsKeyId) ? secret.KmsKeyId : null;
  const details: SecretDetails = {
    // Left out for a secret never configured for rotation: rotation is off.
    rotationEnabled: secret.RotationEnabled ?? false,
    rotationKind: rotationKind(secret),
    rotationLambdaArn: secret.RotationLambdaARN ?? null,
    lastRotatedAt: iso(secret.LastRotatedDate),
    nextRotationAt: iso(secret.NextRotationDate),
    // A date without a time of day; absent until the first read.
    lastAccessedAt: iso(secret.LastAccessedDate),
    // With IncludePlannedDeletion the listing holds secrets marked for deletion, with when.
    deletedAt: iso(secret.DeletedDate),
    // ListSecrets leaves KmsKeyId out for a secret encrypted with the AWS managed key aws/secretsmanager.
    kmsKeyId,
    encryptedWithAwsManagedKey: kmsKeyId === null,
    owningService: secret.OwningService ?? null,
    primaryRegion: secret.PrimaryRegion ?? null,
    reportedUnused: reportedUnused(decision),
  };
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    assetType: 'secret',
    ...base,
    arn: decision.resourceId,
    id: secret.Name ?? decision.resourceId,
    createdAt: iso(secret.CreatedDate),
    expiresAt: null,
    algorithm: null,
    quantum: classifySecret(),
    cost: priceSecret(details, inventory.prices, base.region),
    gaps: [],
    secret: details,
  };
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
    inventory: { assetType: 'secret', target: (params) => params.inventory?.target },
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
    async evaluate(run, secret, _prepared, inventory) {
      const result = evaluateSecret(secret, run.now, run.params);
      if (result && inventory && run.params.inventory) inventory.add(secretRecord(inventory.base, secret, result, run.params.inventory));
      return result;
    },
  };
}

let clients: { secrets: SecretsManagerClient; config: ConfigServiceClient; lambda: LambdaClient } | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  clients ??= { secrets: new SecretsManagerClient(CLIENT_DEFAULTS), config: new ConfigServiceClient(CLIENT_DEFAULTS), lambda: new LambdaClient(CLIENT_DEFAULTS) };
  return runRule(secretsUnusedRule(clients.secrets), event, handlerDeps(clients, context));
}
