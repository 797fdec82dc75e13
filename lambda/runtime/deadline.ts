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
export const DEFAULT_MARGINS: DeadlineMargins = { softMarginMs: 60_000, hardMarginMs: 20_000, callTimeoutMs: 120_000 };

export interface Deadline {
  /** No new resource or page is started after this. */
  readonly soft: number;
  /** No call for a resource or a page may run past this. */
  readonly hard: number;
  /** Sending results stops here, leaving time to start the continuation. */
  readonly send: number;
  /** The continuation's Invoke must be done by this; the summary follows. */
  readonly final: number;
  /** The invocation's whole span (0 without a context): what the next invocation of a pass may take too. */
  readonly spanMs: number;
  readonly callTimeoutMs: number;
}

/** After the hard deadline: sending what is queued, then starting the continuation. */
const SEND_MARGIN_MS = 8_000;
const FINAL_MARGIN_MS = 3_000;

/** Without a context (a local call), nothing stops the run but the call bound. */
export function deadlineOf(context: InvocationContext | undefined, margins: DeadlineMargins = DEFAULT_MARGINS): Deadline {
  const never = Number.POSITIVE_INFINITY;
  if (!context) return { soft: never, hard: never, send: never, final: never, spanMs: 0, callTimeoutMs: margins.callTimeoutMs };
  const spanMs = context.getRemainingTimeInMillis();
  const end = Date.now() + spanMs;
  // A short timeout still leaves a tenth of itself to work in.
  const soft = Math.max(end - margins.softMarginMs, Date.now() + (end - Date.now()) / 10);
  const hard = Math.max(end - margins.hardMarginMs, soft);
  const send = Math.max(end - SEND_MARGIN_MS, hard);
  return { soft, hard, send, final: Math.max(end - FINAL_MARGIN_MS, send), spanMs, callTimeoutMs: margins.callTimeoutMs };
}
