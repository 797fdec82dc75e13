/**
 * Runs an async task on a simulated clock (@sinonjs/fake-timers): Date and timers are faked, and
 * time jumps to the next timer whenever the task is waiting, so simulated latency, quotas and SDK
 * retry back-off cost no real time. Returns the task's result and the simulated time it took.
 */
import { warmUpSdk } from './warm-sdk';
import * as FakeTimers from '@sinonjs/fake-timers';

/** Captured before any fake clock is installed. */
const realSetTimeout = globalThis.setTimeout;
const SETTLE_BEFORE_JUMP_MS = 60_000;
const SETTLE_MS = 5;
const SETTLE_TRIES = 20;

function nextTimerAt(clock: { now: number }): number {
  const timers = (clock as unknown as { timers?: Record<string, { callAt: number }> }).timers ?? {};
  let at = Number.POSITIVE_INFINITY;
  for (const t of Object.values(timers)) at = Math.min(at, t.callAt);
  return at;
}

export interface TimedResult<T> {
  readonly result: T;
  readonly simulatedMs: number;
}

export type ClockOutcome<T> =
  | { readonly kind: 'returned'; readonly value: T; readonly simulatedMs: number }
  | { readonly kind: 'threw'; readonly error: unknown; readonly simulatedMs: number }
  /** Still running at `stopAt`: abandoned there, as Lambda abandons a function at its timeout. */
  | { readonly kind: 'stopped'; readonly simulatedMs: number };

/**
 * Runs `task` on a simulated clock until it settles or `stopAt` (epoch ms) comes, whichever is
 * first; `onTick` runs after every timer, `onStop` at `stopAt` itself, before anything later fires.
 */
export async function runOnVirtualClockUntil<T>(task: () => Promise<T>, start: number, stopAt: number, onTick?: () => void, onStop?: () => void): Promise<ClockOutcome<T>> {
  // The SDK's first read of its shared config files is real I/O: done here on the real clock, so a
  // busy machine cannot let simulated time run past a call bound while it reads (warm-sdk.ts).
  await warmUpSdk();
  const clock = FakeTimers.install({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  // Node turns a NaN, negative or oversized delay into 1 ms; the fake clock would never fire it
  // (the SDK's adaptive rate limiter can compute NaN when no simulated time has passed).
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
      // One real turn of the event loop first: response streams and I/O callbacks are real, not timers.
      await new Promise((resolve) => setImmediate(resolve));
      // Before a jump of a minute or more (only call bounds are that far), give real I/O in flight a
      // few real milliseconds: the SDK reads its shared config files on its first call, and simulated
      // time must not race past that read and fire a call bound. Under load the read can take
      // longer: wait (up to SETTLE_TRIES times) until something nearer is scheduled.
      const nextAt = nextTimerAt(clock);
      for (let i = 0; i < SETTLE_TRIES && !settled && nextAt - clock.now >= SETTLE_BEFORE_JUMP_MS && nextAt !== Number.POSITIVE_INFINITY && nextTimerAt(clock) === nextAt; i++) {
        await new Promise((resolve) => realSetTimeout(resolve, SETTLE_MS));
      }
      if (settled) break;
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

/** Runs `task` to its end on a simulated clock; returns its result and the simulated time it took, or throws its error. */
export async function runOnVirtualClock<T>(task: () => Promise<T>, onTick?: () => void, start = Date.parse('2026-11-23T12:00:00Z')): Promise<TimedResult<T>> {
  const outcome = await runOnVirtualClockUntil(task, start, Number.POSITIVE_INFINITY, onTick);
  if (outcome.kind === 'threw') throw outcome.error;
  if (outcome.kind === 'stopped') throw new Error('unreachable: a clock without a stop time stopped');
  return { result: outcome.value, simulatedMs: outcome.simulatedMs };
}
