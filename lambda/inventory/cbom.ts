/**
 * The cryptographic bill of materials: a day of the inventory (record.ts) as one CycloneDX 1.6
 * document, every asset a component of type `cryptographic-asset` with its `cryptoProperties`.
 * Pure: no AWS calls, no clock (the time comes in `meta`); the same records give the same bytes.
 *
 * Built with @cyclonedx/cyclonedx-library 10.3.0: the Bom, its Metadata and every Component
 * (type, name, bom-ref, properties, nested components) are the library's models, turned into JSON
 * by the library's JSON normalizer for spec 1.6. The library's models have no `cryptoProperties`
 * in 10.3.0 (nor the normalizer), so this file builds them itself, field for field from the official
 * schema (bom-1.6.schema.json, definitions.cryptoProperties, which the library ships as
 * res/schema/bom-1.6.SNAPSHOT.schema.json), and adds them to each normalized component. The tests
 * validate the result against that schema with the library's JsonStrictValidator.
 *
 * The document is written component by component (`CbomWriter`), so a day larger than memory can
 * stream to S3 (lambda/inventory-cbom.ts); `buildCbom` writes to a string with the same writer.
 *
 * Mapping (docs/inventory.md, "CycloneDX CBOM", has the table):
 * - KMS key → related-crypto-material: type secret-key (symmetric, HMAC) or private-key (asymmetric:
 *   KMS holds the private key; its public key is a download of it), state from the key state,
 *   size, creationDate, updateDate (last rotation), algorithmRef to an `algorithm` component,
 *   securedBy the HSM (or external key manager) its origin says.
 * - ACM certificate → certificate: notValidBefore/After, signatureAlgorithmRef, subjectPublicKeyRef
 *   to a nested public-key component; subjectName only where ACM builds the subject itself.
 * - Private CA → certificate, with the CA's type, mode and key storage as properties; it `provides`
 *   its signing algorithm in the dependency graph, and a root (self-signed) also names it as its
 *   signatureAlgorithmRef.
 * - Secret → related-crypto-material of type `credential` (1.6 has no `secret` type), securedBy
 *   AWS KMS with the algorithm of the key that encrypts it.
 * - Everything the schema has no field for is a namespaced property (`crypto-asset-monitoring:…`).
 */
import { createHash } from 'crypto';
import type { Enums as EnumsNs, Models as ModelsNs, Serialize as SerializeNs, Spec as SpecNs } from '@cyclonedx/cyclonedx-library';
import { INVENTORY_SCHEMA_VERSION, type AssetType, type InventoryRecord } from './record';

// The package's entry point also loads its XML serializer and validators, which require optional
// packages (xmlbuilder2, libxmljs2) at the top of their modules: esbuild cannot bundle that entry
// point without them. The models, enums and spec come from the package's own subpath exports; the
// JSON normalizer is exported only through ./Serialize (which loads the XML serializer too), so it
// is required by its file. Types come from the package's declarations.
/* eslint-disable @typescript-eslint/no-require-imports */
const Enums: typeof EnumsNs = require('@cyclonedx/cyclonedx-library/Enums');
const Models: typeof ModelsNs = require('@cyclonedx/cyclonedx-library/Models');
const Spec: typeof SpecNs = require('@cyclonedx/cyclonedx-library/Spec');
const Normalize: typeof SerializeNs.JSON.Normalize = require('../../node_modules/@cyclonedx/cyclonedx-library/dist.node/serialize/json/normalize.js');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Every property name starts with this and a colon (CycloneDX property taxonomy style). */
export const PROPERTY_NAMESPACE = 'crypto-asset-monitoring';
/** The media type of the document, as CycloneDX registers it. */
export const CBOM_CONTENT_TYPE = 'application/vnd.cyclonedx+json; version=1.6';

const prop = (name: string) => `${PROPERTY_NAMESPACE}:${name}`;

// ---------------------------------------------------------------------------------------------
// cryptoProperties as the 1.6 schema defines them (definitions.cryptoProperties).

export type Primitive = 'drbg' | 'mac' | 'block-cipher' | 'stream-cipher' | 'signature' | 'hash' | 'pke' | 'xof' | 'kdf' | 'key-agree' | 'kem' | 'ae' | 'combiner' | 'other' | 'unknown';
export type CryptoFunction = 'generate' | 'keygen' | 'encrypt' | 'decrypt' | 'digest' | 'tag' | 'keyderive' | 'sign' | 'verify' | 'encapsulate' | 'decapsulate' | 'other' | 'unknown';
export type RelatedCryptoMaterialType =
  | 'private-key'
  | 'public-key'
  | 'secret-key'
  | 'key'
  | 'ciphertext'
  | 'signature'
  | 'digest'
  | 'initialization-vector'
  | 'nonce'
  | 'seed'
  | 'salt'
  | 'shared-secret'
  | 'tag'
  | 'additional-data'
  | 'password'
  | 'credential'
  | 'token'
  | 'other'
  | 'unknown';
/** NIST SP 800-57 key states. */
export type KeyState = 'pre-activation' | 'active' | 'suspended' | 'deactivated' | 'compromised' | 'destroyed';

export interface AlgorithmProperties {
  readonly primitive: Primitive;
  readonly parameterSetIdentifier?: string;
  readonly curve?: string;
  readonly mode?: 'cbc' | 'ecb' | 'ccm' | 'gcm' | 'cfb' | 'ofb' | 'ctr' | 'other' | 'unknown';
  readonly padding?: 'pkcs5' | 'pkcs7' | 'pkcs1v15' | 'oaep' | 'raw' | 'other' | 'unknown';
  readonly cryptoFunctions?: readonly CryptoFunction[];
  readonly classicalSecurityLevel?: number;
  readonly nistQuantumSecurityLevel?: number;
}

export interface CertificateProperties {
  readonly subjectName?: string;
  readonly issuerName?: string;
  readonly notValidBefore?: string;
  readonly notValidAfter?: string;
  readonly signatureAlgorithmRef?: string;
  readonly subjectPublicKeyRef?: string;
  readonly certificateFormat?: string;
  readonly certificateExtension?: string;
}

export interface RelatedCryptoMaterialProperties {
  readonly type?: RelatedCryptoMaterialType;
  readonly id?: string;
  readonly state?: KeyState;
  readonly algorithmRef?: string;
  readonly creationDate?: string;
  readonly activationDate?: string;
  readonly updateDate?: string;
  readonly expirationDate?: string;
  readonly size?: number;
  readonly format?: string;
  readonly securedBy?: { readonly mechanism?: string; readonly algorithmRef?: string };
}

export interface CryptoProperties {
  readonly assetType: 'algorithm' | 'certificate' | 'protocol' | 'related-crypto-material';
  readonly algorithmProperties?: AlgorithmProperties;
  readonly certificateProperties?: CertificateProperties;
  readonly relatedCryptoMaterialProperties?: RelatedCryptoMaterialProperties;
  readonly oid?: string;
}

// ---------------------------------------------------------------------------------------------
// Algorithms: AWS's names → CycloneDX algorithm components. Names follow the patterns of
// CycloneDX's cryptography registry (cryptography-defs.json: RSA-OAEP[-keyLength],
// ECDSA[-curve][-hash], HMAC[-hash], ML-DSA-(44|65|87), RSA-PKCS1-1.5[-hash], SM2-ENC, ...).
// Security levels: classical from NIST SP 800-57 Part 1 Rev. 5 Table 2 (RSA-4096 from SP 800-56B
// Rev. 2 Appendix D), NIST quantum category 0 for what Shor's algorithm breaks, FIPS 204 for ML-DSA,
// FIPS 203 for ML-KEM, AES-256 = category 5 and SM4 (128-bit) = category 1 by definition of the
// categories (AES key search). HMAC gets
// neither: its strength depends on key and tag length as used, which the key alone does not fix.

export interface AlgorithmSpec {
  /** The component's name (CycloneDX registry style), or AWS's own value when unknown. */
  readonly name: string;
  readonly properties: AlgorithmProperties;
  readonly oid?: string;
  /** The AWS value it was made from, when the name is AWS's own (unknown algorithms). */
  readonly awsName?: string;
}

export const ALGORITHM_REF_PREFIX = `${PROPERTY_NAMESPACE}:algorithm:`;

/** The bom-ref of an algorithm component: stable, one per distinct algorithm and primitive. */
export function algorithmRef(spec: AlgorithmSpec): string {
  return spec.awsName !== undefined ? `${ALGORITHM_REF_PREFIX}unknown:${spec.awsName}` : `${ALGORITHM_REF_PREFIX}${spec.name}`;
}

const SIGN: readonly CryptoFunction[] = ['sign', 'verify'];
const ENCRYPT: readonly CryptoFunction[] = ['encrypt', 'decrypt'];

const RSA_CLASSICAL: Readonly<Record<number, number>> = { 1024: 80, 2048: 112, 3072: 128, 4096: 152 };

interface Curve {
  readonly name: string;
  readonly classical: number;
  readonly oid?: string;
}
const NIST_P256: Curve = { name: 'P-256', classical: 128, oid: '1.2.840.10045.3.1.7' };
const NIST_P384: Curve = { name: 'P-384', classical: 192, oid: '1.3.132.0.34' };
const NIST_P521: Curve = { name: 'P-521', classical: 256, oid: '1.3.132.0.35' };
const SECP256K1: Curve = { name: 'secp256k1', classical: 128, oid: '1.3.132.0.10' };

function unknownAlgorithm(awsName: string): AlgorithmSpec {
  return { name: awsName, awsName, properties: { primitive: 'unknown' } };
}

function rsaSignature(bits: number): AlgorithmSpec {
  return {
    name: `RSA-${bits}`,
    oid: '1.2.840.113549.1.1.1',
    properties: { primitive: 'signature', parameterSetIdentifier: String(bits), cryptoFunctions: SIGN, classicalSecurityLevel: RSA_CLASSICAL[bits], nistQuantumSecurityLevel: 0 },
  };
}

function rsaEncryption(bits: number): AlgorithmSpec {
  return {
    name: `RSA-OAEP-${bits}`,
    oid: '1.2.840.113549.1.1.7',
    properties: { primitive: 'pke', parameterSetIdentifier: String(bits), padding: 'oaep', cryptoFunctions: ENCRYPT, classicalSecurityLevel: RSA_CLASSICAL[bits], nistQuantumSecurityLevel: 0 },
  };
}

function ecdsa(curve: Curve): AlgorithmSpec {
  return { name: `ECDSA-${curve.name}`, properties: { primitive: 'signature', curve: curve.name, cryptoFunctions: SIGN, classicalSecurityLevel: curve.classical, nistQuantumSecurityLevel: 0 } };
}

function ecdh(curve: Curve): AlgorithmSpec {
  return { name: `ECDH-${curve.name}`, properties: { primitive: 'key-agree', curve: curve.name, cryptoFunctions: ['keyderive'], classicalSecurityLevel: curve.classical, nistQuantumSecurityLevel: 0 } };
}

const SM2_SIGNATURE: AlgorithmSpec = {
  name: 'SM2',
  oid: '1.2.156.10197.1.301',
  properties: { primitive: 'signature', curve: 'SM2', cryptoFunctions: SIGN, classicalSecurityLevel: 128, nistQuantumSecurityLevel: 0 },
};
const SM2_ENCRYPTION: AlgorithmSpec = { name: 'SM2-ENC', properties: { primitive: 'pke', curve: 'SM2', cryptoFunctions: ENCRYPT, classicalSecurityLevel: 128, nistQuantumSecurityLevel: 0 } };
const SM2_KEY_AGREEMENT: AlgorithmSpec = { name: 'SM2-KEX', properties: { primitive: 'key-agree', curve: 'SM2', cryptoFunctions: ['keyderive'], classicalSecurityLevel: 128, nistQuantumSecurityLevel: 0 } };
const ED25519: AlgorithmSpec = { name: 'Ed25519', oid: '1.3.101.112', properties: { primitive: 'signature', curve: 'Ed25519', cryptoFunctions: SIGN, classicalSecurityLevel: 128, nistQuantumSecurityLevel: 0 } };

/** ML-DSA (FIPS 204): parameter set → NIST security category (FIPS 204 Table 1) and OID (NIST CSOR). */
const ML_DSA: Readonly<Record<string, { category: number; oid: string }>> = {
  '44': { category: 2, oid: '2.16.840.1.101.3.4.3.17' },
  '65': { category: 3, oid: '2.16.840.1.101.3.4.3.18' },
  '87': { category: 5, oid: '2.16.840.1.101.3.4.3.19' },
};
function mlDsa(set: string): AlgorithmSpec {
  const p = ML_DSA[set];
  return { name: `ML-DSA-${set}`, oid: p.oid, properties: { primitive: 'signature', parameterSetIdentifier: set, cryptoFunctions: SIGN, nistQuantumSecurityLevel: p.category } };
}

/** ML-KEM (FIPS 203): parameter set → NIST security category (FIPS 203 Table 2) and OID (NIST CSOR). */
const ML_KEM: Readonly<Record<string, { category: number; oid: string }>> = {
  '512': { category: 1, oid: '2.16.840.1.101.3.4.4.1' },
  '768': { category: 3, oid: '2.16.840.1.101.3.4.4.2' },
  '1024': { category: 5, oid: '2.16.840.1.101.3.4.4.3' },
};
function mlKem(set: string): AlgorithmSpec {
  const p = ML_KEM[set];
  return { name: `ML-KEM-${set}`, oid: p.oid, properties: { primitive: 'kem', parameterSetIdentifier: set, cryptoFunctions: ['encapsulate', 'decapsulate'], nistQuantumSecurityLevel: p.category } };
}

/** KMS SYMMETRIC_DEFAULT: AES-256-GCM, except in the China Regions, where it is SM4 (128-bit). */
const AES_256_GCM: AlgorithmSpec = {
  name: 'AES-256-GCM',
  oid: '2.16.840.1.101.3.4.1.46',
  properties: { primitive: 'ae', parameterSetIdentifier: '256', mode: 'gcm', cryptoFunctions: ENCRYPT, classicalSecurityLevel: 256, nistQuantumSecurityLevel: 5 },
};
const SM4: AlgorithmSpec = {
  name: 'SM4',
  oid: '1.2.156.10197.1.104',
  properties: { primitive: 'block-cipher', parameterSetIdentifier: '128', cryptoFunctions: ENCRYPT, classicalSecurityLevel: 128, nistQuantumSecurityLevel: 1 },
};

const HMAC_OID: Readonly<Record<string, string>> = { '224': '1.2.840.113549.2.8', '256': '1.2.840.113549.2.9', '384': '1.2.840.113549.2.10', '512': '1.2.840.113549.2.11' };
function hmac(bits: string): AlgorithmSpec {
  return { name: `HMAC-SHA-${bits}`, oid: HMAC_OID[bits], properties: { primitive: 'mac', parameterSetIdentifier: bits, cryptoFunctions: ['tag', 'verify'] } };
}

const isChinaRegion = (region: string | null | undefined) => typeof region === 'string' && region.startsWith('cn-');

/** The key size in bits a KMS key spec fixes; undefined where a bit size says nothing (ML-DSA, ML-KEM: their parameter set does) or the spec is unknown. */
export function kmsKeySize(keySpec: string | null | undefined, region?: string | null): number | undefined {
  if (!keySpec) return undefined;
  const rsa = /^RSA_(\d+)$/.exec(keySpec);
  if (rsa) return Number(rsa[1]);
  const hmacBits = /^HMAC_(\d+)$/.exec(keySpec);
  if (hmacBits) return Number(hmacBits[1]);
  switch (keySpec) {
    case 'SYMMETRIC_DEFAULT':
      return isChinaRegion(region) ? 128 : 256;
    case 'ECC_NIST_P256':
    case 'ECC_SECG_P256K1':
    case 'SM2':
    case 'ECC_NIST_EDWARDS25519':
      return 256;
    case 'ECC_NIST_P384':
      return 384;
    case 'ECC_NIST_P521':
      return 521;
    default:
      return undefined;
  }
}

const KMS_CURVES: Readonly<Record<string, Curve>> = { ECC_NIST_P256: NIST_P256, ECC_NIST_P384: NIST_P384, ECC_NIST_P521: NIST_P521, ECC_SECG_P256K1: SECP256K1 };

/**
 * The algorithm a KMS key performs: its key spec with its key usage. Undefined without a key spec;
 * an unknown algorithm (primitive `unknown`, AWS's name) for a spec or usage this file does not know.
 */
export function kmsKeyAlgorithm(keySpec: string | null | undefined, keyUsage: string | null | undefined, region?: string | null): AlgorithmSpec | undefined {
  if (!keySpec) return undefined;
  const unknown = () => unknownAlgorithm(keyUsage ? `${keySpec}/${keyUsage}` : keySpec);
  if (keySpec === 'SYMMETRIC_DEFAULT') return keyUsage === 'ENCRYPT_DECRYPT' || !keyUsage ? (isChinaRegion(region) ? SM4 : AES_256_GCM) : unknown();
  const hmacBits = /^HMAC_(224|256|384|512)$/.exec(keySpec);
  if (hmacBits) return keyUsage === 'GENERATE_VERIFY_MAC' || !keyUsage ? hmac(hmacBits[1]) : unknown();
  const rsa = /^RSA_(2048|3072|4096)$/.exec(keySpec);
  if (rsa) {
    if (keyUsage === 'SIGN_VERIFY') return rsaSignature(Number(rsa[1]));
    if (keyUsage === 'ENCRYPT_DECRYPT') return rsaEncryption(Number(rsa[1]));
    return unknown();
  }
  const curve = KMS_CURVES[keySpec];
  if (curve) {
    if (keyUsage === 'SIGN_VERIFY') return ecdsa(curve);
    if (keyUsage === 'KEY_AGREEMENT' && keySpec !== 'ECC_SECG_P256K1') return ecdh(curve);
    return unknown();
  }
  if (keySpec === 'SM2') {
    if (keyUsage === 'SIGN_VERIFY') return SM2_SIGNATURE;
    if (keyUsage === 'ENCRYPT_DECRYPT') return SM2_ENCRYPTION;
    if (keyUsage === 'KEY_AGREEMENT') return SM2_KEY_AGREEMENT;
    return unknown();
  }
  if (keySpec === 'ECC_NIST_EDWARDS25519') return keyUsage === 'SIGN_VERIFY' ? ED25519 : unknown();
  const dsa = /^ML_DSA_(44|65|87)$/.exec(keySpec);
  if (dsa) return keyUsage === 'SIGN_VERIFY' || !keyUsage ? mlDsa(dsa[1]) : unknown();
  const kem = /^ML_KEM_(512|768|1024)$/.exec(keySpec);
  if (kem) return keyUsage === 'ENCAPSULATE_DECAPSULATE' || !keyUsage ? mlKem(kem[1]) : unknown();
  return unknown();
}

const CERT_CURVES: Readonly<Record<string, Curve>> = { EC_prime256v1: NIST_P256, EC_secp384r1: NIST_P384, EC_secp521r1: NIST_P521 };

/**
 * The algorithm of a certificate's or CA's key (ACM and AWS Private CA KeyAlgorithm values). The
 * key of a TLS or CA certificate signs (TLS 1.3 handshakes, issued certificates), so RSA and EC keys
 * map to their signature algorithm: the same component as a KMS signing key of that spec.
 */
export function certificateKeyAlgorithm(keyAlgorithm: string | null | undefined): AlgorithmSpec | undefined {
  if (!keyAlgorithm) return undefined;
  const rsa = /^RSA_(1024|2048|3072|4096)$/.exec(keyAlgorithm);
  if (rsa) return rsaSignature(Number(rsa[1]));
  const curve = CERT_CURVES[keyAlgorithm];
  if (curve) return ecdsa(curve);
  if (keyAlgorithm === 'SM2') return SM2_SIGNATURE;
  const dsa = /^ML_DSA_(44|65|87)$/.exec(keyAlgorithm);
  if (dsa) return mlDsa(dsa[1]);
  return unknownAlgorithm(keyAlgorithm);
}

/** Key size in bits of a certificate key algorithm; undefined for ML-DSA and unknown values. */
export function certificateKeySize(keyAlgorithm: string | null | undefined): number | undefined {
  if (!keyAlgorithm) return undefined;
  const rsa = /^RSA_(\d+)$/.exec(keyAlgorithm);
  if (rsa) return Number(rsa[1]);
  return { EC_prime256v1: 256, EC_secp384r1: 384, EC_secp521r1: 521, SM2: 256 }[keyAlgorithm];
}

const SIGNATURE_OIDS: Readonly<Record<string, string>> = {
  'RSA-PKCS1-1.5-MD5': '1.2.840.113549.1.1.4',
  'RSA-PKCS1-1.5-SHA-1': '1.2.840.113549.1.1.5',
  'RSA-PKCS1-1.5-SHA-256': '1.2.840.113549.1.1.11',
  'RSA-PKCS1-1.5-SHA-384': '1.2.840.113549.1.1.12',
  'RSA-PKCS1-1.5-SHA-512': '1.2.840.113549.1.1.13',
  'ECDSA-SHA-256': '1.2.840.10045.4.3.2',
  'ECDSA-SHA-384': '1.2.840.10045.4.3.3',
  'ECDSA-SHA-512': '1.2.840.10045.4.3.4',
  'SM2-SM3': '1.2.156.10197.1.501',
};

/**
 * A certificate's signature algorithm (ACM DescribeCertificate SignatureAlgorithm, e.g.
 * SHA256WITHRSA) or a CA's signing algorithm (AWS Private CA SigningAlgorithm, e.g. ML_DSA_65).
 */
export function signatureAlgorithm(value: string | null | undefined): AlgorithmSpec | undefined {
  if (!value) return undefined;
  const v = value.toUpperCase();
  const dsa = /^ML_DSA_(44|65|87)$/.exec(v);
  if (dsa) return mlDsa(dsa[1]);
  const m = /^(MD5|SHA1|SHA224|SHA256|SHA384|SHA512)WITH(RSA|ECDSA|RSASSA_PSS|RSAPSS)$/.exec(v);
  if (m) {
    const hash = m[1] === 'MD5' ? 'MD5' : `SHA-${m[1].slice(3) || '1'}`;
    const scheme = m[2];
    if (scheme === 'RSA') {
      const name = `RSA-PKCS1-1.5-${hash}`;
      return { name, oid: SIGNATURE_OIDS[name], properties: { primitive: 'signature', padding: 'pkcs1v15', cryptoFunctions: SIGN, nistQuantumSecurityLevel: 0 } };
    }
    if (scheme === 'ECDSA') {
      const name = `ECDSA-${hash}`;
      return { name, oid: SIGNATURE_OIDS[name], properties: { primitive: 'signature', cryptoFunctions: SIGN, nistQuantumSecurityLevel: 0 } };
    }
    return { name: `RSA-PSS-${hash}`, oid: '1.2.840.113549.1.1.10', properties: { primitive: 'signature', cryptoFunctions: SIGN, nistQuantumSecurityLevel: 0 } };
  }
  if (v === 'SM3WITHSM2') return { name: 'SM2-SM3', oid: SIGNATURE_OIDS['SM2-SM3'], properties: { primitive: 'signature', curve: 'SM2', cryptoFunctions: SIGN, nistQuantumSecurityLevel: 0 } };
  return unknownAlgorithm(value);
}

// ---------------------------------------------------------------------------------------------
// Record fields → CycloneDX.

/** KMS key states → NIST SP 800-57 states; undefined (property only) for a state not listed. */
export const KMS_KEY_STATES: Readonly<Record<string, KeyState>> = {
  Creating: 'pre-activation',
  PendingImport: 'pre-activation',
  Enabled: 'active',
  Updating: 'active',
  Disabled: 'suspended',
  Unavailable: 'suspended',
  PendingDeletion: 'deactivated',
  PendingReplicaDeletion: 'deactivated',
};

/** Where a KMS key's material is kept, by origin (securedBy.mechanism; the schema's examples are HSM, TPM, SGX, Software, None). */
export const KMS_KEY_PROTECTION: Readonly<Record<string, string>> = {
  // KMS keeps key material, its own or imported, only in its FIPS 140-3 Level 3 validated HSMs.
  AWS_KMS: 'HSM',
  EXTERNAL: 'HSM',
  AWS_CLOUDHSM: 'HSM',
  // An external key store: the material never leaves the customer's key manager outside AWS.
  EXTERNAL_KEY_STORE: 'External key manager',
};

/** The secret type in CycloneDX 1.6 terms (relatedCryptoMaterialProperties.type has no `secret`). */
export const SECRET_MATERIAL_TYPE: RelatedCryptoMaterialType = 'credential';

const ISO_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

/** An ISO 8601 date-time the schema accepts (RFC 3339, UTC), or undefined for null or an unreadable value. */
export function dateTime(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  // What the records hold (toISOString): already right, and most dates of a day are like this.
  if (ISO_UTC.test(value)) return value;
  // A date without time (Secrets Manager's LastAccessedDate) is that day's start in UTC.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const stringOf = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
};

type Details = Readonly<Record<string, unknown>>;

/** A record's details object as loose fields: a line from the bucket may lack any of them. */
const details = (d: object | null | undefined): Details => (d ?? {}) as Details;

/** What one asset becomes: its component (with nested ones), their cryptoProperties by bom-ref, the algorithms they refer to and its edges. */
interface MappedAsset {
  readonly component: ModelsNs.Component;
  readonly crypto: ReadonlyMap<string, CryptoProperties>;
  readonly algorithms: readonly AlgorithmSpec[];
  readonly dependsOn: readonly string[];
  readonly provides: readonly string[];
}

/** Facts the writer knows from earlier records, for the dependency graph. */
interface KnownAssets {
  /** Every Private CA written so far (CAs are written first). */
  readonly certificateAuthorities: ReadonlySet<string>;
  /** The KMS keys of the account and Region being written (keys come before their secrets). */
  readonly keys: ReadonlySet<string>;
}

class PropertyList {
  readonly items: [string, string][] = [];
  add(name: string, value: unknown): this {
    const s = stringOf(value);
    if (s !== undefined) this.items.push([prop(name), s]);
    return this;
  }
  addAll(name: string, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) this.add(name, v);
    return this;
  }
}

function commonProperties(r: InventoryRecord): PropertyList {
  const p = new PropertyList()
    .add('assetType', r.assetType)
    .add('accountId', r.accountId)
    .add('region', r.region)
    .add('quantumClass', r.quantum?.class)
    .add('migrationPriority', r.quantum?.priority)
    .add('quantumReason', r.quantum?.reason)
    .add('monthlyCostUsd', r.cost?.monthlyUsd)
    .add('costBasis', r.cost?.basis)
    .add('priceDate', r.cost?.priceDate)
    .add('algorithm', r.algorithm)
    .add('collectedAt', r.collectedAt)
    .add('collectedBy', r.collectedBy);
  return p;
}

function component(r: InventoryRecord, name: string, props: PropertyList): ModelsNs.Component {
  const c = new Models.Component(Enums.ComponentType.CryptographicAsset, name, { bomRef: r.arn });
  props.addAll('gap', r.gaps);
  for (const [n, v] of props.items) c.properties.add(new Models.Property(n, v));
  return c;
}

function publicKey(owner: InventoryRecord, ownerName: string, keyAlgorithm: string | null | undefined, alg: AlgorithmSpec | undefined): [ModelsNs.Component, CryptoProperties] {
  const ref = `${owner.arn}#subject-public-key`;
  const c = new Models.Component(Enums.ComponentType.CryptographicAsset, `${ownerName} public key`, { bomRef: ref });
  if (keyAlgorithm) c.properties.add(new Models.Property(prop('keyAlgorithm'), keyAlgorithm));
  const crypto: CryptoProperties = {
    assetType: 'related-crypto-material',
    relatedCryptoMaterialProperties: omitUndefined<RelatedCryptoMaterialProperties>({ type: 'public-key', algorithmRef: alg && algorithmRef(alg), size: certificateKeySize(keyAlgorithm) }),
  };
  return [c, crypto];
}

function mapKmsKey(r: InventoryRecord & { assetType: 'kms-key' }): MappedAsset {
  const k = details(r.kms);
  const keySpec = stringOf(k.keySpec);
  const keyUsage = stringOf(k.keyUsage);
  const alg = kmsKeyAlgorithm(keySpec, keyUsage, r.region);
  const symmetric = keySpec === 'SYMMETRIC_DEFAULT' || /^HMAC_/.test(keySpec ?? '');
  const type: RelatedCryptoMaterialType = !keySpec || alg?.awsName !== undefined ? 'key' : symmetric ? 'secret-key' : 'private-key';
  const origin = stringOf(k.origin);
  const keyState = stringOf(k.keyState);
  const props = commonProperties(r)
    .add('keyManager', k.keyManager)
    .add('keySpec', keySpec)
    .add('keyUsage', keyUsage)
    .add('origin', origin)
    .add('keyState', keyState)
    .add('multiRegion', k.multiRegion)
    .add('multiRegionKeyType', k.multiRegionKeyType)
    .add('rotationEnabled', k.rotationEnabled)
    .add('rotationPeriodDays', k.rotationPeriodDays)
    .add('nextRotationAt', k.nextRotationAt)
    .add('rotationCount', k.rotationCount)
    .add('lastUsedAt', k.lastUsedAt)
    .add('reportedUnused', k.reportedUnused);
  const c = component(r, r.id || r.arn, props);
  const mechanism = origin ? KMS_KEY_PROTECTION[origin] : undefined;
  const crypto: CryptoProperties = {
    assetType: 'related-crypto-material',
    relatedCryptoMaterialProperties: omitUndefined({
      type,
      id: r.id || undefined,
      state: keyState ? KMS_KEY_STATES[keyState] : undefined,
      algorithmRef: alg && algorithmRef(alg),
      creationDate: dateTime(r.createdAt),
      updateDate: dateTime(stringOf(k.lastRotatedAt)),
      expirationDate: dateTime(r.expiresAt),
      size: kmsKeySize(keySpec, r.region),
      securedBy: mechanism ? { mechanism } : undefined,
    }),
  };
  return { component: c, crypto: new Map([[r.arn, crypto]]), algorithms: alg ? [alg] : [], dependsOn: [], provides: [] };
}

/** Where ACM builds the subject itself (certificates it issues, public or private), it is CN=<domain name>. */
const ACM_BUILT_SUBJECT = new Set(['AMAZON_ISSUED', 'PRIVATE']);

function mapCertificate(r: InventoryRecord & { assetType: 'certificate' }, known: KnownAssets): MappedAsset {
  const d = details(r.certificate);
  const type = stringOf(d.type);
  const domainName = stringOf(d.domainName);
  const keyAlgorithm = stringOf(d.keyAlgorithm);
  const sigAlgorithm = stringOf(d.signatureAlgorithm);
  const issuer = stringOf(d.issuingCertificateAuthorityArn);
  const keyAlg = certificateKeyAlgorithm(keyAlgorithm);
  const sigAlg = signatureAlgorithm(sigAlgorithm);
  const name = domainName ?? (r.id || r.arn);
  const props = commonProperties(r)
    .add('certificateType', type)
    .add('status', d.status)
    .add('keyAlgorithm', keyAlgorithm)
    .add('signatureAlgorithm', sigAlgorithm)
    .add('domainName', domainName)
    .add('domainCount', d.domainCount)
    .add('createdAt', r.createdAt)
    .add('inUse', d.inUse)
    .addAll('inUseBy', d.inUseBy)
    .add('renewalEligibility', d.renewalEligibility)
    .add('issuingCertificateAuthorityArn', issuer);
  const c = component(r, name, props);
  const [pk, pkCrypto] = publicKey(r, name, keyAlgorithm, keyAlg);
  c.components.add(pk);
  return certificateAsset(r, c, [pk, pkCrypto], {
    certificate: {
      subjectName: domainName && type && ACM_BUILT_SUBJECT.has(type) ? `CN=${domainName}` : undefined,
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      signatureAlgorithmRef: sigAlg && algorithmRef(sigAlg),
    },
    algorithms: [keyAlg, sigAlg],
    dependsOn: issuer && known.certificateAuthorities.has(issuer) ? [issuer] : [],
    provides: [],
  });
}

/**
 * A certificate asset (an ACM certificate, or a CA's own certificate) with its nested public key:
 * the X.509 certificate properties, the two components' crypto properties and the algorithms used.
 */
function certificateAsset(
  r: InventoryRecord,
  c: ModelsNs.Component,
  [pk, pkCrypto]: [ModelsNs.Component, CryptoProperties],
  a: {
    certificate: { subjectName?: string; notBefore: unknown; notAfter: unknown; signatureAlgorithmRef?: string };
    algorithms: (AlgorithmSpec | undefined)[];
    dependsOn: string[];
    provides: string[];
  },
): MappedAsset {
  const crypto: CryptoProperties = {
    assetType: 'certificate',
    certificateProperties: omitUndefined({
      subjectName: a.certificate.subjectName,
      notValidBefore: dateTime(stringOf(a.certificate.notBefore)),
      notValidAfter: dateTime(stringOf(a.certificate.notAfter)),
      signatureAlgorithmRef: a.certificate.signatureAlgorithmRef,
      subjectPublicKeyRef: pk.bomRef.value,
      certificateFormat: 'X.509',
    }),
  };
  return {
    component: c,
    crypto: new Map([
      [r.arn, crypto],
      [pk.bomRef.value!, pkCrypto],
    ]),
    algorithms: a.algorithms.filter((x): x is AlgorithmSpec => x !== undefined),
    dependsOn: a.dependsOn,
    provides: a.provides,
  };
}

function mapCertificateAuthority(r: InventoryRecord & { assetType: 'certificate-authority' }): MappedAsset {
  const d = details(r.certificateAuthority);
  const caType = stringOf(d.type);
  const keyAlgorithm = stringOf(d.keyAlgorithm);
  const signingAlgorithm = stringOf(d.signingAlgorithm);
  const keyAlg = certificateKeyAlgorithm(keyAlgorithm);
  const sigAlg = signatureAlgorithm(signingAlgorithm);
  const name = r.id || r.arn;
  const props = commonProperties(r)
    .add('certificateAuthorityType', caType)
    .add('status', d.status)
    .add('keyAlgorithm', keyAlgorithm)
    .add('signingAlgorithm', signingAlgorithm)
    .add('usageMode', d.usageMode)
    .add('keyStorageSecurityStandard', d.keyStorageSecurityStandard)
    .add('createdAt', r.createdAt)
    .add('lastIssuedAt', d.lastIssuedAt);
  const c = component(r, name, props);
  const [pk, pkCrypto] = publicKey(r, name, keyAlgorithm, keyAlg);
  c.components.add(pk);
  return certificateAsset(r, c, [pk, pkCrypto], {
    certificate: {
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      // A root CA's certificate is self-signed with its signing algorithm; a subordinate's is signed by its parent.
      signatureAlgorithmRef: sigAlg && caType === 'ROOT' ? algorithmRef(sigAlg) : undefined,
    },
    algorithms: [keyAlg, sigAlg],
    dependsOn: [],
    // The CA signs what it issues with its signing algorithm: it provides (implements) it.
    provides: sigAlg ? [algorithmRef(sigAlg)] : [],
  });
}

/** The ARN of the key a secret names by id or ARN in its own account and Region; undefined for an alias or nothing. */
export function secretKeyArn(r: { arn: string; accountId: string; region: string }, kmsKeyId: string | undefined): string | undefined {
  if (!kmsKeyId) return undefined;
  if (kmsKeyId.startsWith('arn:')) return /:key\//.test(kmsKeyId) ? kmsKeyId : undefined;
  if (kmsKeyId.startsWith('alias/')) return undefined;
  const partition = r.arn.split(':')[1] || 'aws';
  return `arn:${partition}:kms:${r.region}:${r.accountId}:key/${kmsKeyId}`;
}

function mapSecret(r: InventoryRecord & { assetType: 'secret' }, known: KnownAssets): MappedAsset {
  const d = details(r.secret);
  const kmsKeyId = stringOf(d.kmsKeyId);
  // Secrets Manager encrypts with a symmetric KMS key (envelope encryption); its algorithm is the key spec's.
  const alg = kmsKeyAlgorithm('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', r.region)!;
  const props = commonProperties(r)
    .add('rotationEnabled', d.rotationEnabled)
    .add('rotationKind', d.rotationKind)
    .add('rotationLambdaArn', d.rotationLambdaArn)
    .add('nextRotationAt', d.nextRotationAt)
    .add('lastAccessedAt', d.lastAccessedAt)
    .add('deletedAt', d.deletedAt)
    .add('kmsKeyId', kmsKeyId)
    .add('encryptedWithAwsManagedKey', d.encryptedWithAwsManagedKey)
    .add('owningService', d.owningService)
    .add('primaryRegion', d.primaryRegion)
    .add('reportedUnused', d.reportedUnused);
  const c = component(r, r.id || r.arn, props);
  const crypto: CryptoProperties = {
    assetType: 'related-crypto-material',
    relatedCryptoMaterialProperties: omitUndefined<RelatedCryptoMaterialProperties>({
      type: SECRET_MATERIAL_TYPE,
      id: r.id || undefined,
      // Marked for deletion: no longer usable, destroyed when the recovery window ends. A record
      // older than the deletedAt field (undefined) says nothing either way.
      state: d.deletedAt === null ? 'active' : typeof d.deletedAt === 'string' ? 'deactivated' : undefined,
      creationDate: dateTime(r.createdAt),
      updateDate: dateTime(stringOf(d.lastRotatedAt)),
      expirationDate: dateTime(r.expiresAt),
      securedBy: { mechanism: 'AWS KMS', algorithmRef: algorithmRef(alg) },
    }),
  };
  const keyArn = secretKeyArn(r, kmsKeyId);
  return { component: c, crypto: new Map([[r.arn, crypto]]), algorithms: [alg], dependsOn: keyArn && known.keys.has(keyArn) ? [keyArn] : [], provides: [] };
}

function omitUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function algorithmComponent(spec: AlgorithmSpec): [ModelsNs.Component, CryptoProperties] {
  const c = new Models.Component(Enums.ComponentType.CryptographicAsset, spec.name, { bomRef: algorithmRef(spec) });
  if (spec.awsName !== undefined) c.properties.add(new Models.Property(prop('awsAlgorithm'), spec.awsName));
  return [c, omitUndefined({ assetType: 'algorithm', algorithmProperties: spec.properties, oid: spec.oid })];
}

// ---------------------------------------------------------------------------------------------
// Records: which to keep, in which order.

export const ASSET_TYPES: readonly AssetType[] = ['kms-key', 'certificate-authority', 'certificate', 'secret'];

/** Why a line of the inventory is not an asset of the CBOM; undefined when it is one. */
export function recordProblem(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'not a JSON object';
  const o = r as Record<string, unknown>;
  if (typeof o.arn !== 'string' || o.arn === '') return 'no arn';
  if (typeof o.assetType !== 'string' || !ASSET_TYPES.includes(o.assetType as AssetType)) return `unknown assetType ${JSON.stringify(o.assetType)}`;
  return undefined;
}

const collectedTime = (r: InventoryRecord) => {
  const t = Date.parse(r.collectedAt);
  return Number.isNaN(t) ? -Infinity : t;
};

/** One record per ARN: the one collected last (the first of equals, in the order given). */
export function latestByArn(records: Iterable<InventoryRecord>, into: Map<string, InventoryRecord> = new Map()): Map<string, InventoryRecord> {
  for (const r of records) {
    const seen = into.get(r.arn);
    if (seen === undefined || collectedTime(r) > collectedTime(seen)) into.set(r.arn, r);
  }
  return into;
}

/**
 * The order the writer needs and keeps: every Private CA first (certificates name their issuer,
 * possibly in another account), then account by account and Region by Region its KMS keys,
 * certificates and secrets (a secret names its key in its own account and Region). One group is
 * what one account, Region and asset type write under one day (inventoryObjectKey).
 */
export interface GroupKey {
  readonly accountId: string;
  readonly region: string;
  readonly assetType: AssetType;
}

const TYPE_RANK: Readonly<Record<AssetType, number>> = { 'certificate-authority': 0, 'kms-key': 1, certificate: 2, secret: 3 };

export function compareGroups(a: GroupKey, b: GroupKey): number {
  const caFirst = Number(a.assetType !== 'certificate-authority') - Number(b.assetType !== 'certificate-authority');
  return caFirst || cmp(a.accountId, b.accountId) || cmp(a.region, b.region) || TYPE_RANK[a.assetType] - TYPE_RANK[b.assetType];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A group's records as the writer takes them: by ARN. */
export function sortByArn(records: Iterable<InventoryRecord>): InventoryRecord[] {
  return [...records].sort((a, b) => cmp(a.arn, b.arn));
}

// ---------------------------------------------------------------------------------------------
// The document.

export interface CbomMeta {
  /** When the document was made (metadata.timestamp). */
  readonly generatedAt: string | Date;
  /** The AWS Organizations id (o-…), when known. */
  readonly organizationId?: string;
  /** The inventory day (YYYY-MM-DD) the records are from. */
  readonly day: string;
  /** Defaults to a name-based UUID of the organization, day and time: the same inputs, the same serial number. */
  readonly serialNumber?: string;
}

export interface CbomStats {
  readonly components: number;
  readonly assets: Readonly<Record<AssetType, number>>;
  readonly algorithms: number;
  readonly unknownAlgorithms: readonly string[];
  readonly dependencies: number;
  /** Characters written (the document is ASCII-safe JSON but for names; bytes are counted by the writer's sink). */
  readonly characters: number;
}

/** A name-based UUID (RFC 4122 version 5, SHA-1) in a namespace of this app's own. */
export function uuidV5(name: string, namespace = 'f0b7c3a2-9d4e-5c61-8a3b-2e7f4d1c9a60'): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function serialNumberFor(meta: CbomMeta): string {
  const at = new Date(meta.generatedAt).toISOString();
  return `urn:uuid:${uuidV5(`${meta.organizationId ?? ''}|${meta.day}|${at}`)}`;
}

/**
 * Writes one CBOM as a sequence of JSON text chunks to `sink`: the head when made, one chunk per
 * asset as `add` is called, and the algorithms and dependency graph on `end`. Records must come in
 * the order of `compareGroups` and, within a group, of `sortByArn`, each ARN once; memory holds only
 * the algorithms, the ARNs of the Private CAs and the KMS keys of the current account and Region.
 */
export class CbomWriter {
  private readonly normalizer = new Normalize.Factory(Spec.Spec1dot6).makeForComponent();
  private readonly algorithms = new Map<string, AlgorithmSpec>();
  private readonly certificateAuthorities = new Set<string>();
  private keys = new Set<string>();
  private keysOf = '';
  /** Edges as [ref, dependsOn, provides]: kept compact, written as JSON only at the end. */
  private readonly dependencies: [string, readonly string[], readonly string[]][] = [];
  private readonly assets: Record<AssetType, number> = { 'kms-key': 0, certificate: 0, 'certificate-authority': 0, secret: 0 };
  private components = 0;
  private characters = 0;
  private ended = false;

  constructor(
    meta: CbomMeta,
    private readonly sink: (chunk: string) => void,
  ) {
    const bom = new Models.Bom({ serialNumber: meta.serialNumber ?? serialNumberFor(meta) });
    bom.metadata.timestamp = new Date(meta.generatedAt);
    bom.metadata.lifecycles.add(Enums.LifecyclePhase.Operations);
    bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, PROPERTY_NAMESPACE, { description: 'Cryptographic inventory of an AWS organization' }));
    bom.metadata.component = new Models.Component(Enums.ComponentType.Platform, meta.organizationId ? `AWS organization ${meta.organizationId}` : 'AWS accounts', {
      bomRef: `${PROPERTY_NAMESPACE}:organization:${meta.organizationId ?? 'unknown'}`,
    });
    bom.metadata.properties.add(new Models.Property(prop('day'), meta.day));
    bom.metadata.properties.add(new Models.Property(prop('inventorySchemaVersion'), String(INVENTORY_SCHEMA_VERSION)));
    if (meta.organizationId) bom.metadata.properties.add(new Models.Property(prop('organizationId'), meta.organizationId));
    const head: Record<string, unknown> = { ...new Normalize.Factory(Spec.Spec1dot6).makeForBom().normalize(bom, { sortLists: false }) };
    delete head.components;
    delete head.dependencies;
    this.emit(`${JSON.stringify(head).slice(0, -1)},"components":[`);
  }

  /** Writes one asset. Throws on a record that recordProblem() refuses. */
  add(record: InventoryRecord): void {
    if (this.ended) throw new Error('CbomWriter.add after end');
    const problem = recordProblem(record);
    if (problem) throw new Error(`Not an inventory asset (${problem})`);
    const here = `${record.accountId}|${record.region}`;
    if (here !== this.keysOf) {
      this.keys = new Set();
      this.keysOf = here;
    }
    const known: KnownAssets = { certificateAuthorities: this.certificateAuthorities, keys: this.keys };
    let mapped: MappedAsset;
    switch (record.assetType) {
      case 'kms-key':
        mapped = mapKmsKey(record);
        this.keys.add(record.arn);
        break;
      case 'certificate':
        mapped = mapCertificate(record, known);
        break;
      case 'certificate-authority':
        mapped = mapCertificateAuthority(record);
        this.certificateAuthorities.add(record.arn);
        break;
      case 'secret':
        mapped = mapSecret(record, known);
        break;
    }
    this.assets[record.assetType]++;
    for (const a of mapped.algorithms) this.algorithms.set(algorithmRef(a), a);
    this.writeComponent(mapped.component, mapped.crypto);
    if (mapped.dependsOn.length > 0 || mapped.provides.length > 0) this.dependencies.push([record.arn, mapped.dependsOn, mapped.provides]);
  }

  /** Writes the algorithm components and the dependency graph, and closes the document. */
  end(): CbomStats {
    const steps = this.ending();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * end() in steps: yields after every `batch` edges of the dependency graph, so that an
   * asynchronous writer can send what is written before the next step.
   */
  *ending(batch = 1000): Generator<void, CbomStats> {
    if (this.ended) throw new Error('CbomWriter.end twice');
    this.ended = true;
    const refs = [...this.algorithms.keys()].sort(cmp);
    for (const ref of refs) {
      const [c, crypto] = algorithmComponent(this.algorithms.get(ref)!);
      this.writeComponent(c, new Map([[ref, crypto]]));
    }
    this.emit('],"dependencies":[');
    for (let i = 0; i < this.dependencies.length; i += batch) {
      const slice = this.dependencies.slice(i, i + batch).map(([ref, dependsOn, provides]) =>
        JSON.stringify(omitUndefined({ ref, dependsOn: dependsOn.length ? dependsOn : undefined, provides: provides.length ? provides : undefined })),
      );
      this.emit(`${i > 0 ? ',' : ''}${slice.join(',')}`);
      yield;
    }
    this.emit(']}');
    return {
      components: this.components,
      assets: { ...this.assets },
      algorithms: refs.length,
      unknownAlgorithms: refs.filter((r) => this.algorithms.get(r)!.awsName !== undefined).map((r) => this.algorithms.get(r)!.awsName!),
      dependencies: this.dependencies.length,
      characters: this.characters,
    };
  }

  private writeComponent(c: ModelsNs.Component, crypto: ReadonlyMap<string, CryptoProperties>): void {
    const normalized = this.normalizer.normalize(c, { sortLists: false }) as NormalizedComponent;
    addCryptoProperties(normalized, crypto);
    this.emit(`${this.components > 0 ? ',' : ''}${JSON.stringify(normalized)}`);
    this.components++;
  }

  private emit(chunk: string): void {
    this.characters += chunk.length;
    this.sink(chunk);
  }
}

interface NormalizedComponent {
  'bom-ref'?: string;
  cryptoProperties?: CryptoProperties;
  components?: NormalizedComponent[];
}

function addCryptoProperties(c: NormalizedComponent, crypto: ReadonlyMap<string, CryptoProperties>): void {
  const own = c['bom-ref'] !== undefined ? crypto.get(c['bom-ref']) : undefined;
  if (own) c.cryptoProperties = own;
  for (const nested of c.components ?? []) addCryptoProperties(nested, crypto);
}

/** Groups records as the inventory's objects do, each group deduplicated by ARN and sorted, in writing order. */
export function planRecords(records: Iterable<InventoryRecord>): InventoryRecord[] {
  const groups = new Map<string, { key: GroupKey; records: InventoryRecord[] }>();
  for (const r of records) {
    const key: GroupKey = { accountId: String(r.accountId ?? ''), region: String(r.region ?? ''), assetType: r.assetType };
    const id = `${key.accountId}|${key.region}|${key.assetType}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, records: [] }));
    g.records.push(r);
  }
  return [...groups.values()].sort((a, b) => compareGroups(a.key, b.key)).flatMap((g) => sortByArn(latestByArn(g.records).values()));
}

/**
 * The CBOM of a set of inventory records as CycloneDX 1.6 JSON: one component per asset (the
 * newest record of each ARN), then one per algorithm, then the dependency graph. Records that
 * recordProblem() refuses are left out.
 */
export function buildCbom(records: readonly InventoryRecord[], meta: CbomMeta): string {
  return buildCbomWithStats(records, meta).json;
}

export function buildCbomWithStats(records: readonly InventoryRecord[], meta: CbomMeta): { json: string; stats: CbomStats; skipped: number } {
  const chunks: string[] = [];
  const writer = new CbomWriter(meta, (c) => chunks.push(c));
  const valid = records.filter((r) => recordProblem(r) === undefined);
  for (const r of planRecords(valid)) writer.add(r);
  const stats = writer.end();
  return { json: chunks.join(''), stats, skipped: records.length - valid.length };
}
