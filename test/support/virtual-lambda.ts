/**
 * Asynchronous Lambda invocations on a virtual clock (@sinonjs/fake-timers): each invocation gets
 * a context whose remaining time counts down from the function's timeout, is stopped when the
 * timeout passes (as Lambda stops it, with no warning), and may queue further invocations; they
 * run one after another until none is left. A stopped or failed invocation is not retried, as
 * the deployed functions set the event-invoke configuration's retry attempts to 0.
 */
import * as FakeTimers from '@sinonjs/fake-timers';
import type { InvocationContext } from '../../lambda/runtime/deadline';

export type ClockOutcome<T> =
  | { readonly kind: 'returned'; readonly value: T; readonly simulatedMs: number }
  | { readonly kind: 'threw'; readonly error: unknown; readonly simulatedMs: number }
  /** Still running at `stopAt`: abandoned there, as Lambda abandons a function at its timeout. */
  | { readonly kind: 'stopped'; readonly simulatedMs: number };

/**
 * Like runOnVirtualClock, but the task is abandoned at `stopAt` (epoch ms) if it has not settled;
 * `onTick` runs after every timer. `onStop` runs at `stopAt` itself, before anything later fires.
 */
export async function runOnVirtualClockUntil<T>(task: () => Promise<T>, start: number, stopAt: number, onTick?: () => void, onStop?: () => void): Promise<ClockOutcome<T>> {
  const clock = FakeTimers.install({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  // As in virtual-clock.ts: Node turns an invalid delay into 1 ms; the fake clock would never fire it.
  const fakeSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    fakeSetTimeout(fn, typeof delay === 'number' && Number.isFinite(delay) && delay >= 1 && delay <= 2 ** 31 - 1 ? delay : 1, ...args)) as typeof setTimeout;
  let stopped = false;
  // A timer of its own at stopAt: everything due before it fires first.
  if (Number.isFinite(stopAt)) {
    clock.setTimeout(() => {
      stopped = true;
      onStop?.();
    }, Math.max(0, stopAt - start));
  }
  try {
    let settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    task().then(
      (value) => (settled = { ok: true, value }),
      (error) => (settled = { ok: false, error }),
    );
    while (!settled && !stopped) {
      await clock.nextAsync();
      onTick?.();
    }
    const simulatedMs = clock.now - start;
    const done = settled as { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    if (!done) return { kind: 'stopped', simulatedMs };
    return done.ok ? { kind: 'returned', value: done.value, simulatedMs } : { kind: 'threw', error: done.error, simulatedMs };
  } finally {
    globalThis.setTimeout = fakeSetTimeout;
    clock.uninstall();
  }
}

export interface Invocation<T> {
  /** 1 for the first event. */
  readonly number: number;
  readonly startedAt: number;
  readonly outcome: ClockOutcome<T>;
}

export interface AsyncLambdaOptions {
  readonly timeoutMs: number;
  /** Epoch ms at which the first invocation starts. */
  readonly start: number;
  readonly functionArn?: string;
  /** A bound on invocations, so a run that keeps continuing cannot loop for ever. */
  readonly maxInvocations?: number;
  readonly onTick?: () => void;
}

/**
 * Runs `first` and every event queued through `enqueue`, one invocation at a time, each starting
 * when the one before ended. Queued events go through JSON, as an Invoke payload does.
 */
export async function runAsyncInvocations<T>(
  first: unknown,
  handler: (event: unknown, context: InvocationContext, enqueue: (event: unknown) => void) => Promise<T>,
  o: AsyncLambdaOptions,
): Promise<Invocation<T>[]> {
  const queue: unknown[] = [first];
  const done: Invocation<T>[] = [];
  const functionArn = o.functionArn ?? 'arn:aws:lambda:eu-west-1:111122223333:function:simulated';
  let at = o.start;
  while (queue.length > 0 && done.length < (o.maxInvocations ?? 100)) {
    const event = queue.shift();
    const startedAt = at;
    const context: InvocationContext = { getRemainingTimeInMillis: () => startedAt + o.timeoutMs - Date.now(), invokedFunctionArn: functionArn };
    const enqueue = (next: unknown) => void queue.push(JSON.parse(JSON.stringify(next)));
    const outcome = await runOnVirtualClockUntil(() => handler(event, context, enqueue), startedAt, startedAt + o.timeoutMs, o.onTick);
    done.push({ number: done.length + 1, startedAt, outcome });
    at = startedAt + outcome.simulatedMs;
  }
  return done;
}
