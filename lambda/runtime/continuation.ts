/**
 * How a pass over an account that one invocation cannot finish goes on: the run hands a cursor to
 * an asynchronous invocation of the same function, carrying the original AWS Config event (so the
 * same ResultToken and OrderingTimestamp), until the listing is done. The cursor is the listing
 * token of the page being worked on and how many of its resources are already done; resources
 * are started in listing order and every started one finishes before the hand-over, so what is
 * done is always a prefix of the page.
 */
import { MalformedEventError } from './config-event';

/**
 * At most this many invocations per pass (a day of 15-minute invocations): a pass that needs more is
 * stopped and reported, never left looping. The evaluation period (RuntimeDeps.passLimitMs) usually stops it first.
 */
export const MAX_INVOCATIONS_PER_PASS = 100;

export interface Cursor {
  /** The token that lists the page being worked on; absent for the first page. */
  readonly token?: string;
  /** Resources of that page already done. */
  readonly skip: number;
  /**
   * The id of the last resource done before `skip`. The listing may change between invocations (a
   * key created or deleted moves the others): when the page no longer has this id at `skip` - 1,
   * the page resumes just after wherever the id now is, or from its start when the id is gone, so a
   * resource may be evaluated twice (harmless) but none is passed over.
   */
  readonly after?: string;
  /** The listing is done; what is left is withdrawing the results of vanished resources. */
  readonly withdrawOnly?: true;
}

export interface Continuation {
  /** This invocation's number in the pass, from 2. */
  readonly invocation: number;
  /** When the pass's first invocation started (ISO 8601). */
  readonly passStartedAt: string;
  readonly cursor: Cursor;
  /** Totals of the earlier invocations, for the pass's last summary. */
  readonly evaluatedBefore: number;
  readonly sentBefore: number;
  readonly unsentBefore: number;
}

/** The field of the invocation event that carries the continuation. */
export const CONTINUATION_FIELD = 'continuation';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Reads the continuation of an event, if it has one; a malformed one is refused, never half-read. */
export function continuationOf(raw: unknown): Continuation | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = (raw as Record<string, unknown>)[CONTINUATION_FIELD];
  if (c === undefined) return undefined;
  const bad = (what: string) => new MalformedEventError(`${CONTINUATION_FIELD}.${what}`);
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw bad('must be an object');
  const o = c as Record<string, unknown>;
  if (!isCount(o.invocation) || o.invocation < 2 || o.invocation > MAX_INVOCATIONS_PER_PASS) {
    throw bad(`invocation ${JSON.stringify(o.invocation)} must be an integer from 2 to ${MAX_INVOCATIONS_PER_PASS}`);
  }
  if (typeof o.passStartedAt !== 'string' || isNaN(Date.parse(o.passStartedAt))) throw bad(`passStartedAt ${JSON.stringify(o.passStartedAt)} must be an ISO 8601 time`);
  const cursor = o.cursor as Record<string, unknown> | undefined;
  if (typeof cursor !== 'object' || cursor === null) throw bad('cursor must be an object');
  if (cursor.token !== undefined && (typeof cursor.token !== 'string' || cursor.token === '')) throw bad('cursor.token must be a non-empty string');
  if (!isCount(cursor.skip)) throw bad(`cursor.skip ${JSON.stringify(cursor.skip)} must be a whole number`);
  if (cursor.withdrawOnly !== undefined && cursor.withdrawOnly !== true) throw bad('cursor.withdrawOnly must be true or absent');
  if (cursor.after !== undefined && (typeof cursor.after !== 'string' || cursor.after === '')) throw bad('cursor.after must be a non-empty string');
  if (!isCount(o.evaluatedBefore) || !isCount(o.sentBefore) || !isCount(o.unsentBefore)) throw bad('evaluatedBefore, sentBefore and unsentBefore must be whole numbers');
  return {
    invocation: o.invocation,
    passStartedAt: o.passStartedAt,
    cursor: {
      ...(cursor.token !== undefined ? { token: cursor.token as string } : {}),
      skip: cursor.skip,
      ...(cursor.after !== undefined ? { after: cursor.after as string } : {}),
      ...(cursor.withdrawOnly ? { withdrawOnly: true as const } : {}),
    },
    evaluatedBefore: o.evaluatedBefore,
    sentBefore: o.sentBefore,
    unsentBefore: o.unsentBefore,
  };
}

/** The next invocation's event: the original one, with the continuation replaced. */
export function continuationEvent(raw: unknown, next: Continuation): Record<string, unknown> {
  return { ...(raw as Record<string, unknown>), [CONTINUATION_FIELD]: next };
}
