import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { gzipSync } from 'zlib';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { KeyAlgorithm as AcmKeyAlgorithm } from '@aws-sdk/client-acm';
import { KeyAlgorithm as PcaKeyAlgorithm, SigningAlgorithm as PcaSigningAlgorithm } from '@aws-sdk/client-acm-pca';
import { KeySpec, KeyUsageType } from '@aws-sdk/client-kms';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import {
  ALGORITHM_REF_PREFIX,
  buildCbom,
  buildCbomWithStats,
  certificateKeyAlgorithm,
  kmsKeyAlgorithm,
  PROPERTY_NAMESPACE,
  signatureAlgorithm,
  type CbomMeta,
} from '../../../lambda/inventory/cbom';
import { CBOM_LATEST_KEY, cbomDayKey, defaultDay, groupOfName, handler, S3CbomOutput, writeDayCbom, type InventorySource, type S3Sends } from '../../../lambda/inventory-cbom';
import { inventoryObjectKey, type InventoryRecord } from '../../../lambda/inventory/record';

// ---------------------------------------------------------------------------------------------
// A realistic day: every asset type, missing fields, an unknown algorithm, ML-DSA, a duplicate.

const DAY = '2026-11-01';
const META: CbomMeta = { generatedAt: '2026-11-02T06:00:00.000Z', organizationId: 'o-a1b2c3d4e5', day: DAY };
const PROD = '111111111111';
const SHARED = '222222222222';
const PRICE_DATE = '2026-11-01';

const base = (assetType: InventoryRecord['assetType'], accountId: string, region: string, arn: string, id: string) => ({
  schemaVersion: 1 as const,
  assetType,
  collectedAt: `${DAY}T04:00:00.000Z`,
  collectedBy: assetType === 'secret' ? 'secretsmanager-unused-secret-check' : assetType === 'kms-key' ? 'kms-unused-key-check' : 'acm-pending-dns-validation-check',
  accountId,
  region,
  arn,
  id,
  createdAt: '2025-03-01T10:00:00.000Z',
  expiresAt: null,
  gaps: [] as string[],
});

const kmsDetails = (o: Partial<Extract<InventoryRecord, { assetType: 'kms-key' }>['kms']> = {}) => ({
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  keyManager: 'CUSTOMER',
  keyState: 'Enabled',
  multiRegion: false,
  multiRegionKeyType: null,
  rotationEnabled: false,
  rotationPeriodDays: null,
  lastRotatedAt: null,
  nextRotationAt: null,
  rotationCount: 0,
  lastUsedAt: '2026-10-31T22:10:00.000Z',
  reportedUnused: false,
  ...o,
});

function key(id: string, o: Partial<ReturnType<typeof kmsDetails>> & { account?: string; region?: string; collectedAt?: string; quantum?: InventoryRecord['quantum']; cost?: number | null; gaps?: string[] } = {}): InventoryRecord {
  const account = o.account ?? PROD;
  const region = o.region ?? 'eu-central-1';
  const partition = region.startsWith('cn-') ? 'aws-cn' : 'aws';
  const { account: _a, region: _r, collectedAt, quantum, cost, gaps, ...details } = o;
  const kms = kmsDetails(details);
  return {
    ...base('kms-key', account, region, `arn:${partition}:kms:${region}:${account}:key/${id}`, id),
    ...(collectedAt ? { collectedAt } : {}),
    gaps: gaps ?? [],
    algorithm: kms.keySpec,
    quantum: quantum ?? { class: 'symmetric', priority: null, reason: 'AES-256 is not broken by a quantum computer at this size.' },
    cost: { monthlyUsd: cost === undefined ? 1 : cost, basis: 'customer managed key: $1', priceDate: PRICE_DATE },
    assetType: 'kms-key',
    kms,
  };
}

const SYMMETRIC = key('1234abcd-12ab-34cd-56ef-1234567890ab', {
  rotationEnabled: true,
  rotationPeriodDays: 365,
  lastRotatedAt: '2026-03-01T10:00:00.000Z',
  nextRotationAt: '2027-03-01T10:00:00.000Z',
  rotationCount: 1,
  cost: 2,
});
/** The same key seen earlier the same day, disabled then: the later record wins. */
const SYMMETRIC_EARLIER = key('1234abcd-12ab-34cd-56ef-1234567890ab', { keyState: 'Disabled', collectedAt: `${DAY}T01:00:00.000Z` });
const RSA_ENCRYPT = key('rsa-enc-0001', {
  keySpec: 'RSA_2048',
  keyUsage: 'ENCRYPT_DECRYPT',
  quantum: { class: 'quantum-vulnerable', priority: 1, reason: 'RSA encryption: harvest now, decrypt later.' },
});
const EC_SIGN = key('ec-sign-0001', { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', quantum: { class: 'quantum-vulnerable', priority: 2, reason: 'ECDSA signing key.' } });
const ECDH = key('ecdh-0001', { keySpec: 'ECC_NIST_P384', keyUsage: 'KEY_AGREEMENT', quantum: { class: 'quantum-vulnerable', priority: 1, reason: 'ECDH key agreement.' } });
const ML_DSA = key('mldsa-0001', { keySpec: 'ML_DSA_65', keyUsage: 'SIGN_VERIFY', quantum: { class: 'post-quantum', priority: null, reason: 'ML-DSA (FIPS 204).' } });
const HMAC = key('hmac-0001', { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
const XKS = key('xks-0001', { origin: 'EXTERNAL_KEY_STORE' });
/** A key spec no table knows yet: the CBOM must say so, not guess. */
const UNKNOWN_SPEC = key('future-0001', {
  keySpec: 'FALCON_512',
  keyUsage: 'SIGN_VERIFY',
  quantum: { class: 'unknown', priority: 1, reason: 'Unknown key spec FALCON_512: fails closed.' },
});
/** An AWS managed key pending deletion whose DescribeKey could not be read: nearly every field null. */
const SPARSE_KEY: InventoryRecord = {
  ...key('sparse-0001', { account: SHARED, region: 'us-east-1' }),
  createdAt: null,
  algorithm: null,
  quantum: { class: 'unknown', priority: 1, reason: 'No key spec.' },
  cost: { monthlyUsd: null, basis: 'cannot be priced without the key manager', priceDate: PRICE_DATE },
  gaps: ['DescribeKey: AccessDeniedException', 'ListKeyRotations: AccessDeniedException'],
  kms: {
    keySpec: null,
    keyUsage: null,
    origin: null,
    keyManager: null,
    keyState: 'PendingDeletion',
    multiRegion: null,
    multiRegionKeyType: null,
    rotationEnabled: null,
    rotationPeriodDays: null,
    lastRotatedAt: null,
    nextRotationAt: null,
    rotationCount: null,
    lastUsedAt: null,
    reportedUnused: null,
  },
} as InventoryRecord;
const CHINA = key('cn-0001', { region: 'cn-north-1' });

const ROOT_CA_ARN = `arn:aws:acm-pca:eu-central-1:${SHARED}:certificate-authority/11111111-2222-3333-4444-555555555555`;
const SUB_CA_ARN = `arn:aws:acm-pca:eu-central-1:${SHARED}:certificate-authority/66666666-7777-8888-9999-000000000000`;

function ca(arn: string, d: Partial<Extract<InventoryRecord, { assetType: 'certificate-authority' }>['certificateAuthority']>, quantum: InventoryRecord['quantum']): InventoryRecord {
  const id = arn.split('/')[1];
  return {
    ...base('certificate-authority', SHARED, 'eu-central-1', arn, id),
    expiresAt: d.notAfter ?? null,
    algorithm: d.keyAlgorithm ?? null,
    quantum,
    cost: { monthlyUsd: d.usageMode === 'SHORT_LIVED_CERTIFICATE' ? 50 : 400, basis: 'Private CA', priceDate: PRICE_DATE },
    assetType: 'certificate-authority',
    certificateAuthority: {
      type: 'ROOT',
      status: 'ACTIVE',
      keyAlgorithm: null,
      signingAlgorithm: null,
      usageMode: 'GENERAL_PURPOSE',
      notBefore: null,
      notAfter: null,
      keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
      lastIssuedAt: null,
      ...d,
    },
  };
}

const ROOT_CA = ca(
  ROOT_CA_ARN,
  { type: 'ROOT', keyAlgorithm: 'RSA_4096', signingAlgorithm: 'SHA512WITHRSA', notBefore: '2024-01-01T00:00:00.000Z', notAfter: '2034-01-01T00:00:00.000Z' },
  { class: 'quantum-vulnerable', priority: 2, reason: 'RSA root CA.' },
);
const ML_DSA_CA = ca(
  SUB_CA_ARN,
  {
    type: 'SUBORDINATE',
    keyAlgorithm: 'ML_DSA_65',
    signingAlgorithm: 'ML_DSA_65',
    usageMode: 'SHORT_LIVED_CERTIFICATE',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2028-01-01T00:00:00.000Z',
    lastIssuedAt: '2026-10-31T23:59:00.000Z',
  },
  { class: 'post-quantum', priority: null, reason: 'ML-DSA CA.' },
);
/** A CA whose DescribeCertificateAuthority was denied: no algorithms, no dates. */
const SPARSE_CA = { ...ca(`arn:aws:acm-pca:us-east-1:${PROD}:certificate-authority/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`, { type: null, status: null, usageMode: null, keyStorageSecurityStandard: null }, { class: 'unknown', priority: 1, reason: 'No key algorithm.' }), gaps: ['DescribeCertificateAuthority: AccessDeniedException'] } as InventoryRecord;

function cert(id: string, d: Partial<Extract<InventoryRecord, { assetType: 'certificate' }>['certificate']>, quantum: InventoryRecord['quantum'] = { class: 'quantum-vulnerable', priority: 3, reason: 'Short-lived certificate.' }): InventoryRecord {
  const arn = `arn:aws:acm:eu-central-1:${PROD}:certificate/${id}`;
  return {
    ...base('certificate', PROD, 'eu-central-1', arn, id),
    expiresAt: d.notAfter ?? null,
    algorithm: d.keyAlgorithm ?? null,
    quantum,
    cost: { monthlyUsd: 0, basis: 'ACM public certificates are free', priceDate: PRICE_DATE },
    assetType: 'certificate',
    certificate: {
      type: 'AMAZON_ISSUED',
      status: 'ISSUED',
      keyAlgorithm: 'RSA_2048',
      signatureAlgorithm: 'SHA256WITHRSA',
      domainName: null,
      domainCount: 1,
      notBefore: '2026-09-01T00:00:00.000Z',
      notAfter: '2027-09-30T23:59:59.000Z',
      inUse: false,
      inUseBy: [],
      renewalEligibility: 'ELIGIBLE',
      issuingCertificateAuthorityArn: null,
      ...d,
    },
  };
}

const PUBLIC_CERT = cert('aaaa0001-0000-0000-0000-000000000001', {
  domainName: 'www.example.com',
  domainCount: 2,
  inUse: true,
  inUseBy: [`arn:aws:elasticloadbalancing:eu-central-1:${PROD}:loadbalancer/app/web/1`, `arn:aws:cloudfront::${PROD}:distribution/E1`],
});
const IMPORTED_CERT = cert('aaaa0002-0000-0000-0000-000000000002', { type: 'IMPORTED', domainName: 'legacy.example.com', keyAlgorithm: 'EC_prime256v1', signatureAlgorithm: 'SHA256WITHECDSA', renewalEligibility: 'INELIGIBLE' });
const PRIVATE_CERT = cert('aaaa0003-0000-0000-0000-000000000003', {
  type: 'PRIVATE',
  domainName: 'api.internal.example',
  keyAlgorithm: 'EC_secp384r1',
  signatureAlgorithm: 'SHA384WITHECDSA',
  issuingCertificateAuthorityArn: ROOT_CA_ARN,
});
/** A signature algorithm no table knows, and a certificate not yet issued (no dates). */
const ODD_CERT = cert('aaaa0004-0000-0000-0000-000000000004', { status: 'PENDING_VALIDATION', signatureAlgorithm: 'SHA256WITHFOO', notBefore: null, notAfter: null, domainName: 'new.example.com' });

function secret(name: string, d: Partial<Extract<InventoryRecord, { assetType: 'secret' }>['secret']>): InventoryRecord {
  const arn = `arn:aws:secretsmanager:eu-central-1:${PROD}:secret:${name}-AbCdEf`;
  return {
    ...base('secret', PROD, 'eu-central-1', arn, name),
    algorithm: null,
    quantum: { class: 'not-applicable', priority: null, reason: "A secret's value has no algorithm of its own." },
    cost: { monthlyUsd: 0.4, basis: 'secret: $0.40', priceDate: PRICE_DATE },
    assetType: 'secret',
    secret: {
      rotationEnabled: false,
      rotationKind: 'none',
      rotationLambdaArn: null,
      lastRotatedAt: null,
      nextRotationAt: null,
      lastAccessedAt: null,
      deletedAt: null,
      kmsKeyId: null,
      encryptedWithAwsManagedKey: true,
      owningService: null,
      primaryRegion: null,
      reportedUnused: false,
      ...d,
    },
  };
}

const SECRET_CMK = secret('prod/db', {
  kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  encryptedWithAwsManagedKey: false,
  rotationEnabled: true,
  rotationKind: 'managed',
  owningService: 'rds',
  lastRotatedAt: '2026-10-01T00:00:00.000Z',
  lastAccessedAt: '2026-10-31',
});
const SECRET_AWS_KEY = secret('prod/api-token', { lastAccessedAt: '2026-10-30', reportedUnused: false });
const SECRET_ALIAS = secret('prod/alias-encrypted', { kmsKeyId: 'alias/app-secrets', encryptedWithAwsManagedKey: false, deletedAt: '2026-10-25T08:00:00.000Z' });

const RECORDS: InventoryRecord[] = [
  SECRET_CMK,
  PUBLIC_CERT,
  SYMMETRIC_EARLIER,
  SYMMETRIC,
  RSA_ENCRYPT,
  EC_SIGN,
  ECDH,
  ML_DSA,
  HMAC,
  XKS,
  UNKNOWN_SPEC,
  SPARSE_KEY,
  CHINA,
  ROOT_CA,
  ML_DSA_CA,
  SPARSE_CA,
  IMPORTED_CERT,
  PRIVATE_CERT,
  ODD_CERT,
  SECRET_AWS_KEY,
  SECRET_ALIAS,
];
const ASSETS = new Set(RECORDS.map((r) => r.arn)).size;

// ---------------------------------------------------------------------------------------------

type Json = any;
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const validate = (json: string) => validator.validate(json);

function componentsOf(doc: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  const walk = (cs: Json[] | undefined) => {
    for (const c of cs ?? []) {
      out.set(c['bom-ref'], c);
      walk(c.components);
    }
  };
  walk(doc.components);
  return out;
}

const propsOf = (c: Json): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const p of c.properties ?? []) (out[p.name] ??= []).push(p.value);
  return out;
};
const one = (c: Json, name: string) => propsOf(c)[`${PROPERTY_NAMESPACE}:${name}`]?.[0];

describe('buildCbom', () => {
  const { json, stats, skipped } = buildCbomWithStats([...RECORDS, { arn: '', assetType: 'kms-key' } as unknown as InventoryRecord], META);
  const doc: Json = JSON.parse(json);
  const byRef = componentsOf(doc);
  const rmp = (r: InventoryRecord) => byRef.get(r.arn).cryptoProperties.relatedCryptoMaterialProperties;
  const algorithm = (ref: string) => byRef.get(ref);

  test('is valid CycloneDX 1.6 (the official JSON schema, strict) with no error', async () => {
    expect(await validate(json)).toBeNull();
  });

  test('a broken document fails the same validation, so the check can fail', async () => {
    const broken: Json = JSON.parse(json);
    // 1.6 has no `secret` type of related crypto material; and assetType is required.
    broken.components.find((c: Json) => c['bom-ref'] === SECRET_CMK.arn).cryptoProperties.relatedCryptoMaterialProperties.type = 'secret';
    expect(await validate(JSON.stringify(broken))).not.toBeNull();
    const noAssetType: Json = JSON.parse(json);
    delete noAssetType.components[0].cryptoProperties.assetType;
    expect(await validate(JSON.stringify(noAssetType))).not.toBeNull();
    const badDate: Json = JSON.parse(json);
    badDate.components.find((c: Json) => c['bom-ref'] === PUBLIC_CERT.arn).cryptoProperties.certificateProperties.notValidAfter = '2027-09-30';
    expect(await validate(JSON.stringify(badDate))).not.toBeNull();
  });

  test('one cryptographic-asset component per asset, its bom-ref the ARN, the newest record of each ARN; lines that are not assets are left out', () => {
    expect(skipped).toBe(1);
    expect(doc.bomFormat).toBe('CycloneDX');
    expect(doc.specVersion).toBe('1.6');
    const assets = doc.components.filter((c: Json) => !c['bom-ref'].startsWith(ALGORITHM_REF_PREFIX));
    expect(assets).toHaveLength(ASSETS);
    expect(new Set(assets.map((c: Json) => c['bom-ref']))).toEqual(new Set(RECORDS.map((r) => r.arn)));
    for (const c of doc.components) expect(c.type).toBe('cryptographic-asset');
    expect(stats.assets).toEqual({ 'kms-key': 10, certificate: 4, 'certificate-authority': 3, secret: 3 });
    // SYMMETRIC_EARLIER (Disabled, 01:00) lost to SYMMETRIC (Enabled, 04:00).
    expect(rmp(SYMMETRIC).state).toBe('active');
    expect(one(byRef.get(SYMMETRIC.arn), 'keyState')).toBe('Enabled');
    const refs = [...byRef.keys()];
    expect(new Set(refs).size).toBe(refs.length);
  });

  test('metadata: time, serial number, the organization and the day', () => {
    expect(doc.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(doc.metadata.timestamp).toBe('2026-11-02T06:00:00.000Z');
    expect(doc.metadata.lifecycles).toEqual([{ phase: 'operations' }]);
    expect(doc.metadata.component).toMatchObject({ type: 'platform', name: 'AWS organization o-a1b2c3d4e5' });
    expect(doc.metadata.properties).toEqual(
      expect.arrayContaining([
        { name: 'crypto-asset-monitoring:day', value: DAY },
        { name: 'crypto-asset-monitoring:organizationId', value: 'o-a1b2c3d4e5' },
      ]),
    );
  });

  test('the same records in any order give the same bytes; another time another serial number', () => {
    const shuffled = [...RECORDS].reverse();
    expect(buildCbom(shuffled, META)).toBe(buildCbom(RECORDS, META));
    expect(JSON.parse(buildCbom(RECORDS, { ...META, generatedAt: '2026-11-03T06:00:00.000Z' })).serialNumber).not.toBe(doc.serialNumber);
  });

  test('a symmetric KMS key: secret-key, active, 256 bits, dates, HSM, AES-256-GCM', () => {
    expect(rmp(SYMMETRIC)).toEqual({
      type: 'secret-key',
      id: '1234abcd-12ab-34cd-56ef-1234567890ab',
      state: 'active',
      algorithmRef: `${ALGORITHM_REF_PREFIX}AES-256-GCM`,
      creationDate: '2025-03-01T10:00:00.000Z',
      updateDate: '2026-03-01T10:00:00.000Z',
      size: 256,
      securedBy: { mechanism: 'HSM' },
    });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}AES-256-GCM`).cryptoProperties).toEqual({
      assetType: 'algorithm',
      algorithmProperties: { primitive: 'ae', parameterSetIdentifier: '256', mode: 'gcm', cryptoFunctions: ['encrypt', 'decrypt'], classicalSecurityLevel: 256, nistQuantumSecurityLevel: 5 },
      oid: '2.16.840.1.101.3.4.1.46',
    });
  });

  test('namespaced properties carry what the schema has no field for', () => {
    const c = byRef.get(SYMMETRIC.arn);
    expect(c.name).toBe('1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(one(c, 'accountId')).toBe(PROD);
    expect(one(c, 'region')).toBe('eu-central-1');
    expect(one(c, 'quantumClass')).toBe('symmetric');
    expect(one(c, 'monthlyCostUsd')).toBe('2');
    expect(one(c, 'priceDate')).toBe(PRICE_DATE);
    expect(one(c, 'rotationEnabled')).toBe('true');
    expect(one(c, 'rotationCount')).toBe('1');
    expect(one(c, 'lastUsedAt')).toBe('2026-10-31T22:10:00.000Z');
    expect(one(c, 'migrationPriority')).toBeUndefined();
    expect(one(byRef.get(RSA_ENCRYPT.arn), 'migrationPriority')).toBe('1');
    expect(one(byRef.get(RSA_ENCRYPT.arn), 'quantumClass')).toBe('quantum-vulnerable');
    for (const comp of byRef.values()) for (const p of comp.properties ?? []) expect(p.name.startsWith(`${PROPERTY_NAMESPACE}:`)).toBe(true);
  });

  test('asymmetric KMS keys: private-key with the algorithm of their spec and usage', () => {
    expect(rmp(RSA_ENCRYPT)).toMatchObject({ type: 'private-key', size: 2048, algorithmRef: `${ALGORITHM_REF_PREFIX}RSA-OAEP-2048` });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}RSA-OAEP-2048`).cryptoProperties.algorithmProperties).toEqual({
      primitive: 'pke',
      parameterSetIdentifier: '2048',
      padding: 'oaep',
      cryptoFunctions: ['encrypt', 'decrypt'],
      classicalSecurityLevel: 112,
      nistQuantumSecurityLevel: 0,
    });
    expect(rmp(EC_SIGN)).toMatchObject({ type: 'private-key', size: 256, algorithmRef: `${ALGORITHM_REF_PREFIX}ECDSA-P-256` });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}ECDSA-P-256`).cryptoProperties.algorithmProperties).toMatchObject({ primitive: 'signature', curve: 'P-256', nistQuantumSecurityLevel: 0 });
    expect(rmp(ECDH)).toMatchObject({ type: 'private-key', size: 384, algorithmRef: `${ALGORITHM_REF_PREFIX}ECDH-P-384` });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}ECDH-P-384`).cryptoProperties.algorithmProperties).toMatchObject({ primitive: 'key-agree', cryptoFunctions: ['keyderive'] });
    expect(rmp(HMAC)).toMatchObject({ type: 'secret-key', size: 256, algorithmRef: `${ALGORITHM_REF_PREFIX}HMAC-SHA-256` });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}HMAC-SHA-256`).cryptoProperties.algorithmProperties).toEqual({ primitive: 'mac', parameterSetIdentifier: '256', cryptoFunctions: ['tag', 'verify'] });
  });

  test('an ML-DSA key: private-key, ML-DSA-65, NIST category 3, no bit size', () => {
    expect(rmp(ML_DSA)).toEqual(expect.objectContaining({ type: 'private-key', algorithmRef: `${ALGORITHM_REF_PREFIX}ML-DSA-65`, state: 'active' }));
    expect(rmp(ML_DSA).size).toBeUndefined();
    expect(algorithm(`${ALGORITHM_REF_PREFIX}ML-DSA-65`).cryptoProperties).toEqual({
      assetType: 'algorithm',
      algorithmProperties: { primitive: 'signature', parameterSetIdentifier: '65', cryptoFunctions: ['sign', 'verify'], nistQuantumSecurityLevel: 3 },
      oid: '2.16.840.1.101.3.4.3.18',
    });
    expect(one(byRef.get(ML_DSA.arn), 'quantumClass')).toBe('post-quantum');
  });

  test('an unknown key spec: type key, an algorithm of primitive unknown under AWS’s name, listed in the stats', () => {
    const ref = `${ALGORITHM_REF_PREFIX}unknown:FALCON_512/SIGN_VERIFY`;
    expect(rmp(UNKNOWN_SPEC)).toMatchObject({ type: 'key', algorithmRef: ref });
    expect(rmp(UNKNOWN_SPEC).size).toBeUndefined();
    expect(algorithm(ref)).toMatchObject({ name: 'FALCON_512/SIGN_VERIFY', cryptoProperties: { assetType: 'algorithm', algorithmProperties: { primitive: 'unknown' } } });
    expect(one(algorithm(ref), 'awsAlgorithm')).toBe('FALCON_512/SIGN_VERIFY');
    expect(stats.unknownAlgorithms).toEqual(['FALCON_512/SIGN_VERIFY', 'SHA256WITHFOO']);
  });

  test('missing fields are left out, never guessed; gaps are properties', () => {
    expect(rmp(SPARSE_KEY)).toEqual({ type: 'key', id: 'sparse-0001', state: 'deactivated' });
    const c = byRef.get(SPARSE_KEY.arn);
    expect(propsOf(c)['crypto-asset-monitoring:gap']).toEqual(['DescribeKey: AccessDeniedException', 'ListKeyRotations: AccessDeniedException']);
    expect(one(c, 'monthlyCostUsd')).toBeUndefined();
    expect(one(c, 'costBasis')).toBe('cannot be priced without the key manager');
    expect(one(c, 'keySpec')).toBeUndefined();
    const sparseCa = byRef.get(SPARSE_CA.arn);
    expect(sparseCa.cryptoProperties).toEqual({
      assetType: 'certificate',
      certificateProperties: { subjectPublicKeyRef: `${SPARSE_CA.arn}#subject-public-key`, certificateFormat: 'X.509' },
    });
    expect(byRef.get(`${SPARSE_CA.arn}#subject-public-key`).cryptoProperties).toEqual({ assetType: 'related-crypto-material', relatedCryptoMaterialProperties: { type: 'public-key' } });
  });

  test('external key store and China: their own protection and algorithm', () => {
    expect(rmp(XKS).securedBy).toEqual({ mechanism: 'External key manager' });
    expect(rmp(CHINA)).toMatchObject({ type: 'secret-key', size: 128, algorithmRef: `${ALGORITHM_REF_PREFIX}SM4` });
    expect(CHINA.arn.startsWith('arn:aws-cn:')).toBe(true);
  });

  test('an ACM certificate: certificate properties, its public key nested, its signature algorithm', () => {
    const c = byRef.get(PUBLIC_CERT.arn);
    expect(c.name).toBe('www.example.com');
    expect(c.cryptoProperties).toEqual({
      assetType: 'certificate',
      certificateProperties: {
        subjectName: 'CN=www.example.com',
        notValidBefore: '2026-09-01T00:00:00.000Z',
        notValidAfter: '2027-09-30T23:59:59.000Z',
        signatureAlgorithmRef: `${ALGORITHM_REF_PREFIX}RSA-PKCS1-1.5-SHA-256`,
        subjectPublicKeyRef: `${PUBLIC_CERT.arn}#subject-public-key`,
        certificateFormat: 'X.509',
      },
    });
    expect(c.components).toHaveLength(1);
    expect(c.components[0].cryptoProperties).toEqual({
      assetType: 'related-crypto-material',
      relatedCryptoMaterialProperties: { type: 'public-key', algorithmRef: `${ALGORITHM_REF_PREFIX}RSA-2048`, size: 2048 },
    });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}RSA-PKCS1-1.5-SHA-256`).cryptoProperties).toMatchObject({
      algorithmProperties: { primitive: 'signature', padding: 'pkcs1v15' },
      oid: '1.2.840.113549.1.1.11',
    });
    expect(propsOf(c)['crypto-asset-monitoring:inUseBy']).toEqual(PUBLIC_CERT.assetType === 'certificate' ? PUBLIC_CERT.certificate.inUseBy : []);
    // An imported certificate's subject is whatever it was issued with: not in the record, so not given.
    expect(byRef.get(IMPORTED_CERT.arn).cryptoProperties.certificateProperties.subjectName).toBeUndefined();
    expect(byRef.get(`${IMPORTED_CERT.arn}#subject-public-key`).cryptoProperties.relatedCryptoMaterialProperties).toEqual({
      type: 'public-key',
      algorithmRef: `${ALGORITHM_REF_PREFIX}ECDSA-P-256`,
      size: 256,
    });
  });

  test('a certificate with an unknown signature algorithm and no dates', () => {
    expect(byRef.get(ODD_CERT.arn).cryptoProperties.certificateProperties).toEqual({
      subjectName: 'CN=new.example.com',
      signatureAlgorithmRef: `${ALGORITHM_REF_PREFIX}unknown:SHA256WITHFOO`,
      subjectPublicKeyRef: `${ODD_CERT.arn}#subject-public-key`,
      certificateFormat: 'X.509',
    });
  });

  test('Private CAs: certificates with CA properties; a root names its signature algorithm, every CA provides its signing algorithm', () => {
    const root = byRef.get(ROOT_CA_ARN);
    expect(root.cryptoProperties.certificateProperties).toEqual({
      notValidBefore: '2024-01-01T00:00:00.000Z',
      notValidAfter: '2034-01-01T00:00:00.000Z',
      signatureAlgorithmRef: `${ALGORITHM_REF_PREFIX}RSA-PKCS1-1.5-SHA-512`,
      subjectPublicKeyRef: `${ROOT_CA_ARN}#subject-public-key`,
      certificateFormat: 'X.509',
    });
    expect(one(root, 'certificateAuthorityType')).toBe('ROOT');
    expect(one(root, 'usageMode')).toBe('GENERAL_PURPOSE');
    expect(one(root, 'keyStorageSecurityStandard')).toBe('FIPS_140_2_LEVEL_3_OR_HIGHER');
    expect(one(root, 'monthlyCostUsd')).toBe('400');
    expect(byRef.get(`${ROOT_CA_ARN}#subject-public-key`).cryptoProperties.relatedCryptoMaterialProperties).toEqual({ type: 'public-key', algorithmRef: `${ALGORITHM_REF_PREFIX}RSA-4096`, size: 4096 });
    expect(algorithm(`${ALGORITHM_REF_PREFIX}RSA-4096`).cryptoProperties.algorithmProperties.classicalSecurityLevel).toBe(152);

    const sub = byRef.get(SUB_CA_ARN);
    expect(sub.cryptoProperties.certificateProperties.signatureAlgorithmRef).toBeUndefined();
    expect(one(sub, 'certificateAuthorityType')).toBe('SUBORDINATE');
    expect(one(sub, 'usageMode')).toBe('SHORT_LIVED_CERTIFICATE');
    expect(one(sub, 'lastIssuedAt')).toBe('2026-10-31T23:59:00.000Z');
    expect(byRef.get(`${SUB_CA_ARN}#subject-public-key`).cryptoProperties.relatedCryptoMaterialProperties).toEqual({ type: 'public-key', algorithmRef: `${ALGORITHM_REF_PREFIX}ML-DSA-65` });
    expect(doc.dependencies).toEqual(
      expect.arrayContaining([
        { ref: ROOT_CA_ARN, provides: [`${ALGORITHM_REF_PREFIX}RSA-PKCS1-1.5-SHA-512`] },
        { ref: SUB_CA_ARN, provides: [`${ALGORITHM_REF_PREFIX}ML-DSA-65`] },
      ]),
    );
  });

  test('a private certificate depends on its issuing CA, in another account', () => {
    expect(doc.dependencies).toContainEqual({ ref: PRIVATE_CERT.arn, dependsOn: [ROOT_CA_ARN] });
  });

  test('secrets: credential, secured by AWS KMS; one encrypted with a listed key depends on it', () => {
    expect(rmp(SECRET_CMK)).toEqual({
      type: 'credential',
      id: 'prod/db',
      state: 'active',
      creationDate: '2025-03-01T10:00:00.000Z',
      updateDate: '2026-10-01T00:00:00.000Z',
      securedBy: { mechanism: 'AWS KMS', algorithmRef: `${ALGORITHM_REF_PREFIX}AES-256-GCM` },
    });
    expect(one(byRef.get(SECRET_CMK.arn), 'lastAccessedAt')).toBe('2026-10-31');
    expect(one(byRef.get(SECRET_CMK.arn), 'quantumClass')).toBe('not-applicable');
    expect(one(byRef.get(SECRET_AWS_KEY.arn), 'encryptedWithAwsManagedKey')).toBe('true');
    // Marked for deletion: deactivated (SP 800-57), with the date as a property.
    expect(rmp(SECRET_ALIAS).state).toBe('deactivated');
    expect(one(byRef.get(SECRET_ALIAS.arn), 'deletedAt')).toBe('2026-10-25T08:00:00.000Z');
    expect(doc.dependencies).toContainEqual({ ref: SECRET_CMK.arn, dependsOn: [SYMMETRIC.arn] });
    // An alias names no key the inventory can match; the AWS managed key has no id in the record.
    const refs = doc.dependencies.map((d: Json) => d.ref);
    expect(refs).not.toContain(SECRET_ALIAS.arn);
    expect(refs).not.toContain(SECRET_AWS_KEY.arn);
  });

  test('every reference points at a component of the document', () => {
    const refs = new Set(byRef.keys());
    const pointed: string[] = [];
    for (const c of byRef.values()) {
      const cp = c.cryptoProperties ?? {};
      pointed.push(
        ...[
          cp.relatedCryptoMaterialProperties?.algorithmRef,
          cp.relatedCryptoMaterialProperties?.securedBy?.algorithmRef,
          cp.certificateProperties?.signatureAlgorithmRef,
          cp.certificateProperties?.subjectPublicKeyRef,
        ].filter((x) => x !== undefined),
      );
    }
    for (const d of doc.dependencies) pointed.push(d.ref, ...(d.dependsOn ?? []), ...(d.provides ?? []));
    for (const p of pointed) expect(refs.has(p)).toBe(true);
    // Every algorithm component is used by something.
    for (const ref of refs) if (ref.startsWith(ALGORITHM_REF_PREFIX)) expect(pointed).toContain(ref);
  });

  test('an empty day is still a valid document', async () => {
    const empty = buildCbom([], META);
    expect(JSON.parse(empty).components).toEqual([]);
    expect(await validate(empty)).toBeNull();
  });
});

describe('algorithm tables cover every value the pinned SDKs list', () => {
  /** The usages KMS allows per key spec (KMS Developer Guide, "Key spec reference"). */
  const usages = (spec: string): string[] => {
    if (spec === 'SYMMETRIC_DEFAULT') return ['ENCRYPT_DECRYPT'];
    if (spec.startsWith('HMAC_')) return ['GENERATE_VERIFY_MAC'];
    if (spec.startsWith('RSA_')) return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];
    if (spec === 'ECC_SECG_P256K1' || spec === 'ECC_NIST_EDWARDS25519' || spec.startsWith('ML_DSA_')) return ['SIGN_VERIFY'];
    if (spec.startsWith('ECC_NIST_')) return ['SIGN_VERIFY', 'KEY_AGREEMENT'];
    if (spec === 'SM2') return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'];
    if (spec.startsWith('ML_KEM_')) return ['ENCAPSULATE_DECAPSULATE'];
    return ['(a key spec this test does not know: give it its usages)'];
  };
  const specs = Object.values(KeySpec);
  test.each(specs)('KMS %s', (spec) => {
    for (const usage of usages(spec)) {
      expect(Object.values(KeyUsageType)).toContain(usage);
      const a = kmsKeyAlgorithm(spec, usage, 'eu-central-1');
      expect(a?.awsName).toBeUndefined();
      expect(a?.properties.primitive).not.toBe('unknown');
    }
  });
  test.each([...new Set([...Object.values(AcmKeyAlgorithm), ...Object.values(PcaKeyAlgorithm)])])('certificate and CA key algorithm %s', (alg) => {
    expect(certificateKeyAlgorithm(alg)?.awsName).toBeUndefined();
  });
  test.each([...Object.values(PcaSigningAlgorithm), 'SHA1WITHRSA', 'SHA256WITHRSASSA_PSS', 'SM3WITHSM2', 'ML_DSA_44', 'ML_DSA_87'])('signature algorithm %s', (alg) => {
    expect(signatureAlgorithm(alg)?.awsName).toBeUndefined();
  });
  test('ML-KEM keys are key encapsulation with their FIPS 203 category', () => {
    expect(kmsKeyAlgorithm('ML_KEM_768', 'ENCAPSULATE_DECAPSULATE')).toMatchObject({
      name: 'ML-KEM-768',
      properties: { primitive: 'kem', cryptoFunctions: ['encapsulate', 'decapsulate'], nistQuantumSecurityLevel: 3 },
    });
  });
  test('a usage a spec does not have is not guessed', () => {
    expect(kmsKeyAlgorithm('RSA_2048', 'KEY_AGREEMENT')?.awsName).toBe('RSA_2048/KEY_AGREEMENT');
  });
});

// ---------------------------------------------------------------------------------------------
// The day from S3, in memory.

const BUCKET = 'crypto-monitoring-inventory-123456789012-eu-central-1';

/** An in-memory S3 bucket that answers the commands the writer sends, with the SDK's command classes. */
class FakeS3 implements S3Sends {
  readonly objects = new Map<string, Buffer>();
  readonly calls: string[] = [];
  private uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  private next = 0;
  listPageSize = 1000;
  failUploadPart = false;
  /** Bytes of parts received, for a test that discards them. */
  discard = false;
  received = 0;

  async send(command: unknown): Promise<any> {
    const name = (command as object).constructor.name;
    this.calls.push(name);
    const input = (command as { input: any }).input;
    expect(input.Bucket).toBe(BUCKET);
    if (command instanceof ListObjectsV2Command) {
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(input.Prefix)).sort();
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const page = keys.slice(start, start + this.listPageSize);
      const more = start + this.listPageSize < keys.length;
      return { Contents: page.map((Key) => ({ Key })), IsTruncated: more, NextContinuationToken: more ? String(start + this.listPageSize) : undefined };
    }
    if (command instanceof GetObjectCommand) {
      const body = this.objects.get(input.Key);
      if (!body) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
      // Arrives in pieces, as a socket would deliver it.
      const pieces: Buffer[] = [];
      for (let i = 0; i < body.length; i += 7919) pieces.push(body.subarray(i, i + 7919));
      return { Body: Readable.from(pieces) };
    }
    if (command instanceof PutObjectCommand) {
      expect(input.ContentType).toBe('application/vnd.cyclonedx+json; version=1.6');
      this.store(input.Key, input.Body as Buffer);
      return {};
    }
    if (command instanceof CreateMultipartUploadCommand) {
      const id = `upload-${++this.next}`;
      this.uploads.set(id, { key: input.Key, parts: new Map() });
      return { UploadId: id };
    }
    if (command instanceof UploadPartCommand) {
      if (this.failUploadPart) throw Object.assign(new Error('InternalError'), { name: 'InternalError' });
      const u = this.uploads.get(input.UploadId)!;
      expect(u.key).toBe(input.Key);
      u.parts.set(input.PartNumber, this.discard ? Buffer.alloc(0) : (input.Body as Buffer));
      this.received += (input.Body as Buffer).length;
      return { ETag: `"etag-${input.PartNumber}"`, ChecksumCRC32: 'AAAAAA==' };
    }
    if (command instanceof CompleteMultipartUploadCommand) {
      const u = this.uploads.get(input.UploadId)!;
      const numbers = input.MultipartUpload.Parts.map((p: { PartNumber: number }) => p.PartNumber);
      expect(numbers).toEqual([...u.parts.keys()].sort((a, b) => a - b));
      for (const p of input.MultipartUpload.Parts) expect(p.ETag).toBe(`"etag-${p.PartNumber}"`);
      // Every part but the last is at least S3's 5 MiB minimum.
      const sizes = numbers.map((n: number) => u.parts.get(n)!.length);
      if (!this.discard) for (const s of sizes.slice(0, -1)) expect(s).toBeGreaterThanOrEqual(5 * 1024 * 1024);
      this.store(u.key, Buffer.concat(numbers.map((n: number) => u.parts.get(n)!)));
      this.uploads.delete(input.UploadId);
      return {};
    }
    if (command instanceof AbortMultipartUploadCommand) {
      this.uploads.delete(input.UploadId);
      return {};
    }
    throw new Error(`FakeS3 does not answer ${name}`);
  }

  get openUploads(): number {
    return this.uploads.size;
  }

  private store(key: string, body: Buffer): void {
    expect(key.startsWith('cbom/')).toBe(true);
    this.objects.set(key, body);
  }
}

/** Writes records as the rules do: gzip JSON lines, named by inventoryObjectKey, RECORDS_PER_PART a part. */
function putInventory(s3: FakeS3, records: readonly InventoryRecord[], day = DAY, runId = 'pass0001-000', perPart = 1000): void {
  const groups = new Map<string, InventoryRecord[]>();
  for (const r of records) {
    const k = `${r.accountId}|${r.region}|${r.assetType}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  for (const rs of groups.values()) {
    for (let i = 0; i < rs.length; i += perPart) {
      const r0 = rs[0];
      const key = inventoryObjectKey({ day, accountId: r0.accountId, region: r0.region, assetType: r0.assetType, runId, part: i / perPart + 1 });
      s3.objects.set(key, gzipSync(rs.slice(i, i + perPart).map((r) => JSON.stringify(r)).join('\n') + '\n'));
    }
  }
}

const deps = (s3: FakeS3) => ({ s3, bucket: BUCKET, organizationId: META.organizationId, now: () => new Date(META.generatedAt) });

describe('the daily writer', () => {
  // The writer reports each day's reading on the console; the tests read its result instead.
  let quiet: jest.SpyInstance[] = [];
  beforeEach(() => {
    quiet = (['info', 'warn'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
  });
  afterEach(() => {
    for (const q of quiet) q.mockRestore();
  });

  test('object names give the group', () => {
    expect(groupOfName(`inventory/dt=${DAY}/${PROD}-us-gov-west-1-certificate-authority-abc-def-001-0002.json.gz`)).toEqual({
      accountId: PROD,
      region: 'us-gov-west-1',
      assetType: 'certificate-authority',
    });
    expect(groupOfName(`inventory/dt=${DAY}/${PROD}-eu-central-1-certificate-pass-001-0001.json.gz`)?.assetType).toBe('certificate');
    expect(groupOfName('export.jsonl')).toBeUndefined();
  });

  test('yesterday in UTC by default', () => {
    expect(defaultDay(new Date('2026-11-02T06:00:00Z'))).toBe('2026-11-01');
    expect(defaultDay(new Date('2026-03-01T00:30:00Z'))).toBe('2026-02-28');
  });

  test('reads the day from S3 (two passes, the older duplicate), writes the same document as buildCbom to the day and to latest', async () => {
    const s3 = new FakeS3();
    // Yesterday's pass is another day: not read.
    putInventory(s3, [key('other-day-0001')], '2026-10-31');
    putInventory(s3, RECORDS.filter((r) => r !== SYMMETRIC_EARLIER));
    putInventory(s3, [SYMMETRIC_EARLIER], DAY, 'pass0002-000');
    // A line that is not an asset, in a part of its own.
    s3.objects.set(`inventory/dt=${DAY}/${PROD}-eu-central-1-secret-pass0003-000-0001.json.gz`, gzipSync('{"not":"a record"}\nnot json\n'));
    s3.listPageSize = 3;
    const result = await handler({}, deps(s3));
    expect(result.day).toBe(DAY);
    expect(result.streamed).toBe(true);
    expect(result.read).toEqual({ objects: expect.any(Number), lines: RECORDS.length + 2, skipped: 2, duplicates: 1 });
    expect(result.skippedExamples).toHaveLength(2);
    const written = s3.objects.get(cbomDayKey(DAY))!.toString('utf8');
    expect(s3.objects.get(CBOM_LATEST_KEY)!.toString('utf8')).toBe(written);
    expect(written).toBe(buildCbom(RECORDS, META));
    expect(result.bytes).toBe(Buffer.byteLength(written));
    expect(await validate(written)).toBeNull();
    expect(s3.calls.filter((c) => c === 'PutObjectCommand')).toHaveLength(2);
  });

  test('a record claiming another account than the one that wrote its object is skipped, as the queries skip it', async () => {
    const s3 = new FakeS3();
    putInventory(s3, RECORDS);
    const forged = key('forged', { account: SHARED });
    // Written by PROD (its object's name), claiming a key of the SHARED account.
    s3.objects.set(`inventory/dt=${DAY}/${PROD}-eu-central-1-kms-key-pass0009-000-0001.json.gz`, gzipSync(`${JSON.stringify(forged)}\n`));
    const result = await handler({}, deps(s3));
    expect(result.read.skipped).toBe(1);
    expect(result.skippedExamples).toEqual([expect.stringMatching(new RegExp(`claims account ${SHARED}, but its object was written by another account`))]);
    expect(s3.objects.get(cbomDayKey(DAY))!.toString('utf8')).toBe(buildCbom(RECORDS, META));
  });

  test('an on-demand day; a day without objects writes nothing and keeps latest', async () => {
    const s3 = new FakeS3();
    putInventory(s3, [SYMMETRIC], '2026-10-15');
    await handler({ day: '2026-10-15' }, deps(s3));
    const latest = s3.objects.get(CBOM_LATEST_KEY);
    expect(JSON.parse(latest!.toString()).metadata.properties).toContainEqual({ name: 'crypto-asset-monitoring:day', value: '2026-10-15' });
    const none = await handler({ day: '2026-10-16' }, deps(s3));
    expect(none.output).toBeUndefined();
    expect(s3.objects.has(cbomDayKey('2026-10-16'))).toBe(false);
    expect(s3.objects.get(CBOM_LATEST_KEY)).toBe(latest);
    await expect(handler({ day: '2026-13-01' }, deps(s3))).rejects.toThrow(/YYYY-MM-DD/);
    // A scheduled event retried after midnight still writes the day before its scheduled time.
    const retried = await handler({ time: '2026-10-16T06:00:00Z' }, { ...deps(s3), now: () => new Date('2026-10-17T00:30:00Z') });
    expect(retried.day).toBe('2026-10-15');
  });

  test('a document larger than a part goes as a multipart upload to both keys; a failure aborts both', async () => {
    const s3 = new FakeS3();
    const many = Array.from({ length: 12_000 }, (_, i) => secret(`bulk/${String(i).padStart(6, '0')}`, {}));
    putInventory(s3, many);
    await handler({}, deps(s3));
    const written = s3.objects.get(cbomDayKey(DAY))!;
    expect(written.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(s3.calls.filter((c) => c === 'CreateMultipartUploadCommand')).toHaveLength(2);
    expect(s3.objects.get(CBOM_LATEST_KEY)!.equals(written)).toBe(true);
    expect(written.toString()).toBe(buildCbom(many, META));

    const failing = new FakeS3();
    putInventory(failing, many);
    failing.failUploadPart = true;
    await expect(handler({}, deps(failing))).rejects.toThrow('InternalError');
    expect(failing.calls).toContain('AbortMultipartUploadCommand');
    expect(failing.openUploads).toBe(0);
    expect(failing.objects.has(CBOM_LATEST_KEY)).toBe(false);
  });

  test('files with other names (an export) are read whole and give the same document', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbom-'));
    fs.writeFileSync(path.join(dir, 'export.jsonl'), RECORDS.map((r) => JSON.stringify(r)).join('\n'));
    const source: InventorySource = {
      location: dir,
      names: async () => fs.readdirSync(dir),
      open: async (n) => fs.createReadStream(path.join(dir, n)),
    };
    let out = '';
    const result = await writeDayCbom({
      source,
      output: () => ({ location: 'memory', write: (c) => void (out += c), drain: async () => undefined, close: async () => Buffer.byteLength(out), abort: async () => undefined }),
      day: DAY,
      generatedAt: new Date(META.generatedAt),
      organizationId: META.organizationId,
    });
    expect(result.streamed).toBe(false);
    expect(out).toBe(buildCbom(RECORDS, META));
  });

  test('S3CbomOutput: small documents are one PutObject per key', async () => {
    const s3 = new FakeS3();
    const o = new S3CbomOutput(s3, BUCKET, ['cbom/a.json', 'cbom/b.json']);
    o.write('{"x":');
    o.write('"é"}');
    await o.drain();
    expect(await o.close()).toBe(Buffer.byteLength('{"x":"é"}'));
    expect(s3.objects.get('cbom/b.json')!.toString()).toBe('{"x":"é"}');
  });

  /**
   * The size a day can have: 100,000 records (one account's 50,000 secrets and 10,000 keys, and
   * four more accounts' worth of keys and certificates) through the handler, the output discarded.
   */
  test('100,000 records: every asset once, nothing duplicated', async () => {
    const s3 = new FakeS3();
    const records: InventoryRecord[] = [];
    for (let a = 0; a < 5; a++) {
      const account = String(300000000000 + a);
      for (let i = 0; i < 10_000; i++) {
        const rsa = i % 10 === 0;
        records.push(key(`k-${a}-${i}`, { account, keySpec: rsa ? 'RSA_2048' : 'SYMMETRIC_DEFAULT', keyUsage: rsa ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT' }));
      }
    }
    // One account's 50,000 secrets: the largest group a day can hold in one account and Region.
    const account = '300000000000';
    for (let i = 0; i < 50_000; i++) {
      const s = secret(`app/${i}`, { kmsKeyId: `k-0-${i % 10_000}`, encryptedWithAwsManagedKey: false });
      records.push({ ...s, accountId: account, arn: s.arn.replace(PROD, account) });
    }
    expect(records).toHaveLength(100_000);
    putInventory(s3, records);
    s3.discard = true;
    // Correctness at size only: time and memory are benchmark figures, not test assertions.
    const result = await handler({}, deps(s3));
    expect(result.stats?.components).toBe(100_000 + (result.stats?.algorithms ?? 0));
    expect(result.read.duplicates).toBe(0);
  }, 300_000);
});

describe('npm run cbom', () => {
  // Imported here so that the script is type-checked and tested with the writer it shares.
  const script = () => require('../../../scripts/cbom') as typeof import('../../../scripts/cbom');

  test('--from a copied day folder: the same document as buildCbom, validated; the day from the dt= folder', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cbom-script-'));
    const dir = path.join(root, `dt=${DAY}`);
    fs.mkdirSync(dir);
    const s3 = new FakeS3();
    putInventory(s3, RECORDS);
    for (const [k, body] of s3.objects) fs.writeFileSync(path.join(dir, path.basename(k)), body);
    const out = path.join(root, 'cbom.json');
    const messages: string[] = [];
    expect(await script().main(['--from', dir, '--out', out, '--validate', '--organization-id', META.organizationId!], (m) => messages.push(m))).toBe(0);
    const written = JSON.parse(fs.readFileSync(out, 'utf8'));
    const expected = JSON.parse(buildCbom(RECORDS, META));
    for (const d of [written, expected]) {
      delete d.serialNumber;
      delete d.metadata.timestamp;
    }
    expect(written).toEqual(expected);
    expect(messages.join('\n')).toContain(`CycloneDX 1.6 CBOM of ${DAY}: ${ASSETS + 16} components (10 KMS keys, 4 certificates, 3 Private CAs, 3 secrets, 16 algorithms), 4 dependency entries`);
    expect(messages.join('\n')).toContain('algorithms no table knows (primitive "unknown"): FALCON_512/SIGN_VERIFY, SHA256WITHFOO');
    expect(messages.join('\n')).toContain('valid CycloneDX 1.6');
  });

  test('arguments', () => {
    const { parseArgs } = script();
    expect(parseArgs(['--bucket', BUCKET, '--day', DAY, '--region', 'eu-central-1'])).toEqual({ bucket: BUCKET, day: DAY, region: 'eu-central-1', validate: false });
    expect(() => parseArgs([])).toThrow(/--from <folder> or --bucket/);
    expect(() => parseArgs(['--bucket', BUCKET])).toThrow(/--day/);
    expect(() => parseArgs(['--from', '/tmp/x'])).toThrow(/dt=YYYY-MM-DD/);
    expect(() => parseArgs(['--from', '/tmp/x', '--day', '2026-02-30x'])).toThrow(/YYYY-MM-DD/);
    expect(() => parseArgs(['--from', '/tmp/x', '--day', DAY, '--validate'])).toThrow(/--out/);
    expect(parseArgs(['--from', `/data/inventory/dt=${DAY}`]).day).toBe(DAY);
  });
});
