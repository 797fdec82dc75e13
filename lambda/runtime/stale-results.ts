/**
 * Results for resources that no longer exist would stay NON_COMPLIANT for ever: AWS Config keeps
 * the last evaluation. This reads what the rule reported before and marks the vanished ones NOT_APPLICABLE.
 */
import { GetComplianceDetailsByConfigRuleCommand, type ConfigServiceClient, type EvaluationResult } from '@aws-sdk/client-config-service';
import type { ApiCalls } from './api-calls';
import type { ResourceEvaluation } from './evaluation';
import { collectPages } from './paginate';

/** Ids of resources of `resourceType` that the rule last reported COMPLIANT or NON_COMPLIANT. */
export async function previouslyReported(api: ApiCalls, config: ConfigServiceClient, ruleName: string, resourceType: string): Promise<Set<string>> {
  const results = await collectPages<EvaluationResult>(async (token) => {
    const out = await api.send(
      config,
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: ruleName,
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken: token,
      }),
    );
    return { items: out.EvaluationResults, next: out.NextToken };
  });
  const ids = new Set<string>();
  for (const r of results) {
    const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
    if (q?.ResourceType === resourceType && q.ResourceId) ids.add(q.ResourceId);
  }
  return ids;
}

/** Pure: NOT_APPLICABLE for every previously reported id missing from this run. */
export function staleEvaluations(previous: ReadonlySet<string>, current: readonly ResourceEvaluation[]): ResourceEvaluation[] {
  const present = new Set(current.map((r) => r.resourceId));
  return [...previous]
    .filter((id) => !present.has(id))
    .sort()
    .map((resourceId) => ({
      resourceId,
      compliance: 'NOT_APPLICABLE' as const,
      annotation: 'The resource no longer exists; its earlier result is withdrawn.',
    }));
}
