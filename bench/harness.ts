/**
 * What the rule benches share: the rules' logs and metric lines kept off the terminal (summaries
 * kept for their counts), the SDK warmed up before any virtual clock runs, the heap limits Lambda's
 * Node.js runtime sets and the heap figures of a pass under them, and the rule run as Lambda would
 * run it, invocation after invocation.
 */
import * as v8 from 'v8';
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

/**
 * The V8 heap limits the Lambda Node.js runtime gives a function of `memoryMb`: its bootstrap
 * script (Amazon's, in the runtime image at /var/runtime/bootstrap) starts node with
 * --max-old-space-size at the memory less a tenth of it and --max-semi-space-size at half that
 * tenth, both in MiB and rounded down, unless NODE_OPTIONS sets either. The functions set no
 * NODE_OPTIONS.
 */
export function lambdaHeapLimits(memoryMb: number): { readonly oldSpaceMb: number; readonly semiSpaceMb: number } {
  const newSpaceMb = Math.floor(memoryMb / 10);
  return { oldSpaceMb: memoryMb - newSpaceMb, semiSpaceMb: Math.floor(newSpaceMb / 2) };
}

export interface LambdaMemory {
  readonly memoryMb: number;
  readonly oldSpaceMb: number;
  readonly semiSpaceMb: number;
}

/** Set by lambda-process.ts in the child it starts: the function's memory and the heap limits it runs under. */
export const LAMBDA_MEMORY_ENV = 'BENCH_LAMBDA_MEMORY';

/** The function memory this process was started for; only inside a child of lambda-process.ts. */
export function lambdaMemory(): LambdaMemory {
  const raw = process.env[LAMBDA_MEMORY_ENV];
  if (!raw) throw new Error(`no ${LAMBDA_MEMORY_ENV}: a rule bench's measure() runs in the child process bench/lambda-process.ts starts`);
  return JSON.parse(raw) as LambdaMemory;
}

function forcedGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('gc() is not exposed: the child process runs node with --expose-gc');
  gc();
}

/** process.memoryUsage().heapUsed without reading the RSS, which costs 20 times as much on every tick. */
const heapUsed = () => v8.getHeapStatistics().used_heap_size;
const hostNow = () => Number(process.hrtime.bigint()) / 1e6; // the fake clock replaces Date, not hrtime

/**
 * The heap of a rule pass, in a process started with Lambda's heap limits (lambda-process.ts):
 * (a) heapUsed on every tick of the virtual clock, garbage included, as the function would see it
 * under those limits; (b) the live heap, heapUsed right after a forced full collection every
 * `gcEvery` ticks. Both against their baseline, taken the same way before the pass: what the
 * process held already (the simulated account, the SDK, the bench's bookkeeping). The forced
 * collections' own host time is kept; each also slows the work after it for a while (measured,
 * cause not pinned down), so a bench's `gcEvery` keeps them few.
 */
export class LambdaHeap {
  baseline = 0;
  peak = 0;
  liveBaseline = 0;
  livePeak = 0;
  ticks = 0;
  collections = 0;
  gcMs = 0;
  private startedAt = 0;
  private endedAt = 0;

  constructor(
    readonly memory: LambdaMemory,
    readonly gcEvery: number,
  ) {}

  start(): void {
    forcedGc();
    forcedGc();
    this.baseline = this.liveBaseline = this.peak = this.livePeak = heapUsed();
    this.startedAt = hostNow();
  }

  readonly sample = (): void => {
    const used = heapUsed();
    if (used > this.peak) this.peak = used;
    if (++this.ticks % this.gcEvery !== 0) return;
    const t = hostNow();
    forcedGc();
    const live = heapUsed();
    this.gcMs += hostNow() - t;
    this.collections++;
    if (live > this.livePeak) this.livePeak = live;
  };

  stop(): void {
    this.endedAt = hostNow();
  }

  get live(): number {
    return this.livePeak - this.liveBaseline;
  }

  get functionBytes(): number {
    return this.memory.memoryMb * 1048576;
  }

  /** The figures, one line each. */
  describe(): string[] {
    const m = this.memory;
    const share = (bytes: number) => `${((bytes / this.functionBytes) * 100).toFixed(1)}% of ${m.memoryMb} MiB`;
    const hostMs = this.endedAt - this.startedAt;
    return [
      `heap limits: --max-old-space-size=${m.oldSpaceMb} --max-semi-space-size=${m.semiSpaceMb} (the Lambda Node.js runtime's for ${m.memoryMb} MB); V8 heap size limit ${mib(v8.getHeapStatistics().heap_size_limit)}`,
      `(a) peak heapUsed on ${int(this.ticks)} ticks: ${mib(this.peak)}, ${mib(this.peak - this.baseline)} above the ${mib(this.baseline)} before the pass (${share(this.peak - this.baseline)})`,
      `(b) peak live heap (after a forced full collection every ${int(this.gcEvery)} ticks, ${int(this.collections)} in all): ${mib(this.livePeak)}, ${mib(this.live)} above the ${mib(this.liveBaseline)} live before the pass (${share(this.live)})`,
      `host time of the pass ${seconds(hostMs)}, of which the forced collections themselves ${seconds(this.gcMs)} (${((this.gcMs / Math.max(1, hostMs)) * 100).toFixed(1)}%; they also slow the work after them a little)`,
    ];
  }
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
