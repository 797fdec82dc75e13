/**
 * kms-unused-key-check: customer-managed KMS keys with no cryptographic use for more than
 * `unusedForDays`. Evidence of use is KMS GetKeyLastUsage; DescribeKey has no such field.
 * Exempt keys come from one Tagging API listing for the account and region; the other facts are
 * gathered per key (DescribeKey, then GetKeyLastUsage for enabled customer keys); `decideKeyUsage`
 * is the pure decision. If the Tagging API cannot be read, tags are read per key instead, for the
 * keys that would otherwise be NON_COMPLIANT. An exemption whose expiry has passed (or cannot be
 * read) is not honoured: the key is judged as any other.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  DescribeKeyCommand,
  GetKeyLastUsageCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  type KeyListEntry,
  type KeyMetadata,
  type Tag,
} from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { CLIENT_DEFAULTS } from './runtime/clients';
import type { InvocationContext } from './runtime/deadline';
import { errorName, isAccessDenied } from './runtime/errors';
import { dayCount, daysBetween, DAY_MS, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { couldNotEvaluate, failClosed } from './runtime/fail-closed';
import { handlerDeps } from './runtime/handler-deps';
import { collectPages } from './runtime/paginate';
import { exemptionTagKeyParameter, intParameter, rateParameter } from './runtime/parameters';
import { runRule, type ConfigRule, type RuleRun } from './runtime/run-rule';
import { decideWithExemption, loadExemptions, type Exemptions } from './runtime/tagged-resources';

export const RULE_NAME = 'kms-unused-key-check';
export const RESOURCE_TYPE = 'AWS::KMS::Key';

export interface KmsUnusedKeyParams {
  readonly unusedForDays: number;
  readonly exemptionTagKey?: string;
  /** GetKeyLastUsage calls per second (its quota is 5 per second per account and Region unless raised). */
  readonly requestsPerSecond: number;
}

export const PARAMETER_NAMES = ['unusedForDays', 'exemptionTagKey', 'requestsPerSecond'] as const;

export function parseParameters(raw: Record<string, string>): KmsUnusedKeyParams {
  return {
    unusedForDays: intParameter(raw, 'unusedForDays', 1, 365, 90),
    exemptionTagKey: exemptionTagKeyParameter(raw),
    requestsPerSecond: rateParameter(raw, 'requestsPerSecond', 0.1, 1000, DEFAULT_GET_KEY_LAST_USAGE_RATE),
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
 * quotas": DescribeKey 2,000/s, ListKeys 500/s, ListResourceTags 2,000/s, GetKeyLastUsage 5/s).
 * GetKeyLastUsage's rate is the rule's `requestsPerSecond` parameter: a quota increase can raise it.
 */
export const DEFAULT_GET_KEY_LAST_USAGE_RATE = 4;
export function kmsRatesPerSecond(params: Pick<KmsUnusedKeyParams, 'requestsPerSecond'>): Record<string, number> {
  return { DescribeKey: 1600, GetKeyLastUsage: params.requestsPerSecond, ListKeys: 400, ListResourceTags: 1600 };
}

/** Keys evaluated at once; the pacing above, not this, bounds the request rate. */
export const KEY_CONCURRENCY = 20;

/** ListKeys' largest page. */
export const LIST_KEYS_PAGE_SIZE = 1000;

/** The value of the key's tag `tagKey` ('' when KMS leaves it out), or undefined when the key does not carry it. */
async function tagValue(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string, tagKey: string): Promise<string | undefined> {
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

async function describe(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string): Promise<KeyMetadata | Decision> {
  const described = await run.api.send(kms, new DescribeKeyCommand({ KeyId: keyId }));
  return described.KeyMetadata ?? couldNotEvaluate('DescribeKey returned no key metadata.');
}

const isDecision = (v: object): v is Decision => 'compliance' in v;

/** The decision for one key, or undefined when it was deleted since it was listed. */
async function decideKey(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string): Promise<Decision | undefined> {
  let meta = await describe(run, kms, keyId);
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
    if (isAccessDenied(e)) return failClosed(keyId, e, 'kms', "kms:GetKeyLastUsage is denied; allow it to this rule's role in the key policy");
    if (!STATE_CHANGED.has(errorName(e))) throw e;
    // The key changed state between the two calls: judge it by its state now.
    meta = await describe(run, kms, keyId);
    if (isDecision(meta)) return meta;
    return stateDecision(meta.KeyState) ?? failClosed(keyId, e, 'kms');
  }
  const usage = keyUsageFrom(answer, meta.CreationDate);
  return isDecision(usage) ? usage : decideKeyUsage(usage, run.now, run.params);
}

async function evaluateKey(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, entry: KeyListEntry, exempt: Exemptions): Promise<ResourceEvaluation | undefined> {
  const keyId = entry.KeyId!;
  try {
    // Only customer-managed keys can carry tags, so a key exempted by the listing needs no further call;
    // in the fallback, per-key tag reads cost a call each, so they are spent only where a result would fail.
    const decision = await decideWithExemption(
      exempt,
      entry.KeyArn,
      'key',
      run.now,
      () => decideKey(run, kms, keyId),
      (tagKey) => tagValue(run, kms, keyId, tagKey),
    );
    return decision && { resourceId: keyId, ...decision };
  } catch (e) {
    if (errorName(e) === 'NotFoundException') return undefined; // deleted since it was listed
    return failClosed(keyId, e, 'kms');
  }
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
    async listPage(run, marker) {
      const out = await run.api.send(kms, new ListKeysCommand({ Limit: LIST_KEYS_PAGE_SIZE, Marker: marker }));
      return { items: out.Keys, next: out.Truncated ? out.NextMarker : undefined };
    },
    resourceId: (entry) => entry.KeyId,
    evaluate: (run, entry, exempt) => evaluateKey(run, kms, entry, exempt),
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
