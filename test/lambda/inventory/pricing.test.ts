import { CertificateAuthorityStatus, CertificateAuthorityUsageMode } from '@aws-sdk/client-acm-pca';
import { CertificateType } from '@aws-sdk/client-acm';
import { KeyState, OriginType } from '@aws-sdk/client-kms';
import {
  priceCertificate,
  priceCertificateAuthority,
  priceKmsKey,
  priceSecret,
  usd,
  type InventoryPrices,
  type KmsKeyPriceInput,
} from '../../../lambda/inventory/pricing';
import type { CostEstimate, KmsKeyDetails, SecretDetails } from '../../../lambda/inventory/record';
import { inventorySchema, type InventorySettings } from '../../../lib/settings/inventory';

/** The defaults of lib/settings/inventory.ts, so the local interface and the setting cannot drift apart. */
const DEFAULTS: InventoryPrices = inventorySchema.parse({}).prices satisfies InventorySettings['prices'];
const P: InventoryPrices = { date: '2026-11-01', kmsKeyMonthlyUsd: 1, kmsKeyRotationMonthlyUsd: 1, secretMonthlyUsd: 0.4, privateCaGeneralPurposeMonthlyUsd: 400, privateCaShortLivedMonthlyUsd: 50 };

const key = (k: Partial<KmsKeyPriceInput>): KmsKeyPriceInput => ({
  keySpec: 'SYMMETRIC_DEFAULT',
  origin: 'AWS_KMS',
  keyManager: 'CUSTOMER',
  keyState: 'Enabled',
  multiRegionKeyType: null,
  rotationCount: 0,
  ...k,
});

/** One readable sentence, carrying the figure it gives. */
function expectReadable(c: CostEstimate, prices: InventoryPrices = P): void {
  expect(c.priceDate).toBe(prices.date);
  expect(c.basis).toMatch(/^[A-Z].*\.$/);
  expect(c.basis).not.toMatch(/\n|undefined|null|NaN|\[object/);
  expect(c.basis.split(/\.\s+[A-Z]/)).toHaveLength(1);
  if (c.monthlyUsd !== null) expect(c.basis).toContain(usd(c.monthlyUsd));
}

test('the defaults in lib/settings/inventory.ts are the prices this file expects', () => {
  expect(DEFAULTS).toEqual(P);
});

describe('KMS keys', () => {
  test.each<[string, Partial<KmsKeyPriceInput>, number | null, RegExp]>([
    ['AWS managed key', { keyManager: 'AWS', rotationCount: 7 }, 0, /^AWS managed key: KMS charges no monthly fee for AWS managed keys, whatever their rotations \(\$0 a month\)\.$/],
    ['customer managed, never rotated', {}, 1, /^Customer managed key, no rotations of its key material: \$1 a month\.$/],
    ['first rotation', { rotationCount: 1 }, 2, /^Customer managed key, 1 rotation of its key material: \$1 \+ 1 × \$1 = \$2 a month\.$/],
    ['second rotation', { rotationCount: 2 }, 3, /2 rotations of its key material: \$1 \+ 2 × \$1 = \$3 a month\.$/],
    ['third rotation is free', { rotationCount: 3 }, 3, /3 rotations of its key material: \$1 \+ 2 × \$1 = \$3 a month \(only the first 2 rotations are billed\)\.$/],
    ['tenth rotation is free', { rotationCount: 10 }, 3, /10 rotations/],
    ['scheduled for deletion', { keyState: 'PendingDeletion', rotationCount: 2 }, 0, /^Customer managed key scheduled for deletion \(PendingDeletion\): KMS does not charge for it during the waiting period/],
    ['primary waiting for its replicas to be deleted', { keyState: 'PendingReplicaDeletion', multiRegionKeyType: 'PRIMARY' }, 0, /scheduled for deletion \(PendingReplicaDeletion\)/],
    ['disabled (still billed)', { keyState: 'Disabled', rotationCount: 1 }, 2, /^Customer managed key, 1 rotation/],
    ['waiting for imported material (billed)', { keyState: 'PendingImport', origin: 'EXTERNAL', rotationCount: 0 }, 1, /^Customer managed key, no rotations/],
    ['multi-Region replica', { multiRegionKeyType: 'REPLICA', rotationCount: 1 }, 2, /^Multi-Region replica key \(billed as a key of its own\), 1 rotation/],
    ['multi-Region primary', { multiRegionKeyType: 'PRIMARY' }, 1, /^Multi-Region primary key, no rotations/],
    ['CloudHSM key store', { origin: 'AWS_CLOUDHSM', rotationCount: null }, 1, /^Customer managed key in an AWS CloudHSM key store, no rotations of its key material: \$1 a month; the CloudHSM cluster that holds its material is not counted\.$/],
    ['external key store', { origin: 'EXTERNAL_KEY_STORE', rotationCount: null, keyState: 'Unavailable' }, 1, /in an external key store, no rotations .*; the external key manager that holds its material is not counted\.$/],
    ['asymmetric key, rotations not read (KMS cannot rotate it)', { keySpec: 'RSA_4096', rotationCount: null }, 1, /no rotations of its key material: \$1 a month/],
    ['HMAC key, rotations not read (KMS cannot rotate it)', { keySpec: 'HMAC_256', rotationCount: null }, 1, /no rotations/],
    ['symmetric key, rotations not read', { rotationCount: null }, null, /^Customer managed key, rotations of its key material unknown: not priced, between \$1 and \$1 \+ 2 × \$1 = \$3 a month\.$/],
    ['imported symmetric key, rotations not read (on-demand rotation is possible)', { origin: 'EXTERNAL', rotationCount: null }, null, /not priced/],
    ['a negative rotation count', { rotationCount: -1 }, null, /rotations of its key material given as -1: not priced/],
    ['a fractional rotation count', { rotationCount: 1.5 }, null, /given as 1\.5: not priced/],
    ['manager not read', { keyManager: null }, null, /^Key whose manager \(AWS or customer\) is unknown: not priced/],
    ['an unknown manager', { keyManager: 'PARTNER' }, null, /^Key with the unknown key manager PARTNER: not priced/],
    ['state not read (priced as billed)', { keyState: null }, 1, /^Customer managed key, state unknown \(priced as billed\), no rotations/],
    ['an unknown state (priced as billed)', { keyState: 'Archived', rotationCount: 2 }, 3, /^Customer managed key, unknown state Archived \(priced as billed\), 2 rotations/],
  ])('%s → %p', (_name, k, monthlyUsd, basis) => {
    const c = priceKmsKey(key(k), P);
    expect(c.monthlyUsd).toBe(monthlyUsd);
    expect(c.basis).toMatch(basis);
    expectReadable(c);
  });

  test('every KeyState of the pinned SDK is known: scheduled for deletion and free, or billed', () => {
    for (const keyState of Object.values(KeyState)) {
      const c = priceKmsKey(key({ keyState }), P);
      expect(c.basis).not.toMatch(/unknown state|state unknown/);
      expect(c.monthlyUsd).toBe(keyState.startsWith('Pending') && keyState.endsWith('Deletion') ? 0 : 1);
    }
    // The same check catches a state the SDK adds later.
    expect(priceKmsKey(key({ keyState: 'Archived' }), P).basis).toMatch(/unknown state/);
  });

  test('every OriginType of the pinned SDK prices the key; only custom key stores add the note', () => {
    for (const origin of Object.values(OriginType)) {
      const c = priceKmsKey(key({ origin }), P);
      expect(c.monthlyUsd).toBe(1);
      expect(c.basis.includes('not counted')).toBe(origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE');
    }
  });

  test('the arithmetic follows the prices in the settings', () => {
    const prices = { ...P, date: '2027-01-15', kmsKeyMonthlyUsd: 1.2, kmsKeyRotationMonthlyUsd: 0.35 };
    const c = priceKmsKey(key({ rotationCount: 4 }), prices);
    expect(c).toEqual({ monthlyUsd: 1.9, basis: 'Customer managed key, 4 rotations of its key material: $1.20 + 2 × $0.35 = $1.90 a month (only the first 2 rotations are billed).', priceDate: '2027-01-15' });
    expectReadable(c, prices);
  });

  test('a whole KmsKeyDetails from the record is accepted as it is', () => {
    const details: KmsKeyDetails = {
      keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', keyManager: 'CUSTOMER', keyState: 'Enabled',
      multiRegion: false, multiRegionKeyType: null, rotationEnabled: true, rotationPeriodDays: 365, lastRotatedAt: '2026-01-01T00:00:00Z',
      nextRotationAt: '2027-01-01T00:00:00Z', rotationCount: 1, lastUsedAt: null, reportedUnused: null,
    };
    expect(priceKmsKey(details, DEFAULTS).monthlyUsd).toBe(2);
  });
});

describe('Secrets Manager secrets', () => {
  test.each<[string, Parameters<typeof priceSecret>[0], string | undefined, number, RegExp]>([
    ['a secret', {}, undefined, 0.4, /^Secret: 1 × \$0\.40 = \$0\.40 a month\.$/],
    ['a secret in its primary Region', { primaryRegion: 'eu-west-1' }, 'eu-west-1', 0.4, /^Secret: /],
    ['a replica', { primaryRegion: 'us-east-1' }, 'eu-west-1', 0.4, /^Secret, a replica whose primary is in us-east-1 \(each replica is billed as a secret of its own\): 1 × \$0\.40 = \$0\.40 a month\.$/],
    ['a secret RDS manages (billed like any other)', { owningService: 'rds', primaryRegion: null }, 'eu-west-1', 0.4, /^Secret managed by rds: /],
    ['marked for deletion', { deletedAt: '2026-10-30T08:15:00Z' }, undefined, 0, /^Secret marked for deletion on 2026-10-30: Secrets Manager does not charge for secrets marked for deletion \(\$0 a month\)\.$/],
    ['a replica marked for deletion', { deletedAt: '2026-10-30T08:15:00Z', primaryRegion: 'us-east-1' }, 'eu-west-1', 0, /marked for deletion/],
    ['deletedAt null', { deletedAt: null }, undefined, 0.4, /^Secret: /],
  ])('%s → %p', (_name, secret, region, monthlyUsd, basis) => {
    const c = priceSecret(secret, P, region);
    expect(c.monthlyUsd).toBe(monthlyUsd);
    expect(c.basis).toMatch(basis);
    expectReadable(c);
  });

  test('a whole SecretDetails from the record is accepted as it is', () => {
    const details: SecretDetails = {
      rotationEnabled: true, rotationKind: 'managed', rotationLambdaArn: null, lastRotatedAt: null, nextRotationAt: null, lastAccessedAt: null,
      deletedAt: null, kmsKeyId: null, encryptedWithAwsManagedKey: true, owningService: 'rds', primaryRegion: 'us-east-1', reportedUnused: false,
    };
    expect(priceSecret(details, { ...P, secretMonthlyUsd: 0.45 }, 'us-east-1').monthlyUsd).toBe(0.45);
  });
});

describe('AWS Private CA', () => {
  const statuses = [...Object.values(CertificateAuthorityStatus), null, 'ARCHIVED'];
  const modes = [...Object.values(CertificateAuthorityUsageMode), null];
  const rows = statuses.flatMap((status) => modes.map((usageMode) => [status, usageMode] as const));

  test.each(rows)('status %p, usage mode %p', (status, usageMode) => {
    const c = priceCertificateAuthority({ status, usageMode }, P);
    const unbilled = status === 'DELETED' || status === 'FAILED';
    expect(c.monthlyUsd).toBe(unbilled ? 0 : usageMode === 'SHORT_LIVED_CERTIFICATE' ? 50 : 400);
    expect(c.basis.includes('priced as billed')).toBe(!unbilled && (status === null || status === 'ARCHIVED'));
    expectReadable(c);
  });

  test.each([
    [{ status: 'DISABLED', usageMode: 'GENERAL_PURPOSE' }, 400, /^Private CA in general-purpose mode, status DISABLED \(billed in every status except DELETED and FAILED\): \$400 a month\.$/],
    [{ status: 'EXPIRED', usageMode: 'SHORT_LIVED_CERTIFICATE' }, 50, /^Private CA in short-lived certificate mode, status EXPIRED \(billed/],
    [{ status: 'PENDING_CERTIFICATE', usageMode: 'GENERAL_PURPOSE' }, 400, /status PENDING_CERTIFICATE \(billed/],
    [{ status: 'CREATING', usageMode: null }, 400, /^Private CA with no usage mode, priced in general-purpose mode \(the API default\), status CREATING/],
    [{ status: 'DELETED', usageMode: 'GENERAL_PURPOSE' }, 0, /^Private CA deleted \(DELETED; restoring it bills the time it was deleted\): AWS Private CA bills a CA in every status except DELETED and FAILED, so \$0 a month\.$/],
    [{ status: 'FAILED', usageMode: 'SHORT_LIVED_CERTIFICATE' }, 0, /^Private CA whose creation failed \(FAILED\)/],
    [{ status: 'ACTIVE', usageMode: 'EPHEMERAL' }, null, /^Private CA in the unknown usage mode EPHEMERAL, status ACTIVE .*: not priced, since general-purpose mode costs \$400 and short-lived mode \$50 a month\.$/],
  ])('%p → %p', (ca, monthlyUsd, basis) => {
    const c = priceCertificateAuthority(ca, P);
    expect(c.monthlyUsd).toBe(monthlyUsd);
    expect(c.basis).toMatch(basis);
    expectReadable(c);
  });

  test('the modes follow the prices in the settings', () => {
    const prices = { ...P, privateCaGeneralPurposeMonthlyUsd: 380, privateCaShortLivedMonthlyUsd: 47.5 };
    expect(priceCertificateAuthority({ status: 'ACTIVE', usageMode: 'GENERAL_PURPOSE' }, prices).monthlyUsd).toBe(380);
    expect(priceCertificateAuthority({ status: 'ACTIVE', usageMode: 'SHORT_LIVED_CERTIFICATE' }, prices)).toMatchObject({ monthlyUsd: 47.5, basis: expect.stringContaining('$47.50 a month') });
  });
});

describe('ACM certificates', () => {
  test.each([...Object.values(CertificateType), null, 'EXPORTED'])('type %p: no monthly fee', (type) => {
    const c = priceCertificate({ type }, P);
    expect(c.monthlyUsd).toBe(0);
    expect(c.basis).toContain('$0 a month');
    expect(c.basis.includes('of type')).toBe(!(Object.values(CertificateType) as string[]).includes(type as string));
    expectReadable(c);
  });

  test('a private certificate says it is charged at issuance, and that its CA is priced on its own record', () => {
    expect(priceCertificate({ type: 'PRIVATE' }, P).basis).toMatch(/charges once when it is issued .*never monthly, and the issuing CA is priced on its own record/);
  });
});

test.each([
  [0, '$0'],
  [0.4, '$0.40'],
  [1, '$1'],
  [0.1 + 0.2, '$0.30'],
  [1234.5, '$1,234.50'],
  [1000000, '$1,000,000'],
  [-2.5, '-$2.50'],
])('usd(%p) = %s', (amount, text) => {
  expect(usd(amount)).toBe(text);
});
