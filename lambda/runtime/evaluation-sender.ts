/**
 * Sends results to AWS Config as they are decided: batches of at most 100 (the PutEvaluations
 * limit), one batch in flight, a bounded queue that slows the evaluation when sending falls
 * behind. A batch that fails never stops the others: throttling, 5xx, timeouts and entries AWS
 * Config returns in FailedEvaluations are sent again later in the run; an answer that refuses the
 * run itself (invalid result token, access denied) stops sending. Nothing is dropped silently:
 * the outcome counts what was not sent and why.
 */
import { PutEvaluationsCommand, type ConfigServiceClient, type Evaluation } from '@aws-sdk/client-config-service';
import type { ApiCalls } from './api-calls';
import { describeError, isFatalForRun, isRetryable } from './errors';
import { fitAnnotation, type ResourceEvaluation } from './evaluation';
import { log } from './log';

export const PUT_EVALUATIONS_BATCH = 100;
/** Evaluations waiting to be sent before the evaluation waits for the sender. */
export const SEND_QUEUE_LIMIT = 10 * PUT_EVALUATIONS_BATCH;

export interface SenderOptions {
  readonly resultToken: string;
  readonly testMode: boolean;
  readonly resourceType: string;
  readonly orderingTimestamp: Date;
  /** Epoch ms after which no batch is sent or in flight (what is left is reported unsent). */
  readonly sendUntil: number;
  /** Rounds of sending again what failed with a retryable error, after everything else. */
  readonly retryRounds?: number;
  /** Wait before the first round of sending again; doubles each round. */
  readonly retryDelayMs?: number;
}

export interface SendOutcome {
  readonly sent: number;
  readonly unsent: number;
  readonly batches: number;
  /** The error that stopped sending, if one did. */
  readonly fatal?: string;
  /** Some resource ids that were not sent, for the log. */
  readonly unsentSample: readonly string[];
}

const key = (e: Evaluation) => `${e.ComplianceResourceType}\u0000${e.ComplianceResourceId}`;

export class EvaluationSender {
  private queue: Evaluation[] = [];
  private later: Evaluation[] = [];
  private readonly dropped: Evaluation[] = [];
  private sent = 0;
  private batches = 0;
  private fatalError?: string;
  private pumping?: Promise<void>;

  constructor(
    private readonly api: ApiCalls,
    private readonly config: ConfigServiceClient,
    private readonly o: SenderOptions,
  ) {}

  /** True once the run's token or permission was refused: nothing more can be delivered. */
  get stopped(): boolean {
    return this.fatalError !== undefined;
  }

  /** Queues one result; full batches leave at once. Resolves when the queue has room again. */
  async add(r: ResourceEvaluation): Promise<void> {
    const e: Evaluation = {
      ComplianceResourceType: this.o.resourceType,
      ComplianceResourceId: r.resourceId,
      ComplianceType: r.compliance,
      Annotation: fitAnnotation(r.annotation),
      OrderingTimestamp: this.o.orderingTimestamp,
    };
    if (this.stopped) {
      this.dropped.push(e);
      return;
    }
    this.queue.push(e);
    if (this.queue.length >= PUT_EVALUATIONS_BATCH && !this.pumping) void this.pump(false);
    while (this.queue.length >= SEND_QUEUE_LIMIT && this.pumping) await this.pumping;
  }

  /** Sends everything queued, then what failed with a retryable error, until it is sent or the time is up. */
  async finish(): Promise<SendOutcome> {
    await this.pump(true);
    const rounds = this.o.retryRounds ?? 4;
    for (let round = 0; round < rounds && this.later.length > 0 && !this.stopped; round++) {
      const wait = Math.min((this.o.retryDelayMs ?? 1000) * 2 ** round, this.o.sendUntil - Date.now());
      if (wait < 0) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      this.queue = this.later;
      this.later = [];
      await this.pump(true);
    }
    const unsent = [...this.dropped, ...this.queue, ...this.later];
    if (unsent.length > 0) {
      log.error('evaluations not delivered', { unsent: unsent.length, sent: this.sent, reason: this.fatalError ?? 'retries exhausted or time ran out' });
    }
    return {
      sent: this.sent,
      unsent: unsent.length,
      batches: this.batches,
      fatal: this.fatalError,
      unsentSample: unsent.slice(0, 5).map((e) => String(e.ComplianceResourceId)),
    };
  }

  /** One batch at a time; `all` sends a last short batch too. */
  private pump(all: boolean): Promise<void> {
    const run = async () => {
      while (!this.stopped && (this.queue.length >= PUT_EVALUATIONS_BATCH || (all && this.queue.length > 0))) {
        if (Date.now() >= this.o.sendUntil) break;
        await this.sendBatch(this.queue.splice(0, PUT_EVALUATIONS_BATCH));
      }
    };
    // Chained, so a `finish` waits for a pump already running and then drains what is left.
    const next = (this.pumping ?? Promise.resolve()).then(run);
    const tracked: Promise<void> = next.finally(() => {
      if (this.pumping === tracked) this.pumping = undefined;
    });
    this.pumping = tracked;
    return tracked;
  }

  private async sendBatch(batch: Evaluation[]): Promise<void> {
    this.batches++;
    try {
      const out = await this.api.send(
        this.config,
        new PutEvaluationsCommand({ ResultToken: this.o.resultToken, Evaluations: batch, ...(this.o.testMode ? { TestMode: true } : {}) }),
        this.o.sendUntil,
      );
      const rejected = new Set((out.FailedEvaluations ?? []).map(key));
      const again = batch.filter((e) => rejected.has(key(e)));
      this.sent += batch.length - again.length;
      this.later.push(...again);
    } catch (e) {
      const error = describeError(e, 'config');
      if (isFatalForRun(e)) {
        this.fatalError = error;
        this.dropped.push(...batch);
        log.error('AWS Config refused this run; nothing more can be sent', { error, sent: this.sent });
      } else if (isRetryable(e)) {
        this.later.push(...batch);
        log.warn('a batch of evaluations failed; it is sent again later in the run', { error, evaluations: batch.length });
      } else {
        this.dropped.push(...batch);
        log.error('AWS Config rejected a batch of evaluations', { error, evaluations: batch.length, sample: batch.slice(0, 3).map((b) => b.ComplianceResourceId) });
      }
    }
  }
}
