import { CertificateType, KeyAlgorithm as AcmKeyAlgorithm } from '@aws-sdk/client-acm';
import {
  CertificateAuthorityType,
  CertificateAuthorityUsageMode,
  KeyAlgorithm as PcaKeyAlgorithm,
  SigningAlgorithm as PcaSigningAlgorithm,
} from '@aws-sdk/client-acm-pca';
import { KeySpec, KeyUsageType } from '@aws-sdk/client-kms';
import {
  classifyCertificate,
  classifyCertificateAuthority,
  classifyKmsKey,
  classifySecret,
  KMS_KEY_USAGES,
  PRIORITY_HARVEST_NOW_DECRYPT_LATER,
  PRIORITY_LONG_LIVED_SIGNING,
  PRIORITY_SHORT_LIVED,
  PRIORITY_UNKNOWN,
} from '../../../lambda/inventory/quantum';
import type { QuantumAssessment, QuantumClass } from '../../../lambda/inventory/record';

/**
 * The expected class and the key usages KMS allows for each key spec (AWS KMS Developer Guide,
 * "Key spec reference"), written here independently of the classifier. A KeySpec the pinned SDK
 * adds without a row here fails the first test, and one the classifier does not know fails the
 * second: a new enum value cannot pass unclassified.
 */
const KMS: Record<string, { class: QuantumClass; usages: readonly string[] }> = {
  SYMMETRIC_DEFAULT: { class: 'symmetric', usages: ['ENCRYPT_DECRYPT'] },
  HMAC_224: { class: 'symmetric', usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_256: { class: 'symmetric', usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_384: { class: 'symmetric', usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_512: { class: 'symmetric', usages: ['GENERATE_VERIFY_MAC'] },
  RSA_2048: { class: 'quantum-vulnerable', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  RSA_3072: { class: 'quantum-vulnerable', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  RSA_4096: { class: 'quantum-vulnerable', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  ECC_NIST_P256: { class: 'quantum-vulnerable', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_NIST_P384: { class: 'quantum-vulnerable', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_NIST_P521: { class: 'quantum-vulnerable', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_SECG_P256K1: { class: 'quantum-vulnerable', usages: ['SIGN_VERIFY'] },
  ECC_NIST_EDWARDS25519: { class: 'quantum-vulnerable', usages: ['SIGN_VERIFY'] },
  SM2: { class: 'quantum-vulnerable', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ML_DSA_44: { class: 'post-quantum', usages: ['SIGN_VERIFY'] },
  ML_DSA_65: { class: 'post-quantum', usages: ['SIGN_VERIFY'] },
  ML_DSA_87: { class: 'post-quantum', usages: ['SIGN_VERIFY'] },
  ML_KEM_512: { class: 'post-quantum', usages: ['ENCAPSULATE_DECAPSULATE'] },
  ML_KEM_768: { class: 'post-quantum', usages: ['ENCAPSULATE_DECAPSULATE'] },
  ML_KEM_1024: { class: 'post-quantum', usages: ['ENCAPSULATE_DECAPSULATE'] },
};

/** Priority of a quantum-vulnerable KMS key by usage. */
const KMS_PRIORITY: Record<string, number> = {
  ENCRYPT_DECRYPT: PRIORITY_HARVEST_NOW_DECRYPT_LATER,
  KEY_AGREEMENT: PRIORITY_HARVEST_NOW_DECRYPT_LATER,
  SIGN_VERIFY: PRIORITY_LONG_LIVED_SIGNING,
};

/**
 * AWS Private CA values the service has added since the pinned @aws-sdk/client-acm-pca 3.523.0
 * (aws-sdk-js-v3, clients/client-acm-pca/src/models/enums.ts): the collector may see them as plain
 * strings, so they must be classified too.
 */
const PCA_KEY_ALGORITHMS_SINCE_PIN = ['RSA_3072', 'EC_secp521r1', 'SM2', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'];
const PCA_SIGNING_ALGORITHMS_SINCE_PIN = ['SHA256WITHRSA_PSS', 'SHA384WITHRSA_PSS', 'SHA512WITHRSA_PSS', 'SM3WITHSM2', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'];

/** The values an exhaustiveness check reports: those the classifier calls unknown. */
function unclassified(values: readonly string[], classify: (value: string) => QuantumAssessment): string[] {
  return values.filter((value) => classify(value).class === 'unknown');
}

const kmsWithValidUsage = (spec: string) => classifyKmsKey({ keySpec: spec, keyUsage: KMS[spec]?.usages[0] ?? 'SIGN_VERIFY' });

/** Checks every outcome must satisfy, whatever the input. */
function expectWellFormed(q: QuantumAssessment): void {
  if (q.class === 'quantum-vulnerable' || q.class === 'unknown') {
    expect([PRIORITY_HARVEST_NOW_DECRYPT_LATER, PRIORITY_LONG_LIVED_SIGNING, PRIORITY_SHORT_LIVED]).toContain(q.priority);
  } else {
    expect(q.priority).toBeNull();
  }
  expect(q.reason).toMatch(/^\S.*\.$/);
  expect(q.reason).not.toMatch(/\n|undefined|null|\[object/);
}

describe('every value the pinned SDKs list has a class', () => {
  test('KMS KeySpec: every value has an expected row in this test', () => {
    expect(Object.values(KeySpec).filter((spec) => !(spec in KMS))).toEqual([]);
  });

  test('KMS KeySpec: the classifier knows every value', () => {
    expect(unclassified(Object.values(KeySpec), kmsWithValidUsage)).toEqual([]);
  });

  test('KMS KeyUsageType: the classifier knows every value', () => {
    expect(Object.values(KeyUsageType).filter((usage) => !KMS_KEY_USAGES.has(usage))).toEqual([]);
  });

  test('ACM KeyAlgorithm: the classifier knows every value', () => {
    expect(unclassified(Object.values(AcmKeyAlgorithm), (a) => classifyCertificate({ keyAlgorithm: a, type: 'AMAZON_ISSUED' }))).toEqual([]);
  });

  test('Private CA KeyAlgorithm: the classifier knows every pinned value and those added since', () => {
    const values = [...Object.values(PcaKeyAlgorithm), ...PCA_KEY_ALGORITHMS_SINCE_PIN];
    const withMatchingSignature = (a: string) =>
      classifyCertificateAuthority({ keyAlgorithm: a, signingAlgorithm: a.startsWith('RSA') ? 'SHA256WITHRSA' : a.startsWith('EC') ? 'SHA256WITHECDSA' : a === 'SM2' ? 'SM3WITHSM2' : a, type: 'ROOT', usageMode: 'GENERAL_PURPOSE' });
    expect(unclassified(values, withMatchingSignature)).toEqual([]);
  });

  test('Private CA SigningAlgorithm: the classifier knows every pinned value and those added since', () => {
    const values = [...Object.values(PcaSigningAlgorithm), ...PCA_SIGNING_ALGORITHMS_SINCE_PIN];
    // With an unknown key algorithm, only a known quantum-vulnerable signature keeps the class known;
    // an ML-DSA signature needs its ML-DSA key, so it is checked with one.
    const withKey = (s: string) => classifyCertificateAuthority({ keyAlgorithm: s.startsWith('ML_DSA') ? s : null, signingAlgorithm: s, type: 'ROOT', usageMode: 'GENERAL_PURPOSE' });
    expect(unclassified(values, withKey)).toEqual([]);
  });

  test('the check fails for a value the classifier does not know (a future SDK value)', () => {
    expect(unclassified([...Object.values(KeySpec), 'RSA_8192'], kmsWithValidUsage)).toEqual(['RSA_8192']);
    expect(unclassified([...Object.values(AcmKeyAlgorithm), 'ML_DSA_128'], (a) => classifyCertificate({ keyAlgorithm: a }))).toEqual(['ML_DSA_128']);
    expect(Object.values({ ...KeyUsageType, SIGN_ONLY: 'SIGN_ONLY' }).filter((usage) => !KMS_KEY_USAGES.has(usage))).toEqual(['SIGN_ONLY']);
  });
});

describe('KMS keys: every key spec with every usage KMS allows for it', () => {
  const rows = Object.entries(KMS).flatMap(([spec, row]) => row.usages.map((usage) => [spec, usage, row.class] as const));

  test.each(rows)('%s %s → %s', (keySpec, keyUsage, expectedClass) => {
    const q = classifyKmsKey({ keySpec, keyUsage });
    expect(q.class).toBe(expectedClass);
    expect(q.priority).toBe(expectedClass === 'quantum-vulnerable' ? KMS_PRIORITY[keyUsage] : null);
    expectWellFormed(q);
  });

  test.each([
    ['RSA_2048', 'ENCRYPT_DECRYPT', /^RSA-2048 encryption key: .*harvest now, decrypt later.*deprecates it after 2030 and disallows it after 2035\.$/],
    ['RSA_4096', 'ENCRYPT_DECRYPT', /^RSA-4096 encryption key: Shor's algorithm breaks it at any key size.*disallows it after 2035 whatever its size\.$/],
    ['ECC_NIST_P256', 'KEY_AGREEMENT', /^ECC P-256 key agreement key: .*recorded exchanges \(harvest now, decrypt later\)/],
    ['SM2', 'ENCRYPT_DECRYPT', /^SM2 encryption key: .*not a NIST-approved algorithm/],
    ['ECC_SECG_P256K1', 'SIGN_VERIFY', /^ECC secp256k1 signing key: .*KMS cannot rotate asymmetric keys.*not a NIST-approved algorithm/],
    ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', /^Ed25519 signing key: /],
    ['ML_DSA_65', 'SIGN_VERIFY', /^ML-DSA-65 key: a NIST post-quantum algorithm \(FIPS 204, security category 3\); nothing to migrate\.$/],
    ['ML_KEM_1024', 'ENCAPSULATE_DECAPSULATE', /^ML-KEM-1024 key: a NIST post-quantum algorithm \(FIPS 203, security category 5\)/],
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', /^AES-256-GCM key: symmetric, not broken by a quantum computer at 256 bits/],
    ['HMAC_224', 'GENERATE_VERIFY_MAC', /^HMAC-SHA-224 key: symmetric, not broken by a quantum computer at 224 bits/],
  ])('%s %s: the reason says why', (keySpec, keyUsage, reason) => {
    expect(classifyKmsKey({ keySpec, keyUsage }).reason).toMatch(reason);
  });
});

describe('key size changes the NIST date, never the class or the priority', () => {
  test.each([
    ['ENCRYPT_DECRYPT', PRIORITY_HARVEST_NOW_DECRYPT_LATER],
    ['SIGN_VERIFY', PRIORITY_LONG_LIVED_SIGNING],
  ])('RSA_2048, RSA_3072 and RSA_4096 %s are all quantum-vulnerable at priority %d', (keyUsage, priority) => {
    for (const keySpec of ['RSA_2048', 'RSA_3072', 'RSA_4096']) {
      expect(classifyKmsKey({ keySpec, keyUsage })).toMatchObject({ class: 'quantum-vulnerable', priority });
    }
  });

  test('112-bit strength (RSA-2048) is deprecated after 2030; 128 bits and more only disallowed after 2035', () => {
    expect(classifyKmsKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }).reason).toContain('deprecates it after 2030');
    for (const keySpec of ['RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521']) {
      const { reason } = classifyKmsKey({ keySpec, keyUsage: 'SIGN_VERIFY' });
      expect(reason).toContain('disallows it after 2035');
      expect(reason).not.toContain('2030');
    }
  });

  test('below 112 bits (ACM RSA_1024) is already disallowed, and still priority 3 like any certificate', () => {
    const q = classifyCertificate({ keyAlgorithm: 'RSA_1024', type: 'IMPORTED' });
    expect(q).toMatchObject({ class: 'quantum-vulnerable', priority: PRIORITY_SHORT_LIVED });
    expect(q.reason).toContain('already disallowed for signatures and key establishment (NIST SP 800-131A Rev. 2)');
  });

  test('symmetric keys of every size are symmetric', () => {
    for (const keySpec of ['SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512']) {
      expect(kmsWithValidUsage(keySpec)).toMatchObject({ class: 'symmetric', priority: null });
    }
  });
});

describe('migration priority: harvest now, decrypt later first, then long-lived signing roots, then short-lived certificates', () => {
  const order: [string, number, QuantumAssessment][] = [
    ['RSA_4096 encryption key', 1, classifyKmsKey({ keySpec: 'RSA_4096', keyUsage: 'ENCRYPT_DECRYPT' })],
    ['ECC P-384 key agreement', 1, classifyKmsKey({ keySpec: 'ECC_NIST_P384', keyUsage: 'KEY_AGREEMENT' })],
    ['SM2 key agreement', 1, classifyKmsKey({ keySpec: 'SM2', keyUsage: 'KEY_AGREEMENT' })],
    ['SM2 encryption key', 1, classifyKmsKey({ keySpec: 'SM2', keyUsage: 'ENCRYPT_DECRYPT' })],
    ['RSA root CA in short-lived mode', 2, classifyCertificateAuthority({ keyAlgorithm: 'RSA_4096', signingAlgorithm: 'SHA512WITHRSA', type: 'ROOT', usageMode: 'SHORT_LIVED_CERTIFICATE' })],
    ['ECDSA root CA', 2, classifyCertificateAuthority({ keyAlgorithm: 'EC_secp384r1', signingAlgorithm: 'SHA384WITHECDSA', type: 'ROOT', usageMode: 'GENERAL_PURPOSE' })],
    ['general-purpose subordinate CA', 2, classifyCertificateAuthority({ keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', type: 'SUBORDINATE', usageMode: 'GENERAL_PURPOSE' })],
    ['KMS RSA signing key', 2, classifyKmsKey({ keySpec: 'RSA_3072', keyUsage: 'SIGN_VERIFY' })],
    ['KMS Ed25519 signing key', 2, classifyKmsKey({ keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY' })],
    ['short-lived-mode subordinate CA', 3, classifyCertificateAuthority({ keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', type: 'SUBORDINATE', usageMode: 'SHORT_LIVED_CERTIFICATE' })],
    ['Amazon-issued RSA-2048 certificate', 3, classifyCertificate({ keyAlgorithm: 'RSA_2048', type: 'AMAZON_ISSUED' })],
    ['imported RSA-4096 certificate', 3, classifyCertificate({ keyAlgorithm: 'RSA_4096', type: 'IMPORTED' })],
    ['private P-521 certificate', 3, classifyCertificate({ keyAlgorithm: 'EC_secp521r1', type: 'PRIVATE' })],
  ];

  test.each(order)('%s → priority %i', (_name, priority, q) => {
    expect(q.class).toBe('quantum-vulnerable');
    expect(q.priority).toBe(priority);
    expectWellFormed(q);
  });

  test('the three steps are ordered 1 < 2 < 3', () => {
    expect(PRIORITY_HARVEST_NOW_DECRYPT_LATER).toBeLessThan(PRIORITY_LONG_LIVED_SIGNING);
    expect(PRIORITY_LONG_LIVED_SIGNING).toBeLessThan(PRIORITY_SHORT_LIVED);
  });

  test('sorting by priority puts every harvest-now-decrypt-later asset before every signing root, and those before every certificate', () => {
    const sorted = [...order].sort((a, b) => (a[2].priority as number) - (b[2].priority as number)).map((row) => row[1]);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
    expect(sorted[0]).toBe(1);
    expect(sorted[sorted.length - 1]).toBe(3);
  });
});

describe('AWS Private CA', () => {
  const pinnedKeys = Object.values(PcaKeyAlgorithm);
  const familyOf = (name: string) => (name.startsWith('RSA') || name.includes('WITHRSA') ? 'RSA' : name.startsWith('EC_') || name.includes('ECDSA') ? 'ECC' : name.includes('SM2') ? 'SM2' : 'ML-DSA');
  const allKeys = [...pinnedKeys, ...PCA_KEY_ALGORITHMS_SINCE_PIN];
  const allSigning = [...Object.values(PcaSigningAlgorithm), ...PCA_SIGNING_ALGORITHMS_SINCE_PIN];
  const pairs = allKeys.flatMap((k) => allSigning.filter((s) => familyOf(s) === familyOf(k)).map((s) => [k, s] as const));

  test.each(pairs)('%s signing with %s', (keyAlgorithm, signingAlgorithm) => {
    const q = classifyCertificateAuthority({ keyAlgorithm, signingAlgorithm, type: 'ROOT', usageMode: 'GENERAL_PURPOSE' });
    expect(q.class).toBe(familyOf(keyAlgorithm) === 'ML-DSA' ? 'post-quantum' : 'quantum-vulnerable');
    expectWellFormed(q);
  });

  const types = [...Object.values(CertificateAuthorityType), null, 'INTERMEDIATE'];
  const modes = [...Object.values(CertificateAuthorityUsageMode), null, 'EPHEMERAL'];
  const matrix = types.flatMap((type) => modes.map((usageMode) => [type, usageMode] as const));

  test.each(matrix)('a quantum-vulnerable CA of type %p in mode %p', (type, usageMode) => {
    const q = classifyCertificateAuthority({ keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', type, usageMode });
    const shortLivedSubordinate = type === 'SUBORDINATE' && usageMode === 'SHORT_LIVED_CERTIFICATE';
    expect(q.class).toBe('quantum-vulnerable');
    expect(q.priority).toBe(shortLivedSubordinate ? PRIORITY_SHORT_LIVED : PRIORITY_LONG_LIVED_SIGNING);
    expectWellFormed(q);
  });

  test.each(matrix)('an ML-DSA CA of type %p in mode %p is post-quantum', (type, usageMode) => {
    expect(classifyCertificateAuthority({ keyAlgorithm: 'ML_DSA_87', signingAlgorithm: 'ML_DSA_87', type, usageMode })).toMatchObject({ class: 'post-quantum', priority: null });
  });

  test.each([
    ['an ML-DSA key with an RSA signature', 'ML_DSA_65', 'SHA256WITHRSA', 'quantum-vulnerable', PRIORITY_LONG_LIVED_SIGNING],
    ['an RSA key with an ML-DSA signature', 'RSA_4096', 'ML_DSA_65', 'quantum-vulnerable', PRIORITY_LONG_LIVED_SIGNING],
    ['an unknown key with an ECDSA signature', 'EC_brainpoolP256r1', 'SHA256WITHECDSA', 'quantum-vulnerable', PRIORITY_LONG_LIVED_SIGNING],
    ['an ML-DSA key with no signing algorithm', 'ML_DSA_44', null, 'unknown', PRIORITY_UNKNOWN],
    ['an ML-DSA key with an unknown signing algorithm', 'ML_DSA_44', 'SLH_DSA_SHA2_128S', 'unknown', PRIORITY_UNKNOWN],
    ['no key algorithm and an ML-DSA signature', null, 'ML_DSA_44', 'unknown', PRIORITY_UNKNOWN],
    ['nothing known', 'FALCON_512', 'FALCON_512', 'unknown', PRIORITY_UNKNOWN],
  ])('%s → %s', (_name, keyAlgorithm, signingAlgorithm, cls, priority) => {
    const q = classifyCertificateAuthority({ keyAlgorithm, signingAlgorithm, type: 'ROOT', usageMode: 'GENERAL_PURPOSE' });
    expect(q).toMatchObject({ class: cls, priority });
    expectWellFormed(q);
  });

  test('a root is named as a trust anchor; a short-lived subordinate says why it moves last', () => {
    expect(classifyCertificateAuthority({ keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', type: 'ROOT', usageMode: 'SHORT_LIVED_CERTIFICATE' }).reason)
      .toMatch(/^RSA-2048 root CA: .*trust anchor every relying party must replace; NIST IR 8547 \(draft\) deprecates it after 2030 and disallows it after 2035\.$/);
    expect(classifyCertificateAuthority({ keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', type: 'SUBORDINATE', usageMode: 'SHORT_LIVED_CERTIFICATE' }).reason)
      .toMatch(/^ECC P-256 subordinate CA in short-lived certificate mode: .*at most 7 days/);
    expect(classifyCertificateAuthority({ keyAlgorithm: 'ML_DSA_65', signingAlgorithm: 'ML_DSA_65', type: 'SUBORDINATE', usageMode: 'GENERAL_PURPOSE' }).reason)
      .toBe('ML-DSA-65 subordinate CA: a NIST post-quantum algorithm (FIPS 204, security category 3); nothing to migrate.');
  });
});

describe('ACM certificates', () => {
  const rows = Object.values(AcmKeyAlgorithm).flatMap((keyAlgorithm) => [...Object.values(CertificateType), null].map((type) => [keyAlgorithm, type] as const));

  test.each(rows)('%s %p → quantum-vulnerable, priority 3', (keyAlgorithm, type) => {
    const q = classifyCertificate({ keyAlgorithm, type });
    expect(q).toMatchObject({ class: 'quantum-vulnerable', priority: PRIORITY_SHORT_LIVED });
    expectWellFormed(q);
  });

  test.each(['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'])('%s (a private certificate from an ML-DSA CA, by name) → post-quantum', (keyAlgorithm) => {
    expect(classifyCertificate({ keyAlgorithm, type: 'PRIVATE' })).toMatchObject({ class: 'post-quantum', priority: null });
  });

  test('the reason names the certificate type', () => {
    expect(classifyCertificate({ keyAlgorithm: 'EC_prime256v1', type: 'AMAZON_ISSUED' }).reason).toMatch(/^ECC P-256 Amazon-issued certificate: .*replaced at renewal/);
    expect(classifyCertificate({ keyAlgorithm: 'RSA_2048', type: 'PRIVATE' }).reason).toMatch(/^RSA-2048 private certificate: /);
    expect(classifyCertificate({ keyAlgorithm: 'RSA_2048' }).reason).toMatch(/^RSA-2048 certificate: /);
  });
});

describe('unknowns fail closed: class unknown, priority 1, never safe-looking', () => {
  test.each([
    ['no key spec', { keySpec: null, keyUsage: 'ENCRYPT_DECRYPT' }],
    ['an empty key spec', { keySpec: '', keyUsage: 'ENCRYPT_DECRYPT' }],
    ['a future RSA size', { keySpec: 'RSA_8192', keyUsage: 'ENCRYPT_DECRYPT' }],
    ['a future post-quantum name', { keySpec: 'SLH_DSA_SHA2_128S', keyUsage: 'SIGN_VERIFY' }],
    ['a lower-case spelling', { keySpec: 'rsa_2048', keyUsage: 'SIGN_VERIFY' }],
    ['an Object.prototype name', { keySpec: 'toString', keyUsage: 'SIGN_VERIFY' }],
    ['__proto__', { keySpec: '__proto__', keyUsage: 'SIGN_VERIFY' }],
  ])('KMS key with %s', (_name, key) => {
    const q = classifyKmsKey(key);
    expect(q).toMatchObject({ class: 'unknown', priority: PRIORITY_UNKNOWN });
    expect(q.reason).toMatch(/^Unknown KMS key spec (none|".*"): not classified, so it fails closed as priority 1 until someone classifies it\.$/);
    expectWellFormed(q);
  });

  test.each([null, undefined, '', 'ENCRYPT_ONLY'])('a quantum-vulnerable key with usage %p is priority 1 (it might encrypt)', (keyUsage) => {
    const q = classifyKmsKey({ keySpec: 'ECC_NIST_P256', keyUsage });
    expect(q).toMatchObject({ class: 'quantum-vulnerable', priority: PRIORITY_HARVEST_NOW_DECRYPT_LATER });
    expect(q.reason).toContain('fails closed as harvest now, decrypt later');
    expectWellFormed(q);
  });

  test('a usage KMS knows but this spec does not have is said so, and is priority 1', () => {
    const q = classifyKmsKey({ keySpec: 'RSA_2048', keyUsage: 'GENERATE_VERIFY_MAC' });
    expect(q).toMatchObject({ class: 'quantum-vulnerable', priority: 1 });
    expect(q.reason).toMatch(/^RSA-2048 key with key usage "GENERATE_VERIFY_MAC", which this key spec does not have: /);
  });

  test('the usage does not change the class of a symmetric or post-quantum key', () => {
    expect(classifyKmsKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: null })).toMatchObject({ class: 'symmetric', priority: null });
    expect(classifyKmsKey({ keySpec: 'ML_KEM_768', keyUsage: 'NEW_USAGE' })).toMatchObject({ class: 'post-quantum', priority: null });
  });

  test.each([null, '', 'EC_secp256k1', 'ED25519'])('ACM certificate with key algorithm %p', (keyAlgorithm) => {
    expect(classifyCertificate({ keyAlgorithm, type: 'IMPORTED' })).toMatchObject({ class: 'unknown', priority: PRIORITY_UNKNOWN });
  });

  test('unknown ranks with the most urgent known class, and no safe class has a priority', () => {
    expect(PRIORITY_UNKNOWN).toBe(PRIORITY_HARVEST_NOW_DECRYPT_LATER);
    expect(classifyKmsKey({ keySpec: 'X', keyUsage: 'Y' }).priority).not.toBeNull();
  });
});

describe('secrets', () => {
  test('a secret has no algorithm of its own: not-applicable, nothing to migrate', () => {
    const q = classifySecret();
    expect(q).toEqual({ class: 'not-applicable', priority: null, reason: expect.stringContaining('KMS key') });
    expectWellFormed(q);
  });
});
