/**
 * What the rule benches share: the rules' logs and metric lines kept off the terminal (summaries
 * kept for their counts), the SDK warmed up before any virtual clock runs, heap sampling, and the
 * rule run as Lambda would run it, invocation after invocation.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { metricsSink } from '../lambda/runtime/run-metrics';
import { runRule, type ConfigRule, type RunSummary, type RuntimeDeps } from '../lambda/runtime/run-rule';
import { SimulatedAws, simulatedClientConfig } from '../test/support/simulated-aws';
import { runAsyncInvocations, type Invocation } from '../test/support/virtual-lambda';

export interface CapturedLogs {
  /** The runtime's 'rule evaluation finished' lines, in order. */
  readonly summaries: RunSummary[];
  /** Every other line, counted by level and message. */
  readonly counts: Map<string, number>;
  /** The `error` field of error lines, first few distinct ones. */
  readonly errors: string[];
  metricLines: number;
}

/** Runs `f` with console.info/warn/error and the metrics sink captured instead of printed. */
export async function quietly<T>(f: (logs: CapturedLogs) => Promise<T>): Promise<T> {
  const logs: CapturedLogs = { summaries: [], counts: new Map(), errors: [], metricLines: 0 };
  const saved = { info: console.info, warn: console.warn, error: console.error, write: metricsSink.write };
  const capture = (level: string) => (line: unknown) => {
    const o = (typeof line === 'object' && line !== null ? line : { message: String(line) }) as Record<string, unknown>;
    if (o.message === 'rule evaluation finished') logs.summaries.push(o as unknown as RunSummary);
    else logs.counts.set(`${level}: ${String(o.message)}`, (logs.counts.get(`${level}: ${String(o.message)}`) ?? 0) + 1);
    if ((level === 'error' || o.message === 'rule evaluation finished') && typeof o.error === 'string' && logs.errors.length < 5 && !logs.errors.includes(o.error)) logs.errors.push(o.error);
  };
  console.info = capture('info');
  console.warn = capture('warn');
  console.error = capture('error');
  metricsSink.write = () => void logs.metricLines++;
  try {
    return await f(logs);
  } finally {
    console.info = saved.info;
    console.warn = saved.warn;
    console.error = saved.error;
    metricsSink.write = saved.write;
  }
}

export function printLogCounts(logs: CapturedLogs): void {
  const other = [...logs.counts].map(([k, n]) => `${k} x${n}`);
  if (other.length > 0) console.log(`  log lines besides summaries: ${other.join('; ')}`);
  for (const e of logs.errors) console.log(`  logged error: ${e}`);
}

let warmed = false;
/**
 * The SDK's first request in a process reads the shared config files with real I/O; on a virtual
 * clock time would jump past pending timers meanwhile (a first call then times out at once).
 * One request on the real clock, to a throwaway simulator, does that reading for every client.
 */
export async function warmUpSdk(): Promise<void> {
  if (warmed) return;
  const sim = new SimulatedAws({ operations: { ListKeys: () => ({ Keys: [], Truncated: false }) } });
  await new KMSClient(simulatedClientConfig(sim)).send(new ListKeysCommand({}));
  warmed = true;
}

let gc: (() => void) | undefined;
/** A full collection, so a baseline heap figure holds no garbage of earlier benches. */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}

export class HeapPeak {
  peak = 0;
  readonly sample = (): void => {
    const used = process.memoryUsage().heapUsed;
    if (used > this.peak) this.peak = used;
  };
}

export interface Pass {
  readonly invocations: Invocation<RunSummary>[];
  readonly simulatedMs: number;
}

/** Runs a rule's pass as Lambda runs it: continuations queued, each invocation stopped at `timeoutMs`. */
export async function lambdaPass<P, I, C>(
  rule: ConfigRule<P, I, C>,
  event: unknown,
  deps: Pick<RuntimeDeps, 'config'>,
  o: { timeoutMs: number; passLimitMs: number; start: number; onTick?: () => void },
): Promise<Pass> {
  const invocations = await runAsyncInvocations<RunSummary>(
    event,
    (ev, context, enqueue) => runRule(rule, ev, { ...deps, context, passLimitMs: o.passLimitMs, continueWith: async (next) => enqueue(next) }),
    { timeoutMs: o.timeoutMs, start: o.start, onTick: o.onTick, functionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${rule.name}` },
  );
  const last = invocations[invocations.length - 1];
  return { invocations, simulatedMs: last.startedAt + last.outcome.simulatedMs - o.start };
}

/** Per-invocation figures: simulated seconds and how each ended. */
export function describeInvocations(pass: Pass): string {
  return pass.invocations
    .map((i) => `${(i.outcome.simulatedMs / 1000).toFixed(0)} s${i.outcome.kind === 'returned' ? '' : i.outcome.kind === 'threw' ? ' (threw)' : ' (STOPPED at timeout)'}`)
    .join(', ');
}

/** The longest invocation, and whether every one ended on its own before the timeout. */
export function longestInvocationMs(pass: Pass): number {
  return Math.max(...pass.invocations.map((i) => (i.outcome.kind === 'stopped' ? Number.POSITIVE_INFINITY : i.outcome.simulatedMs)));
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
export const int = (n: number) => n.toLocaleString('en-US');
export const sum = (xs: Iterable<number>) => {
  let t = 0;
  for (const x of xs) t += x;
  return t;
};
