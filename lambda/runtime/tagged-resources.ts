/**
 * Which resources carry the exemption tag, for a whole account and region at once: one
 * Resource Groups Tagging API GetResources listing (100 resources a page) filtered on the tag key,
 * instead of one tag read per resource. The Tagging API returns every tagged resource of a
 * supported type, however it was tagged.
 */
import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient, type ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import type { ApiCalls } from './api-calls';
import { describeError } from './errors';
import { log } from './log';
import { collectPages } from './paginate';

/** ARNs of the resources of `resourceType` (Tagging API form, e.g. `kms:key`) that carry `tagKey`. */
export async function resourcesWithTag(api: ApiCalls, tagging: ResourceGroupsTaggingAPIClient, tagKey: string, resourceType: string): Promise<Set<string>> {
  const mappings = await collectPages<ResourceTagMapping>(async (token) => {
    const out = await api.send(
      tagging,
      new GetResourcesCommand({ TagFilters: [{ Key: tagKey }], ResourceTypeFilters: [resourceType], ResourcesPerPage: 100, PaginationToken: token }),
    );
    // The last page carries an empty PaginationToken.
    return { items: out.ResourceTagMappingList, next: out.PaginationToken || undefined };
  });
  return new Set(mappings.map((m) => m.ResourceARN).filter((arn): arn is string => !!arn));
}

/**
 * How a rule knows which resources are exempt: from one Tagging API listing; or, when that cannot
 * be read, by reading tags per resource (rules then spend those reads only where a result would
 * fail); or not at all, when no exemption tag key is set.
 */
export type Exemptions = { readonly kind: 'listed'; readonly arns: ReadonlySet<string> } | { readonly kind: 'perResource' } | { readonly kind: 'none' };

export async function loadExemptions(api: ApiCalls, tagging: ResourceGroupsTaggingAPIClient, tagKey: string | undefined, resourceType: string): Promise<Exemptions> {
  if (!tagKey) return { kind: 'none' };
  try {
    return { kind: 'listed', arns: await resourcesWithTag(api, tagging, tagKey, resourceType) };
  } catch (e) {
    log.warn('could not list exempt resources with the Tagging API; reading tags per resource for failing ones', {
      resourceType,
      error: describeError(e, 'tag'),
    });
    return { kind: 'perResource' };
  }
}

/** True when the listing names the resource; false when it does not or when there is no listing. */
export function listedExempt(exempt: Exemptions, arn: string | undefined): boolean {
  return exempt.kind === 'listed' && arn !== undefined && exempt.arns.has(arn);
}
