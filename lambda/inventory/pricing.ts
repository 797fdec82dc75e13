/**
 * Monthly price of an inventory asset: pure functions over the asset's details and the prices in
 * the settings (lib/settings/inventory.ts `inventory.prices`, passed in by the caller: nothing under
 * lambda/ imports lib/). The figure is a month's list price of the asset itself at the prices' date
 * (AWS prorates by the hour; request, API-call and issuance charges are not monthly and are not
 * counted). `basis` says in one sentence what was counted and how.
 *
 * What AWS bills, and what this file decides (quoted sources in docs/inventory.md, "Prices"):
 * - KMS (https://aws.amazon.com/kms/pricing/): "Each AWS KMS key that you create in AWS KMS costs
 *   $1/month (prorated hourly)"; "the first and second rotation of the key adds $1/month (prorated
 *   hourly) in cost. This price increase is capped at the second rotation, and any subsequent
 *   rotations will not be billed"; AWS managed keys are free; "There is no charge for customer
 *   managed KMS keys that you manage and are scheduled for deletion" (if the deletion is cancelled,
 *   the key is billed as though it had never been scheduled). A multi-Region replica is a KMS key of
 *   its own and is billed as one. A key in a custom key store costs the same; the CloudHSM cluster
 *   or external key manager holding its material is billed by that service and is not counted here.
 * - Secrets Manager (https://aws.amazon.com/secrets-manager/pricing/): $0.40 per secret a month,
 *   each replica billed as a secret of its own; "There is no charge for secrets that are marked for
 *   deletion" (Secrets Manager User Guide). Secrets that other services manage (an owning service
 *   such as RDS) are billed like any other.
 * - AWS Private CA (https://aws.amazon.com/private-ca/pricing/): "$400 per private CA per month for
 *   general-purpose mode", "$50 per private CA per month for short-lived certificate mode"; "You are
 *   not charged for a private CA after you delete it"; the user guide: "For all status values except
 *   DELETED and FAILED, you are billed for the CA" (so DISABLED, EXPIRED, CREATING and
 *   PENDING_CERTIFICATE are billed).
 * - ACM certificates (https://aws.amazon.com/certificate-manager/faqs/): public and private
 *   certificates used with ACM-integrated services are free, imported ones too; a private
 *   certificate used elsewhere is charged once, at issuance, under Private CA pricing; no
 *   certificate has a monthly fee.
 *
 * Fail-closed rule: a state that would make an asset free must be seen; a missing or unknown state
 * is priced as billed and says so. A fact that decides the price and could not be read (who manages
 * a key, how often it rotated, a CA's mode) gives `monthlyUsd: null` with the reason.
 */
import type { CertificateAuthorityDetails, CertificateDetails, CostEstimate, KmsKeyDetails, SecretDetails } from './record';

/** The prices, under the names of lib/settings/inventory.ts `inventory.prices`. */
export interface InventoryPrices {
  /** YYYY-MM-DD: the day the prices were taken. */
  readonly date: string;
  readonly kmsKeyMonthlyUsd: number;
  /** Added by each of the first two rotations of a key's material; later rotations are free. */
  readonly kmsKeyRotationMonthlyUsd: number;
  readonly secretMonthlyUsd: number;
  readonly privateCaGeneralPurposeMonthlyUsd: number;
  readonly privateCaShortLivedMonthlyUsd: number;
}

/** KMS bills the first and the second rotation of a key's material; later ones are free. */
export const KMS_BILLED_ROTATIONS = 2;

/** "$1", "$0.40", "$1,234.50". */
export function usd(amount: number): string {
  const cents = Math.round(Math.abs(amount) * 100);
  const dollars = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = cents % 100;
  return `${amount < 0 ? '-' : ''}$${dollars}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

const roundCents = (amount: number): number => Math.round(amount * 100) / 100;
const quoted = (value: string | null | undefined): string => (value == null || value === '' ? 'unknown' : value);

function estimate(prices: InventoryPrices, monthlyUsd: number | null, basis: string): CostEstimate {
  return { monthlyUsd: monthlyUsd === null ? null : roundCents(monthlyUsd), basis, priceDate: prices.date };
}

const KMS_SCHEDULED_FOR_DELETION: ReadonlySet<string> = new Set(['PendingDeletion', 'PendingReplicaDeletion']);
/** Every other KeyState of the pinned SDK is billed: the key exists until it is deleted. */
const KMS_BILLED_STATES: ReadonlySet<string> = new Set(['Enabled', 'Disabled', 'Creating', 'PendingImport', 'Unavailable', 'Updating']);
const KMS_CUSTOM_KEY_STORES: Readonly<Record<string, string>> = {
  AWS_CLOUDHSM: 'an AWS CloudHSM key store',
  EXTERNAL_KEY_STORE: 'an external key store',
};

/** Keys whose material KMS can never rotate: asymmetric and HMAC keys, keys in custom key stores. */
function kmsCannotRotate(key: Pick<KmsKeyDetails, 'keySpec' | 'origin'>): boolean {
  return (key.keySpec != null && key.keySpec !== 'SYMMETRIC_DEFAULT') || (key.origin != null && key.origin in KMS_CUSTOM_KEY_STORES);
}

export type KmsKeyPriceInput = Pick<KmsKeyDetails, 'keySpec' | 'origin' | 'keyManager' | 'keyState' | 'multiRegionKeyType' | 'rotationCount'>;

/**
 * A KMS key: $0 when AWS managed or scheduled for deletion; otherwise the key price plus the
 * rotation price for each of its first two rotations.
 */
export function priceKmsKey(key: KmsKeyPriceInput, prices: InventoryPrices): CostEstimate {
  if (key.keyManager === 'AWS') return estimate(prices, 0, 'AWS managed key: KMS charges no monthly fee for AWS managed keys, whatever their rotations ($0 a month).');
  if (key.keyManager !== 'CUSTOMER') {
    const manager = key.keyManager == null || key.keyManager === '' ? 'Key whose manager (AWS or customer) is unknown' : `Key with the unknown key manager ${key.keyManager}`;
    return estimate(prices, null, `${manager}: not priced, since an AWS managed key is free and a customer managed key costs ${usd(prices.kmsKeyMonthlyUsd)} or more a month.`);
  }
  if (key.keyState != null && KMS_SCHEDULED_FOR_DELETION.has(key.keyState)) {
    return estimate(prices, 0, `Customer managed key scheduled for deletion (${key.keyState}): KMS does not charge for it during the waiting period ($0 a month), though a cancelled deletion is billed as though never scheduled.`);
  }
  const what = [
    key.multiRegionKeyType === 'REPLICA' ? 'Multi-Region replica key (billed as a key of its own)' : key.multiRegionKeyType === 'PRIMARY' ? 'Multi-Region primary key' : 'Customer managed key',
    key.origin != null && key.origin in KMS_CUSTOM_KEY_STORES ? ` in ${KMS_CUSTOM_KEY_STORES[key.origin]}` : '',
    key.keyState == null || key.keyState === '' ? ', state unknown (priced as billed)' : KMS_BILLED_STATES.has(key.keyState) ? '' : `, unknown state ${key.keyState} (priced as billed)`,
  ].join('');
  const notCounted = key.origin != null && key.origin in KMS_CUSTOM_KEY_STORES
    ? `; the ${key.origin === 'AWS_CLOUDHSM' ? 'CloudHSM cluster' : 'external key manager'} that holds its material is not counted`
    : '';
  const base = prices.kmsKeyMonthlyUsd;
  const step = prices.kmsKeyRotationMonthlyUsd;

  let rotations = key.rotationCount;
  if (rotations == null && kmsCannotRotate(key)) rotations = 0;
  if (rotations == null || !Number.isInteger(rotations) || rotations < 0) {
    return estimate(prices, null,
      `${what}, rotations of its key material ${rotations == null ? 'unknown' : `given as ${rotations}`}: not priced, between ${usd(base)} and ${usd(base)} + ${KMS_BILLED_ROTATIONS} × ${usd(step)} = ${usd(base + KMS_BILLED_ROTATIONS * step)} a month${notCounted}.`);
  }
  const billed = Math.min(rotations, KMS_BILLED_ROTATIONS);
  const total = base + billed * step;
  const rotationText = rotations === 0
    ? `no rotations of its key material: ${usd(base)} a month`
    : `${rotations} rotation${rotations === 1 ? '' : 's'} of its key material: ${usd(base)} + ${billed} × ${usd(step)} = ${usd(total)} a month${rotations > KMS_BILLED_ROTATIONS ? ` (only the first ${KMS_BILLED_ROTATIONS} rotations are billed)` : ''}`;
  return estimate(prices, total, `${what}, ${rotationText}${notCounted}.`);
}

export type SecretPriceInput = Partial<Pick<SecretDetails, 'owningService' | 'primaryRegion'>> & {
  /** When the secret was marked for deletion (ListSecrets' DeletedDate, with IncludePlannedDeletion). */
  readonly deletedAt?: string | null;
};

/**
 * A Secrets Manager secret: the secret price, replicas included (each replica is a secret in its
 * own Region, billed as one); $0 once marked for deletion. `region` is the Region of the record,
 * which tells a replica from its primary.
 */
export function priceSecret(secret: SecretPriceInput, prices: InventoryPrices, region?: string | null): CostEstimate {
  if (secret.deletedAt != null && secret.deletedAt !== '') {
    return estimate(prices, 0, `Secret marked for deletion on ${secret.deletedAt.slice(0, 10)}: Secrets Manager does not charge for secrets marked for deletion ($0 a month).`);
  }
  const replica = secret.primaryRegion != null && region != null && secret.primaryRegion !== region;
  const what = [
    'Secret',
    secret.owningService != null && secret.owningService !== '' ? ` managed by ${secret.owningService}` : '',
    replica ? `, a replica whose primary is in ${secret.primaryRegion} (each replica is billed as a secret of its own)` : '',
  ].join('');
  return estimate(prices, prices.secretMonthlyUsd, `${what}: 1 × ${usd(prices.secretMonthlyUsd)} = ${usd(prices.secretMonthlyUsd)} a month.`);
}

const PCA_UNBILLED: Readonly<Record<string, string>> = {
  DELETED: 'deleted (DELETED; restoring it bills the time it was deleted)',
  FAILED: 'whose creation failed (FAILED)',
};
/** Every other CertificateAuthorityStatus of the pinned SDK is billed. */
const PCA_BILLED: ReadonlySet<string> = new Set(['ACTIVE', 'CREATING', 'DISABLED', 'EXPIRED', 'PENDING_CERTIFICATE']);

export type CertificateAuthorityPriceInput = Pick<CertificateAuthorityDetails, 'status' | 'usageMode'>;

/**
 * An AWS Private CA: the general-purpose or short-lived mode price in every status but DELETED and
 * FAILED. A CA without a usage mode is general purpose (the API's default and the only mode before
 * short-lived mode existed).
 */
export function priceCertificateAuthority(ca: CertificateAuthorityPriceInput, prices: InventoryPrices): CostEstimate {
  if (ca.status != null && ca.status in PCA_UNBILLED) {
    return estimate(prices, 0, `Private CA ${PCA_UNBILLED[ca.status]}: AWS Private CA bills a CA in every status except DELETED and FAILED, so $0 a month.`);
  }
  const state = ca.status == null || ca.status === ''
    ? ', status unknown (priced as billed)'
    : PCA_BILLED.has(ca.status) ? `, status ${ca.status} (billed in every status except DELETED and FAILED)` : `, unknown status ${ca.status} (priced as billed)`;
  if (ca.usageMode === 'SHORT_LIVED_CERTIFICATE') {
    return estimate(prices, prices.privateCaShortLivedMonthlyUsd, `Private CA in short-lived certificate mode${state}: ${usd(prices.privateCaShortLivedMonthlyUsd)} a month.`);
  }
  if (ca.usageMode == null || ca.usageMode === 'GENERAL_PURPOSE') {
    const mode = ca.usageMode == null ? 'with no usage mode, priced in general-purpose mode (the API default)' : 'in general-purpose mode';
    return estimate(prices, prices.privateCaGeneralPurposeMonthlyUsd, `Private CA ${mode}${state}: ${usd(prices.privateCaGeneralPurposeMonthlyUsd)} a month.`);
  }
  return estimate(prices, null,
    `Private CA in the unknown usage mode ${ca.usageMode}${state}: not priced, since general-purpose mode costs ${usd(prices.privateCaGeneralPurposeMonthlyUsd)} and short-lived mode ${usd(prices.privateCaShortLivedMonthlyUsd)} a month.`);
}

export type CertificatePriceInput = Pick<CertificateDetails, 'type'>;

/** An ACM certificate: no monthly fee of any type; what is charged, and when, goes in the basis. */
export function priceCertificate(cert: CertificatePriceInput, prices: InventoryPrices): CostEstimate {
  switch (cert.type) {
    case 'AMAZON_ISSUED':
      return estimate(prices, 0, 'Amazon-issued public certificate: ACM charges no monthly fee for it ($0 a month).');
    case 'IMPORTED':
      return estimate(prices, 0, 'Imported certificate: ACM charges nothing to import or keep it ($0 a month).');
    case 'PRIVATE':
      return estimate(prices, 0, 'Private certificate: AWS Private CA charges once when it is issued (nothing when used only with ACM-integrated services) and never monthly, and the issuing CA is priced on its own record ($0 a month).');
    default:
      return estimate(prices, 0, `Certificate of type ${quoted(cert.type)}: no ACM certificate type has a monthly fee ($0 a month).`);
  }
}
