/**
 * kms-unused-key-check: customer-managed KMS keys with no cryptographic use for more than
 * `unusedForDays`. Evidence of use is KMS GetKeyLastUsage; DescribeKey has no such field.
 * Exempt keys come from one Tagging API listing for the account and region; the other facts are
 * gathered per key (DescribeKey, then GetKeyLastUsage for enabled customer keys); `decideKeyUsage`
 * is the pure decision. If the Tagging API cannot be read, tags are read per key instead, for the
 * keys that would otherwise be NON_COMPLIANT.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  DescribeKeyCommand,
  GetKeyLastUsageCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  type KeyListEntry,
  type Tag,
} from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { CLIENT_DEFAULTS } from './runtime/clients';
import { mapConcurrent } from './runtime/concurrency';
import { errorName, isAccessDenied } from './runtime/errors';
import { exemptionDecision, dayCount, daysBetween, DAY_MS, isoDate, type Decision, type ResourceEvaluation } from './runtime/evaluation';
import { failClosed } from './runtime/fail-closed';
import { collectPages } from './runtime/paginate';
import { exemptionTagKeyParameter, intParameter } from './runtime/parameters';
import { runRule, type ConfigRule, type RuleRun } from './runtime/run-rule';
import { listedExempt, loadExemptions, type Exemptions } from './runtime/tagged-resources';

export const RULE_NAME = 'kms-unused-key-check';
export const RESOURCE_TYPE = 'AWS::KMS::Key';

export interface KmsUnusedKeyParams {
  readonly unusedForDays: number;
  readonly exemptionTagKey?: string;
}

export function parseParameters(raw: Record<string, string>): KmsUnusedKeyParams {
  return {
    unusedForDays: intParameter(raw, 'unusedForDays', 1, 365, 90),
    exemptionTagKey: exemptionTagKeyParameter(raw),
  };
}

/** What GetKeyLastUsage says about a key. */
export interface KeyUsage {
  readonly lastOperation?: string;
  readonly lastUsedAt?: Date;
  readonly trackingStartDate: Date;
  readonly keyCreationDate: Date;
}

/** Key states in which a key can be used, and so judged. Others are NOT_APPLICABLE. */
const EVALUATED_STATES = new Set(['Enabled', 'Updating']);

export function stateDecision(keyState: string | undefined): Decision | undefined {
  if (keyState && EVALUATED_STATES.has(keyState)) return undefined;
  return { compliance: 'NOT_APPLICABLE', annotation: `Key state is ${keyState ?? 'unknown'}; only enabled keys are judged on use.` };
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
 * Client-side pacing, 80% of KMS's per-account request quotas (DescribeKey 2,000/s, ListKeys and
 * ListResourceTags 100/s and 50/s). GetKeyLastUsage has no published figure in the quota table we
 * checked; 100/s is assumed, and the SDK's adaptive retry slows further if the service throttles.
 */
export const KMS_RATES_PER_SECOND = {
  DescribeKey: 1600,
  GetKeyLastUsage: 80,
  ListKeys: 80,
  ListResourceTags: 40,
} as const;

/** Keys evaluated at once; the pacing above, not this, bounds the request rate. */
export const KEY_CONCURRENCY = 20;

async function hasTag(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, keyId: string, tagKey: string): Promise<boolean> {
  const tags = await collectPages<Tag>(async (marker) => {
    const out = await run.api.send(kms, new ListResourceTagsCommand({ KeyId: keyId, Marker: marker, Limit: 50 }));
    return { items: out.Tags, next: out.Truncated ? out.NextMarker : undefined };
  });
  return tags.some((t) => t.TagKey === tagKey);
}

async function evaluateKey(run: RuleRun<KmsUnusedKeyParams>, kms: KMSClient, entry: KeyListEntry, exempt: Exemptions): Promise<ResourceEvaluation | undefined> {
  const keyId = entry.KeyId!;
  const tagKey = run.params.exemptionTagKey!;
  // Only customer-managed keys can carry tags, so a listed key needs no further call.
  if (listedExempt(exempt, entry.KeyArn)) return { resourceId: keyId, ...exemptionDecision('key', tagKey) };
  let decision: Decision;
  try {
    const described = await run.api.send(kms, new DescribeKeyCommand({ KeyId: keyId }));
    const meta = described.KeyMetadata;
    if (meta?.KeyManager !== 'CUSTOMER') return undefined; // AWS-managed keys are out of scope.
    const byState = stateDecision(meta.KeyState);
    if (byState) return { resourceId: keyId, ...byState };
    let usage;
    try {
      usage = await run.api.send(kms, new GetKeyLastUsageCommand({ KeyId: keyId }));
    } catch (e) {
      if (!isAccessDenied(e)) throw e;
      decision = failClosed(keyId, e, 'kms', 'kms:GetKeyLastUsage is denied; allow it to this rule\'s role in the key policy');
      usage = undefined;
    }
    if (usage) {
      decision = decideKeyUsage(
        {
          lastOperation: usage.KeyLastUsage?.Operation,
          lastUsedAt: usage.KeyLastUsage?.Timestamp,
          trackingStartDate: usage.TrackingStartDate ?? meta.CreationDate!,
          keyCreationDate: usage.KeyCreationDate ?? meta.CreationDate!,
        },
        run.now,
        run.params,
      );
    }
    // Fallback only: per-key tag reads cost a call each, so they are spent where a result would fail.
    if (exempt.kind === 'perResource' && decision!.compliance === 'NON_COMPLIANT' && (await hasTag(run, kms, keyId, tagKey))) {
      decision = exemptionDecision('key', tagKey);
    }
  } catch (e) {
    if (errorName(e) === 'NotFoundException') return undefined; // deleted since it was listed
    return failClosed(keyId, e, 'kms');
  }
  return { resourceId: keyId, ...decision! };
}

export function kmsUnusedKeyRule(kms: KMSClient, tagging: ResourceGroupsTaggingAPIClient): ConfigRule<KmsUnusedKeyParams> {
  return {
    name: RULE_NAME,
    resourceType: RESOURCE_TYPE,
    ratesPerSecond: KMS_RATES_PER_SECOND,
    parseParameters,
    async evaluate(run) {
      const keys = await collectPages<KeyListEntry>(async (marker) => {
        const out = await run.api.send(kms, new ListKeysCommand({ Limit: 1000, Marker: marker }));
        return { items: out.Keys, next: out.Truncated ? out.NextMarker : undefined };
      });
      const exempt = await loadExemptions(run.api, tagging, run.params.exemptionTagKey, 'kms:key');
      const results = await mapConcurrent(keys, KEY_CONCURRENCY, (k) => evaluateKey(run, kms, k, exempt));
      return results.filter((r): r is ResourceEvaluation => r !== undefined);
    },
  };
}

let clients: { kms: KMSClient; tagging: ResourceGroupsTaggingAPIClient; config: ConfigServiceClient } | undefined;

export async function handler(event: unknown) {
  clients ??= {
    kms: new KMSClient(CLIENT_DEFAULTS),
    tagging: new ResourceGroupsTaggingAPIClient(CLIENT_DEFAULTS),
    config: new ConfigServiceClient(CLIENT_DEFAULTS),
  };
  return runRule(kmsUnusedKeyRule(clients.kms, clients.tagging), event, { config: clients.config });
}
