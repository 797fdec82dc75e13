import { DeadlineReachedError } from './api-calls';
import { describeError } from './errors';
import { fitAnnotation, type Decision, type ResourceEvaluation } from './evaluation';
import { log } from './log';

/** Every result a rule could not decide starts so; the runtime counts them as failed closed. */
export const COULD_NOT_EVALUATE = 'Could not evaluate:';

/** A fact is missing or unreadable: NON_COMPLIANT with the reason, never a guess. */
export function couldNotEvaluate(reason: string): Decision {
  return { compliance: 'NON_COMPLIANT', annotation: fitAnnotation(`${COULD_NOT_EVALUATE} ${reason}`) };
}

/**
 * A resource whose facts could not be read is NON_COMPLIANT (fail closed, as Security Hub does
 * when it cannot read a key policy); the annotation says what could not be read, the log has the error.
 * A call cut short by the run's deadline is not a fact missing: that error is thrown on.
 */
export function failClosed(resourceId: string, error: unknown, service: string, hint?: string): ResourceEvaluation {
  // Running out of time says nothing about the resource: the runtime leaves it to the continuation.
  if (error instanceof DeadlineReachedError) throw error;
  const what = describeError(error, service);
  log.error('could not evaluate resource', { resourceId, error: what });
  return { resourceId, ...couldNotEvaluate(`${hint ? `${hint} ` : ''}(${what})`) };
}
