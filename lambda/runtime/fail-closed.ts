import { describeError } from './errors';
import { fitAnnotation, type ResourceEvaluation } from './evaluation';
import { log } from './log';

/**
 * A resource whose facts could not be read is NON_COMPLIANT (fail closed, as Security Hub does
 * when it cannot read a key policy); the annotation says what could not be read, the log has the error.
 */
export function failClosed(resourceId: string, error: unknown, service: string, hint?: string): ResourceEvaluation {
  const what = describeError(error, service);
  log.error('could not evaluate resource', { resourceId, error: what });
  return {
    resourceId,
    compliance: 'NON_COMPLIANT',
    annotation: fitAnnotation(`Could not evaluate: ${hint ? `${hint} ` : ''}(${what})`),
  };
}
