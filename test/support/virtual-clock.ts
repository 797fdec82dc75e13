/**
 * Runs an async task on a simulated clock (@sinonjs/fake-timers): Date and timers are faked, and
 * time jumps to the next timer whenever the task is waiting, so simulated latency, quotas and SDK
 * retry back-off cost no real time. Returns the task's result and the simulated time it took.
 */
import * as FakeTimers from '@sinonjs/fake-timers';

export interface TimedResult<T> {
  readonly result: T;
  readonly simulatedMs: number;
}

export async function runOnVirtualClock<T>(task: () => Promise<T>, onTick?: () => void, start = Date.parse('2026-11-23T12:00:00Z')): Promise<TimedResult<T>> {
  const clock = FakeTimers.install({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  // Node turns a NaN, negative or oversized delay into 1 ms; the fake clock would never fire it
  // (the SDK's adaptive rate limiter can compute NaN when no simulated time has passed).
  const fakeSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    fakeSetTimeout(fn, typeof delay === 'number' && Number.isFinite(delay) && delay >= 1 && delay <= 2 ** 31 - 1 ? delay : 1, ...args)) as typeof setTimeout;
  try {
    let settled = false;
    const promise = task().finally(() => {
      settled = true;
    });
    promise.catch(() => undefined);
    while (!settled) {
      await clock.nextAsync();
      onTick?.();
    }
    const result = await promise;
    return { result, simulatedMs: clock.now - start };
  } finally {
    globalThis.setTimeout = fakeSetTimeout;
    clock.uninstall();
  }
}
