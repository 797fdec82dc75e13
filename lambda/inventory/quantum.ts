/**
 * Post-quantum class and migration priority of an inventory asset: pure functions over the
 * algorithm names AWS returns (KMS key specs and usages, ACM key algorithms, AWS Private CA key and
 * signing algorithms). No AWS calls, no clock; the same input always gives the same answer.
 *
 * Classes (record.ts QuantumClass):
 * - quantum-vulnerable: RSA, elliptic curves (ECDSA, ECDH, EdDSA) and SM2. Shor's algorithm breaks
 *   them at every key size, so RSA-4096 is as vulnerable as RSA-2048; size only moves the date NIST
 *   stops allowing them [IR8547 Tables 2 and 4: 112-bit strength "deprecated after 2030", every
 *   strength "disallowed after 2035"].
 * - post-quantum: ML-KEM [FIPS 203] and ML-DSA [FIPS 204] (SLH-DSA [FIPS 205] once AWS offers it).
 * - symmetric: AES-256 and HMAC keys. IR 8547 §4.1.3: symmetric primitives with at least 128 bits of
 *   classical security "are believed to meet the requirements of at least Category 1"; no AWS key
 *   here is below that (KMS SYMMETRIC_DEFAULT is AES-256-GCM, HMAC keys are 224 to 512 bits). NSA's
 *   CNSA 2.0 asks for AES-256 in national security systems [CNSA2], which these keys already are.
 * - not-applicable: a secret's value (no algorithm of its own; its KMS key is judged as a key).
 * - unknown: a value this file does not know. Fails closed (see PRIORITY_UNKNOWN).
 *
 * Migration priority (1 moves first; null when nothing has to move):
 * 1. Harvest now, decrypt later: quantum-vulnerable keys that protect confidentiality, i.e. RSA and
 *    SM2 encryption keys (ENCRYPT_DECRYPT) and elliptic-curve or SM2 key agreement (KEY_AGREEMENT).
 *    Ciphertext and key-agreement messages recorded today can be decrypted once a quantum computer
 *    exists, so the exposure has already begun. IR 8547 §4 notes that systems "with long-term
 *    confidentiality needs ... may require earlier transitions", and that application guidance may
 *    move key establishment to quantum-resistant schemes "before the classical schemes are
 *    generally disallowed"; AWS's plan starts with key exchange on untrusted networks [AWS-PQC].
 * 2. Long-lived signing roots: root CAs, general-purpose subordinate CAs and KMS signing keys
 *    (SIGN_VERIFY). A forged signature needs the quantum computer at the time of the forgery, so the
 *    exposure is future, but these keys live for years (KMS cannot rotate asymmetric keys; a root is
 *    a trust anchor every relying party must replace) and must be replaced before one exists. AWS
 *    names quantum-resistant "roots of trust" as critical for systems that must stay secure for
 *    long periods [AWS-PQC-PCA]; CNSA 2.0 puts software and firmware signing first (exclusive use by
 *    2030) [CNSA2].
 * 3. Short-lived certificates: ACM end-entity certificates (renewed or replaced within their
 *    validity) and subordinate CAs in short-lived certificate mode (their certificates last at most
 *    7 days and the subordinate itself is re-issued by its parent).
 *
 * Sources (titles, URLs and quoted sentences are in docs/inventory.md):
 * [IR8547]  NIST IR 8547 ipd, Transition to Post-Quantum Cryptography Standards (Nov. 2024).
 * [SP800-131A] NIST SP 800-131A Rev. 2: RSA below 2048 bits is disallowed for signature generation
 *           and key establishment.
 * [CNSA2]   NSA, Announcing the Commercial National Security Algorithm Suite 2.0 (Sept. 2022) and
 *           the CNSA 2.0 FAQ (Dec. 2024).
 * [FIPS203/204/205] ML-KEM, ML-DSA, SLH-DSA (Aug. 2024).
 * [AWS-PQC] AWS Security Blog, AWS post-quantum cryptography migration plan.
 * [AWS-PQC-PCA] AWS Security Blog, Post-quantum (ML-DSA) code signing with AWS Private CA and AWS
 *           KMS (Nov. 2025).
 */
import type { QuantumAssessment } from './record';

/** Harvest now, decrypt later: quantum-vulnerable encryption and key agreement. */
export const PRIORITY_HARVEST_NOW_DECRYPT_LATER = 1;
/** Long-lived signing roots: root CAs, general-purpose subordinate CAs, KMS signing keys. */
export const PRIORITY_LONG_LIVED_SIGNING = 2;
/** End-entity certificates and subordinate CAs in short-lived certificate mode. */
export const PRIORITY_SHORT_LIVED = 3;
/**
 * An algorithm or usage the classifier does not know. Failing closed means it must not look safe
 * and must not wait behind the known work: it ranks with the most urgent class (1), because the
 * worst thing it could be is a quantum-vulnerable encryption or key-agreement key whose exposure
 * has already begun, and because resolving it is cheap (add the value to this file). A separate
 * number (0 or 4) would either be read as "more urgent than harvest-now-decrypt-later" or sort
 * behind known work; queries tell unknowns apart by class = 'unknown', not by priority.
 */
export const PRIORITY_UNKNOWN = 1;

type Family = 'RSA' | 'ECC' | 'EdDSA' | 'SM2' | 'ML-DSA' | 'ML-KEM' | 'AES' | 'HMAC';

interface Algorithm {
  readonly family: Family;
  /** How people name it: "RSA-2048", "ECC P-256", "ML-DSA-65". */
  readonly label: string;
  /**
   * Classical security strength in bits (NIST SP 800-57 Part 1 Table 2) for RSA and elliptic
   * curves (RSA-4096 is given its lower bound, 128); the key length for AES and HMAC; the NIST
   * security category for ML-KEM and ML-DSA.
   */
  readonly strength: number;
  /** False for curves no NIST standard approves (secp256k1, SM2). */
  readonly nistApproved?: false;
}

const VULNERABLE: ReadonlySet<Family> = new Set(['RSA', 'ECC', 'EdDSA', 'SM2']);
const POST_QUANTUM: ReadonlySet<Family> = new Set(['ML-DSA', 'ML-KEM']);

const RSA = (bits: number, strength: number): Algorithm => ({ family: 'RSA', label: `RSA-${bits}`, strength });
const EC = (curve: string, strength: number): Algorithm => ({ family: 'ECC', label: `ECC ${curve}`, strength });
const ML_DSA = (set: number, category: number): Algorithm => ({ family: 'ML-DSA', label: `ML-DSA-${set}`, strength: category });
const ML_KEM = (set: number, category: number): Algorithm => ({ family: 'ML-KEM', label: `ML-KEM-${set}`, strength: category });
const SM2: Algorithm = { family: 'SM2', label: 'SM2', strength: 128, nistApproved: false };

/**
 * Every KMS KeySpec of the pinned @aws-sdk/client-kms (test/lambda/inventory/quantum.test.ts fails
 * on a KeySpec missing here). ML-DSA categories: FIPS 204 Table 1 (44 → 2, 65 → 3, 87 → 5);
 * ML-KEM: FIPS 203 §8 (512 → 1, 768 → 3, 1024 → 5).
 */
export const KMS_KEY_SPECS: Readonly<Record<string, Algorithm>> = {
  SYMMETRIC_DEFAULT: { family: 'AES', label: 'AES-256-GCM', strength: 256 },
  HMAC_224: { family: 'HMAC', label: 'HMAC-SHA-224', strength: 224 },
  HMAC_256: { family: 'HMAC', label: 'HMAC-SHA-256', strength: 256 },
  HMAC_384: { family: 'HMAC', label: 'HMAC-SHA-384', strength: 384 },
  HMAC_512: { family: 'HMAC', label: 'HMAC-SHA-512', strength: 512 },
  RSA_2048: RSA(2048, 112),
  RSA_3072: RSA(3072, 128),
  RSA_4096: RSA(4096, 128),
  ECC_NIST_P256: EC('P-256', 128),
  ECC_NIST_P384: EC('P-384', 192),
  ECC_NIST_P521: EC('P-521', 256),
  ECC_SECG_P256K1: { ...EC('secp256k1', 128), nistApproved: false },
  ECC_NIST_EDWARDS25519: { family: 'EdDSA', label: 'Ed25519', strength: 128 },
  SM2,
  ML_DSA_44: ML_DSA(44, 2),
  ML_DSA_65: ML_DSA(65, 3),
  ML_DSA_87: ML_DSA(87, 5),
  ML_KEM_512: ML_KEM(512, 1),
  ML_KEM_768: ML_KEM(768, 3),
  ML_KEM_1024: ML_KEM(1024, 5),
};

/** Every KMS KeyUsageType of the pinned @aws-sdk/client-kms (a test fails on one missing here). */
export const KMS_KEY_USAGES: ReadonlySet<string> = new Set([
  'ENCRYPT_DECRYPT',
  'SIGN_VERIFY',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
  'ENCAPSULATE_DECAPSULATE',
]);

/**
 * ML-DSA as AWS Private CA names it (KeyAlgorithm and SigningAlgorithm ML_DSA_44/65/87, added in
 * November 2025). ACM has no such KeyAlgorithm; a private certificate from an ML-DSA CA could carry
 * one, so it is recognised there too.
 */
const ML_DSA_BY_NAME: Readonly<Record<string, Algorithm>> = {
  ML_DSA_44: ML_DSA(44, 2),
  ML_DSA_65: ML_DSA(65, 3),
  ML_DSA_87: ML_DSA(87, 5),
};

/** Every ACM KeyAlgorithm of the pinned @aws-sdk/client-acm, plus ML-DSA by name. */
export const ACM_KEY_ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  RSA_1024: RSA(1024, 80),
  RSA_2048: RSA(2048, 112),
  RSA_3072: RSA(3072, 128),
  RSA_4096: RSA(4096, 128),
  EC_prime256v1: EC('P-256', 128),
  EC_secp384r1: EC('P-384', 192),
  EC_secp521r1: EC('P-521', 256),
  ...ML_DSA_BY_NAME,
};

/**
 * AWS Private CA key algorithms. The pinned @aws-sdk/client-acm-pca 3.523.0 lists only RSA_2048,
 * RSA_4096, EC_prime256v1 and EC_secp384r1; the service has since added RSA_3072, EC_secp521r1, SM2
 * (China Regions) and ML_DSA_44/65/87 (aws-sdk-js-v3 clients/client-acm-pca/src/models/enums.ts).
 * The SDK passes an enum value it does not know through as a string, so a collector built on the
 * older SDK (or the Lambda runtime's) still sees these names: they are classified here by name.
 */
export const PCA_KEY_ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  RSA_2048: RSA(2048, 112),
  RSA_3072: RSA(3072, 128),
  RSA_4096: RSA(4096, 128),
  EC_prime256v1: EC('P-256', 128),
  EC_secp384r1: EC('P-384', 192),
  EC_secp521r1: EC('P-521', 256),
  SM2,
  ...ML_DSA_BY_NAME,
};

/**
 * AWS Private CA signing algorithms: the pinned SDK's six SHA*WITHRSA / SHA*WITHECDSA and, by name,
 * the values added since (SHA*WITHRSA_PSS, SM3WITHSM2, ML_DSA_44/65/87). The family is what
 * matters: the signature is made with the CA's key.
 */
export const PCA_SIGNING_ALGORITHMS: Readonly<Record<string, Family>> = {
  SHA256WITHRSA: 'RSA',
  SHA384WITHRSA: 'RSA',
  SHA512WITHRSA: 'RSA',
  SHA256WITHRSA_PSS: 'RSA',
  SHA384WITHRSA_PSS: 'RSA',
  SHA512WITHRSA_PSS: 'RSA',
  SHA256WITHECDSA: 'ECC',
  SHA384WITHECDSA: 'ECC',
  SHA512WITHECDSA: 'ECC',
  SM3WITHSM2: 'SM2',
  ML_DSA_44: 'ML-DSA',
  ML_DSA_65: 'ML-DSA',
  ML_DSA_87: 'ML-DSA',
};

function lookup<T>(table: Readonly<Record<string, T>>, value: string | null | undefined): T | undefined {
  return value != null && Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
}

const shown = (value: string | null | undefined): string => (value == null || value === '' ? 'none' : `"${value}"`);

/** When NIST stops allowing a quantum-vulnerable algorithm at this strength [IR8547, SP800-131A]. */
function nistDate(a: Algorithm): string {
  if (a.nistApproved === false) return 'it is not a NIST-approved algorithm, and NIST plans to remove every quantum-vulnerable algorithm from its standards by 2035 (IR 8547, draft)';
  if (a.strength < 112) return 'below 112 bits of security it is already disallowed for signatures and key establishment (NIST SP 800-131A Rev. 2)';
  if (a.strength === 112) return 'NIST IR 8547 (draft) deprecates it after 2030 and disallows it after 2035';
  return 'NIST IR 8547 (draft) disallows it after 2035 whatever its size';
}

function unknown(what: string): QuantumAssessment {
  return {
    class: 'unknown',
    priority: PRIORITY_UNKNOWN,
    reason: `Unknown ${what}: not classified, so it fails closed as priority ${PRIORITY_UNKNOWN} until someone classifies it.`,
  };
}

function postQuantum(a: Algorithm, what: string): QuantumAssessment {
  const standard = a.family === 'ML-KEM' ? 'FIPS 203' : 'FIPS 204';
  return {
    class: 'post-quantum',
    priority: null,
    reason: `${a.label} ${what}: a NIST post-quantum algorithm (${standard}, security category ${a.strength}); nothing to migrate.`,
  };
}

function symmetric(a: Algorithm): QuantumAssessment {
  return {
    class: 'symmetric',
    priority: null,
    reason: `${a.label} key: symmetric, not broken by a quantum computer at ${a.strength} bits (NIST IR 8547 counts symmetric keys of at least 128 bits as Category 1 or better); nothing to migrate.`,
  };
}

function vulnerable(a: Algorithm, priority: number, role: string, why: string): QuantumAssessment {
  return { class: 'quantum-vulnerable', priority, reason: `${a.label} ${role}: ${why}; ${nistDate(a)}.` };
}

const SHOR = "Shor's algorithm breaks it at any key size";

/**
 * A KMS key: its KeySpec decides the class, its KeyUsage the priority of a quantum-vulnerable key.
 * A quantum-vulnerable key whose usage is missing or unknown is priority 1 (it might encrypt).
 */
export function classifyKmsKey(key: { readonly keySpec: string | null | undefined; readonly keyUsage: string | null | undefined }): QuantumAssessment {
  const a = lookup(KMS_KEY_SPECS, key.keySpec);
  if (a === undefined) return unknown(`KMS key spec ${shown(key.keySpec)}`);
  if (a.family === 'AES' || a.family === 'HMAC') return symmetric(a);
  if (POST_QUANTUM.has(a.family)) return postQuantum(a, 'key');
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return vulnerable(a, PRIORITY_HARVEST_NOW_DECRYPT_LATER, 'encryption key',
        `${SHOR}, and data encrypted under it can be recorded now and decrypted later (harvest now, decrypt later)`);
    case 'KEY_AGREEMENT':
      return vulnerable(a, PRIORITY_HARVEST_NOW_DECRYPT_LATER, 'key agreement key',
        `${SHOR}, and secrets agreed with it can be recomputed from recorded exchanges (harvest now, decrypt later)`);
    case 'SIGN_VERIFY':
      return vulnerable(a, PRIORITY_LONG_LIVED_SIGNING, 'signing key',
        `${SHOR}, and a long-lived signing key (KMS cannot rotate asymmetric keys) lets whoever breaks it forge signatures`);
    default: {
      const usage = key.keyUsage == null || key.keyUsage === ''
        ? 'key with no key usage recorded'
        : KMS_KEY_USAGES.has(key.keyUsage)
          ? `key with key usage ${shown(key.keyUsage)}, which this key spec does not have`
          : `key with the unknown key usage ${shown(key.keyUsage)}`;
      return vulnerable(a, PRIORITY_HARVEST_NOW_DECRYPT_LATER, usage,
        `${SHOR}, and it might encrypt or agree keys, so it fails closed as harvest now, decrypt later`);
    }
  }
}

/**
 * An ACM certificate: an end-entity certificate, which authenticates (its key signs a handshake or
 * is the subject of a signature) and is renewed or replaced within its validity: priority 3 when
 * quantum-vulnerable. `type` (AMAZON_ISSUED, IMPORTED, PRIVATE) only names it in the reason.
 */
export function classifyCertificate(cert: { readonly keyAlgorithm: string | null | undefined; readonly type?: string | null }): QuantumAssessment {
  const a = lookup(ACM_KEY_ALGORITHMS, cert.keyAlgorithm);
  if (a === undefined) return unknown(`ACM certificate key algorithm ${shown(cert.keyAlgorithm)}`);
  const kind = cert.type === 'AMAZON_ISSUED' ? 'Amazon-issued certificate' : cert.type === 'IMPORTED' ? 'imported certificate' : cert.type === 'PRIVATE' ? 'private certificate' : 'certificate';
  if (POST_QUANTUM.has(a.family)) return postQuantum(a, kind);
  return vulnerable(a, PRIORITY_SHORT_LIVED, kind,
    `${SHOR}, but an end-entity certificate is replaced at renewal, so it moves after encryption keys and signing roots`);
}

/**
 * An AWS Private CA. Its key algorithm and signing algorithm must both be known: quantum-vulnerable
 * if either is RSA, elliptic-curve or SM2; post-quantum only if both are ML-DSA; otherwise unknown.
 * A quantum-vulnerable root is priority 2 in any usage mode (a trust anchor every relying party must
 * replace); a subordinate is 2 in general-purpose mode and 3 in short-lived certificate mode; an
 * unknown type or mode is treated as the more urgent (2).
 */
export function classifyCertificateAuthority(ca: {
  readonly keyAlgorithm: string | null | undefined;
  readonly signingAlgorithm: string | null | undefined;
  readonly type: string | null | undefined;
  readonly usageMode: string | null | undefined;
}): QuantumAssessment {
  const a = lookup(PCA_KEY_ALGORITHMS, ca.keyAlgorithm);
  const signing = lookup(PCA_SIGNING_ALGORITHMS, ca.signingAlgorithm);
  const keyVulnerable = a !== undefined && VULNERABLE.has(a.family);
  const signingVulnerable = signing !== undefined && VULNERABLE.has(signing);
  if (!keyVulnerable && !signingVulnerable) {
    if (a === undefined) return unknown(`Private CA key algorithm ${shown(ca.keyAlgorithm)}`);
    if (signing === undefined) return unknown(`Private CA signing algorithm ${shown(ca.signingAlgorithm)}`);
    return postQuantum(a, ca.type === 'ROOT' ? 'root CA' : ca.type === 'SUBORDINATE' ? 'subordinate CA' : 'CA');
  }
  // The CA's key decides what a quantum computer attacks; with an unknown key, name the signature.
  const algorithm: Algorithm = keyVulnerable ? (a as Algorithm) : { family: signing as Family, label: `${ca.signingAlgorithm} (key algorithm ${shown(ca.keyAlgorithm)})`, strength: 128 };
  const signs = `${SHOR}, and whoever breaks it can issue certificates that its relying parties trust`;
  if (ca.type === 'ROOT') {
    return vulnerable(algorithm, PRIORITY_LONG_LIVED_SIGNING, 'root CA', `${signs}; a root is a trust anchor every relying party must replace`);
  }
  if (ca.type === 'SUBORDINATE' && ca.usageMode === 'SHORT_LIVED_CERTIFICATE') {
    return vulnerable(algorithm, PRIORITY_SHORT_LIVED, 'subordinate CA in short-lived certificate mode',
      `${signs}, but its certificates last at most 7 days and its parent can re-issue it quickly`);
  }
  if (ca.type === 'SUBORDINATE' && ca.usageMode === 'GENERAL_PURPOSE') {
    return vulnerable(algorithm, PRIORITY_LONG_LIVED_SIGNING, 'general-purpose subordinate CA', `${signs} for years`);
  }
  return vulnerable(algorithm, PRIORITY_LONG_LIVED_SIGNING, `CA of type ${shown(ca.type)} in usage mode ${shown(ca.usageMode)}`,
    `${signs}; an unknown type or mode is treated as a long-lived signing root`);
}

/**
 * A Secrets Manager secret: its value is whatever the owner stored and has no algorithm of its own.
 * It is encrypted with a KMS key (AES-256 envelope encryption), which the inventory judges as a key.
 */
export function classifySecret(): QuantumAssessment {
  return {
    class: 'not-applicable',
    priority: null,
    reason: 'Secret: its value has no algorithm of its own; the KMS key that encrypts it is judged as a key of its own.',
  };
}
