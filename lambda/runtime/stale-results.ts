/**
 * Results for resources that no longer exist would stay NON_COMPLIANT for ever: AWS Config keeps
 * the last evaluation. This reads what the rule reported before and marks the vanished ones NOT_APPLICABLE.
 */
import { GetComplianceDetailsByConfigRuleCommand, type ComplianceType, type ConfigServiceClient, type EvaluationResult } from '@aws-sdk/client-config-service';
import type { ApiCalls } from './api-calls';
import type { ResourceEvaluation } from './evaluation';
import { forEachPage } from './paginate';

/**
 * Which earlier results a run reads back in order to withdraw those of vanished resources.
 * - `all`: COMPLIANT and NON_COMPLIANT ones; every leftover is withdrawn.
 * - `nonCompliant`: NON_COMPLIANT ones only. The read costs one call per 100 results read, so for
 *   a large inventory that is mostly compliant this is most of the read's cost saved; a leftover
 *   COMPLIANT result raises no finding and no alert, while a leftover NON_COMPLIANT one would
 *   stay a failed finding for ever, and that one is still withdrawn.
 */
export type StaleResultScope = 'all' | 'nonCompliant';

const SCOPE_TYPES: Record<StaleResultScope, ComplianceType[]> = {
  all: ['COMPLIANT', 'NON_COMPLIANT'],
  nonCompliant: ['NON_COMPLIANT'],
};

/** Ids of resources of `resourceType` whose last result from the rule is within `scope`; only the ids are kept, page by page. */
export async function previouslyReported(
  api: ApiCalls,
  config: ConfigServiceClient,
  ruleName: string,
  resourceType: string,
  scope: StaleResultScope = 'all',
): Promise<Set<string>> {
  const ids = new Set<string>();
  await forEachPage<EvaluationResult>(async (token) => {
    const out = await api.send(
      config,
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: ruleName,
        ComplianceTypes: SCOPE_TYPES[scope],
        Limit: 100,
        NextToken: token,
      }),
    );
    return { items: out.EvaluationResults, next: out.NextToken };
  }, (r) => {
    const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
    if (q?.ResourceType === resourceType && q.ResourceId) ids.add(q.ResourceId);
  });
  return ids;
}

/** Pure: NOT_APPLICABLE for every previously reported id missing from this pass. */
export function staleEvaluations(previous: ReadonlySet<string>, present: ReadonlySet<string>): ResourceEvaluation[] {
  return [...previous]
    .filter((id) => !present.has(id))
    .sort()
    .map((resourceId) => ({
      resourceId,
      compliance: 'NOT_APPLICABLE' as const,
      annotation: 'The resource no longer exists; its earlier result is withdrawn.',
    }));
}
