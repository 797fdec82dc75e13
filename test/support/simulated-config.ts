/**
 * AWS Config's side of a simulated account, for every rule: PutEvaluations
 * records what was sent, GetComplianceDetailsByConfigRule serves earlier results in pages of
 * `Limit`, filtered by ComplianceTypes as the service does.
 */
import type { OperationHandler } from './simulated-aws';

export interface EarlierResult {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
}

export interface SimulatedConfigState {
  readonly putEvaluations: any[][];
  readonly previous: EarlierResult[];
}

export function configOperations(state: SimulatedConfigState): Record<string, OperationHandler> {
  return {
    PutEvaluations: ({ Evaluations }) => {
      state.putEvaluations.push(Evaluations);
      return { FailedEvaluations: [] };
    },
    GetComplianceDetailsByConfigRule: ({ ConfigRuleName, ComplianceTypes, NextToken, Limit = 100 }) => {
      const wanted: string[] | undefined = ComplianceTypes;
      const matching = state.previous.filter((p) => !wanted || wanted.includes(p.compliance));
      const start = NextToken ? Number(NextToken) : 0;
      const next = start + Math.min(Limit, 100);
      return {
        EvaluationResults: matching.slice(start, next).map((p) => ({
          EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName, ResourceType: p.resourceType, ResourceId: p.resourceId } },
          ComplianceType: p.compliance,
        })),
        ...(next < matching.length ? { NextToken: String(next) } : {}),
      };
    },
  };
}
