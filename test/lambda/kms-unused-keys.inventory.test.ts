/**
 * The KMS rule's inventory: one record per key from the reads the decision makes (no second
 * DescribeKey), rotation read only where KMS can rotate the key, AWS managed keys at no extra
 * call, gaps instead of guesses, parts that hold every key exactly once across continuations, and
 * evaluations that go out whatever becomes of the inventory. Simulated KMS, AWS Config and S3
 * behind real SDK clients, on the virtual clock.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { kmsKeyRecord, reportedUnused, rotationApplies } from '../../lambda/kms-unused-keys';
import type { InventoryRecord } from '../../lambda/inventory/record';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { metricsSink } from '../../lambda/runtime/run-metrics';
import { contractProblems } from './inventory-contract';
import { KMS_QUOTAS, kmsAccount, type KmsAccountOptions } from '../support/kms-account';
import { SimulatedServiceError } from '../support/simulated-aws';
import { ACCOUNT, keyArn, keyInventory, type SimulatedKey } from '../support/simulated-kms';
import { ACCESS_DENIED, SimulatedS3, simulatedS3ClientConfig, type S3Fault } from '../support/simulated-s3';
import { warmUpSdk } from '../support/warm-sdk';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);
const later = (d: number) => new Date(NOW.getTime() + d * DAY);
const BUCKET = 'crypto-monitoring-inventory-444455556666-us-east-1';
const OWNER = '444455556666';

const INVENTORY_PARAMS = {
  inventoryBucket: BUCKET,
  inventoryBucketOwner: OWNER,
  inventoryRegion: 'us-east-1',
  priceDate: '2026-11-01',
  kmsKeyMonthlyUsd: '1',
  kmsKeyRotationMonthlyUsd: '1',
};
const PARAMS = { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', ...INVENTORY_PARAMS };
/** KMS's documented quotas, the rotation reads included. */
const QUOTAS = { ...KMS_QUOTAS, GetKeyRotationStatus: 1000, ListKeyRotations: 100 };

const region = process.env.AWS_REGION;
let metrics: any[];
beforeAll(async () => {
  process.env.AWS_REGION = 'eu-west-1';
  await warmUpSdk();
});
afterAll(() => (process.env.AWS_REGION = region));
beforeEach(() => {
  metrics = [];
  jest.spyOn(metricsSink, 'write').mockImplementation((line: string) => void metrics.push(JSON.parse(line)));
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

function account(keys: readonly SimulatedKey[], o: Partial<KmsAccountOptions> & { s3Inject?: (key: string, n: number) => S3Fault | undefined } = {}) {
  const s3 = new SimulatedS3({ buckets: { [BUCKET]: OWNER }, inject: o.s3Inject });
  const s3Client = new S3Client(simulatedS3ClientConfig(s3, 'us-east-1', CLIENT_DEFAULTS));
  const regions: string[] = [];
  const a = kmsAccount({
    keys,
    now: NOW,
    quotas: QUOTAS,
    params: PARAMS,
    ...o,
    deps: {
      s3: (r) => {
        regions.push(r);
        return s3Client;
      },
      ...o.deps,
    },
  });
  return { ...a, s3, regions };
}

const byId = (records: InventoryRecord[]) => Object.fromEntries(records.map((r) => [r.id, r])) as Record<string, Extract<InventoryRecord, { assetType: 'kms-key' }>>;

/** The key ids of the requests of one operation, sorted. */
function callsFor(calls: { op: string; keyId: string }[], op: string): string[] {
  return calls.filter((c) => c.op === op).map((c) => c.keyId).sort();
}

const FIXTURES: SimulatedKey[] = [
  // Rotated three times, automatic rotation every 180 days.
  { keyId: 'rotating', manager: 'CUSTOMER', state: 'Enabled', created: ago(600), lastUsed: { operation: 'Decrypt', at: ago(2) }, rotation: { enabled: true, periodDays: 180, next: later(40), rotatedAt: [ago(500), ago(320), ago(140)] } },
  // Never rotated, unused for 200 days: the rule reports it unused.
  { keyId: 'idle', manager: 'CUSTOMER', state: 'Enabled', created: ago(400), lastUsed: { operation: 'Encrypt', at: ago(200) } },
  { keyId: 'aws-managed', manager: 'AWS', state: 'Enabled', created: ago(900), lastUsed: { operation: 'Decrypt', at: ago(1) } },
  { keyId: 'pending-deletion', manager: 'CUSTOMER', state: 'PendingDeletion', created: ago(300), deletionDate: later(7), rotation: { enabled: true, periodDays: 365, rotatedAt: [ago(100)] } },
  { keyId: 'replica', manager: 'CUSTOMER', state: 'Enabled', created: ago(50), multiRegion: 'REPLICA', lastUsed: { operation: 'Decrypt', at: ago(3) }, rotation: { enabled: true, periodDays: 365, next: later(315) } },
  { keyId: 'signing', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', lastUsed: { operation: 'Sign', at: ago(1) } },
  { keyId: 'hmac', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', lastUsed: { operation: 'GenerateMac', at: ago(1) } },
  { keyId: 'imported', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), origin: 'EXTERNAL', validTo: later(20), lastUsed: { operation: 'Decrypt', at: ago(1) } },
  { keyId: 'cloudhsm', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), origin: 'AWS_CLOUDHSM', lastUsed: { operation: 'Decrypt', at: ago(1) } },
  { keyId: 'rotation-denied', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), lastUsed: { operation: 'Decrypt', at: ago(1) }, denyRotation: true },
  { keyId: 'usage-denied', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), denyLastUsage: true },
  { keyId: 'exempt', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), tags: { 'crypto-monitoring:exempt': 'true' } },
  { keyId: 'disabled', manager: 'CUSTOMER', state: 'Disabled', created: ago(100) },
];

describe('one pass over a realistic account', () => {
  let run: Awaited<ReturnType<typeof pass>>;
  async function pass() {
    const calls: { op: string; keyId: string }[] = [];
    // Each KMS request per key, through the simulator's fault hook (it sees every request and injects nothing).
    const a = account(FIXTURES, { inject: (op, input) => void calls.push({ op, keyId: input.KeyId }) });
    // beforeAll runs before beforeEach's spies: this pass has its own.
    const lines: any[] = [];
    const spies = [
      jest.spyOn(metricsSink, 'write').mockImplementation((line: string) => void lines.push(JSON.parse(line))),
      ...(['info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined)),
    ];
    const result = await a.invoke();
    for (const spy of spies) spy.mockRestore();
    return { ...a, calls, result, records: a.s3.records(), metrics: lines };
  }
  beforeAll(async () => {
    run = await pass();
  });

  test('every listed key has exactly one record, keeping the contract', () => {
    expect(run.records.map((r) => r.id).sort()).toEqual(FIXTURES.map((k) => k.keyId).sort());
    for (const r of run.records) expect(contractProblems(r)).toEqual([]);
    expect(run.s3.keys()).toEqual([expect.stringMatching(/^inventory\/dt=2026-11-23\/111122223333-eu-west-1-kms-key-[0-9a-f]{16}-001-0001\.json\.gz$/)]);
    expect(run.regions).toEqual(['us-east-1']);
  });

  test('no second DescribeKey: each key is described once, the exempt one only for its record', () => {
    expect(callsFor(run.calls, 'DescribeKey')).toEqual(FIXTURES.map((k) => k.keyId).sort());
    // GetKeyLastUsage only where the rule judges use, as without the inventory.
    expect(callsFor(run.calls, 'GetKeyLastUsage')).toEqual(['idle', 'imported', 'cloudhsm', 'hmac', 'replica', 'rotating', 'rotation-denied', 'signing', 'usage-denied'].sort());
  });

  test('rotation is read only for customer managed symmetric keys KMS can rotate; AWS managed keys cost no call', () => {
    const rotatable = ['disabled', 'exempt', 'idle', 'imported', 'pending-deletion', 'replica', 'rotating', 'rotation-denied', 'usage-denied'];
    expect(callsFor(run.calls, 'GetKeyRotationStatus')).toEqual(rotatable);
    expect(callsFor(run.calls, 'ListKeyRotations')).toEqual(rotatable);
    expect(run.sim.totalThrottled()).toBe(0);
  });

  test('the evaluations are those the rule sends without the inventory', () => {
    const latest = run.latest();
    expect(latest.size).toBe(FIXTURES.length);
    expect(latest.get('idle').ComplianceType).toBe('NON_COMPLIANT');
    expect(run.result.summary).toMatchObject({ outcome: 'complete', sent: FIXTURES.length, inventory: { records: FIXTURES.length, written: FIXTURES.length, unwritten: 0, parts: 1 } });
    expect(run.metrics).toEqual([expect.objectContaining({ InventoryRecords: FIXTURES.length, InventoryWriteFailures: 0, Incomplete: 0 })]);
  });

  test('a rotating key: period, next and last rotation, its three rotations priced (two billed)', () => {
    const r = byId(run.records).rotating;
    expect(r).toMatchObject({
      arn: keyArn('rotating'),
      accountId: ACCOUNT,
      region: 'eu-west-1',
      collectedBy: 'kms-unused-key-check',
      collectedAt: NOW.toISOString(),
      createdAt: ago(600).toISOString(),
      expiresAt: null,
      algorithm: 'SYMMETRIC_DEFAULT',
      quantum: { class: 'symmetric', priority: null },
      cost: { monthlyUsd: 3, priceDate: '2026-11-01' },
      gaps: [],
    });
    expect(r.kms).toEqual({
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      multiRegion: false,
      multiRegionKeyType: null,
      rotationEnabled: true,
      rotationPeriodDays: 180,
      lastRotatedAt: ago(140).toISOString(),
      nextRotationAt: later(40).toISOString(),
      rotationCount: 3,
      lastUsedAt: ago(2).toISOString(),
      reportedUnused: false,
    });
  });

  test('an unused key is reported unused, as the rule decided', () => {
    expect(byId(run.records).idle.kms).toMatchObject({ reportedUnused: true, rotationEnabled: false, rotationCount: 0, lastUsedAt: ago(200).toISOString() });
    expect(byId(run.records).idle.cost.monthlyUsd).toBe(1);
  });

  test('an AWS managed key: recorded, free, and what was not read is named', () => {
    const r = byId(run.records)['aws-managed'];
    expect(r.kms).toMatchObject({ keyManager: 'AWS', rotationEnabled: null, rotationCount: null, lastUsedAt: null, reportedUnused: null });
    expect(r.cost.monthlyUsd).toBe(0);
    expect(r.gaps).toEqual(['GetKeyLastUsage: not called for an AWS managed key', 'GetKeyRotationStatus, ListKeyRotations: not called for an AWS managed key (KMS rotates them every year)']);
  });

  test('a key pending deletion expires on its deletion date and costs nothing; its rotation reads false', () => {
    const r = byId(run.records)['pending-deletion'];
    expect(r.expiresAt).toBe(later(7).toISOString());
    expect(r.kms).toMatchObject({ keyState: 'PendingDeletion', rotationEnabled: false, rotationCount: 1, reportedUnused: null });
    expect(r.cost.monthlyUsd).toBe(0);
    expect(r.gaps).toEqual(['GetKeyLastUsage: not called (key state PendingDeletion: only enabled keys are judged on use)']);
  });

  test('a multi-Region replica is a key of its own', () => {
    expect(byId(run.records).replica.kms).toMatchObject({ multiRegion: true, multiRegionKeyType: 'REPLICA', rotationEnabled: true, rotationPeriodDays: 365, rotationCount: 0 });
    expect(byId(run.records).replica.cost.monthlyUsd).toBe(1);
  });

  test('asymmetric, HMAC and CloudHSM keys: no rotation call, rotation fields null, priced without rotations', () => {
    const r = byId(run.records);
    expect(r.signing).toMatchObject({ algorithm: 'RSA_2048', quantum: { class: 'quantum-vulnerable', priority: 2 }, kms: { rotationEnabled: null, rotationCount: null }, gaps: [] });
    expect(r.signing.cost.monthlyUsd).toBe(1);
    expect(r.hmac).toMatchObject({ quantum: { class: 'symmetric' }, kms: { rotationEnabled: null }, cost: { monthlyUsd: 1 } });
    expect(r.cloudhsm).toMatchObject({ kms: { origin: 'AWS_CLOUDHSM', rotationEnabled: null }, cost: { monthlyUsd: 1 }, gaps: [] });
  });

  test('imported key material: expires when the material does; KMS answers for its rotation', () => {
    const r = byId(run.records).imported;
    expect(r.expiresAt).toBe(later(20).toISOString());
    expect(r.kms).toMatchObject({ origin: 'EXTERNAL', rotationEnabled: false, rotationCount: 0 });
  });

  test('denied reads are gaps, never guesses: rotation unknown, so the key is not priced', () => {
    const r = byId(run.records)['rotation-denied'];
    expect(r.kms).toMatchObject({ rotationEnabled: null, rotationCount: null, lastRotatedAt: null, reportedUnused: false });
    expect(r.gaps).toEqual(['GetKeyRotationStatus: AccessDeniedException', 'ListKeyRotations: AccessDeniedException']);
    expect(r.cost.monthlyUsd).toBeNull();
    const u = byId(run.records)['usage-denied'];
    expect(u.kms).toMatchObject({ lastUsedAt: null, reportedUnused: null });
    expect(u.gaps).toEqual(['GetKeyLastUsage: AccessDeniedException']);
  });

  test('an exempt key: described for its record, its use not read and not judged', () => {
    const r = byId(run.records).exempt;
    expect(r.kms).toMatchObject({ keyManager: 'CUSTOMER', lastUsedAt: null, reportedUnused: null, rotationEnabled: false });
    expect(r.gaps).toEqual(['GetKeyLastUsage: not called (the key is exempt from kms-unused-key-check)']);
    expect(byId(run.records).disabled.gaps).toEqual(['GetKeyLastUsage: not called (key state Disabled: only enabled keys are judged on use)']);
  });
});

test('while the inventory is off: no extra call, no S3 client asked for, nothing written, no inventory in the summary', async () => {
  const a = account(FIXTURES, { params: { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' } });
  const { summary } = await a.invoke();
  const ops = a.sim.callsByOperation();
  expect(ops.GetKeyRotationStatus).toBeUndefined();
  expect(ops.ListKeyRotations).toBeUndefined();
  // The exempt key is not described.
  expect(ops.DescribeKey).toBe(FIXTURES.length - 1);
  expect(a.regions).toEqual([]);
  expect(a.s3.requests).toBe(0);
  expect(summary!.inventory).toBeUndefined();
  expect(metrics).toEqual([expect.objectContaining({ InventoryRecords: 0, InventoryWriteFailures: 0 })]);
});

test('a TESTMODE run (AWS Config testing the rule) writes no inventory', async () => {
  const a = account(FIXTURES.slice(0, 3));
  await a.invoke({ ...a.firstEvent, resultToken: 'TESTMODE' });
  expect(a.s3.requests).toBe(0);
});

test('a failed write is reported in the summary and the metrics, and every evaluation still goes out', async () => {
  const a = account(keyInventory(30, 0.1, NOW), { s3Inject: () => ACCESS_DENIED });
  const { summary, error } = await a.invoke();
  expect(error).toBeUndefined();
  expect(summary).toMatchObject({
    outcome: 'complete',
    sent: 30,
    unsent: 0,
    inventory: { records: 30, written: 0, unwritten: 30, failedParts: 1, error: expect.stringContaining('AccessDenied on s3:PutObject') },
  });
  expect(a.latest().size).toBe(30);
  expect(metrics).toEqual([expect.objectContaining({ Sent: 30, Incomplete: 0, InventoryRecords: 30, InventoryWriteFailures: 30 })]);
  expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'inventory records were not written', unwritten: 30 }));
});

describe('a pass that needs continuations', () => {
  test('its parts together hold every key exactly once, under one run id per invocation, none overwritten', async () => {
    // 1,200 keys at 4 GetKeyLastUsage a second need about 300 s; 120-second invocations continue.
    const keys = keyInventory(1200, 0.1, NOW).map((k, i) => (i % 7 === 0 ? { ...k, rotation: { enabled: true, periodDays: 365, rotatedAt: [ago(30)] } } : k));
    const a = account(keys, { timeoutMs: 120_000, passLimitMs: 24 * 3_600_000 });
    const results = await a.pass();
    expect(results.length).toBeGreaterThan(3);
    expect(results.slice(0, -1).every((r) => r.summary?.outcome === 'continued')).toBe(true);
    expect(results.at(-1)!.summary?.outcome).toBe('complete');
    const records = a.s3.records();
    expect(records).toHaveLength(1200);
    expect(new Set(records.map((r) => r.id)).size).toBe(1200);
    // One run id per invocation, each with its own parts.
    const runIds = new Set(a.s3.keys().map((k) => k.match(/kms-key-([0-9a-f]{16}-\d{3})-\d{4}\.json\.gz$/)![1]));
    const written = results.filter((r) => (r.summary?.inventory?.parts ?? 0) > 0).length;
    expect(runIds.size).toBe(written);
    expect(new Set([...runIds].map((id) => id.slice(0, 16))).size).toBe(1);
    expect(results.reduce((n, r) => n + (r.summary?.inventory?.written ?? 0), 0)).toBe(1200);
    for (const r of records) expect(contractProblems(r)).toEqual([]);
  });

  test('keys cut by the hard deadline are redone by the continuation and recorded once', async () => {
    // The hard deadline 2 s after the soft one: keys waiting for GetKeyLastUsage at the soft deadline are cut.
    const keys = keyInventory(600, 0.1, NOW);
    const a = account(keys, { timeoutMs: 100_000, passLimitMs: 24 * 3_600_000, deps: { margins: { softMarginMs: 40_000, hardMarginMs: 38_000, callTimeoutMs: 30_000 } } });
    const results = await a.pass();
    expect(results.at(-1)!.summary?.outcome).toBe('complete');
    const evaluatedTwice = results.reduce((n, r) => n + (r.summary?.resources ?? 0), 0) - 600;
    const records = a.s3.records();
    expect(records).toHaveLength(600);
    expect(new Set(records.map((r) => r.id)).size).toBe(600);
    // Cut keys were there to redo; none of them is in the inventory twice.
    expect(evaluatedTwice).toBeGreaterThanOrEqual(0);
  });
});

describe('pure parts', () => {
  test.each<[string, object, boolean]>([
    ['customer symmetric in KMS', { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' }, true],
    ['customer symmetric, imported material', { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'EXTERNAL' }, true],
    ['AWS managed', { KeyManager: 'AWS', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' }, false],
    ['asymmetric', { KeyManager: 'CUSTOMER', KeySpec: 'ECC_NIST_P256', Origin: 'AWS_KMS' }, false],
    ['HMAC', { KeyManager: 'CUSTOMER', KeySpec: 'HMAC_512', Origin: 'AWS_KMS' }, false],
    ['CloudHSM key store', { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_CLOUDHSM' }, false],
    ['external key store', { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'EXTERNAL_KEY_STORE' }, false],
    ['no key spec', { KeyManager: 'CUSTOMER', Origin: 'AWS_KMS' }, false],
  ])('rotation applies to a %s key: %s', (_name, meta, expected) => {
    expect(rotationApplies(meta)).toBe(expected);
  });

  test.each<[string, { compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE'; annotation: string }, boolean, boolean | null]>([
    ['used', { compliance: 'COMPLIANT', annotation: 'Last used…' }, true, false],
    ['unused', { compliance: 'NON_COMPLIANT', annotation: 'Unused for 120 days…' }, true, true],
    ['unused past a lapsed exemption', { compliance: 'NON_COMPLIANT', annotation: 'Exemption tag "x" expired on 2026-10-01; Unused…' }, true, true],
    ['could not evaluate', { compliance: 'NON_COMPLIANT', annotation: 'Could not evaluate: (ThrottlingException…)' }, true, null],
    ['not judged on use (state, tracking)', { compliance: 'NOT_APPLICABLE', annotation: 'Key state is Disabled…' }, true, null],
    ['exempt by the listing', { compliance: 'NOT_APPLICABLE', annotation: 'Exempt: …' }, false, null],
  ])('reportedUnused of a key %s', (_name, decision, judged, expected) => {
    expect(reportedUnused(decision, judged)).toBe(expected);
  });

  test('a key that could not be described: a record with what is known, its gaps, an unknown class and no price', () => {
    const r = kmsKeyRecord(
      { collectedAt: NOW.toISOString(), collectedBy: 'kms-unused-key-check', accountId: ACCOUNT, region: 'eu-west-1' },
      { KeyId: 'k', KeyArn: keyArn('k') },
      { judged: true, describeError: 'ThrottlingException' },
      { compliance: 'NON_COMPLIANT', annotation: 'Could not evaluate: (ThrottlingException on kms:DescribeKey: Rate exceeded)' },
      { target: { bucket: BUCKET, bucketOwner: OWNER, region: 'us-east-1' }, prices: { date: '2026-11-01', kmsKeyMonthlyUsd: 1, kmsKeyRotationMonthlyUsd: 1, secretMonthlyUsd: NaN, privateCaGeneralPurposeMonthlyUsd: NaN, privateCaShortLivedMonthlyUsd: NaN } },
    );
    expect(r).toMatchObject({ arn: keyArn('k'), id: 'k', algorithm: null, quantum: { class: 'unknown' }, cost: { monthlyUsd: null } });
    expect(r.gaps).toEqual(['DescribeKey: ThrottlingException', 'GetKeyLastUsage: not called (the key could not be described)']);
    expect(contractProblems(JSON.parse(JSON.stringify(r)))).toEqual([]);
  });
});

test('throttling of the rotation reads past the SDK retries is a gap, and the key is still evaluated', async () => {
  const keys: SimulatedKey[] = [{ keyId: 'k', manager: 'CUSTOMER', state: 'Enabled', created: ago(100), lastUsed: { operation: 'Decrypt', at: ago(1) } }];
  const a = account(keys, { inject: (op) => (op === 'ListKeyRotations' ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined) });
  const { summary } = await a.invoke();
  expect(summary).toMatchObject({ outcome: 'complete', sent: 1 });
  expect(a.s3.records()[0].gaps).toEqual(['ListKeyRotations: ThrottlingException']);
  expect(a.latest().get('k').ComplianceType).toBe('COMPLIANT');
});
