/**
 * Every AWS call a rule makes goes through ApiCalls.send: it paces each operation below the
 * service's documented request quota (so a large account is not throttled into failure), counts
 * calls per operation including the SDK's own retries, and tags errors with the operation name.
 */
import { Pacer } from './pacer';

export interface SendsCommands {
  send(command: any): Promise<any>;
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

export class ApiCalls {
  private readonly counts = new Map<string, number>();
  private readonly pacers = new Map<string, Pacer>();

  /** @param ratesPerSecond client-side request rate per operation name; unlisted operations are not paced. */
  constructor(ratesPerSecond: Record<string, number> = {}) {
    for (const [op, rate] of Object.entries(ratesPerSecond)) this.pacers.set(op, new Pacer(rate));
  }

  async send<C extends CommandLike, O = any>(client: SendsCommands, command: C): Promise<O> {
    const op = operationName(command);
    await this.pacers.get(op)?.take();
    try {
      const out = await client.send(command);
      this.count(op, out?.$metadata?.attempts);
      return out as O;
    } catch (e) {
      const err = e as FailedCall & { $metadata?: { attempts?: number } };
      this.count(op, err?.$metadata?.attempts);
      if (err && typeof err === 'object' && !err.operation) err.operation = op;
      throw e;
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
