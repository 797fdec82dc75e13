/**
 * The daily CycloneDX CBOM: reads one day of the inventory from the central bucket
 * (`inventory/dt=<day>/…json.gz`, gzip JSON lines of record.ts), keeps the newest record of each
 * ARN, and writes the document (lambda/inventory/cbom.ts) to `cbom/dt=<day>/cbom.json` and
 * `cbom/latest.json` in the same bucket.
 *
 * Invoked by a schedule with no day (then: yesterday in UTC, the last complete day) or on demand
 * with `{ "day": "YYYY-MM-DD" }`.
 *
 * Memory does not grow with the organization: the inventory's object keys name their account,
 * Region and asset type (inventoryObjectKey), and an ARN holds its account and Region, so every
 * record of an asset is in one such group. Groups are read one at a time (a few objects at once),
 * deduplicated, written and dropped; the document leaves as it is written, in multipart parts sent
 * to both keys at once. What stays is the largest group, one part, the algorithms, the ARNs of the
 * Private CAs and the dependency edges (docs/inventory.md, "CycloneDX CBOM", has the measurements).
 */
import { createGunzip } from 'zlib';
import { StringDecoder } from 'string_decoder';
import { Readable } from 'stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { CBOM_CONTENT_TYPE, CbomWriter, compareGroups, latestByArn, planRecords, recordProblem, sortByArn, type CbomStats, type GroupKey } from './inventory/cbom';
import type { AssetType, InventoryRecord } from './inventory/record';
import { CLIENT_DEFAULTS } from './runtime/clients';
import { log } from './runtime/log';

export const INVENTORY_PREFIX = 'inventory/';
export const CBOM_PREFIX = 'cbom/';

export const cbomDayKey = (day: string) => `${CBOM_PREFIX}dt=${day}/cbom.json`;
export const CBOM_LATEST_KEY = `${CBOM_PREFIX}latest.json`;
export const inventoryDayPrefix = (day: string) => `${INVENTORY_PREFIX}dt=${day}/`;

/** Objects of one group read at once. */
export const READ_CONCURRENCY = 4;
/** Records written between two chances for the output to send a part. */
const SLICE = 500;

// ---------------------------------------------------------------------------------------------
// Where the inventory comes from and where the document goes: S3 here, files in scripts/cbom.ts.

export interface InventorySource {
  /** A description for logs (s3://bucket/prefix, a folder). */
  readonly location: string;
  /** The inventory objects' names (keys or paths), in any order. */
  names(): Promise<string[]>;
  /** The object's bytes as stored (gzip when the name ends in .gz). */
  open(name: string): Promise<AsyncIterable<Uint8Array | string>>;
  /**
   * Objects are named by the account that wrote them (`<account>-…`, the only names the inventory
   * bucket's policy lets an account write): a record that claims another account is skipped, as
   * the Athena queries skip it (readable-record.sql), so no account adds to another's inventory.
   */
  readonly namedByWriter?: boolean;
}

export interface CbomOutput {
  readonly location: string;
  write(chunk: string): void;
  /** Sends what is ready to be sent; resolves when memory may fill again. */
  drain(): Promise<void>;
  /** Sends the rest; the bytes written. */
  close(): Promise<number>;
  /** Gives up: nothing half-written stays. */
  abort(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Reading.

/** A name as inventoryObjectKey makes it: `<account>-<region>-<asset type>-<run id>-<part>.json.gz`. */
const OBJECT_NAME = /^(\d{12})-([a-z]{2}(?:-[a-z]+)+-\d+)-(kms-key|certificate-authority|certificate|secret)-(.+)-(\d+)\.json(?:l)?(?:\.gz)?$/;

export function groupOfName(name: string): GroupKey | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const m = OBJECT_NAME.exec(base);
  return m ? { accountId: m[1], region: m[2], assetType: m[3] as AssetType } : undefined;
}

export const isInventoryName = (name: string) => /\.(json|jsonl|ndjson)(\.gz)?$/.test(name);

export interface ReadCounts {
  objects: number;
  lines: number;
  /** Lines that are not JSON, or not an asset (recordProblem). */
  skipped: number;
  /** Records of an ARN that a newer record replaced. */
  duplicates: number;
  /** The first few reasons a line was skipped, for the log. */
  readonly examples: string[];
}

/** Every line of one object, parsed; what is not an asset is counted in `counts` and left out. */
export async function readObject(source: InventorySource, name: string, counts: ReadCounts): Promise<InventoryRecord[]> {
  const body = await source.open(name);
  let text: AsyncIterable<Uint8Array | string> = body;
  if (name.endsWith('.gz')) {
    const compressed = Readable.from(body);
    const gunzip = createGunzip();
    // pipe() does not pass on the source's errors (a broken connection): the reader must see them.
    compressed.on('error', (e) => gunzip.destroy(e));
    text = compressed.pipe(gunzip);
  }
  const out: InventoryRecord[] = [];
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  const take = (line: string) => {
    lineNo++;
    if (line.trim() === '') return;
    counts.lines++;
    let problem: string | undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
      problem = recordProblem(value);
    } catch {
      problem = 'not JSON';
    }
    if (!problem && source.namedByWriter) {
      const claimed = (value as InventoryRecord).accountId;
      if (!name.slice(name.lastIndexOf('/') + 1).startsWith(`${claimed}-`)) problem = `claims account ${claimed}, but its object was written by another account`;
    }
    if (problem) {
      counts.skipped++;
      if (counts.examples.length < 5) counts.examples.push(`${name}:${lineNo}: ${problem}`);
      return;
    }
    out.push(value as InventoryRecord);
  };
  for await (const chunk of text) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    let nl: number;
    let from = 0;
    while ((nl = rest.indexOf('\n', from)) >= 0) {
      take(rest.slice(from, nl));
      from = nl + 1;
    }
    rest = rest.slice(from);
  }
  rest += decoder.end();
  if (rest !== '') take(rest);
  counts.objects++;
  return out;
}

/** Reads objects a few at once and merges them in name order, so equal collection times always keep the same record. */
async function readGroup(source: InventorySource, names: readonly string[], counts: ReadCounts): Promise<InventoryRecord[]> {
  const byArn = new Map<string, InventoryRecord>();
  for (let i = 0; i < names.length; i += READ_CONCURRENCY) {
    const batch = await Promise.all(names.slice(i, i + READ_CONCURRENCY).map((n) => readObject(source, n, counts)));
    for (const records of batch) {
      const before = byArn.size;
      latestByArn(records, byArn);
      counts.duplicates += records.length - (byArn.size - before);
    }
  }
  return sortByArn(byArn.values());
}

// ---------------------------------------------------------------------------------------------
// One day.

export interface DayCbomOptions {
  readonly source: InventorySource;
  /** Made only once the day is known to have objects: nothing is written for an empty day. */
  readonly output: () => CbomOutput;
  readonly day: string;
  readonly generatedAt: Date;
  readonly organizationId?: string;
}

export interface DayCbomResult {
  readonly day: string;
  readonly source: string;
  /** Undefined when the day had no inventory objects and nothing was written. */
  readonly output?: string;
  readonly bytes: number;
  readonly read: Omit<ReadCounts, 'examples'>;
  readonly skippedExamples: readonly string[];
  readonly stats?: CbomStats;
  /** Whether every object's name told its group (else the day was read whole into memory). */
  readonly streamed: boolean;
  readonly durationMs: number;
}

export async function writeDayCbom(o: DayCbomOptions): Promise<DayCbomResult> {
  const started = Date.now();
  const counts: ReadCounts = { objects: 0, lines: 0, skipped: 0, duplicates: 0, examples: [] };
  const names = (await o.source.names()).filter(isInventoryName).sort();
  const result = (extra: Partial<DayCbomResult>): DayCbomResult => {
    const { examples, ...read } = counts;
    return { day: o.day, source: o.source.location, bytes: 0, read, skippedExamples: examples, streamed: true, durationMs: Date.now() - started, ...extra };
  };
  if (names.length === 0) return result({});

  const groups = new Map<string, { key: GroupKey; names: string[] }>();
  const unnamed: string[] = [];
  for (const n of names) {
    const key = groupOfName(n);
    if (!key) {
      unnamed.push(n);
      continue;
    }
    const id = `${key.accountId}|${key.region}|${key.assetType}`;
    const g = groups.get(id);
    if (g) g.names.push(n);
    else groups.set(id, { key, names: [n] });
  }

  const output = o.output();
  const writer = new CbomWriter({ generatedAt: o.generatedAt, day: o.day, organizationId: o.organizationId }, (chunk) => output.write(chunk));
  const write = async (records: readonly InventoryRecord[]) => {
    for (let i = 0; i < records.length; i += SLICE) {
      for (const r of records.slice(i, i + SLICE)) writer.add(r);
      await output.drain();
    }
  };
  try {
    if (unnamed.length === 0) {
      for (const g of [...groups.values()].sort((a, b) => compareGroups(a.key, b.key))) await write(await readGroup(o.source, g.names, counts));
    } else {
      // Objects not named as the inventory names them could hold any asset: read the day whole.
      log.warn('inventory objects not named <account>-<region>-<asset type>-<run>-<part>: the day is read into memory', { count: unnamed.length, example: unnamed[0] });
      const all: InventoryRecord[] = [];
      for (const n of names) for (const r of await readObject(o.source, n, counts)) all.push(r);
      const planned = planRecords(all);
      counts.duplicates += all.length - planned.length;
      await write(planned);
    }
    const ending = writer.ending();
    let step = ending.next();
    while (!step.done) {
      await output.drain();
      step = ending.next();
    }
    const stats = step.value;
    const bytes = await output.close();
    return result({ output: output.location, bytes, stats, streamed: unnamed.length === 0 });
  } catch (e) {
    await output.abort();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// S3.

/** The S3 calls this file makes, as the SDK client answers them. */
export interface S3Sends {
  send(command: unknown): Promise<any>;
}

export function s3Source(s3: S3Sends, bucket: string, prefix: string): InventorySource {
  return {
    location: `s3://${bucket}/${prefix}`,
    namedByWriter: true,
    async names() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async open(key) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!answer.Body) throw new Error(`GetObject s3://${bucket}/${key} returned no body`);
      return answer.Body as AsyncIterable<Uint8Array>;
    },
  };
}

/** S3 takes parts of at least 5 MiB (but the last) and at most 10,000 of them: 8 MiB parts allow 80 GB. */
export const PART_BYTES = 8 * 1024 * 1024;

/**
 * One document written to several keys at once: a single PutObject each when it is smaller than a
 * part, else a multipart upload each, every part sent to all of them. Parts carry CRC32 checksums.
 */
export class S3CbomOutput implements CbomOutput {
  readonly location: string;
  private pending: string[] = [];
  private pendingChars = 0;
  private uploads?: { key: string; uploadId: string; parts: CompletedPart[] }[];
  private bytes = 0;

  constructor(
    private readonly s3: S3Sends,
    private readonly bucket: string,
    private readonly keys: readonly string[],
    private readonly partBytes = PART_BYTES,
  ) {
    this.location = keys.map((k) => `s3://${bucket}/${k}`).join(' and ');
  }

  write(chunk: string): void {
    this.pending.push(chunk);
    this.pendingChars += chunk.length;
  }

  async drain(): Promise<void> {
    // Characters never outnumber UTF-8 bytes: a part of partBytes characters is at least that many bytes.
    if (this.pendingChars >= this.partBytes) await this.sendPart();
  }

  async close(): Promise<number> {
    if (!this.uploads) {
      const body = this.take();
      await Promise.all(this.keys.map((Key) => this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentType: CBOM_CONTENT_TYPE }))));
      return this.bytes;
    }
    if (this.pendingChars > 0) await this.sendPart();
    await Promise.all(
      this.uploads.map((u) =>
        this.s3.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: u.key, UploadId: u.uploadId, MultipartUpload: { Parts: u.parts } })),
      ),
    );
    return this.bytes;
  }

  async abort(): Promise<void> {
    const uploads = this.uploads ?? [];
    this.uploads = undefined;
    this.pending = [];
    await Promise.allSettled(uploads.map((u) => this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.key, UploadId: u.uploadId }))));
  }

  private take(): Buffer {
    const body = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    this.bytes += body.length;
    return body;
  }

  private async sendPart(): Promise<void> {
    this.uploads ??= await Promise.all(
      this.keys.map(async (key) => {
        const u = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: CBOM_CONTENT_TYPE, ChecksumAlgorithm: 'CRC32' }));
        return { key, uploadId: u.UploadId as string, parts: [] as CompletedPart[] };
      }),
    );
    const body = this.take();
    const uploads = this.uploads;
    const PartNumber = uploads[0].parts.length + 1;
    await Promise.all(
      uploads.map(async (u) => {
        const a = await this.s3.send(new UploadPartCommand({ Bucket: this.bucket, Key: u.key, UploadId: u.uploadId, PartNumber, Body: body, ChecksumAlgorithm: 'CRC32' }));
        u.parts.push({ PartNumber, ETag: a.ETag, ChecksumCRC32: a.ChecksumCRC32 });
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The handler.

export interface CbomEvent {
  /** The inventory day to write, YYYY-MM-DD; absent: the day before the event's time (UTC). */
  readonly day?: string;
  /** A scheduled event's time: the day before it is written, also when a retry runs later. */
  readonly time?: string;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Yesterday in UTC: the last day every pass has finished writing when the schedule runs. */
export function defaultDay(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
}

export interface CbomHandlerDeps {
  readonly s3: S3Sends;
  readonly bucket: string;
  readonly organizationId?: string;
  readonly now: () => Date;
}

function defaultDeps(): CbomHandlerDeps {
  const bucket = process.env.INVENTORY_BUCKET;
  if (!bucket) throw new Error('INVENTORY_BUCKET is not set');
  // Parts of 8 MiB: the default 10 s request timeout is for a call's silence, not its length.
  return { s3: new S3Client({ ...CLIENT_DEFAULTS }), bucket, organizationId: process.env.ORGANIZATION_ID || undefined, now: () => new Date() };
}

export async function handler(event: CbomEvent | null | undefined, deps: CbomHandlerDeps = defaultDeps()): Promise<DayCbomResult> {
  const now = deps.now();
  const scheduled = event?.time !== undefined ? new Date(event.time) : undefined;
  const day = event?.day ?? defaultDay(scheduled && !Number.isNaN(scheduled.getTime()) ? scheduled : now);
  if (!DAY.test(day)) throw new Error(`day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
  const result = await writeDayCbom({
    source: s3Source(deps.s3, deps.bucket, inventoryDayPrefix(day)),
    output: () => new S3CbomOutput(deps.s3, deps.bucket, [cbomDayKey(day), CBOM_LATEST_KEY]),
    day,
    generatedAt: now,
    organizationId: deps.organizationId,
  });
  const { stats, ...rest } = result;
  const fields = { ...rest, components: stats?.components, assets: stats?.assets, algorithms: stats?.algorithms, unknownAlgorithms: stats?.unknownAlgorithms, dependencies: stats?.dependencies };
  if (!result.output) log.warn('no inventory objects for the day: no CBOM written, cbom/latest.json left as it was', fields);
  else if (result.read.skipped > 0) log.warn('CBOM written; some inventory lines were not assets', fields);
  else log.info('CBOM written', fields);
  return result;
}
