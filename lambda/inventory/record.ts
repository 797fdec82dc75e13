/**
 * One line of the cryptographic inventory: an asset as a rule pass saw it, with what the app
 * concludes about it. The rules write these as JSON lines (gzip) to the central inventory bucket,
 * under `inventory/dt=<YYYY-MM-DD>/<account>-<region>-<asset type>-<run id>-<part>.json.gz`;
 * Athena reads them through one table (lib/analytics/), and the CBOM writer turns a day of them
 * into a CycloneDX document. The shape is a contract: add fields, never rename or retype one
 * (bump INVENTORY_SCHEMA_VERSION and say so in docs/upgrade.md when a meaning changes).
 *
 * Dates are ISO 8601 strings in UTC. A field AWS did not return is null, never guessed; where the
 * app could not read a fact at all, `gaps` says which and why.
 */

export const INVENTORY_SCHEMA_VERSION = 1;

export type AssetType = 'kms-key' | 'certificate' | 'certificate-authority' | 'secret';

/**
 * How a quantum computer affects the asset's cryptography:
 * - quantum-vulnerable: public-key cryptography Shor's algorithm breaks (RSA, elliptic curves, SM2);
 * - post-quantum: ML-DSA (FIPS 204) and other NIST post-quantum algorithms;
 * - symmetric: AES, HMAC and similar, not broken by a quantum computer at the sizes AWS offers;
 * - not-applicable: no cryptographic algorithm of its own to judge (a secret's value);
 * - unknown: an algorithm the classifier does not know (a new AWS enum value): fails closed.
 */
export type QuantumClass = 'quantum-vulnerable' | 'post-quantum' | 'symmetric' | 'not-applicable' | 'unknown';

export interface QuantumAssessment {
  readonly class: QuantumClass;
  /** 1 moves first; null when nothing must move (post-quantum, symmetric, not applicable). */
  readonly priority: number | null;
  /** One sentence: why this class and priority. */
  readonly reason: string;
}

export interface CostEstimate {
  /** The asset's own monthly price in US dollars; null when it cannot be priced (say why in `basis`). */
  readonly monthlyUsd: number | null;
  /** What the figure counts ("customer managed key, 2 rotations: $1 + 2 × $1"). */
  readonly basis: string;
  /** The date the prices were taken (a setting). */
  readonly priceDate: string;
}

export interface KmsKeyDetails {
  readonly keySpec: string | null;
  readonly keyUsage: string | null;
  /** AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE. */
  readonly origin: string | null;
  /** CUSTOMER or AWS. */
  readonly keyManager: string | null;
  readonly keyState: string | null;
  readonly multiRegion: boolean | null;
  /** PRIMARY or REPLICA; null for a single-Region key. */
  readonly multiRegionKeyType: string | null;
  readonly rotationEnabled: boolean | null;
  readonly rotationPeriodDays: number | null;
  readonly lastRotatedAt: string | null;
  readonly nextRotationAt: string | null;
  /** Rotations of the key material so far (ListKeyRotations), which KMS prices. */
  readonly rotationCount: number | null;
  /** Last successful cryptographic operation (GetKeyLastUsage); null when none is known. */
  readonly lastUsedAt: string | null;
  /** Whether kms-unused-key-check reports the key unused; null when the rule did not judge it. */
  readonly reportedUnused: boolean | null;
}

export interface CertificateDetails {
  /** AMAZON_ISSUED, IMPORTED or PRIVATE. */
  readonly type: string | null;
  readonly status: string | null;
  readonly keyAlgorithm: string | null;
  readonly signatureAlgorithm: string | null;
  readonly domainName: string | null;
  /** The domain name and subject alternative names. */
  readonly domainCount: number | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly inUse: boolean | null;
  /** ARNs of the resources using it (DescribeCertificate's InUseBy). */
  readonly inUseBy: readonly string[] | null;
  readonly renewalEligibility: string | null;
  /** The Private CA that issued a PRIVATE certificate. */
  readonly issuingCertificateAuthorityArn: string | null;
}

export interface CertificateAuthorityDetails {
  /** ROOT or SUBORDINATE. */
  readonly type: string | null;
  readonly status: string | null;
  readonly keyAlgorithm: string | null;
  readonly signingAlgorithm: string | null;
  /** GENERAL_PURPOSE or SHORT_LIVED_CERTIFICATE. */
  readonly usageMode: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly keyStorageSecurityStandard: string | null;
  /** The last time it issued a certificate, where that is known; null otherwise (see `gaps`). */
  readonly lastIssuedAt: string | null;
}

export interface SecretDetails {
  readonly rotationEnabled: boolean | null;
  /** managed (by the owning service), lambda (a rotation function), or none. */
  readonly rotationKind: 'managed' | 'lambda' | 'none' | null;
  readonly rotationLambdaArn: string | null;
  readonly lastRotatedAt: string | null;
  readonly nextRotationAt: string | null;
  readonly lastAccessedAt: string | null;
  /** When it was marked for deletion (ListSecrets with IncludePlannedDeletion, DeletedDate); null when it is not. Not billed while marked. */
  readonly deletedAt: string | null;
  /** The key the secret is encrypted with; null means the AWS managed key aws/secretsmanager. */
  readonly kmsKeyId: string | null;
  readonly encryptedWithAwsManagedKey: boolean;
  readonly owningService: string | null;
  readonly primaryRegion: string | null;
  /** Whether secretsmanager-unused-secret-check reports it unused; null when the rule did not judge it. */
  readonly reportedUnused: boolean | null;
}

interface RecordBase {
  readonly schemaVersion: typeof INVENTORY_SCHEMA_VERSION;
  readonly assetType: AssetType;
  /** When the rule read the asset (the invocation's start). */
  readonly collectedAt: string;
  /** The AWS Config rule whose pass collected it. */
  readonly collectedBy: string;
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  /** Key id, secret name, certificate or CA id. */
  readonly id: string;
  readonly createdAt: string | null;
  /** The soonest date the asset stops working unless someone acts (certificate or CA expiry); null when none. */
  readonly expiresAt: string | null;
  /** The algorithm the quantum class is judged on (key spec, key algorithm); null for a secret. */
  readonly algorithm: string | null;
  readonly quantum: QuantumAssessment;
  readonly cost: CostEstimate;
  /** Facts that could not be read, each with why ("GetKeyRotationStatus: AccessDeniedException"). */
  readonly gaps: readonly string[];
}

export type InventoryRecord =
  | (RecordBase & { readonly assetType: 'kms-key'; readonly kms: KmsKeyDetails })
  | (RecordBase & { readonly assetType: 'certificate'; readonly certificate: CertificateDetails })
  | (RecordBase & { readonly assetType: 'certificate-authority'; readonly certificateAuthority: CertificateAuthorityDetails })
  | (RecordBase & { readonly assetType: 'secret'; readonly secret: SecretDetails });

/** The object key of one part of a pass's inventory. */
export function inventoryObjectKey(p: { day: string; accountId: string; region: string; assetType: AssetType; runId: string; part: number }): string {
  return `inventory/dt=${p.day}/${p.accountId}-${p.region}-${p.assetType}-${p.runId}-${String(p.part).padStart(4, '0')}.json.gz`;
}
