/**
 * Asynchronous Lambda invocations on a virtual clock (@sinonjs/fake-timers): each invocation gets
 * a context whose remaining time counts down from the function's timeout, is stopped when the
 * timeout passes (as Lambda stops it, with no warning), and may queue further invocations; they
 * run one after another until none is left. A stopped or failed invocation is not retried, as
 * the deployed functions set the event-invoke configuration's retry attempts to 0.
 */
import type { InvocationContext } from '../../lambda/runtime/deadline';
import { runOnVirtualClockUntil, type ClockOutcome } from './virtual-clock';

export { runOnVirtualClockUntil, type ClockOutcome };

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
