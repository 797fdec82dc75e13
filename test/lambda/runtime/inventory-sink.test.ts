/**
 * The inventory sink on its own: parts of gzip JSON lines under the contract's keys, written one at
 * a time through ApiCalls to a simulated S3 with a real S3Client, retries, a bucket that refuses
 * the run, a write that never answers, the deadline, and memory bounded by the writer.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { InventoryRecord } from '../../../lambda/inventory/record';
import { ApiCalls } from '../../../lambda/runtime/api-calls';
import { inventoryRunId, InventorySink, passId, PART_ATTEMPTS, RECORDS_PER_PART, type InventorySinkOptions } from '../../../lambda/runtime/inventory-sink';
import { ACCESS_DENIED, INTERNAL_ERROR, linesOf, NO_SUCH_BUCKET, S3_HANG, SimulatedS3, simulatedS3ClientConfig, SLOW_DOWN, type S3Fault } from '../../support/simulated-s3';
import { runOnVirtualClock } from '../../support/virtual-clock';
import { warmUpSdk } from '../../support/warm-sdk';

const NOW = new Date('2026-11-23T12:00:00Z');
const BUCKET = 'crypto-monitoring-inventory-444455556666-us-east-1';
const OWNER = '444455556666';

/** A minimal record; the sink writes whatever it is given. */
const record = (i: number): InventoryRecord => ({
  schemaVersion: 1,
  assetType: 'secret',
  collectedAt: NOW.toISOString(),
  collectedBy: 'secretsmanager-unused-secret-check',
  accountId: '111122223333',
  region: 'eu-west-1',
  arn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:s${i}-AbCdEf`,
  id: `s${i}`,
  createdAt: null,
  expiresAt: null,
  algorithm: null,
  quantum: { class: 'not-applicable', priority: null, reason: 'Secret.' },
  cost: { monthlyUsd: 0.4, basis: 'Secret.', priceDate: '2026-11-01' },
  gaps: [],
  secret: {
    rotationEnabled: null,
    rotationKind: null,
    rotationLambdaArn: null,
    lastRotatedAt: null,
    nextRotationAt: null,
    lastAccessedAt: null,
    deletedAt: null,
    kmsKeyId: null,
    encryptedWithAwsManagedKey: true,
    owningService: null,
    primaryRegion: null,
    reportedUnused: null,
  },
});

interface Setup {
  readonly inject?: (key: string, request: number) => S3Fault | typeof S3_HANG | undefined;
  readonly owner?: string;
  /** The SDK's own attempts (1 here, so the sink's retries are what is tested). */
  readonly maxAttempts?: number;
  readonly latencyMs?: number;
  readonly options?: Partial<InventorySinkOptions>;
  readonly callTimeoutMs?: number;
}

function setup(o: Setup = {}) {
  const s3 = new SimulatedS3({ buckets: { [BUCKET]: OWNER }, inject: o.inject, latencyMs: o.latencyMs });
  const client = new S3Client(simulatedS3ClientConfig(s3, 'us-east-1', { maxAttempts: o.maxAttempts ?? 1 }));
  const api = new ApiCalls({ PutObject: 10 }, { callTimeoutMs: o.callTimeoutMs ?? 120_000, hardDeadline: () => Number.POSITIVE_INFINITY });
  const sink = new InventorySink(api, client, {
    target: { bucket: BUCKET, bucketOwner: o.owner ?? OWNER, region: 'us-east-1' },
    assetType: 'secret',
    accountId: '111122223333',
    region: 'eu-west-1',
    day: '2026-11-23',
    runId: 'abcdef0123456789-001',
    writeUntil: Number.POSITIVE_INFINITY,
    retryDelayMs: 1000,
    ...o.options,
  });
  return { s3, api, sink };
}

/** Adds `n` records as a rule run does (room() after each), then finishes; on the virtual clock. */
async function write(sink: InventorySink, n: number, onAdded?: (added: number) => void) {
  return (
    await runOnVirtualClock(
      async () => {
        for (let i = 0; i < n; i++) {
          sink.add(record(i));
          onAdded?.(i + 1);
          await sink.room();
        }
        return sink.finish();
      },
      undefined,
      NOW.getTime(),
    )
  ).result;
}

beforeAll(() => warmUpSdk());

let logs: { warn: jest.SpyInstance; error: jest.SpyInstance };
beforeEach(() => {
  logs = { warn: jest.spyOn(console, 'warn').mockImplementation(() => undefined), error: jest.spyOn(console, 'error').mockImplementation(() => undefined) };
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('parts of 1,000 records, gzip JSON lines, under the contract keys, with the bucket owner expected', async () => {
  const { s3, sink, api } = setup();
  const outcome = await write(sink, 2500);
  expect(s3.keys()).toEqual([0, 1, 2].map((i) => `inventory/dt=2026-11-23/111122223333-eu-west-1-secret-abcdef0123456789-001-000${i + 1}.json.gz`));
  expect([...s3.objects.values()].map((o) => linesOf(o.body).length)).toEqual([RECORDS_PER_PART, RECORDS_PER_PART, 500]);
  expect([...s3.objects.values()].every((o) => o.contentType === 'application/gzip')).toBe(true);
  expect(s3.records().map((r) => r.id)).toEqual(Array.from({ length: 2500 }, (_, i) => `s${i}`));
  expect(s3.records()[7]).toEqual(record(7));
  expect(outcome).toEqual({
    records: 2500,
    written: 2500,
    unwritten: 0,
    parts: 3,
    failedParts: 0,
    location: `s3://${BUCKET}/inventory/dt=2026-11-23/111122223333-eu-west-1-secret-abcdef0123456789-001-*.json.gz`,
  });
  expect(api.snapshot()).toEqual({ PutObject: 3 });
});

test('nothing collected, nothing written: no empty object', async () => {
  const { s3, sink } = setup();
  expect(await write(sink, 0)).toMatchObject({ records: 0, parts: 0, unwritten: 0 });
  expect(s3.requests).toBe(0);
});

test('a part also closes at its byte limit', async () => {
  const { s3, sink } = setup({ options: { maxPartBytes: 3000 } });
  await write(sink, 12);
  // 738 bytes a line: a part closes with the line that reaches the limit, its fifth.
  expect([...s3.objects.values()].map((o) => linesOf(o.body).length)).toEqual([5, 5, 2]);
});

test.each<[string, S3Fault]>([
  ['SlowDown (503)', SLOW_DOWN],
  ['InternalError (500)', INTERNAL_ERROR],
])('%s is tried again by the sink after the SDK gives up, and the part is written', async (_name, fault) => {
  const { s3, sink } = setup({ inject: (_key, n) => (n <= PART_ATTEMPTS - 1 ? fault : undefined) });
  const outcome = await write(sink, 10);
  expect(outcome).toMatchObject({ written: 10, unwritten: 0, parts: 1, failedParts: 0 });
  expect(s3.requests).toBe(PART_ATTEMPTS);
  expect(logs.warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'a part of the inventory could not be written; trying again' }));
});

test('throttling past every attempt loses that part only, and says so; the next part is written', async () => {
  const { s3, sink } = setup({ inject: (key) => (key.endsWith('-0001.json.gz') ? SLOW_DOWN : undefined) });
  const outcome = await write(sink, 1500);
  expect(outcome).toMatchObject({ records: 1500, written: 500, unwritten: 1000, parts: 1, failedParts: 1, error: expect.stringContaining('SlowDown on s3:PutObject') });
  expect(s3.keys()).toEqual([expect.stringMatching(/-0002\.json\.gz$/)]);
  expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'inventory records were not written', unwritten: 1000 }));
});

test.each<[string, Setup]>([
  ['a bucket of another owner (ExpectedBucketOwner)', { owner: '999999999999' }],
  ['a bucket policy that denies', { inject: () => ACCESS_DENIED }],
  ['no such bucket', { inject: () => NO_SUCH_BUCKET }],
])('%s stops the writing at once: one request, every record reported unwritten', async (_name, o) => {
  const { s3, sink } = setup(o);
  const outcome = await write(sink, 3500);
  expect(s3.requests).toBe(1);
  expect(outcome).toMatchObject({ records: 3500, written: 0, unwritten: 3500, parts: 0, error: expect.stringMatching(/(AccessDenied|NoSuchBucket) on s3:PutObject/) });
  expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'the inventory bucket refused this run; no further part is written' }));
});

test('a write that never answers is abandoned at the call bound and tried again', async () => {
  const { s3, sink } = setup({ inject: (_key, n) => (n === 1 ? S3_HANG : undefined), callTimeoutMs: 30_000 });
  const outcome = await write(sink, 10);
  expect(outcome).toMatchObject({ written: 10, parts: 1 });
  expect(s3.requests).toBe(2);
});

test('no write is in flight past the send deadline: what is left is reported unwritten', async () => {
  const { s3, sink } = setup({ inject: () => S3_HANG, options: { writeUntil: NOW.getTime() + 5_000 } });
  const outcome = await write(sink, 10);
  expect(outcome).toMatchObject({ written: 0, unwritten: 10, failedParts: 1, error: expect.stringContaining('DeadlineReachedError') });
  expect(s3.requests).toBe(1);
});

test('without an S3 client every record is reported unwritten, with why', async () => {
  const api = new ApiCalls();
  const sink = new InventorySink(api, undefined, {
    target: { bucket: BUCKET, bucketOwner: OWNER, region: 'us-east-1' },
    assetType: 'kms-key',
    accountId: '111122223333',
    region: 'eu-west-1',
    day: '2026-11-23',
    runId: 'x-001',
    writeUntil: Number.POSITIVE_INFINITY,
  });
  expect(await write(sink, 3)).toMatchObject({ records: 3, unwritten: 3, error: expect.stringContaining('no S3 client') });
});

test('memory follows the writer: at most three parts of records are held while S3 is slow', async () => {
  const { s3, sink } = setup({ latencyMs: 10_000, options: { recordsPerPart: 10 } });
  let most = 0;
  const stored = () => [...s3.objects.values()].reduce((n, o) => n + linesOf(o.body).length, 0);
  await write(sink, 200, (added) => (most = Math.max(most, added - stored())));
  expect(stored()).toBe(200);
  // The part being filled, one waiting, one being written.
  expect(most).toBeLessThanOrEqual(30);
  expect(most).toBeGreaterThan(10);
});

describe('run ids', () => {
  test('one pass has one id, whatever invocation asks; the invocation number keeps its parts apart', () => {
    const t = new Date('2026-11-23T00:04:12.000Z');
    const id = passId('kms-unused-key-check', 'token-1', t);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(passId('kms-unused-key-check', 'token-1', new Date(t))).toBe(id);
    expect(passId('kms-unused-key-check', 'token-2', t)).not.toBe(id);
    expect(passId('kms-unused-key-check', 'token-1', new Date(t.getTime() + 1000))).not.toBe(id);
    expect(inventoryRunId(id, 1)).toBe(`${id}-001`);
    expect(inventoryRunId(id, 42)).toBe(`${id}-042`);
  });
});
