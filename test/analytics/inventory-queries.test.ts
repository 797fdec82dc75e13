/**
 * The queries over the cryptographic inventory (athena-queries/inventory/), run in DuckDB over the
 * fixture objects as the Glue table reads them (test/fixtures/inventory/). What each fixture is for:
 * test/fixtures/inventory/scenario.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inventoryObjectKey, type AssetType } from '../../lambda/inventory/record';
import { RULE_NAMES } from '../../lib/catalog';
import { loadInventoryQueries, loadQueries, renderQuery, securityLakeNames } from '../../lib/analytics/queries';
import { FIXTURE_BUCKET, InventoryLake, inventoryLake, inventoryQuery, runInventory } from '../fixtures/inventory/lake';
import { DEV, EU, PROD, RULES, SHARED, STALE, US, cas, certs, keys, secrets } from '../fixtures/inventory/scenario';

let lake: InventoryLake;
beforeAll(async () => {
  lake = await inventoryLake();
});
afterAll(() => lake.close());

const arns = (rows: Record<string, unknown>[]) => rows.map((r) => r.resource_arn);
const queries = loadInventoryQueries();

describe('inventory/quantum-vulnerable', () => {
  test('unclassified algorithms first, then by migration priority, from each account\'s newest snapshot', async () => {
    const rows = await runInventory(lake, 'inventory/quantum-vulnerable');
    expect(rows.map((r) => [r.resource_arn, r.quantum_class, r.migration_priority, r.priority_group])).toEqual([
      // SLH_DSA_SHA2_128S: a key spec the classifier does not know (fails closed at priority 1).
      [keys.unknownSpec, 'unknown', 1, 'Unclassified algorithm'],
      // Harvest now, decrypt later: RSA encryption, elliptic-curve key agreement.
      [keys.paymentsRsa, 'quantum-vulnerable', 1, 'Priority 1'],
      [keys.devAgreement, 'quantum-vulnerable', 1, 'Priority 1'],
      // Signing keys and CAs.
      [keys.sharedSecp256k1, 'quantum-vulnerable', 2, 'Priority 2'],
      [keys.sharedRsaSigning, 'quantum-vulnerable', 2, 'Priority 2'],
      [cas.root, 'quantum-vulnerable', 2, 'Priority 2'],
      [cas.disabledSubordinate, 'quantum-vulnerable', 2, 'Priority 2'],
      [cas.pendingCertificate, 'quantum-vulnerable', 2, 'Priority 2'],
      [keys.signingEcc, 'quantum-vulnerable', 2, 'Priority 2'],
      // Certificates, renewed anyway.
      [certs.api, 'quantum-vulnerable', 3, 'Priority 3'],
      [certs.legacyExpired, 'quantum-vulnerable', 3, 'Priority 3'],
      [certs.far, 'quantum-vulnerable', 3, 'Priority 3'],
      [certs.unknownExpiry, 'quantum-vulnerable', 3, 'Priority 3'],
      [certs.pending, 'quantum-vulnerable', 3, 'Priority 3'],
    ]);
  });

  test('one row per asset with what the rule wrote: the key seen on two days is listed once, from today', async () => {
    const rows = await runInventory(lake, 'inventory/quantum-vulnerable');
    expect(rows.filter((r) => r.resource_arn === keys.paymentsRsa)).toEqual([
      {
        account_id: PROD, region: US, resource_arn: keys.paymentsRsa, asset_type: 'kms-key', algorithm: 'RSA_4096', quantum_class: 'quantum-vulnerable',
        migration_priority: 1, priority_group: 'Priority 1',
        reason: 'RSA-4096 encryption key: Shor\'s algorithm breaks it at any key size, and data encrypted under it can be recorded now and decrypted later (harvest now, decrypt later); NIST IR 8547 (draft) disallows it after 2035 whatever its size.',
        expires_at: null, collected_at: '2026-05-15 03:00:02.118',
      },
    ]);
    expect(rows.find((r) => r.resource_arn === cas.root)).toMatchObject({ asset_type: 'certificate-authority', algorithm: 'RSA_4096', expires_at: '2036-01-01 00:00:00' });
  });

  test('symmetric, HMAC and post-quantum assets, secrets, the stale account and the forged record are not listed', async () => {
    const listed = arns(await runInventory(lake, 'inventory/quantum-vulnerable'));
    for (const arn of [keys.mlDsa, keys.hmac, keys.unusedWithRotations, keys.awsManagedEbs, cas.postQuantumShortLived, secrets.prodDb, keys.staleRsa, keys.forged]) {
      expect(listed).not.toContain(arn);
    }
  });
});

describe('inventory/waste', () => {
  test('unused keys and secrets and disabled CAs that cost money, most expensive first, unpriced last', async () => {
    const secret = 'Secret: 1 × $0.40 = $0.40 a month.';
    expect(await runInventory(lake, 'inventory/waste')).toEqual([
      {
        account_id: PROD, region: US, resource_arn: cas.disabledSubordinate, asset_type: 'certificate-authority', waste_reason: 'disabled, still billed', monthly_usd: 400,
        price_basis: 'Private CA in general-purpose mode, status DISABLED (billed in every status except DELETED and FAILED): $400 a month.',
        // The Private CA API does not say when a CA last issued a certificate: its last use is unknown.
        price_date: '2026-05-01', last_used: null, collected_at: '2026-05-15 04:00:00.877',
      },
      // Written twice by a continued pass: the later copy, whose last use was read on the second try.
      {
        account_id: PROD, region: US, resource_arn: keys.unusedWithRotations, asset_type: 'kms-key', waste_reason: `${RULE_NAMES.kmsUnusedKey} reports it unused`, monthly_usd: 3,
        price_basis: 'Customer managed key, 2 rotations of its key material: $1 + 2 × $1 = $3 a month.', price_date: '2026-05-01', last_used: '2026-01-10 08:00:00', collected_at: '2026-05-15 03:14:58.73',
      },
      {
        account_id: DEV, region: US, resource_arn: keys.devUnused, asset_type: 'kms-key', waste_reason: `${RULE_NAMES.kmsUnusedKey} reports it unused`, monthly_usd: 1,
        price_basis: 'Customer managed key, no rotations of its key material: $1 a month.', price_date: '2026-05-01', last_used: '2025-10-01 12:00:00', collected_at: '2026-05-14 06:00:00.999',
      },
      {
        account_id: PROD, region: EU, resource_arn: secrets.euUnused, asset_type: 'secret', waste_reason: `${RULE_NAMES.secretsUnusedSecret} reports it unused`, monthly_usd: 0.4,
        price_basis: secret, price_date: '2026-05-01', last_used: '2026-01-31 00:00:00', collected_at: '2026-05-13 22:00:00.04',
      },
      {
        account_id: PROD, region: US, resource_arn: secrets.prodOldToken, asset_type: 'secret', waste_reason: `${RULE_NAMES.secretsUnusedSecret} reports it unused`, monthly_usd: 0.4,
        price_basis: secret, price_date: '2026-05-01', last_used: '2025-12-02 00:00:00', collected_at: '2026-05-15 05:00:00.301',
      },
      {
        account_id: DEV, region: US, resource_arn: secrets.devCi, asset_type: 'secret', waste_reason: `${RULE_NAMES.secretsUnusedSecret} reports it unused`, monthly_usd: 0.4,
        price_basis: secret, price_date: '2026-05-01', last_used: '2025-11-15 00:00:00', collected_at: '2026-05-14 06:30:00',
      },
      // Its rotations could not be read, so it could not be priced: listed, its price unknown.
      {
        account_id: SHARED, region: EU, resource_arn: keys.sharedUnpriced, asset_type: 'kms-key', waste_reason: `${RULE_NAMES.kmsUnusedKey} reports it unused`, monthly_usd: null,
        price_basis: 'Customer managed key, rotations of its key material unknown: not priced, between $1 and $1 + 2 × $1 = $3 a month.',
        price_date: '2026-05-01', last_used: '2025-08-01 00:00:00', collected_at: '2026-05-15 01:30:00',
      },
    ]);
  });

  test('the forged record ($1,000 "for" PROD in DEV\'s object), the stale account\'s unused key, AWS managed keys and active CAs are not waste', async () => {
    const listed = arns(await runInventory(lake, 'inventory/waste'));
    for (const arn of [keys.forged, keys.staleRsa, keys.awsManagedEbs, keys.devAwsManaged, cas.root, cas.postQuantumShortLived, keys.sharedMissingFields]) expect(listed).not.toContain(arn);
  });
});

describe('inventory/waste-by-account', () => {
  test('per account and Region: counts, the priced total and how many could not be priced', async () => {
    expect(await runInventory(lake, 'inventory/waste-by-account')).toEqual([
      { account_id: PROD, region: US, unused_keys: 1, unused_secrets: 1, disabled_cas: 1, monthly_usd: 403.4, unpriced_assets: 0 },
      { account_id: DEV, region: US, unused_keys: 1, unused_secrets: 1, disabled_cas: 0, monthly_usd: 1.4, unpriced_assets: 0 },
      { account_id: PROD, region: EU, unused_keys: 0, unused_secrets: 1, disabled_cas: 0, monthly_usd: 0.4, unpriced_assets: 0 },
      // Nothing priced, one that could not be: $0 is not the whole story.
      { account_id: SHARED, region: EU, unused_keys: 1, unused_secrets: 0, disabled_cas: 0, monthly_usd: 0, unpriced_assets: 1 },
    ]);
  });
});

describe('inventory/expiring', () => {
  test('certificates and CAs expiring within 90 days or expired, soonest first, then those of unknown expiry', async () => {
    const rows = await runInventory(lake, 'inventory/expiring');
    expect(rows.map((r) => [r.resource_arn, r.kind, r.status, r.expires_at, r.days_left])).toEqual([
      [certs.legacyExpired, 'IMPORTED', 'EXPIRED', '2026-05-12 00:00:00', -3],
      [certs.api, 'AMAZON_ISSUED', 'ISSUED', '2026-06-29 23:59:59', 45],
      [cas.disabledSubordinate, 'SUBORDINATE', 'DISABLED', '2026-07-14 00:00:00', 59],
      // No notAfter in the CA's details (an older writer): the record's expiresAt says when.
      [cas.postQuantumShortLived, 'ROOT', 'ACTIVE', '2026-08-01 00:00:00', 77],
      // Its details could not be read: listed, expiry unknown.
      [certs.unknownExpiry, 'IMPORTED', 'ISSUED', null, null],
    ]);
    expect(rows[1]).toEqual({
      account_id: PROD, region: US, resource_arn: certs.api, asset_type: 'certificate', domain_name: 'api.example.com', kind: 'AMAZON_ISSUED', status: 'ISSUED',
      expires_at: '2026-06-29 23:59:59', days_left: 45, in_use: true, renewal_eligibility: 'ELIGIBLE', collected_at: '2026-05-14 15:00:03.25',
    });
  });

  test('beyond 90 days, nothing to expire yet (pending validation, waiting for its CA certificate), or only in an older pass: not listed', async () => {
    const listed = arns(await runInventory(lake, 'inventory/expiring'));
    for (const arn of [certs.far, cas.root, certs.pending, cas.pendingCertificate, certs.inOlderPass]) expect(listed).not.toContain(arn);
  });
});

describe('inventory/keys-by-origin-and-spec', () => {
  test('counts each key once, AWS managed keys apart, a fact that could not be read as its own group', async () => {
    const rows = await runInventory(lake, 'inventory/keys-by-origin-and-spec');
    expect(rows.map((r) => [r.account_id, r.region, r.key_manager, r.origin, r.key_spec, r.key_usage, r.quantum_class, r.keys, r.enabled_keys, r.multi_region_keys, r.monthly_usd])).toEqual([
      [SHARED, EU, 'CUSTOMER', 'AWS_CLOUDHSM', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 1],
      [SHARED, EU, 'CUSTOMER', 'AWS_KMS', 'ECC_SECG_P256K1', 'SIGN_VERIFY', 'quantum-vulnerable', 1, 1, 0, 1],
      [SHARED, EU, 'CUSTOMER', 'AWS_KMS', 'RSA_2048', 'SIGN_VERIFY', 'quantum-vulnerable', 1, 1, 0, 1],
      // Its rotations could not be read: counted, not priced.
      [SHARED, EU, 'CUSTOMER', 'AWS_KMS', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 0],
      [SHARED, EU, 'CUSTOMER', 'EXTERNAL_KEY_STORE', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 1],
      // An older writer wrote no origin.
      [SHARED, EU, 'CUSTOMER', null, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 1],
      [PROD, US, 'AWS', 'AWS_KMS', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 0],
      [PROD, US, 'CUSTOMER', 'AWS_KMS', 'ECC_NIST_P256', 'SIGN_VERIFY', 'quantum-vulnerable', 1, 1, 0, 1],
      [PROD, US, 'CUSTOMER', 'AWS_KMS', 'HMAC_256', 'GENERATE_VERIFY_MAC', 'symmetric', 1, 1, 0, 1],
      [PROD, US, 'CUSTOMER', 'AWS_KMS', 'ML_DSA_65', 'SIGN_VERIFY', 'post-quantum', 1, 1, 0, 1],
      [PROD, US, 'CUSTOMER', 'AWS_KMS', 'RSA_4096', 'ENCRYPT_DECRYPT', 'quantum-vulnerable', 1, 1, 0, 1],
      // The unused key (written twice, counted once, $3) and the multi-Region key ($2).
      [PROD, US, 'CUSTOMER', 'AWS_KMS', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 2, 2, 1, 5],
      [PROD, US, 'CUSTOMER', 'EXTERNAL', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 1],
      [DEV, US, 'AWS', 'AWS_KMS', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 0],
      [DEV, US, 'CUSTOMER', 'AWS_KMS', 'ECC_NIST_P384', 'KEY_AGREEMENT', 'quantum-vulnerable', 1, 1, 0, 1],
      [DEV, US, 'CUSTOMER', 'AWS_KMS', 'SLH_DSA_SHA2_128S', 'SIGN_VERIFY', 'unknown', 1, 1, 0, 1],
      [DEV, US, 'CUSTOMER', 'AWS_KMS', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'symmetric', 1, 1, 0, 1],
    ]);
    // 18 keys: not the key deleted since yesterday, not the stale account's, not the forged one.
    expect(rows.reduce((n, r) => n + (r.keys as number), 0)).toBe(18);
  });
});

describe('inventory/secrets-aws-managed-key', () => {
  test('secrets on aws/secretsmanager, by flag (the RDS secret whose listing names the key by its alias too), or (older writer, no flag) by naming no key', async () => {
    expect(await runInventory(lake, 'inventory/secrets-aws-managed-key')).toEqual([
      {
        account_id: PROD, region: EU, resource_arn: secrets.euLegacy, secret_name: 'eu/legacy-api-key', owning_service: null, rotation_kind: 'none',
        last_accessed: '2026-05-12 00:00:00', last_rotated: null, primary_region: null, collected_at: '2026-05-13 22:00:00.04',
      },
      {
        account_id: PROD, region: US, resource_arn: secrets.prodDb, secret_name: 'prod/db', owning_service: null, rotation_kind: 'lambda',
        last_accessed: '2026-05-15 00:00:00', last_rotated: '2026-04-20 00:00:00', primary_region: null, collected_at: '2026-05-15 05:00:00.301',
      },
      {
        account_id: PROD, region: US, resource_arn: secrets.rdsManaged, secret_name: 'rds!db-4f5e6d7c-0000-4000-8000-000000000001', owning_service: 'rds', rotation_kind: 'managed',
        last_accessed: '2026-05-15 00:00:00', last_rotated: '2026-05-08 03:00:00', primary_region: null, collected_at: '2026-05-15 05:00:00.301',
      },
      {
        account_id: DEV, region: US, resource_arn: secrets.devCi, secret_name: 'dev/ci-token', owning_service: null, rotation_kind: 'none',
        last_accessed: '2025-11-15 00:00:00', last_rotated: null, primary_region: null, collected_at: '2026-05-14 06:30:00',
      },
    ]);
  });
});

describe('inventory/snapshots', () => {
  test('the newest day of each account, Region, rule and asset type, stale ones first, assets counted once', async () => {
    expect(await runInventory(lake, 'inventory/snapshots')).toEqual([
      {
        account_id: STALE, region: US, asset_type: 'kms-key', collected_by: RULES.kms, newest_day: '2026-05-12 00:00:00', last_collected: '2026-05-12 09:00:00',
        assets: 1, assets_with_gaps: 0, freshness: 'stale',
      },
      { account_id: SHARED, region: EU, asset_type: 'kms-key', collected_by: RULES.kms, newest_day: '2026-05-15 00:00:00', last_collected: '2026-05-15 01:30:00', assets: 6, assets_with_gaps: 1, freshness: 'current' },
      // Two secrets: the truncated line is not an asset.
      { account_id: PROD, region: EU, asset_type: 'secret', collected_by: RULES.secrets, newest_day: '2026-05-13 00:00:00', last_collected: '2026-05-13 22:00:00.04', assets: 2, assets_with_gaps: 0, freshness: 'current' },
      { account_id: PROD, region: US, asset_type: 'certificate', collected_by: RULES.acm, newest_day: '2026-05-14 00:00:00', last_collected: '2026-05-14 15:00:03.25', assets: 5, assets_with_gaps: 1, freshness: 'current' },
      // Every CA the current writer wrote has the gap of its unknown last issuance; the older writer's has none.
      { account_id: PROD, region: US, asset_type: 'certificate-authority', collected_by: RULES.pca, newest_day: '2026-05-15 00:00:00', last_collected: '2026-05-15 04:00:00.877', assets: 4, assets_with_gaps: 3, freshness: 'current' },
      // Eight keys, the continued pass's duplicate once, by its later copy (no gap); aws/ebs has the gaps of what is not read for an AWS managed key.
      { account_id: PROD, region: US, asset_type: 'kms-key', collected_by: RULES.kms, newest_day: '2026-05-15 00:00:00', last_collected: '2026-05-15 03:14:58.73', assets: 8, assets_with_gaps: 1, freshness: 'current' },
      { account_id: PROD, region: US, asset_type: 'secret', collected_by: RULES.secrets, newest_day: '2026-05-15 00:00:00', last_collected: '2026-05-15 05:00:00.301', assets: 4, assets_with_gaps: 0, freshness: 'current' },
      // Four keys: the forged fifth record in DEV's object is not DEV's and not read; aws/secretsmanager has gaps.
      { account_id: DEV, region: US, asset_type: 'kms-key', collected_by: RULES.kms, newest_day: '2026-05-14 00:00:00', last_collected: '2026-05-14 06:00:00.999', assets: 4, assets_with_gaps: 1, freshness: 'current' },
      { account_id: DEV, region: US, asset_type: 'secret', collected_by: RULES.secrets, newest_day: '2026-05-14 00:00:00', last_collected: '2026-05-14 06:30:00', assets: 1, assets_with_gaps: 0, freshness: 'current' },
    ]);
  });

  test('a day older than the lookback window is not read at all', async () => {
    const rows = await lake.query(inventoryQuery('inventory/snapshots').sql, { lookbackDays: 2 });
    expect(rows.map((r) => r.account_id)).not.toContain(STALE);
  });
});

describe('the newest-snapshot window', () => {
  test('a day is read while it is within 2 days: PROD\'s eu-west-1 secrets (05-13) until the end of 05-15 UTC, not after', async () => {
    const at = async (now: string) => {
      const moved = await InventoryLake.open({ now: new Date(now) });
      try {
        return arns(await runInventory(moved, 'inventory/secrets-aws-managed-key'));
      } finally {
        moved.close();
      }
    };
    expect(await at('2026-05-15T23:59:00.000Z')).toContain(secrets.euLegacy);
    expect(await at('2026-05-16T00:01:00.000Z')).not.toContain(secrets.euLegacy);
  });

  test('a later pass of the same day replaces an asset\'s facts; a rule\'s older day is not mixed in', async () => {
    const record = (collectedAt: string, status: string) =>
      JSON.stringify({
        schemaVersion: 1, assetType: 'certificate-authority', collectedAt, collectedBy: RULES.pca, accountId: PROD, region: US, arn: cas.root, id: 'x',
        createdAt: null, expiresAt: '2026-06-01T00:00:00.000Z', algorithm: 'RSA_4096', quantum: { class: 'quantum-vulnerable', priority: 2, reason: 'r' },
        cost: { monthlyUsd: 400, basis: 'b', priceDate: '2026-05-01' }, gaps: [], certificateAuthority: { type: 'ROOT', status },
      });
    const twice = await InventoryLake.open({
      fixtures: false,
      extra: {
        [`inventory/dt=2026-05-14/${PROD}-${US}-certificate-authority-aaaa0001-0001.json`]: record('2026-05-14T01:00:00.000Z', 'PENDING_CERTIFICATE'),
        [`inventory/dt=2026-05-15/${PROD}-${US}-certificate-authority-bbbb0001-0001.json`]: record('2026-05-15T01:00:00.000Z', 'ACTIVE'),
        [`inventory/dt=2026-05-15/${PROD}-${US}-certificate-authority-cccc0001-0001.json`]: record('2026-05-15T13:00:00.000Z', 'DISABLED'),
      },
    });
    try {
      expect((await runInventory(twice, 'inventory/expiring')).map((r) => [r.resource_arn, r.status])).toEqual([[cas.root, 'DISABLED']]);
    } finally {
      twice.close();
    }
  });

  test('a record is read only from an object named after its own account (the bucket policy lets each account write only those)', async () => {
    const key = (account: string) => JSON.stringify({
      schemaVersion: 1, assetType: 'kms-key', collectedAt: '2026-05-15T01:00:00.000Z', collectedBy: RULES.kms, accountId: account, region: US, arn: `arn:aws:kms:us-east-1:${account}:key/x`,
      id: 'x', quantum: { class: 'quantum-vulnerable', priority: 1, reason: 'r' }, kms: { keySpec: 'RSA_2048' },
    });
    const mixed = await InventoryLake.open({
      fixtures: false,
      extra: {
        [`inventory/dt=2026-05-15/${DEV}-${US}-kms-key-dddd0001-0001.json`]: [key(DEV), key(PROD)].join('\n'),
        // A name that merely contains the account after another folder.
        [`inventory/dt=2026-05-15/${DEV}-x/${PROD}-${US}-kms-key-eeee0001-0001.json`]: key(PROD),
      },
    });
    try {
      expect((await runInventory(mixed, 'inventory/quantum-vulnerable')).map((r) => r.account_id)).toEqual([DEV]);
    } finally {
      mixed.close();
    }
  });
});

test('the fixture objects are named as the rules name them (inventoryObjectKey), after the account of their records', () => {
  const dir = path.join(FIXTURE_BUCKET, 'inventory');
  const keys = fs.readdirSync(dir).flatMap((day) => fs.readdirSync(path.join(dir, day)).map((name) => `inventory/${day}/${name}.gz`));
  expect(keys.length).toBeGreaterThan(10);
  for (const key of keys) {
    const m = /^inventory\/dt=(\d{4}-\d\d-\d\d)\/(\d{12})-([a-z]+-[a-z]+-\d)-(kms-key|certificate-authority|certificate|secret)-([0-9a-f]{16}-\d{3})-(\d{4})\.json\.gz$/.exec(key);
    expect({ key, named: m !== null }).toEqual({ key, named: true });
    const [, day, accountId, region, assetType, runId, part] = m!;
    expect(inventoryObjectKey({ day, accountId, region, assetType: assetType as AssetType, runId, part: Number(part) })).toBe(key);
  }
});

describe('every inventory query', () => {
  const TABLE_READ = /FROM\s+\{\{inventoryDatabase\}\}\.\{\{inventoryTable\}\}\s+r\s*\n\s*WHERE dt >= CAST\(CAST\(now\(\) - INTERVAL '(2|\{\{lookbackDays\}\})' DAY AS date\) AS varchar\)\s*\n\s*AND accountId IS NOT NULL\s*\n\s*AND arn IS NOT NULL\s*\n\s*AND strpos\("\$path"/g;

  test('the issue\'s questions all have a query, and loadQueries (Security Lake) leaves them out', () => {
    expect(queries.map((q) => q.id)).toEqual([
      'inventory/expiring', 'inventory/keys-by-origin-and-spec', 'inventory/quantum-vulnerable', 'inventory/secrets-aws-managed-key',
      'inventory/snapshots', 'inventory/waste-by-account', 'inventory/waste',
    ]);
    expect(loadQueries().filter((q) => q.id.startsWith('inventory/'))).toEqual([]);
  });

  describe.each(queries.map((q) => [q.id, q] as const))('%s', (_id, q) => {
    test('its header lists exactly the columns it returns, in order', async () => {
      expect((await lake.columnsOf(q.sql)).map((c) => c.name)).toEqual(q.header.columns);
    });

    test('reads the table only through a day window (partition projection lists only those days) and the readable-record conditions', () => {
      const reads = q.sql.match(/FROM\s+\{\{inventoryDatabase\}\}/g) ?? [];
      expect(reads.length).toBeGreaterThan(0);
      expect(q.sql.match(TABLE_READ)?.length).toBe(reads.length);
    });

    test('names rules only through {{rule:…}}, and no database, table or Region of its own', () => {
      for (const name of Object.values(RULE_NAMES)) expect(q.sql).not.toContain(name);
      expect(q.sql).not.toMatch(/crypto_monitoring|amazon_security_lake|\b(us|eu|ap)-[a-z]+-\d\b/);
    });

    test('a per-resource query starts with account_id, region, resource_arn; every one has account_id and region for the dashboards\' filters', () => {
      if (q.header.columns.includes('resource_arn')) expect(q.header.columns.slice(0, 3)).toEqual(['account_id', 'region', 'resource_arn']);
      expect(q.header.columns.slice(0, 2)).toEqual(['account_id', 'region']);
    });
  });

  test('renders only with the inventory\'s names: without them (the inventory off) it throws, naming the setting', () => {
    const values = { ...securityLakeNames('eu-central-1'), lookbackDays: 30 };
    expect(() => renderQuery(queries[0].sql, values)).toThrow(/\{\{inventoryDatabase\}\} has no value: .*inventory\.enabled/);
    expect(() => renderQuery(queries[0].sql, { ...values, inventoryDatabase: 'x; DROP', inventoryTable: 'records' })).toThrow(/inventoryDatabase must be a lower-case Glue identifier/);
    expect(renderQuery(queries[0].sql, { ...values, inventoryDatabase: 'crypto_monitoring_inventory', inventoryTable: 'records' })).toContain('FROM crypto_monitoring_inventory.records r');
  });
});
