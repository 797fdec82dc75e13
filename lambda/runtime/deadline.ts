/**
 * When a run must stop. Lambda stops a function at its timeout with no warning, so a run stops
 * starting new resources at the soft deadline (leaving time for calls in flight, which are bounded,
 * and for sending), and no call may run past the hard deadline (leaving time to hand the rest of
 * the pass to a continuation and write the summary).
 */

/** The part of the Lambda context a run reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  readonly invokedFunctionArn?: string;
}

export interface DeadlineMargins {
  /** Time kept back from the function's timeout when no new resource is started. */
  readonly softMarginMs: number;
  /** Time kept back from the function's timeout after which no AWS call may run. */
  readonly hardMarginMs: number;
  /** The longest one AWS call may take, the SDK's retries included. */
  readonly callTimeoutMs: number;
}

/**
 * The soft margin lets resources in flight finish (one that does not is cut at the hard deadline
 * and redone by the continuation); the hard margin covers the continuation's Invoke and the
 * summary. Each HTTP attempt has its own 10 s timeout (clients.ts); `callTimeoutMs` bounds a call
 * with all of the SDK's retries, whose adaptive back-off can hold a call for tens of seconds.
 */
export const DEFAULT_MARGINS: DeadlineMargins = { softMarginMs: 60_000, hardMarginMs: 15_000, callTimeoutMs: 120_000 };

export interface Deadline {
  readonly soft: number;
  readonly hard: number;
  readonly callTimeoutMs: number;
}

/** Without a context (a local call), nothing stops the run but the call bound. */
export function deadlineOf(context: InvocationContext | undefined, margins: DeadlineMargins = DEFAULT_MARGINS): Deadline {
  if (!context) return { soft: Number.POSITIVE_INFINITY, hard: Number.POSITIVE_INFINITY, callTimeoutMs: margins.callTimeoutMs };
  const end = Date.now() + context.getRemainingTimeInMillis();
  // A short timeout still leaves a tenth of itself to work in.
  const soft = Math.max(end - margins.softMarginMs, Date.now() + (end - Date.now()) / 10);
  const hard = Math.max(end - margins.hardMarginMs, soft);
  return { soft, hard, callTimeoutMs: margins.callTimeoutMs };
}
