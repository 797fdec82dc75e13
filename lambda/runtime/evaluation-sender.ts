/**
 * Sends results to AWS Config as they are decided: batches of at most 100 (the PutEvaluations
 * limit), one batch in flight, a bounded queue that slows the evaluation when sending falls
 * behind. A batch that fails never stops the others: throttling, 5xx, timeouts and entries AWS
 * Config returns in FailedEvaluations are sent again later in the run; an answer that refuses the
 * run itself (invalid result token, access denied) stops sending. Nothing is dropped silently:
 * the outcome counts what was not sent and why.
 */
import { PutEvaluationsCommand, type ConfigServiceClient, type Evaluation } from '@aws-sdk/client-config-service';
import { DeadlineReachedError, type ApiCalls } from './api-calls';
import { describeError, isFatalForRun, isRetryable } from './errors';
import { fitAnnotation, type ResourceEvaluation } from './evaluation';
import { log } from './log';

export const PUT_EVALUATIONS_BATCH = 100;
/** Evaluations waiting to be sent before the evaluation waits for the sender. */
export const SEND_QUEUE_LIMIT = 10 * PUT_EVALUATIONS_BATCH;
/** The longest wait before results that failed are sent again during the run. */
const MAX_RETRY_WAIT_MS = 30_000;

export interface SenderOptions {
  readonly resultToken: string;
  readonly testMode: boolean;
  readonly resourceType: string;
  readonly orderingTimestamp: Date;
  /** Epoch ms after which no batch is sent or in flight (what is left is reported unsent). */
  readonly sendUntil: number;
  /** Times a failed batch is sent again (default 4). */
  readonly retryRounds?: number;
  /** Wait before failed batches are first sent again; it doubles after each, up to 30 s. */
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
  private readonly queue: Evaluation[] = [];
  /** Batches that failed with a retryable error, kept whole: they are sent again as they were. */
  private readonly later: Evaluation[][] = [];
  private laterCount = 0;
  private readonly dropped: Evaluation[] = [];
  private sent = 0;
  private batches = 0;
  /** When failed batches may be sent again during the run, and the wait after that. */
  private retryAt = 0;
  private retryWaitMs: number;
  /** Times each failed batch was sent again (at most `retryRounds`). */
  private readonly resends = new WeakMap<Evaluation[], number>();
  private fatalError?: string;
  private pumping?: Promise<void>;

  constructor(
    private readonly api: ApiCalls,
    private readonly config: ConfigServiceClient,
    private readonly o: SenderOptions,
  ) {
    this.retryWaitMs = o.retryDelayMs ?? 1000;
  }

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
    if ((this.queue.length >= PUT_EVALUATIONS_BATCH || this.retryDue()) && !this.pumping) void this.pump(false);
    while (this.queue.length + this.laterCount >= SEND_QUEUE_LIMIT && this.pumping) await this.pumping;
  }

  /** Sends everything queued, then the failed batches again, until they are sent, out of rounds, or the time is up. */
  async finish(): Promise<SendOutcome> {
    await this.pump(true);
    while (this.later.length > 0 && !this.stopped && Date.now() < this.o.sendUntil) {
      const wait = Math.min(Math.max(0, this.retryAt - Date.now()), this.o.sendUntil - Date.now());
      await new Promise((resolve) => setTimeout(resolve, wait));
      await this.pump(true);
    }
    const unsent = [...this.dropped, ...this.queue, ...this.later.flat()];
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

  private retryDue(): boolean {
    return this.later.length > 0 && Date.now() >= this.retryAt;
  }

  /** One batch at a time: a failed batch when its wait is over, else the queue; `all` sends a last short batch too. */
  private pump(all: boolean): Promise<void> {
    const run = async () => {
      for (;;) {
        if (this.stopped || Date.now() >= this.o.sendUntil) break;
        if (this.retryDue()) {
          const batch = this.later.shift()!;
          this.laterCount -= batch.length;
          this.retryAt = Date.now() + this.retryWaitMs;
          this.retryWaitMs = Math.min(this.retryWaitMs * 2, MAX_RETRY_WAIT_MS);
          await this.sendBatch(batch);
        } else if (this.queue.length >= PUT_EVALUATIONS_BATCH || (all && this.queue.length > 0)) {
          await this.sendBatch(this.queue.splice(0, PUT_EVALUATIONS_BATCH));
        } else break;
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

  /** Keeps a failed batch to send again, unless it has had its rounds. */
  private retryLater(batch: Evaluation[], tries: number): void {
    if (tries >= (this.o.retryRounds ?? 4)) {
      this.dropped.push(...batch);
      return;
    }
    this.resends.set(batch, tries + 1);
    this.later.push(batch);
    this.laterCount += batch.length;
    if (this.later.length === 1 && this.retryAt < Date.now()) this.retryAt = Date.now() + this.retryWaitMs;
  }

  private async sendBatch(batch: Evaluation[]): Promise<void> {
    this.batches++;
    const tries = this.resends.get(batch) ?? 0;
    try {
      const out = await this.api.send(
        this.config,
        new PutEvaluationsCommand({ ResultToken: this.o.resultToken, Evaluations: batch, ...(this.o.testMode ? { TestMode: true } : {}) }),
        this.o.sendUntil,
      );
      const rejected = new Set((out.FailedEvaluations ?? []).map(key));
      const again = batch.filter((e) => rejected.has(key(e)));
      this.sent += batch.length - again.length;
      // AWS Config answers again: failed batches need not wait long any more.
      this.retryWaitMs = this.o.retryDelayMs ?? 1000;
      if (again.length > 0) this.retryLater(again, tries);
    } catch (e) {
      const error = describeError(e, 'config');
      if (e instanceof DeadlineReachedError) {
        this.dropped.push(...batch);
        log.error('time ran out before a batch of evaluations was sent', { evaluations: batch.length });
      } else if (isFatalForRun(e)) {
        this.fatalError = error;
        this.dropped.push(...batch);
        log.error('AWS Config refused this run; nothing more can be sent', { error, sent: this.sent });
      } else if (isRetryable(e)) {
        this.retryLater(batch, tries);
        log.warn('a batch of evaluations failed; it is sent again later in the run', { error, evaluations: batch.length, tries: tries + 1 });
      } else {
        this.dropped.push(...batch);
        log.error('AWS Config rejected a batch of evaluations', { error, evaluations: batch.length, sample: batch.slice(0, 3).map((b) => b.ComplianceResourceId) });
      }
    }
  }
}
