/**
 * Sends results to AWS Config: batches of at most 100 (the PutEvaluations limit), entries that
 * come back in FailedEvaluations are sent again, and what still fails is returned, never dropped silently.
 */
import { PutEvaluationsCommand, type ConfigServiceClient, type Evaluation } from '@aws-sdk/client-config-service';
import type { ApiCalls } from './api-calls';
import { fitAnnotation, type ResourceEvaluation } from './evaluation';

export const PUT_EVALUATIONS_BATCH = 100;

export interface PutOptions {
  readonly resultToken: string;
  readonly testMode: boolean;
  readonly resourceType: string;
  readonly orderingTimestamp: Date;
  /** Attempts per batch for entries AWS Config reports as failed. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

export interface PutOutcome {
  readonly batches: number;
  readonly sent: number;
  readonly failed: Evaluation[];
}

function toEvaluation(r: ResourceEvaluation, o: PutOptions): Evaluation {
  return {
    ComplianceResourceType: o.resourceType,
    ComplianceResourceId: r.resourceId,
    ComplianceType: r.compliance,
    Annotation: fitAnnotation(r.annotation),
    OrderingTimestamp: o.orderingTimestamp,
  };
}

const key = (e: Evaluation) => `${e.ComplianceResourceType}\u0000${e.ComplianceResourceId}`;

export async function putEvaluations(api: ApiCalls, config: ConfigServiceClient, results: readonly ResourceEvaluation[], o: PutOptions): Promise<PutOutcome> {
  const all = results.map((r) => toEvaluation(r, o));
  const failed: Evaluation[] = [];
  let batches = 0;
  for (let i = 0; i < all.length; i += PUT_EVALUATIONS_BATCH) {
    let pending = all.slice(i, i + PUT_EVALUATIONS_BATCH);
    const attempts = o.attempts ?? 4;
    for (let attempt = 1; pending.length > 0; attempt++) {
      batches++;
      const out = await api.send(
        config,
        new PutEvaluationsCommand({ ResultToken: o.resultToken, Evaluations: pending, ...(o.testMode ? { TestMode: true } : {}) }),
      );
      const rejected = new Set((out.FailedEvaluations ?? []).map(key));
      pending = pending.filter((e) => rejected.has(key(e)));
      if (pending.length === 0) break;
      if (attempt >= attempts) {
        failed.push(...pending);
        break;
      }
      await new Promise((r) => setTimeout(r, (o.retryDelayMs ?? 250) * 2 ** (attempt - 1)));
    }
  }
  return { batches, sent: all.length - failed.length, failed };
}
