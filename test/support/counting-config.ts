/**
 * AWS Config's side for very large runs: PutEvaluations hands each evaluation to a callback
 * instead of keeping it, so the simulator holds no per-resource state; earlier results are served
 * as simulated-config.ts serves them.
 */
import type { OperationHandler } from './simulated-aws';
import { configOperations, type EarlierResult } from './simulated-config';

export interface ReceivedEvaluation {
  readonly ComplianceResourceType: string;
  readonly ComplianceResourceId: string;
  readonly ComplianceType: string;
}

export function countingConfigOperations(previous: EarlierResult[], onEvaluation: (e: ReceivedEvaluation) => void): Record<string, OperationHandler> {
  return {
    ...configOperations({ putEvaluations: [], previous }),
    PutEvaluations: ({ Evaluations }: { Evaluations: ReceivedEvaluation[] }) => {
      for (const e of Evaluations) onEvaluation(e);
      return { FailedEvaluations: [] };
    },
  };
}
