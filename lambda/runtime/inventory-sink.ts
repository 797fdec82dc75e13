/**
 * Writes the inventory records a pass collects to the central bucket as it goes: gzip JSON lines,
 * one object per part of at most RECORDS_PER_PART records (or MAX_PART_BYTES of JSON), and one for
 * what is left when the invocation ends. Memory holds the part being filled and at most one part
 * waiting behind the one being written; a full queue makes the evaluation wait (as the evaluation
 * sender does), so a pass over 200,000 secrets never holds more than a few thousand records.
 *
 * Every write goes through ApiCalls (paced, bounded by the call timeout and the run's send
 * deadline). A part that fails with throttling, a 5xx or a timeout after the SDK's own retries is
 * tried again twice; one refused for good (access denied, no such bucket, another owner, the wrong
 * Region) stops the writing, and later records are not sent anywhere. Nothing is dropped silently:
 * the outcome counts the records not written and names the first error; it never fails the rule's
 * evaluations.
 *
 * Object keys come from `inventoryObjectKey` (lambda/inventory/record.ts): the notification's day in
 * UTC, so one pass is one day, and a run id made of a stable id of the pass and the invocation's
 * number, so a continuation never overwrites an earlier invocation's parts.
 */
import { createHash } from 'crypto';
import { gzipSync } from 'zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { inventoryObjectKey, type AssetType, type InventoryRecord } from '../inventory/record';
import { DeadlineReachedError, type ApiCalls, type SendsCommands } from './api-calls';
import { describeError, errorName, isAccessDenied, isRetryable } from './errors';
import { log } from './log';
import type { InventoryTarget } from './parameters';

/** Records per object: about 1 MB of JSON, 100-200 KB gzipped. */
export const RECORDS_PER_PART = 1000;
/** A part also closes at this much JSON, whatever its record count (ACM's InUseBy lists can be long). */
export const MAX_PART_BYTES = 4 * 1024 * 1024;
/** S3 takes 3,500 PUTs a second per prefix; a pass writes a part every thousand resources. */
export const S3_RATES_PER_SECOND = { PutObject: 10 } as const;
/** Attempts at one part when it fails with a retryable error (beyond the SDK's own retries). */
export const PART_ATTEMPTS = 3;

/** Answers after which no later part can be written either. */
const FATAL = new Set(['NoSuchBucket', 'PermanentRedirect', 'AuthorizationHeaderMalformed', 'InvalidBucketName', 'AllAccessDisabled', 'InvalidAccessKeyId', 'ExpiredToken', 'SignatureDoesNotMatch']);

export interface InventorySinkOptions {
  readonly target: InventoryTarget;
  readonly assetType: AssetType;
  readonly accountId: string;
  readonly region: string;
  /** The notification's day, YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly runId: string;
  /** Epoch ms after which no write may be in flight (the run's send deadline). */
  readonly writeUntil: number;
  /** The first wait before a failed part is tried again (default 1 s; doubles). */
  readonly retryDelayMs?: number;
  readonly recordsPerPart?: number;
  readonly maxPartBytes?: number;
}

/** What became of this invocation's records. */
export interface InventoryOutcome {
  /** Records collected in this invocation. */
  readonly records: number;
  /** Of those, records in objects S3 accepted. */
  readonly written: number;
  /** Records not written: their part failed, or writing had stopped. */
  readonly unwritten: number;
  /** Objects written. */
  readonly parts: number;
  /** Objects that could not be written. */
  readonly failedParts: number;
  /** Where the parts went: s3://bucket/inventory/dt=…/<account>-<region>-<type>-<run id>-*.json.gz */
  readonly location: string;
  /** The first error that lost records. */
  readonly error?: string;
}

interface Part {
  readonly number: number;
  readonly lines: string[];
  bytes: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A stable id of the pass: every invocation of a pass carries the same rule name, result token and
 * notification time, and no other pass does.
 */
export function passId(configRuleName: string, resultToken: string, notificationTime: Date): string {
  return createHash('sha256').update(`${configRuleName}\n${resultToken}\n${notificationTime.toISOString()}`).digest('hex').slice(0, 16);
}

/** The run id of one invocation of a pass: `<pass id>-<invocation, 3 digits>`. */
export function inventoryRunId(pass: string, invocation: number): string {
  return `${pass}-${String(invocation).padStart(3, '0')}`;
}

export class InventorySink {
  private current?: Part;
  private nextPart = 1;
  /** Closed parts waiting to be written (the first may be in flight). */
  private readonly queue: Part[] = [];
  private pumping?: Promise<void>;
  private records = 0;
  private written = 0;
  private unwritten = 0;
  private parts = 0;
  private failedParts = 0;
  private error?: string;
  private stopped = false;

  /** @param s3 undefined when the inventory cannot be written at all (`unavailable` says why): every record is then reported unwritten. */
  constructor(
    private readonly api: ApiCalls,
    private readonly s3: SendsCommands | undefined,
    private readonly o: InventorySinkOptions,
    unavailable = 'no S3 client was given to this run; the inventory cannot be written',
  ) {
    if (!s3) this.stop(unavailable);
  }

  /** Takes one record; a full part leaves at once. Call `room()` after, to let the writer keep up. */
  add(record: InventoryRecord): void {
    this.records++;
    if (this.stopped) {
      this.unwritten++;
      return;
    }
    const line = JSON.stringify(record);
    const part = (this.current ??= { number: this.nextPart++, lines: [], bytes: 0 });
    part.lines.push(line);
    part.bytes += Buffer.byteLength(line) + 1;
    if (part.lines.length >= (this.o.recordsPerPart ?? RECORDS_PER_PART) || part.bytes >= (this.o.maxPartBytes ?? MAX_PART_BYTES)) this.close();
  }

  /** Resolves when no more than one closed part waits behind the one being written. */
  async room(): Promise<void> {
    while (this.queue.length >= 2 && this.pumping) await this.pumping;
  }

  /** Writes what is left and every part still waiting, by the send deadline. */
  async finish(): Promise<InventoryOutcome> {
    this.close();
    while (this.pumping) await this.pumping;
    const outcome: InventoryOutcome = {
      records: this.records,
      written: this.written,
      unwritten: this.unwritten,
      parts: this.parts,
      failedParts: this.failedParts,
      location: `s3://${this.o.target.bucket}/${this.key(0).replace(/-0000\.json\.gz$/, '-*.json.gz')}`,
      ...(this.error ? { error: this.error } : {}),
    };
    if (outcome.unwritten > 0) log.error('inventory records were not written', { ...outcome });
    return outcome;
  }

  private key(part: number): string {
    return inventoryObjectKey({ day: this.o.day, accountId: this.o.accountId, region: this.o.region, assetType: this.o.assetType, runId: this.o.runId, part });
  }

  private stop(error: string): void {
    this.stopped = true;
    this.error ??= error;
  }

  private close(): void {
    const part = this.current;
    this.current = undefined;
    if (!part || part.lines.length === 0) return;
    this.queue.push(part);
    if (!this.pumping) {
      const run = this.pump().finally(() => {
        if (this.pumping === run) this.pumping = undefined;
      });
      this.pumping = run;
    }
  }

  /** One part at a time, in order, until the queue is empty. */
  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const part = this.queue[0];
      await this.write(part);
      this.queue.shift();
    }
  }

  private lose(part: Part, error: string): void {
    this.unwritten += part.lines.length;
    this.failedParts++;
    this.error ??= error;
  }

  private async write(part: Part): Promise<void> {
    if (this.stopped) {
      this.lose(part, this.error!);
      return;
    }
    const key = this.key(part.number);
    // The body is made only when the part is written, and the lines go with it.
    const body = gzipSync(`${part.lines.join('\n')}\n`);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.api.send(
          this.s3!,
          new PutObjectCommand({
            Bucket: this.o.target.bucket,
            Key: key,
            Body: body,
            ContentType: 'application/gzip',
            ExpectedBucketOwner: this.o.target.bucketOwner,
          }),
          this.o.writeUntil,
        );
        this.written += part.lines.length;
        this.parts++;
        return;
      } catch (e) {
        const error = describeError(e, 's3');
        if (e instanceof DeadlineReachedError) {
          this.lose(part, error);
          log.error('time ran out before a part of the inventory was written', { key, records: part.lines.length });
          return;
        }
        const retryable = isRetryable(e);
        const wait = (this.o.retryDelayMs ?? 1000) * 2 ** (attempt - 1);
        if (retryable && attempt < PART_ATTEMPTS && Date.now() + wait < this.o.writeUntil) {
          log.warn('a part of the inventory could not be written; trying again', { key, error, attempt });
          await sleep(wait);
          continue;
        }
        this.lose(part, error);
        if (isAccessDenied(e) || FATAL.has(errorName(e))) {
          this.stop(error);
          log.error('the inventory bucket refused this run; no further part is written', { key, error });
        } else {
          log.error('a part of the inventory was not written', { key, error, records: part.lines.length, attempts: attempt });
        }
        return;
      }
    }
  }
}
