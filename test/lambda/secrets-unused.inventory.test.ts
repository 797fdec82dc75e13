/**
 * The Secrets Manager rule's inventory: one record per listed secret from its ListSecrets entry
 * alone (no extra call of any kind), rotation kind as Secrets Manager documents it, the encryption
 * key, owning service, replicas, secrets never read and secrets marked for deletion. Simulated
 * Secrets Manager and AWS Config; S3 through aws-sdk-client-mock.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { InventoryRecord } from '../../lambda/inventory/record';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { InvalidParameterError } from '../../lambda/runtime/parameters';
import { runRule, type RunSummary } from '../../lambda/runtime/run-rule';
import { parseParameters, rotationKind, secretsUnusedRule } from '../../lambda/secrets-unused';
import { contractProblems } from './inventory-contract';
import { SimulatedAws, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { secretArn, secretInventory, secretsManagerOperations, type SimulatedSecret } from '../support/simulated-secrets-manager';
import { linesOf } from '../support/simulated-s3';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';
import { warmUpSdk } from '../support/warm-sdk';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const TODAY = Math.floor(NOW.getTime() / DAY) * DAY;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);
const dayAgo = (d: number) => new Date(TODAY - d * DAY);
const CMK = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROTATOR = 'arn:aws:lambda:eu-west-1:111122223333:function:rotate-postgres';

const INVENTORY_PARAMS = {
  inventoryBucket: 'crypto-monitoring-inventory-444455556666-us-east-1',
  inventoryBucketOwner: '444455556666',
  inventoryRegion: 'us-east-1',
  priceDate: '2026-11-01',
  secretMonthlyUsd: '0.4',
};

const s3Mock = mockClient(S3Client);
const region = process.env.AWS_REGION;
beforeAll(async () => {
  process.env.AWS_REGION = 'eu-west-1';
  await warmUpSdk();
});
afterAll(() => (process.env.AWS_REGION = region));
beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({ ETag: '"etag"' });
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

async function pass(secrets: readonly SimulatedSecret[], params: Record<string, string> = { unusedForDays: '90', exemptionTagKey: 'crypto-monitoring:exempt', ...INVENTORY_PARAMS }) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...secretsManagerOperations(secrets), ...configOperations(config) }, quotas: { ListSecrets: 100 }, latencyMs: () => 20 });
  const client = (C: any) => new C(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('secretsmanager-unused-secret-check', NOW, params);
  const { result } = await runOnVirtualClock(
    () => runRule(secretsUnusedRule(client(SecretsManagerClient)), event, { config: client(ConfigServiceClient), now: () => NOW, s3: () => new S3Client({ region: 'us-east-1' }) }),
    undefined,
    NOW.getTime(),
  );
  const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  const records = puts.flatMap((p) => linesOf(p.Body as Buffer)) as Extract<InventoryRecord, { assetType: 'secret' }>[];
  return { sim, config, summary: result as RunSummary, puts, records, byName: Object.fromEntries(records.map((r) => [r.id, r])) };
}

const FIXTURES: SimulatedSecret[] = [
  // RDS's master user password: rotated by RDS itself, no Lambda function.
  { name: 'rds!db-0a1b2c3d', created: ago(300), lastAccessed: dayAgo(1), owningService: 'rds', rotation: { enabled: true, everyDays: 7, lastRotated: ago(3), next: ago(-4) }, kmsKeyId: CMK },
  { name: 'app/postgres', created: ago(500), lastAccessed: dayAgo(2), rotation: { enabled: true, lambdaArn: ROTATOR, everyDays: 30, lastRotated: ago(10), next: ago(-20) } },
  // Rotation configured once, then turned off: the function stays named.
  { name: 'app/legacy', created: ago(900), lastAccessed: dayAgo(200), rotation: { enabled: false, lambdaArn: ROTATOR } },
  // Never read, and no rotation field in the listing at all.
  { name: 'app/never-read', created: ago(400) },
  { name: 'app/replica', created: ago(20), lastAccessed: dayAgo(0), primaryRegion: 'us-east-1', kmsKeyId: 'alias/aws/secretsmanager' },
  { name: 'app/deleting', created: ago(100), deleted: ago(2) },
  { name: 'app/exempt', created: ago(400), tags: { 'crypto-monitoring:exempt': 'until migration' } },
  // A managed external secret: the partner rotates it.
  { name: 'partner/api-key', created: ago(50), lastAccessed: dayAgo(5), type: 'SalesforceClientSecret', rotation: { enabled: true } },
];

describe('one pass', () => {
  let run: Awaited<ReturnType<typeof pass>>;
  beforeAll(async () => {
    const spies = (['info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
    s3Mock.reset();
    s3Mock.on(PutObjectCommand).resolves({});
    run = await pass(FIXTURES);
    for (const spy of spies) spy.mockRestore();
  });

  test('one record per listed secret, keeping the contract, from the listing alone', () => {
    expect(run.records.map((r) => r.id).sort()).toEqual(FIXTURES.map((s) => s.name).sort());
    for (const r of run.records) expect(contractProblems(r)).toEqual([]);
    // The only Secrets Manager call is the listing, as without the inventory.
    expect(run.sim.callsByOperation()).toEqual({ GetComplianceDetailsByConfigRule: 1, ListSecrets: 1, PutEvaluations: 1 });
    expect(run.summary).toMatchObject({ outcome: 'complete', sent: FIXTURES.length, inventory: { records: FIXTURES.length, written: FIXTURES.length, parts: 1 } });
    expect(run.puts).toEqual([
      expect.objectContaining({
        Bucket: INVENTORY_PARAMS.inventoryBucket,
        ExpectedBucketOwner: '444455556666',
        Key: expect.stringMatching(/^inventory\/dt=2026-11-23\/111122223333-eu-west-1-secret-[0-9a-f]{16}-001-0001\.json\.gz$/),
        ContentType: 'application/gzip',
      }),
    ]);
  });

  test('rotation managed by the owning service, encrypted with a customer managed key', () => {
    expect(run.byName['rds!db-0a1b2c3d']).toMatchObject({
      arn: secretArn('rds!db-0a1b2c3d'),
      algorithm: null,
      expiresAt: null,
      createdAt: ago(300).toISOString(),
      quantum: { class: 'not-applicable', priority: null },
      cost: { monthlyUsd: 0.4, priceDate: '2026-11-01' },
      gaps: [],
      secret: {
        rotationEnabled: true,
        rotationKind: 'managed',
        rotationLambdaArn: null,
        lastRotatedAt: ago(3).toISOString(),
        nextRotationAt: ago(-4).toISOString(),
        lastAccessedAt: dayAgo(1).toISOString(),
        deletedAt: null,
        kmsKeyId: CMK,
        encryptedWithAwsManagedKey: false,
        owningService: 'rds',
        primaryRegion: null,
        reportedUnused: false,
      },
    });
  });

  test('rotation by a Lambda function; rotation turned off keeps the function named', () => {
    expect(run.byName['app/postgres'].secret).toMatchObject({ rotationEnabled: true, rotationKind: 'lambda', rotationLambdaArn: ROTATOR, encryptedWithAwsManagedKey: true, kmsKeyId: null });
    expect(run.byName['app/legacy'].secret).toMatchObject({ rotationEnabled: false, rotationKind: 'none', rotationLambdaArn: ROTATOR, reportedUnused: true });
  });

  test('a secret never read: no last access, no rotation field, nothing guessed', () => {
    expect(run.byName['app/never-read'].secret).toMatchObject({ lastAccessedAt: null, rotationEnabled: false, rotationKind: 'none', reportedUnused: true });
  });

  test('a replica is billed as a secret of its own; the AWS managed key named by alias is the AWS managed key', () => {
    expect(run.byName['app/replica'].secret).toMatchObject({ primaryRegion: 'us-east-1', kmsKeyId: null, encryptedWithAwsManagedKey: true });
    expect(run.byName['app/replica'].cost.monthlyUsd).toBe(0.4);
  });

  test('a secret marked for deletion is recorded, not judged, and costs nothing', () => {
    expect(run.byName['app/deleting'].secret).toMatchObject({ deletedAt: ago(2).toISOString(), reportedUnused: null });
    expect(run.byName['app/deleting'].cost.monthlyUsd).toBe(0);
  });

  test('an exempt secret is recorded, not judged; a managed external secret rotates managed', () => {
    expect(run.byName['app/exempt'].secret.reportedUnused).toBeNull();
    expect(run.byName['partner/api-key'].secret).toMatchObject({ rotationEnabled: true, rotationKind: 'managed' });
  });
});

test('a large account: parts of 1,000 records, nothing held back, every secret once', async () => {
  const { records, puts, summary } = await pass(secretInventory(2500, 0.1, NOW));
  expect(puts).toHaveLength(3);
  expect(puts.map((p) => p.Key!.slice(-12))).toEqual(['0001.json.gz', '0002.json.gz', '0003.json.gz']);
  expect(new Set(records.map((r) => r.arn)).size).toBe(2500);
  expect(summary.inventory).toMatchObject({ records: 2500, written: 2500, parts: 3 });
});

test('a write S3 keeps failing: reported, and the evaluations still go out', async () => {
  s3Mock.on(PutObjectCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }));
  const { summary, config } = await pass(FIXTURES.slice(0, 3));
  expect(summary).toMatchObject({ outcome: 'complete', sent: 3, inventory: { records: 3, written: 0, unwritten: 3, failedParts: 1 } });
  expect(config.putEvaluations.flat()).toHaveLength(3);
  // The part was tried three times by the sink (each after the SDK's own retries, mocked away here).
  expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(3);
});

test('inventory off: no write, and the listing is all the rule reads', async () => {
  const { puts, summary, sim } = await pass(FIXTURES, { unusedForDays: '90' });
  expect(puts).toHaveLength(0);
  expect(summary.inventory).toBeUndefined();
  expect(sim.callsByOperation().ListSecrets).toBe(1);
});

describe('parameters', () => {
  test('with a bucket, the owner, the Region, the prices date and the secret price are required; without one, none is taken', () => {
    expect(parseParameters({ ...INVENTORY_PARAMS }).inventory).toEqual({
      target: { bucket: INVENTORY_PARAMS.inventoryBucket, bucketOwner: '444455556666', region: 'us-east-1' },
      prices: expect.objectContaining({ date: '2026-11-01', secretMonthlyUsd: 0.4 }),
    });
    expect(parseParameters({}).inventory).toBeUndefined();
    const { secretMonthlyUsd: _omitted, ...withoutPrice } = INVENTORY_PARAMS;
    expect(() => parseParameters(withoutPrice)).toThrow(InvalidParameterError);
    expect(() => parseParameters(withoutPrice)).toThrow('secretMonthlyUsd=""');
    expect(() => parseParameters({ secretMonthlyUsd: '0.4' })).toThrow('absent while inventoryBucket is not set');
  });
});

test.each<[string, Parameters<typeof rotationKind>[0], ReturnType<typeof rotationKind>]>([
  ['rotation off', { RotationEnabled: false }, 'none'],
  ['rotation off, a function still named', { RotationEnabled: false, RotationLambdaARN: ROTATOR }, 'none'],
  ['a rotation function', { RotationEnabled: true, RotationLambdaARN: ROTATOR }, 'lambda'],
  ['an owning service and no function', { RotationEnabled: true, OwningService: 'rds' }, 'managed'],
  ['a managed external secret', { RotationEnabled: true, Type: 'SalesforceClientSecret' }, 'managed'],
  ['on with neither a function nor an owner', { RotationEnabled: true }, null],
  ['never configured for rotation (RotationEnabled left out)', {}, 'none'],
])('rotation kind: %s', (_name, entry, expected) => {
  expect(rotationKind(entry)).toBe(expected);
});
