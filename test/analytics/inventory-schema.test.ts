/** The inventory table's columns follow the record contract field for field. */
import { INVENTORY_COLUMNS, duckDbType, hiveType, inventoryNames, type InventoryColumnType } from '../../lib/analytics/inventory-schema';
import type { InventoryRecord } from '../../lambda/inventory/record';

const base = {
  schemaVersion: 1, collectedAt: '2026-05-15T03:00:00.000Z', collectedBy: 'r', accountId: '111111111111', region: 'us-east-1', arn: 'a', id: 'i',
  createdAt: null, expiresAt: null, algorithm: null, quantum: { class: 'symmetric', priority: null, reason: 'r' },
  cost: { monthlyUsd: 1, basis: 'b', priceDate: '2026-05-01' }, gaps: [],
} as const;

// One record of each type with every field: the compiler refuses one that lacks a field of the contract.
const records: InventoryRecord[] = [
  {
    ...base, assetType: 'kms-key',
    kms: {
      keySpec: null, keyUsage: null, origin: null, keyManager: null, keyState: null, multiRegion: null, multiRegionKeyType: null, rotationEnabled: null,
      rotationPeriodDays: null, lastRotatedAt: null, nextRotationAt: null, rotationCount: null, lastUsedAt: null, reportedUnused: null,
    },
  },
  {
    ...base, assetType: 'certificate',
    certificate: {
      type: null, status: null, keyAlgorithm: null, signatureAlgorithm: null, domainName: null, domainCount: null, notBefore: null, notAfter: null,
      inUse: null, inUseBy: null, renewalEligibility: null, issuingCertificateAuthorityArn: null,
    },
  },
  {
    ...base, assetType: 'certificate-authority',
    certificateAuthority: {
      type: null, status: null, keyAlgorithm: null, signingAlgorithm: null, usageMode: null, notBefore: null, notAfter: null, keyStorageSecurityStandard: null, lastIssuedAt: null,
    },
  },
  {
    ...base, assetType: 'secret',
    secret: {
      rotationEnabled: null, rotationKind: null, rotationLambdaArn: null, lastRotatedAt: null, nextRotationAt: null, lastAccessedAt: null, deletedAt: null, kmsKeyId: null,
      encryptedWithAwsManagedKey: false, owningService: null, primaryRegion: null, reportedUnused: null,
    },
  },
];

/** Dotted paths of an object's fields, nested objects (not arrays) opened. */
function fieldPaths(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? fieldPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function columnPaths(columns: Readonly<Record<string, InventoryColumnType>>, prefix = ''): string[] {
  return Object.entries(columns).flatMap(([k, t]) => (typeof t === 'object' && 'struct' in t ? columnPaths(t.struct, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

test('one column per field of the record contract, nested as the record nests them, none extra', () => {
  const recordFields = new Set(records.flatMap((r) => fieldPaths(r)));
  expect(columnPaths(INVENTORY_COLUMNS).sort()).toEqual([...recordFields].sort());
});

test('types as Hive DDL writes them (names lower-cased for the JSON SerDe) and as DuckDB reads them (names as written)', () => {
  expect(hiveType(INVENTORY_COLUMNS.cost)).toBe('struct<monthlyusd:double,basis:string,pricedate:string>');
  expect(hiveType(INVENTORY_COLUMNS.gaps)).toBe('array<string>');
  expect(hiveType(INVENTORY_COLUMNS.quantum)).toBe('struct<class:string,priority:int,reason:string>');
  expect(duckDbType(INVENTORY_COLUMNS.cost)).toBe('STRUCT("monthlyUsd" DOUBLE, "basis" VARCHAR, "priceDate" VARCHAR)');
  expect(duckDbType({ array: { struct: { inUse: 'boolean' } } })).toBe('STRUCT("inUse" BOOLEAN)[]');
  expect(hiveType(INVENTORY_COLUMNS.certificate)).toContain('inuseby:array<string>');
});

test('Glue names of our own, from the name prefix', () => {
  expect(inventoryNames('crypto-monitoring')).toEqual({ inventoryDatabase: 'crypto_monitoring_inventory', inventoryTable: 'records' });
  expect(() => inventoryNames('Bad Prefix')).toThrow(/Not a name prefix/);
});
