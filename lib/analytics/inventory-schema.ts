/**
 * The inventory table's columns, as data: one field per field of the record contract
 * (lambda/inventory/record.ts), in its order, with the type Athena reads it as. Pure (no
 * constructs), so the Glue table (inventory-table.ts), the tests' DuckDB copy of it and the
 * queries' names all come from this one list. A field added to the record is added here; a test
 * compares the two.
 *
 * Dates stay ISO 8601 text, as the record writes them: the queries turn the ones they show into
 * timestamps (from_iso8601_timestamp), and a date a writer could not read stays NULL.
 */

export type ScalarType = 'string' | 'int' | 'double' | 'boolean';
export type InventoryColumnType = ScalarType | { readonly array: InventoryColumnType } | { readonly struct: Readonly<Record<string, InventoryColumnType>> };

const s = 'string' as const;
const i = 'int' as const;
const d = 'double' as const;
const b = 'boolean' as const;
const array = (of: InventoryColumnType) => ({ array: of });
const struct = (fields: Record<string, InventoryColumnType>) => ({ struct: fields });

/** The record's fields, JSON names as the writers spell them (Athena matches them case-insensitively). */
export const INVENTORY_COLUMNS: Readonly<Record<string, InventoryColumnType>> = {
  schemaVersion: i,
  assetType: s,
  collectedAt: s,
  collectedBy: s,
  accountId: s,
  region: s,
  arn: s,
  id: s,
  createdAt: s,
  expiresAt: s,
  algorithm: s,
  quantum: struct({ class: s, priority: i, reason: s }),
  cost: struct({ monthlyUsd: d, basis: s, priceDate: s }),
  gaps: array(s),
  kms: struct({
    keySpec: s, keyUsage: s, origin: s, keyManager: s, keyState: s, multiRegion: b, multiRegionKeyType: s,
    rotationEnabled: b, rotationPeriodDays: i, lastRotatedAt: s, nextRotationAt: s, rotationCount: i, lastUsedAt: s, reportedUnused: b,
  }),
  certificate: struct({
    type: s, status: s, keyAlgorithm: s, signatureAlgorithm: s, domainName: s, domainCount: i, notBefore: s, notAfter: s,
    inUse: b, inUseBy: array(s), renewalEligibility: s, issuingCertificateAuthorityArn: s,
  }),
  certificateAuthority: struct({
    type: s, status: s, keyAlgorithm: s, signingAlgorithm: s, usageMode: s, notBefore: s, notAfter: s, keyStorageSecurityStandard: s, lastIssuedAt: s,
  }),
  secret: struct({
    rotationEnabled: b, rotationKind: s, rotationLambdaArn: s, lastRotatedAt: s, nextRotationAt: s, lastAccessedAt: s, deletedAt: s, kmsKeyId: s,
    encryptedWithAwsManagedKey: b, owningService: s, primaryRegion: s, reportedUnused: b,
  }),
};

/** The partition column: the day folder of the object key (`inventory/dt=<YYYY-MM-DD>/…`). */
export const INVENTORY_PARTITION_COLUMN = 'dt';

/** The prefix every object of the inventory is written under (lambda/inventory/record.ts, inventoryObjectKey). */
export const INVENTORY_PREFIX = 'inventory/';

/**
 * A type as Hive DDL writes it for the Glue table: names in lower case, because the JSON SerDe
 * lower-cases the record's keys before matching them (`case.insensitive`, its default).
 */
export function hiveType(t: InventoryColumnType): string {
  if (typeof t === 'string') return t;
  if ('array' in t) return `array<${hiveType(t.array)}>`;
  return `struct<${Object.entries(t.struct).map(([name, f]) => `${name.toLowerCase()}:${hiveType(f)}`).join(',')}>`;
}

const DUCKDB_SCALARS: Record<ScalarType, string> = { string: 'VARCHAR', int: 'INTEGER', double: 'DOUBLE', boolean: 'BOOLEAN' };

/** The same type for DuckDB's JSON reader, which matches keys as written (the tests' copy of the table). */
export function duckDbType(t: InventoryColumnType): string {
  if (typeof t === 'string') return DUCKDB_SCALARS[t];
  if ('array' in t) return `${duckDbType(t.array)}[]`;
  return `STRUCT(${Object.entries(t.struct).map(([name, f]) => `"${name}" ${duckDbType(f)}`).join(', ')})`;
}

/** The Glue names of the inventory for a deployment's name prefix: its own database (not Security Lake's) and one table. */
export function inventoryNames(namePrefix: string): { inventoryDatabase: string; inventoryTable: string } {
  if (!/^[a-z][a-z0-9-]*$/.test(namePrefix)) throw new Error(`Not a name prefix: ${JSON.stringify(namePrefix)}`);
  // Glue names take lower-case letters, digits and underscores.
  return { inventoryDatabase: `${namePrefix.replace(/-/g, '_')}_inventory`, inventoryTable: 'records' };
}
