/**
 * Shared SDK client settings: adaptive retry (client-side rate limiting that backs off when the
 * service throttles) with enough attempts to ride out bursts from other callers in the account.
 */
export const CLIENT_DEFAULTS = {
  retryMode: 'adaptive',
  maxAttempts: 8,
} as const;
