/** Classifies AWS SDK errors so rules can fail closed with a readable annotation. */
import type { FailedCall } from './api-calls';

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized']);

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

/** "AccessDeniedException on kms:GetKeyLastUsage: <message>" */
export function describeError(e: unknown, service?: string): string {
  const op = (e as FailedCall)?.operation;
  const where = op ? ` on ${service ? `${service}:` : ''}${op}` : '';
  const message = e instanceof Error ? e.message : String(e);
  return `${errorName(e)}${where}: ${message}`;
}
