/**
 * Every AWS call a rule makes goes through ApiCalls.send: it paces each operation below the
 * service's request quota (so a large account is not throttled into failure), bounds each call in
 * time (a call that never answers is abandoned, never holds the run), counts calls per operation
 * including the SDK's own retries, and tags errors with the operation name.
 */
import { Pacer } from './pacer';

export interface SendsCommands {
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

interface CommandLike {
  readonly input: unknown;
}

export function operationName(command: CommandLike): string {
  return command.constructor.name.replace(/Command$/, '');
}

export interface FailedCall extends Error {
  operation?: string;
}

/** A call abandoned because it had no answer within its time bound. */
export class CallTimeoutError extends Error implements FailedCall {
  constructor(
    readonly operation: string,
    readonly afterMs: number,
  ) {
    super(`no answer within ${(afterMs / 1000).toFixed(1)} s; the call was abandoned`);
    this.name = 'CallTimeoutError';
  }
}

/**
 * A call not made, or abandoned, because the run reached its hard deadline. It says nothing about
 * the resource: the work is left to the pass's continuation, never reported as a failure.
 */
export class DeadlineReachedError extends Error implements FailedCall {
  constructor(readonly operation: string) {
    super(`the run reached its deadline before ${operation} answered`);
    this.name = 'DeadlineReachedError';
  }
}

export interface CallBounds {
  /** The longest one call may take, the SDK's own retries included. */
  readonly callTimeoutMs: number;
  /** Epoch ms after which no call may still be running (the run must finish before Lambda stops it). */
  readonly hardDeadline: () => number;
}

const UNBOUNDED: CallBounds = { callTimeoutMs: 60_000, hardDeadline: () => Number.POSITIVE_INFINITY };

export class ApiCalls {
  private readonly counts = new Map<string, number>();
  private readonly pacers = new Map<string, Pacer>();

  /** @param ratesPerSecond client-side request rate per operation name; unlisted operations are not paced. */
  constructor(
    ratesPerSecond: Record<string, number> = {},
    private readonly bounds: CallBounds = UNBOUNDED,
  ) {
    for (const [op, rate] of Object.entries(ratesPerSecond)) this.pacers.set(op, new Pacer(rate));
  }

  /** @param until a later deadline for this call than the run's hard one (sending results, starting the continuation). */
  async send<C extends CommandLike, O = any>(client: SendsCommands, command: C, until?: number): Promise<O> {
    const op = operationName(command);
    await this.pacers.get(op)?.take();
    const untilDeadline = (until ?? this.bounds.hardDeadline()) - Date.now();
    if (untilDeadline <= 0) throw new DeadlineReachedError(op);
    const byDeadline = untilDeadline < this.bounds.callTimeoutMs;
    const budget = Math.min(this.bounds.callTimeoutMs, untilDeadline);
    const abandoned = () => (byDeadline ? new DeadlineReachedError(op) : new CallTimeoutError(op, budget));
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The abort signal stops the SDK (and its retries); the race also covers a client that ignores it.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(abandoned());
      }, budget);
    });
    try {
      const out = await Promise.race([client.send(command, { abortSignal: abort.signal }), timedOut]);
      this.count(op, out?.$metadata?.attempts);
      return out as O;
    } catch (e) {
      const err = e as FailedCall & { $metadata?: { attempts?: number } };
      this.count(op, err?.$metadata?.attempts);
      if (abort.signal.aborted && !(e instanceof CallTimeoutError) && !(e instanceof DeadlineReachedError)) throw abandoned();
      if (err && typeof err === 'object' && !err.operation) err.operation = op;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private count(op: string, attempts: number | undefined) {
    this.counts.set(op, (this.counts.get(op) ?? 0) + (attempts && attempts > 0 ? attempts : 1));
  }

  /** Calls per operation, retries included. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
}
