/**
 * The Resource Groups Tagging API's GetResources, as the rules ask it: the resources of one type
 * that carry a tag key, 100 a page, an empty PaginationToken on the last page.
 */
import type { OperationHandler } from './simulated-aws';

export interface TaggedResource {
  readonly arn: string;
  readonly tags?: Record<string, string>;
}

export function getResourcesOperation(resourceType: string, resources: () => readonly TaggedResource[]): OperationHandler {
  return ({ TagFilters = [], ResourceTypeFilters = [], ResourcesPerPage = 100, PaginationToken }) => {
    const tagKey = TagFilters[0]?.Key;
    const tagged = ResourceTypeFilters.includes(resourceType) ? resources().filter((r) => tagKey !== undefined && r.tags?.[tagKey] !== undefined) : [];
    const start = PaginationToken ? Number(PaginationToken) : 0;
    const next = start + ResourcesPerPage;
    return {
      ResourceTagMappingList: tagged.slice(start, next).map((r) => ({
        ResourceARN: r.arn,
        Tags: Object.entries(r.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
      PaginationToken: next < tagged.length ? String(next) : '',
    };
  };
}
