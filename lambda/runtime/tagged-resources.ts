/**
 * Which resources carry the exemption tag, and with what value, for a whole account and region at
 * once: one Resource Groups Tagging API GetResources listing (100 resources a page) filtered on the
 * tag key, instead of one tag read per resource. The Tagging API returns every tagged resource of a
 * supported type, however it was tagged. What the value means (an optional expiry) is read by
 * `readExemptionTag`.
 */
import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient, type ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import type { ApiCalls } from './api-calls';
import { describeError } from './errors';
import type { Decision } from './evaluation';
import { exemptionDecision, isHonoured, readExemptionTag, withLapsedExemption, type ExemptionTag } from './exemption';
import { log } from './log';
import { collectPages } from './paginate';

/**
 * The resources of `resourceType` (Tagging API form, e.g. `kms:key`) that carry `tagKey`, by ARN,
 * with the tag's value ('' when the answer leaves the value out).
 */
export async function resourcesWithTag(api: ApiCalls, tagging: ResourceGroupsTaggingAPIClient, tagKey: string, resourceType: string): Promise<Map<string, string>> {
  const mappings = await collectPages<ResourceTagMapping>(async (token) => {
    const out = await api.send(
      tagging,
      new GetResourcesCommand({ TagFilters: [{ Key: tagKey }], ResourceTypeFilters: [resourceType], ResourcesPerPage: 100, PaginationToken: token }),
    );
    // The last page carries an empty PaginationToken.
    return { items: out.ResourceTagMappingList, next: out.PaginationToken || undefined };
  });
  const values = new Map<string, string>();
  for (const m of mappings) {
    // Listed because it carries the key; a value left out of the answer reads as '' (a permanent exemption).
    if (m.ResourceARN) values.set(m.ResourceARN, m.Tags?.find((t) => t.Key === tagKey)?.Value ?? '');
  }
  return values;
}

/**
 * How a rule knows which resources are exempt: from one Tagging API listing (ARN → tag value); or,
 * when that cannot be read, by reading tags per resource (rules then spend those reads only where a
 * result would fail); or not at all, when no exemption tag key is set.
 */
export type Exemptions =
  | { readonly kind: 'listed'; readonly tagKey: string; readonly values: ReadonlyMap<string, string> }
  | { readonly kind: 'perResource'; readonly tagKey: string }
  | { readonly kind: 'none' };

export async function loadExemptions(api: ApiCalls, tagging: ResourceGroupsTaggingAPIClient, tagKey: string | undefined, resourceType: string): Promise<Exemptions> {
  if (!tagKey) return { kind: 'none' };
  try {
    return { kind: 'listed', tagKey, values: await resourcesWithTag(api, tagging, tagKey, resourceType) };
  } catch (e) {
    log.warn('could not list exempt resources with the Tagging API; reading tags per resource for failing ones', {
      resourceType,
      error: describeError(e, 'tag'),
    });
    return { kind: 'perResource', tagKey };
  }
}

/**
 * The decision for one resource under the exemption tag.
 * - Listed: an honoured exemption is NOT_APPLICABLE without deciding anything else (no call); an
 *   expired or unreadable one lets the resource be decided as any other.
 * - Per resource: the resource is decided first, and only a NON_COMPLIANT result pays for a tag read
 *   (`readTagValue`: the value, '' when the answer leaves it out, undefined when the tag is absent).
 * A NON_COMPLIANT result of a resource whose tag was not honoured says why (`withLapsedExemption`).
 * `decide` returns undefined for a resource that vanished; errors of either callback propagate.
 * The result is plain data (no `fitWithin`), ready to be queued for sending.
 */
export async function decideWithExemption(
  exempt: Exemptions,
  arn: string | undefined,
  what: string,
  now: Date,
  decide: () => Promise<Decision | undefined>,
  readTagValue: (tagKey: string) => Promise<string | undefined>,
): Promise<Decision | undefined> {
  const decision = await decideUnderTag(exempt, arn, what, now, decide, readTagValue);
  return decision && { compliance: decision.compliance, annotation: decision.annotation };
}

async function decideUnderTag(
  exempt: Exemptions,
  arn: string | undefined,
  what: string,
  now: Date,
  decide: () => Promise<Decision | undefined>,
  readTagValue: (tagKey: string) => Promise<string | undefined>,
): Promise<Decision | undefined> {
  if (exempt.kind === 'none') return decide();
  let tag: ExemptionTag | undefined;
  if (exempt.kind === 'listed' && arn !== undefined && exempt.values.has(arn)) {
    tag = readExemptionTag(exempt.values.get(arn), now);
    if (isHonoured(tag)) return exemptionDecision(what, exempt.tagKey, tag);
  }
  const decision = await decide();
  if (!decision) return undefined;
  if (exempt.kind === 'perResource' && decision.compliance === 'NON_COMPLIANT') {
    const value = await readTagValue(exempt.tagKey);
    if (value !== undefined) {
      tag = readExemptionTag(value, now);
      if (isHonoured(tag)) return exemptionDecision(what, exempt.tagKey, tag);
    }
  }
  return tag ? withLapsedExemption(decision, exempt.tagKey, tag) : decision;
}
