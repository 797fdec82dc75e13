/** Classifies AWS SDK errors so rules can fail closed with a readable annotation, and the runtime can tell what is worth retrying. */
import type { FailedCall } from './api-calls';

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized']);

/** Error codes AWS services use for throttling (the SDK's own list, by name). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** Answers that no later attempt in this run can change: the run's token or identity is refused. */
const FATAL_FOR_RUN = new Set(['InvalidResultTokenException', 'NoSuchConfigRuleException', 'UnrecognizedClientException', 'ExpiredTokenException', 'InvalidClientTokenId']);

export function errorName(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { name?: string; Code?: string; code?: string };
    return o.name || o.Code || o.code || 'Error';
  }
  return 'Error';
}

export function isAccessDenied(e: unknown): boolean {
  return ACCESS_DENIED.has(errorName(e));
}

/** Throttling, a 5xx, a call that did not answer in time, or a connection that broke: worth trying again later. */
export function isRetryable(e: unknown): boolean {
  const name = errorName(e);
  if (THROTTLING.has(name) || name === 'CallTimeoutError' || name === 'TimeoutError') return true;
  const o = e as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string };
  const status = o?.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (o?.$retryable) return true;
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(String(o?.code));
}

/** The run cannot send anything more: its result token, its rule or its credentials are refused, or it is denied. */
export function isFatalForRun(e: unknown): boolean {
  return FATAL_FOR_RUN.has(errorName(e)) || isAccessDenied(e);
}

/** "AccessDeniedException on kms:GetKeyLastUsage: <message>" */
export function describeError(e: unknown, service?: string): string {
  const op = (e as FailedCall)?.operation;
  const where = op ? ` on ${service ? `${service}:` : ''}${op}` : '';
  const message = e instanceof Error ? e.message : String(e);
  return `${errorName(e)}${where}: ${message}`;
}
