/**
 * An in-process AWS endpoint for SDK clients: plugged in as the client's `requestHandler`, it
 * answers awsJson1_1 requests (KMS, AWS Config) from a simulated service, with per-call latency
 * and per-operation request quotas enforced over a sliding one-second window. The whole SDK stack
 * (serialization, signing, adaptive retry) runs for real; only the network is replaced.
 * Latency is timer-based, so a virtual clock (see virtual-clock.ts) can run hours in seconds.
 */
import { Readable } from 'stream';

export type OperationHandler = (input: any) => unknown;

export class SimulatedServiceError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export interface SimulatedAwsOptions {
  /** Handlers by operation name, e.g. { DescribeKey: (input) => ({ KeyMetadata: … }) }. */
  readonly operations: Record<string, OperationHandler>;
  /** Requests per second allowed per operation; unlisted operations are unlimited. */
  readonly quotas?: Record<string, number>;
  /** Mean latency in ms per operation (default 25), with deterministic jitter of ±40%. */
  readonly latencyMs?: (operation: string) => number;
  /** Called for every request before quotas apply; return an error to fail the request, or HANG for a call that never answers. */
  readonly inject?: (operation: string, input: any, attempt: number) => SimulatedServiceError | typeof HANG | undefined;
}

/** An injected fault: the request is accepted and never answered (until the caller aborts it). */
export const HANG = Symbol('hang');

/** What the SDK's HTTP handlers reject with when a request is aborted. */
class AbortError extends Error {
  constructor() {
    super('Request aborted');
    this.name = 'AbortError';
  }
}

export interface OperationStats {
  requests: number;
  throttled: number;
  failed: number;
  hung: number;
}

export class SimulatedAws {
  readonly stats = new Map<string, OperationStats>();
  private readonly windows = new Map<string, number[]>();
  private seed = 42;

  constructor(private readonly options: SimulatedAwsOptions) {}

  /** The SDK HttpHandler interface. */
  async handle(request: { headers: Record<string, string>; body?: unknown }, options: { abortSignal?: any } = {}): Promise<{ response: unknown }> {
    const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
    const operation = String(target).split('.').pop()!;
    const input = request.body ? JSON.parse(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array)) : {};
    const stats = this.statsFor(operation);
    stats.requests++;
    await this.sleep(this.latency(operation));
    const injected = this.options.inject?.(operation, input, stats.requests);
    if (injected === HANG) {
      stats.hung++;
      // Like a socket that accepted the request and never answers: only an abort ends it.
      return new Promise((_, reject) => {
        const signal = options.abortSignal;
        if (signal?.aborted) return reject(new AbortError());
        signal?.addEventListener('abort', () => reject(new AbortError()), { once: true });
      });
    }
    if (injected) {
      stats.failed++;
      return this.error(injected);
    }
    if (!this.admit(operation)) {
      stats.throttled++;
      return this.error(new SimulatedServiceError('ThrottlingException', 'Rate exceeded'));
    }
    const handler = this.options.operations[operation];
    if (!handler) return this.error(new SimulatedServiceError('UnknownOperationException', `No simulated ${operation}`));
    try {
      return this.ok(handler(input));
    } catch (e) {
      stats.failed++;
      if (e instanceof SimulatedServiceError) return this.error(e);
      throw e;
    }
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }
  destroy(): void {}

  callsByOperation(): Record<string, number> {
    return Object.fromEntries([...this.stats.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([op, s]) => [op, s.requests]));
  }

  totalThrottled(): number {
    let n = 0;
    for (const s of this.stats.values()) n += s.throttled;
    return n;
  }

  private statsFor(op: string): OperationStats {
    let s = this.stats.get(op);
    if (!s) this.stats.set(op, (s = { requests: 0, throttled: 0, failed: 0, hung: 0 }));
    return s;
  }

  private admit(op: string): boolean {
    const quota = this.options.quotas?.[op];
    if (quota === undefined) return true;
    const now = Date.now();
    let w = this.windows.get(op);
    if (!w) this.windows.set(op, (w = []));
    while (w.length > 0 && w[0] <= now - 1000) w.shift();
    if (w.length >= quota) return false;
    w.push(now);
    return true;
  }

  private latency(op: string): number {
    const mean = this.options.latencyMs?.(op) ?? 25;
    // Deterministic jitter (a linear congruential generator), so runs are repeatable.
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return Math.max(1, Math.round(mean * (0.6 + 0.8 * (this.seed / 2147483648))));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private ok(body: unknown) {
    return this.response(200, { 'content-type': 'application/x-amz-json-1.1' }, body ?? {});
  }

  private error(e: SimulatedServiceError) {
    return this.response(e.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': e.type }, { __type: e.type, message: e.message });
  }

  private response(statusCode: number, headers: Record<string, string>, body: unknown) {
    const json = JSON.stringify(body, (_k, v) => v);
    return { response: { statusCode, reason: statusCode === 200 ? 'OK' : 'Error', headers, body: Readable.from([Buffer.from(json)]) } };
  }
}

/** Client settings that route an SDK client to a simulator, with static credentials. */
export function simulatedClientConfig(sim: SimulatedAws, extra: Record<string, unknown> = {}) {
  // The simulator replaces the HTTP handler whatever `extra` (the rules' client defaults) asks for.
  return {
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' },
    ...extra,
    requestHandler: sim,
  };
}

/** awsJson timestamps are epoch seconds. */
export const epochSeconds = (d: Date) => d.getTime() / 1000;
