/**
 * kms-unused-key-check: customer-managed KMS keys with no cryptographic use for more than
 * `unusedForDays`. Evidence of use is KMS GetKeyLastUsage; DescribeKey has no such field.
 * Exempt keys come from one Tagging API listing for the account and region; the other facts are
 * gathered per key (DescribeKey, then GetKeyLastUsage for enabled customer keys); `decideKeyUsage`
 * is the pure decision. If the Tagging API cannot be read, tags are read per key instead, for the
 * keys that would otherwise be NON_COMPLIANT. An exemption whose expiry has passed (or cannot be
 * read) is not honoured: the key is judged as any other.
 *
 * While the inventory is on (the rule's parameters name its bucket), each key also gives one
 * inventory record from the same reads: DescribeKey and GetKeyLastUsage as the decision made them
 * (a key exempted by the Tagging API listing is described for it, and nothing more), plus
 * GetKeyRotationStatus and ListKeyRotations for customer managed symmetric keys whose material KMS
 * can rotate. AWS managed keys cost no extra call. A fact that could not be read is null, with the
 * reason in the record's `gaps`.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  DescribeKeyCommand,
  GetKeyLastUsageCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  type KeyListEntry,
  type KeyMetadata,
  type RotationsListEntry,
  type Tag,
} from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { priceKmsKey } from './inventory/pricing';
import { classifyKmsKey } from './inventory/quantum';
import { INVENTORY_SCHEMA_VERSION, type InventoryRecord, type KmsKeyDetails } from './inventory/record';
import { DeadlineReachedError, type FailedCall } from './runtime/api-calls';
import { CLIENT_DEFAULTS } from './runtime/clients';
import type { InvocationContext } from './runtime/deadline';
import { errorName, isAccessDenied } from './runtime/errors';
import { dayCount, daysBetween, DAY_MS, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { COULD_NOT_EVALUATE, couldNotEvaluate, failClosed } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { collectPages } from './runtime/paginate';
import { exemptionTagKeyParameter, intParameter, inventoryParameterNames, inventoryParameters, rateParameter, type InventoryParams, type PriceName } from './runtime/parameters';
import { runRule, type ConfigRule, type InventoryBase, type ItemInventory, type RuleRun } from './runtime/run-rule';
import { decideWithExemption, loadExemptions, type Exemptions } from './runtime/tagged-resources';

export const RULE_NAME = 'kms-unused-key-check';
export const RESOURCE_TYPE = 'AWS::KMS::Key';

export interface KmsUnusedKeyParams {
  readonly unusedForDays: number;
  readonly exemptionTagKey?: string;
  /** GetKeyLastUsage calls per second (its quota is 5 per second per account and Region unless raised). */
  readonly requestsPerSecond: number;
  /** Where the inventory goes and the key prices; absent while the inventory is off. */
  readonly inventory?: InventoryParams;
}

/** The prices priceKmsKey reads. */
export const PRICES: readonly PriceName[] = ['kmsKeyMonthlyUsd', 'kmsKeyRotationMonthlyUsd'];

export const PARAMETER_NAMES: readonly string[] = ['unusedForDays', 'exemptionTagKey', 'requestsPerSecond', ...inventoryParameterNames(PRICES)];

export function parseParameters(raw: Record<string, string>): KmsUnusedKeyParams {
  const inventory = inventoryParameters(raw, PRICES);
  return {
    unusedForDays: intParameter(raw, 'unusedForDays', 1, 365, 90),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_GET_KEY_LAST_USAGE_RATE),
    ...(inventory ? { inventory } : {}),
  };
}

/** What GetKeyLastUsage says about a key. */
export interface KeyUsage {
  readonly lastOperation?: string;
  readonly lastUsedAt?: Date;
  readonly trackingStartDate: Date;
  readonly keyCreationDate: Date;
}

/** Key states in which a key can be used, and so judged. */
const EVALUATED_STATES = new Set(['Enabled', 'Updating']);
/** The other states DescribeKey documents: the key cannot be used, so its use is not judged. */
const UNUSABLE_STATES = new Set(['Creating', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable']);

/** Undefined when the key is to be judged on use; a missing or unknown state is not a reason to pass it. */
export function stateDecision(keyState: string | undefined): Decision | undefined {
  if (keyState && EVALUATED_STATES.has(keyState)) return undefined;
  if (keyState && UNUSABLE_STATES.has(keyState)) {
    return { compliance: 'NOT_APPLICABLE', annotation: `Key state is ${keyState}; only enabled keys are judged on use.` };
  }
  return couldNotEvaluate(keyState ? `DescribeKey returned the unknown key state ${JSON.stringify(keyState)}.` : 'DescribeKey returned no key state.');
}

/** What GetKeyLastUsage answered, checked: a missing TrackingStartDate is not replaced by a guess. */
export function keyUsageFrom(
  answer: { KeyLastUsage?: { Operation?: string; Timestamp?: Date; CloudTrailEventId?: string; KmsRequestId?: string }; TrackingStartDate?: Date; KeyCreationDate?: Date },
  describedCreationDate: Date | undefined,
): KeyUsage | Decision {
  if (!answer.TrackingStartDate) return couldNotEvaluate('GetKeyLastUsage returned no TrackingStartDate, so how long use has been recorded is unknown.');
  // An empty KeyLastUsage means no use since tracking began; one that names a use without its time is a missing fact.
  const last = answer.KeyLastUsage;
  if (last && !last.Timestamp && Object.values(last).some((v) => v !== undefined)) {
    return couldNotEvaluate('GetKeyLastUsage reported a use without its Timestamp.');
  }
  // The creation date is the same fact from either call.
  const keyCreationDate = answer.KeyCreationDate ?? describedCreationDate;
  if (!keyCreationDate) return couldNotEvaluate('neither GetKeyLastUsage nor DescribeKey returned the key creation date.');
  return {
    lastOperation: answer.KeyLastUsage?.Operation,
    lastUsedAt: answer.KeyLastUsage?.Timestamp,
    trackingStartDate: answer.TrackingStartDate,
    keyCreationDate,
  };
}

/** The pure decision for an enabled customer-managed key. */
export function decideKeyUsage(usage: KeyUsage, now: Date, params: Pick<KmsUnusedKeyParams, 'unusedForDays'>): Decision {
  const t = params.unusedForDays;
  const limitMs = t * DAY_MS;
  const threshold = `threshold ${t} days`;
  if (usage.lastUsedAt) {
    const days = daysBetween(usage.lastUsedAt, now);
    const what = `${usage.lastOperation ?? 'a cryptographic operation'} on ${isoDate(usage.lastUsedAt)}`;
    return now.getTime() - usage.lastUsedAt.getTime() <= limitMs
      ? { compliance: 'COMPLIANT', annotation: `Last used for ${what} (${dayCount(days)} ago; ${threshold}).` }
      : { compliance: 'NON_COMPLIANT', annotation: `Unused for ${dayCount(days)}: last used for ${what} (${threshold}).` };
  }
  if (usage.keyCreationDate.getTime() >= usage.trackingStartDate.getTime()) {
    const age = daysBetween(usage.keyCreationDate, now);
    return now.getTime() - usage.keyCreationDate.getTime() <= limitMs
      ? { compliance: 'COMPLIANT', annotation: `Not used yet; created ${dayCount(age)} ago, within the ${t}-day grace for new keys.` }
      : { compliance: 'NON_COMPLIANT', annotation: `Never used since creation ${dayCount(age)} ago (${threshold}).` };
  }
  const tracked = daysBetween(usage.trackingStartDate, now);
  return now.getTime() - usage.trackingStartDate.getTime() > limitMs
    ? {
        compliance: 'NON_COMPLIANT',
        annotation: `No recorded use since tracking began on ${isoDate(usage.trackingStartDate)} (${dayCount(tracked)} ago; ${threshold}).`,
      }
    : {
        compliance: 'NOT_APPLICABLE',
        annotation: `No use recorded since tracking began on ${isoDate(usage.trackingStartDate)} (${dayCount(tracked)} ago); use before tracking is unknown, so the key is judged once tracking covers ${t} days.`,
      };
}

/**
 * Client-side pacing at 80% of KMS's per-account request quotas (KMS developer guide, "Request
 * quotas": DescribeKey 2,000/s, ListKeys 500/s, ListResourceTags 2,000/s, GetKeyLastUsage 5/s,
 * GetKeyRotationStatus 1,000/s, ListKeyRotations 100/s). GetKeyLastUsage's rate is the rule's
 * `requestsPerSecond` parameter: a quota increase can raise it.
 */
export const DEFAULT_GET_KEY_LAST_USAGE_RATE = 4;
export function kmsRatesPerSecond(params: Pick<KmsUnusedKeyParams, 'requestsPerSecond'>): Record<string, number> {
  return { DescribeKey: 1600, GetKeyLastUsage: params.requestsPerSecond, ListKeys: 400, ListResourceTags: 1600, GetKeyRotationStatus: 800, ListKeyRotations: 80 };
}

/** Keys evaluated at once; the pacing above, not this, bounds the request rate. */
export const KEY_CONCURRENCY = 20;

/** ListKeys' largest page. */
export const LIST_KEYS_PAGE_SIZE = 1000;

/** The value of the key's tag `tagKey` ('' when KMS leaves it out), or undefined when the key does not carry it. */
export async function keyTagValue(run: RuleRun<unknown>, kms: KMSClient, keyId: string, tagKey: string): Promise<string | undefined> {
  const tags = await collectPages<Tag>(async (marker) => {
    const out = await run.api.send(kms, new ListResourceTagsCommand({ KeyId: keyId, Marker: marker, Limit: 50 }));
    return { items: out.Tags, next: out.Truncated ? out.NextMarker : undefined };
  });
  const tag = tags.find((t) => t.TagKey === tagKey);
  return tag ? (tag.TagValue ?? '') : undefined;
}

/**
 * Errors that mean the key changed state since it was described (disabled, scheduled for deletion).
 * GetKeyLastUsage's model lists neither, but KMS answers a key in the wrong state with them across its API.
 */
const STATE_CHANGED = new Set(['KMSInvalidStateException', 'DisabledException']);

/**
 * What the rule read about one key, kept for its inventory record: each fact as the decision read
 * it, or why it was not read.
 */
export interface KeyFacts {
  /** The latest DescribeKey answer. */
  meta?: KeyMetadata;
  /** DescribeKey failed with this error (it is not called again for the record). */
  describeError?: string;
  /** GetKeyLastUsage answered: the last use, or null when none is recorded. */
  lastUsedAt?: Date | null;
  /** GetKeyLastUsage failed with this error. */
  lastUsageError?: string;
  /** The use was judged (decideKey ran): false for a key exempted by the Tagging API listing. */
  judged: boolean;
  rotation?: RotationFacts;
}

/** GetKeyRotationStatus and ListKeyRotations, for a key whose material KMS can rotate. */
export interface RotationFacts {
  readonly enabled: boolean | null;
  readonly periodDays: number | null;
  readonly nextRotationAt: Date | null;
  readonly lastRotatedAt: Date | null;
  readonly count: number | null;
  readonly gaps: readonly string[];
}

async function describe(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string, facts?: KeyFacts): Promise<KeyMetadata | Decision> {
  let described;
  try {
    described = await run.api.send(kms, new DescribeKeyCommand({ KeyId: keyId }));
  } catch (e) {
    if (facts && !(e instanceof DeadlineReachedError)) facts.describeError = errorName(e);
    throw e;
  }
  if (facts) facts.meta = described.KeyMetadata;
  if (facts && !described.KeyMetadata) facts.describeError = 'no KeyMetadata in the answer';
  return described.KeyMetadata ?? couldNotEvaluate('DescribeKey returned no key metadata.');
}

const isDecision = (v: object): v is Decision => 'compliance' in v;

/** The decision for one key, or undefined when it was deleted since it was listed. */
async function decideKey(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string, facts: KeyFacts): Promise<Decision | undefined> {
  facts.judged = true;
  let meta = await describe(run, kms, keyId, facts);
  if (isDecision(meta)) return meta;
  // Reported, not skipped: every listed key then has a result, and an earlier one (say, a failed read) is replaced.
  if (meta.KeyManager === 'AWS') return { compliance: 'NOT_APPLICABLE', annotation: 'AWS managed key: its use is not judged.' };
  if (meta.KeyManager !== 'CUSTOMER') return couldNotEvaluate(`DescribeKey returned the key manager ${JSON.stringify(meta.KeyManager ?? null)}, so whether the key is in scope is unknown.`);
  const byState = stateDecision(meta.KeyState);
  if (byState) return byState;
  let answer;
  try {
    answer = await run.api.send(kms, new GetKeyLastUsageCommand({ KeyId: keyId }));
  } catch (e) {
    if (!(e instanceof DeadlineReachedError)) facts.lastUsageError = errorName(e);
    if (isAccessDenied(e)) return failClosed(keyId, e, 'kms', "kms:GetKeyLastUsage is denied; allow it to this rule's role in the key policy");
    if (!STATE_CHANGED.has(errorName(e))) throw e;
    // The key changed state between the two calls: judge it by its state now.
    meta = await describe(run, kms, keyId, facts);
    if (isDecision(meta)) return meta;
    return stateDecision(meta.KeyState) ?? failClosed(keyId, e, 'kms');
  }
  facts.lastUsedAt = answer.KeyLastUsage?.Timestamp ?? null;
  const usage = keyUsageFrom(answer, meta.CreationDate);
  return isDecision(usage) ? usage : decideKeyUsage(usage, run.now, run.params);
}

/**
 * Whether KMS can rotate the key's material, from DescribeKey alone: only customer managed
 * symmetric encryption keys (SYMMETRIC_DEFAULT) whose material is in KMS (automatic and on-demand
 * rotation) or imported (on-demand rotation of new imported material); never asymmetric or HMAC
 * keys, nor keys in a custom key store (AWS_CLOUDHSM, EXTERNAL_KEY_STORE). A multi-Region replica
 * shares its primary's rotation and answers for it.
 */
export function rotationApplies(meta: Pick<KeyMetadata, 'KeyManager' | 'KeySpec' | 'Origin'>): boolean {
  return meta.KeyManager === 'CUSTOMER' && meta.KeySpec === 'SYMMETRIC_DEFAULT' && (meta.Origin === 'AWS_KMS' || meta.Origin === 'EXTERNAL');
}

/** ListKeyRotations' largest page. */
const LIST_KEY_ROTATIONS_PAGE_SIZE = 1000;

/**
 * The key's rotation: whether automatic rotation is on, its period and next date
 * (GetKeyRotationStatus), and the rotations completed so far (ListKeyRotations), which KMS prices.
 * UnsupportedOperationException means rotation does not apply to this key: nothing to record and no
 * rotation to price. Any other error is a gap, never a guess; running out of time is thrown on.
 */
export async function readRotation(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string): Promise<RotationFacts> {
  const gaps: string[] = [];
  const gap = (e: unknown, op: string) => {
    if (e instanceof DeadlineReachedError) throw e;
    gaps.push(`${op}: ${errorName(e)}`);
  };
  let enabled: boolean | null = null;
  let periodDays: number | null = null;
  let nextRotationAt: Date | null = null;
  try {
    const status = await run.api.send(kms, new GetKeyRotationStatusCommand({ KeyId: keyId }));
    enabled = status.KeyRotationEnabled ?? null;
    periodDays = status.RotationPeriodInDays ?? null;
    nextRotationAt = status.NextRotationDate ?? null;
  } catch (e) {
    if (errorName(e) !== 'UnsupportedOperationException') gap(e, 'GetKeyRotationStatus');
  }
  let count: number | null = null;
  let lastRotatedAt: Date | null = null;
  try {
    const rotations = await collectPages<RotationsListEntry>(async (marker) => {
      const out = await run.api.send(kms, new ListKeyRotationsCommand({ KeyId: keyId, Limit: LIST_KEY_ROTATIONS_PAGE_SIZE, Marker: marker }));
      return { items: out.Rotations, next: out.Truncated ? out.NextMarker : undefined };
    });
    count = rotations.length;
    for (const r of rotations) if (r.RotationDate && (!lastRotatedAt || r.RotationDate > lastRotatedAt)) lastRotatedAt = r.RotationDate;
  } catch (e) {
    if (errorName(e) === 'UnsupportedOperationException') count = 0;
    else gap(e, 'ListKeyRotations');
  }
  return { enabled, periodDays, nextRotationAt, lastRotatedAt, count, gaps };
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The earlier of two dates, either possibly absent. */
function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  return a && b ? (a < b ? a : b) : (a ?? b);
}

/** Why GetKeyLastUsage gave nothing for the record. */
function lastUsageGap(facts: KeyFacts): string | undefined {
  if (facts.lastUsedAt !== undefined) return undefined;
  if (facts.lastUsageError) return `GetKeyLastUsage: ${facts.lastUsageError}`;
  const meta = facts.meta;
  if (!meta) return 'GetKeyLastUsage: not called (the key could not be described)';
  if (meta.KeyManager === 'AWS') return 'GetKeyLastUsage: not called for an AWS managed key';
  if (!facts.judged) return `GetKeyLastUsage: not called (the key is exempt from ${RULE_NAME})`;
  if (meta.KeyState && UNUSABLE_STATES.has(meta.KeyState)) return `GetKeyLastUsage: not called (key state ${meta.KeyState}: only enabled keys are judged on use)`;
  return 'GetKeyLastUsage: not called (the key could not be judged)';
}

/** True or false when the rule judged the key's use; null when it did not (exempt, out of scope, could not evaluate). */
export function reportedUnused(decision: Decision, judged: boolean): boolean | null {
  if (!judged || decision.annotation.startsWith(COULD_NOT_EVALUATE)) return null;
  if (decision.compliance === 'COMPLIANT') return false;
  if (decision.compliance === 'NON_COMPLIANT') return true;
  return null;
}

/** The key's inventory record, from what the rule read. Pure. */
export function kmsKeyRecord(base: InventoryBase, entry: KeyListEntry, facts: KeyFacts, decision: Decision, inventory: InventoryParams): InventoryRecord {
  const meta = facts.meta;
  const gaps: string[] = [];
  if (!meta) gaps.push(`DescribeKey: ${facts.describeError ?? 'not called'}`);
  const usageGap = lastUsageGap(facts);
  if (usageGap) gaps.push(usageGap);
  const rotation = facts.rotation;
  if (meta?.KeyManager === 'AWS') gaps.push('GetKeyRotationStatus, ListKeyRotations: not called for an AWS managed key (KMS rotates them every year)');
  else if (meta && !rotation && rotationApplies(meta)) gaps.push('GetKeyRotationStatus, ListKeyRotations: not called');
  if (rotation) gaps.push(...rotation.gaps);
  const kms: KmsKeyDetails = {
    keySpec: meta?.KeySpec ?? null,
    keyUsage: meta?.KeyUsage ?? null,
    origin: meta?.Origin ?? null,
    keyManager: meta?.KeyManager ?? null,
    keyState: meta?.KeyState ?? null,
    multiRegion: meta?.MultiRegion ?? null,
    multiRegionKeyType: meta?.MultiRegionConfiguration?.MultiRegionKeyType ?? null,
    rotationEnabled: rotation?.enabled ?? null,
    rotationPeriodDays: rotation?.periodDays ?? null,
    lastRotatedAt: iso(rotation?.lastRotatedAt),
    nextRotationAt: iso(rotation?.nextRotationAt),
    rotationCount: rotation?.count ?? null,
    lastUsedAt: iso(facts.lastUsedAt),
    reportedUnused: reportedUnused(decision, facts.judged),
  };
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    assetType: 'kms-key',
    ...base,
    arn: meta?.Arn ?? entry.KeyArn ?? '',
    id: meta?.KeyId ?? entry.KeyId!,
    createdAt: iso(meta?.CreationDate),
    // Imported material that expires, or a deletion that goes ahead unless cancelled.
    expiresAt: iso(earliest(meta?.ValidTo, meta?.DeletionDate)),
    algorithm: kms.keySpec,
    quantum: classifyKmsKey(kms),
    cost: priceKmsKey(kms, inventory.prices),
    gaps,
    kms,
  };
}

/**
 * Reads what the record needs beyond the decision's reads: DescribeKey for a key exempted without
 * one (tags say nothing of the key), and the rotation of a key whose material KMS can rotate.
 */
async function completeFacts(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string, facts: KeyFacts): Promise<void> {
  if (!facts.meta && !facts.describeError) {
    try {
      await describe(run, kms, keyId, facts);
    } catch (e) {
      if (e instanceof DeadlineReachedError) throw e;
    }
  }
  if (facts.meta && rotationApplies(facts.meta)) facts.rotation = await readRotation(run, kms, keyId);
}

async function evaluateKey(
  run: RuleRun<KmsUnusedKeyParams>,
  kms: KMSClient,
  entry: KeyListEntry,
  exempt: Exemptions,
  inventory?: ItemInventory,
): Promise<ResourceEvaluation | undefined> {
  const keyId = entry.KeyId!;
  const facts: KeyFacts = { judged: false };
  let decision: Decision | undefined;
  try {
    // Only customer-managed keys can carry tags, so a key exempted by the listing needs no further call;
    // in the fallback, per-key tag reads cost a call each, so they are spent only where a result would fail.
    decision = await decideWithExemption(
      exempt,
      entry.KeyArn,
      'key',
      run.now,
      () => decideKey(run, kms, keyId, facts),
      (tagKey) => keyTagValue(run, kms, keyId, tagKey),
    );
  } catch (e) {
    if (errorName(e) === 'NotFoundException') return undefined; // deleted since it was listed
    decision = failClosed(keyId, e, 'kms');
    // A call the decision made that is not a fact of the record (ListResourceTags) is only in the log.
    if ((e as FailedCall).operation === 'DescribeKey') facts.describeError ??= errorName(e);
  }
  if (!decision) return undefined;
  if (inventory && run.params.inventory) {
    await completeFacts(run, kms, keyId, facts);
    inventory.add(kmsKeyRecord(inventory.base, entry, facts, decision, run.params.inventory));
  }
  return { resourceId: keyId, ...decision };
}

export function kmsUnusedKeyRule(kms: KMSClient, tagging: ResourceGroupsTaggingAPIClient): ConfigRule<KmsUnusedKeyParams, KeyListEntry, Exemptions> {
  return {
    name: RULE_NAME,
    resourceType: RESOURCE_TYPE,
    service: 'kms',
    parameterNames: PARAMETER_NAMES,
    concurrency: KEY_CONCURRENCY,
    parseParameters,
    ratesPerSecond: kmsRatesPerSecond,
    prepare: (run) => loadExemptions(run.api, tagging, run.params.exemptionTagKey, 'kms:key'),
    inventory: { assetType: 'kms-key', target: (params) => params.inventory?.target },
    async listPage(run, marker) {
      const out = await run.api.send(kms, new ListKeysCommand({ Limit: LIST_KEYS_PAGE_SIZE, Marker: marker }));
      return { items: out.Keys, next: out.Truncated ? out.NextMarker : undefined };
    },
    resourceId: (entry) => entry.KeyId,
    evaluate: (run, entry, exempt, inventory) => evaluateKey(run, kms, entry, exempt, inventory),
  };
}

let clients: { kms: KMSClient; tagging: ResourceGroupsTaggingAPIClient; config: ConfigServiceClient; lambda: LambdaClient } | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  clients ??= {
    kms: new KMSClient(CLIENT_DEFAULTS),
    tagging: new ResourceGroupsTaggingAPIClient(CLIENT_DEFAULTS),
    config: new ConfigServiceClient(CLIENT_DEFAULTS),
    lambda: new LambdaClient(CLIENT_DEFAULTS),
  };
  return runRule(kmsUnusedKeyRule(clients.kms, clients.tagging), event, handlerDeps(clients, context));
}
