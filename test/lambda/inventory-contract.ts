/**
 * The inventory record contract (lambda/inventory/record.ts), checked twice: at the type level,
 * each table below must name every field of its type and nothing else (a field added to or removed
 * from record.ts fails `tsc`), and at run time, `contractProblems` checks a record read back from
 * S3 against the tables: exactly those keys, each of its kind.
 */
import type { CertificateDetails, CostEstimate, InventoryRecord, KmsKeyDetails, QuantumAssessment, SecretDetails } from '../../lambda/inventory/record';

type Kind =
  | 'string'
  | 'string|null'
  | 'date'
  | 'date|null'
  | 'number|null'
  | 'boolean'
  | 'boolean|null'
  | 'strings'
  | 'strings|null'
  | readonly (string | null)[]
  | 'object';

type Kms = Extract<InventoryRecord, { assetType: 'kms-key' }>;
type BaseKey = Exclude<keyof Kms, 'kms'>;

const BASE: Record<BaseKey, Kind> = {
  schemaVersion: [1] as unknown as Kind,
  assetType: ['kms-key', 'certificate', 'certificate-authority', 'secret'],
  collectedAt: 'date',
  collectedBy: 'string',
  accountId: 'string',
  region: 'string',
  arn: 'string',
  id: 'string',
  createdAt: 'date|null',
  expiresAt: 'date|null',
  algorithm: 'string|null',
  quantum: 'object',
  cost: 'object',
  gaps: 'strings',
};

const QUANTUM: Record<keyof QuantumAssessment, Kind> = {
  class: ['quantum-vulnerable', 'post-quantum', 'symmetric', 'not-applicable', 'unknown'],
  priority: 'number|null',
  reason: 'string',
};

const COST: Record<keyof CostEstimate, Kind> = { monthlyUsd: 'number|null', basis: 'string', priceDate: 'string' };

const KMS: Record<keyof KmsKeyDetails, Kind> = {
  keySpec: 'string|null',
  keyUsage: 'string|null',
  origin: 'string|null',
  keyManager: 'string|null',
  keyState: 'string|null',
  multiRegion: 'boolean|null',
  multiRegionKeyType: 'string|null',
  rotationEnabled: 'boolean|null',
  rotationPeriodDays: 'number|null',
  lastRotatedAt: 'date|null',
  nextRotationAt: 'date|null',
  rotationCount: 'number|null',
  lastUsedAt: 'date|null',
  reportedUnused: 'boolean|null',
};

const CERTIFICATE: Record<keyof CertificateDetails, Kind> = {
  type: 'string|null',
  status: 'string|null',
  keyAlgorithm: 'string|null',
  signatureAlgorithm: 'string|null',
  domainName: 'string|null',
  domainCount: 'number|null',
  notBefore: 'date|null',
  notAfter: 'date|null',
  inUse: 'boolean|null',
  inUseBy: 'strings|null',
  renewalEligibility: 'string|null',
  issuingCertificateAuthorityArn: 'string|null',
};

const SECRET: Record<keyof SecretDetails, Kind> = {
  rotationEnabled: 'boolean|null',
  rotationKind: ['managed', 'lambda', 'none', null],
  rotationLambdaArn: 'string|null',
  lastRotatedAt: 'date|null',
  nextRotationAt: 'date|null',
  lastAccessedAt: 'date|null',
  deletedAt: 'date|null',
  kmsKeyId: 'string|null',
  encryptedWithAwsManagedKey: 'boolean',
  owningService: 'string|null',
  primaryRegion: 'string|null',
  reportedUnused: 'boolean|null',
};

/** The details field of each asset type this app's rules write, with its table. */
const DETAILS: Record<string, [string, Record<string, Kind>]> = {
  'kms-key': ['kms', KMS],
  certificate: ['certificate', CERTIFICATE],
  secret: ['secret', SECRET],
};

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function kindProblem(value: unknown, kind: Kind): string | undefined {
  if (Array.isArray(kind)) return kind.includes(value as string) ? undefined : `${JSON.stringify(value)} is not one of ${JSON.stringify(kind)}`;
  const nullable = typeof kind === 'string' && kind.endsWith('|null');
  if (value === null) return nullable ? undefined : 'is null';
  const base = (kind as string).replace('|null', '');
  switch (base) {
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : `${JSON.stringify(value)} is not a non-empty string`;
    case 'date':
      return typeof value === 'string' && ISO_UTC.test(value) && !isNaN(Date.parse(value)) ? undefined : `${JSON.stringify(value)} is not an ISO 8601 time in UTC`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${JSON.stringify(value)} is not a finite number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${JSON.stringify(value)} is not a boolean`;
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : `${JSON.stringify(value)} is not a list of strings`;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : `${JSON.stringify(value)} is not an object`;
  }
  return `unknown kind ${String(kind)}`;
}

function objectProblems(o: unknown, table: Record<string, Kind>, where: string, extra: readonly string[] = []): string[] {
  if (typeof o !== 'object' || o === null) return [`${where} is not an object`];
  const problems: string[] = [];
  const keys = Object.keys(o);
  for (const k of keys) if (!(k in table) && !extra.includes(k)) problems.push(`${where}.${k} is not in the contract`);
  for (const [k, kind] of Object.entries(table)) {
    if (!(k in o)) {
      problems.push(`${where}.${k} is missing`);
      continue;
    }
    const p = kindProblem((o as Record<string, unknown>)[k], kind);
    if (p) problems.push(`${where}.${k} ${p}`);
  }
  return problems;
}

/** What is wrong with a record read back from the inventory; empty when it keeps the contract. */
export function contractProblems(record: unknown): string[] {
  const r = record as Record<string, unknown>;
  const details = DETAILS[String(r?.assetType)];
  if (!details) return [`assetType ${JSON.stringify(r?.assetType)} is not one this app writes`];
  const [field, table] = details;
  return [
    ...objectProblems(r, BASE, 'record', [field]),
    ...objectProblems(r.quantum, QUANTUM, 'quantum'),
    ...objectProblems(r.cost, COST, 'cost'),
    ...objectProblems(r[field], table, field),
  ];
}
