/**
 * Shared SDK client settings: adaptive retry (client-side rate limiting that backs off when the
 * service throttles) with enough attempts to ride out bursts from other callers in the account,
 * and an HTTP handler whose timeouts throw: without `throwOnRequestTimeout` the Node.js handler
 * only logs a warning when `requestTimeout` passes, and by default it sets no timeout at all. A
 * timed-out attempt is retried by the SDK like any transient error; ApiCalls bounds the whole call.
 */
export const CLIENT_DEFAULTS = {
  retryMode: 'adaptive',
  maxAttempts: 8,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
} as const;
