/** Rule parameters arrive as strings; these readers validate them with errors that name the parameter. */
import type { InventoryPrices } from '../inventory/pricing';

export class InvalidParameterError extends Error {
  constructor(name: string, value: string, allowed: string) {
    super(`Invalid rule parameter ${name}=${JSON.stringify(value)}: must be ${allowed}`);
    this.name = 'InvalidParameterError';
  }
}

export class UnknownParameterError extends Error {
  constructor(unknown: readonly string[], allowed: readonly string[]) {
    const takes = allowed.length === 0 ? 'no parameters' : [...allowed].sort().join(', ');
    super(`Unknown rule parameter(s) ${[...unknown].sort().map((k) => JSON.stringify(k)).join(', ')}: this rule takes ${takes}`);
    this.name = 'UnknownParameterError';
  }
}

/** A misspelt key ("unusedForDay") would otherwise silently leave the default in force. */
export function refuseUnknownParameters(params: Record<string, string>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new UnknownParameterError(unknown, allowed);
}

// Decimal digits only: Number() would also take "0x1E", "3e1", "1.0", "+5" and read something the user did not write.
const DECIMAL_INTEGER = /^[0-9]+$/;
const DECIMAL_RATE = /^[0-9]+(\.[0-9]+)?$/;

export function intParameter(params: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = DECIMAL_INTEGER.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= min && n <= max)) throw new InvalidParameterError(name, raw, `an integer from ${min} to ${max}, in decimal digits only`);
  return n;
}

/** A positive request rate (per second), such as "2.5". */
export function rateParameter(params: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = DECIMAL_RATE.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InvalidParameterError(name, raw, `a number from ${min} to ${max}, in decimal digits with an optional fractional part such as "2.5"`);
  }
  return n;
}

export function optionalTextParameter(params: Record<string, string>, name: string, maxLength: number): string | undefined {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.length > maxLength) throw new InvalidParameterError(name, raw, `at most ${maxLength} characters`);
  return raw;
}

/** The exemptionTagKey parameter every rule takes: a tag key of at most 128 characters, or none. */
export function exemptionTagKeyParameter(params: Record<string, string>): string | undefined {
  return optionalTextParameter(params, 'exemptionTagKey', 128);
}

// Prices are plain decimals as well: "0.40", "400"; never "4e2".
const DECIMAL_AMOUNT = /^[0-9]+(\.[0-9]+)?$/;

/** A price in US dollars (0 to 100,000, as the inventory settings allow), decimal digits only. */
export function priceParameter(params: Record<string, string>, name: string): number {
  const raw = params[name];
  const n = raw !== undefined && DECIMAL_AMOUNT.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 0 && n <= 100_000)) throw new InvalidParameterError(name, raw ?? '', 'a price in US dollars from 0 to 100000, in decimal digits with an optional fractional part such as "0.40"');
  return n;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30). */
export function dateParameter(params: Record<string, string>, name: string): string {
  const raw = params[name] ?? '';
  const m = ISO_DAY.exec(raw.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.toISOString().slice(0, 10) !== raw.trim()) throw new InvalidParameterError(name, raw, 'a calendar date YYYY-MM-DD');
  return raw.trim();
}

/** Where a pass writes its part of the cryptographic inventory: the central bucket, the account that owns it, and its Region. */
export interface InventoryTarget {
  readonly bucket: string;
  /** Sent as ExpectedBucketOwner: a bucket of that name in any other account refuses the write. */
  readonly bucketOwner: string;
  readonly region: string;
}

/** The parameters that name the inventory bucket; every rule takes them, and they come all three or not at all. */
export const INVENTORY_TARGET_PARAMETERS = ['inventoryBucket', 'inventoryBucketOwner', 'inventoryRegion'] as const;

// S3's rules for a general purpose bucket name: 3-63 lower-case letters, digits, dots and hyphens, a letter or digit at each end.
const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|--x-s3|--table-s3)$)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The inventory target, or undefined when the rule is not to write the inventory (no
 * inventoryBucket). `dependent` names the rule's other inventory parameters (its prices): they are
 * required with a bucket and refused without one, so a half-configured inventory is never silently off.
 */
export function inventoryTargetParameter(params: Record<string, string>, dependent: readonly string[] = []): InventoryTarget | undefined {
  const given = (name: string) => params[name] !== undefined && params[name].trim() !== '';
  if (!given('inventoryBucket')) {
    const stray = [...INVENTORY_TARGET_PARAMETERS, ...dependent].filter(given);
    if (stray.length > 0) throw new InvalidParameterError(stray[0], params[stray[0]], 'absent while inventoryBucket is not set (the inventory is off)');
    return undefined;
  }
  const missing = [...INVENTORY_TARGET_PARAMETERS, ...dependent].filter((n) => !given(n));
  if (missing.length > 0) throw new InvalidParameterError(missing[0], params[missing[0]] ?? '', 'set whenever inventoryBucket is set');
  const bucket = params.inventoryBucket.trim();
  if (!BUCKET_NAME.test(bucket)) throw new InvalidParameterError('inventoryBucket', params.inventoryBucket, 'an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)');
  const bucketOwner = params.inventoryBucketOwner.trim();
  if (!ACCOUNT_ID.test(bucketOwner)) throw new InvalidParameterError('inventoryBucketOwner', params.inventoryBucketOwner, 'a 12-digit AWS account id');
  const region = params.inventoryRegion.trim();
  if (!REGION.test(region)) throw new InvalidParameterError('inventoryRegion', params.inventoryRegion, 'an AWS Region name such as eu-west-1');
  return { bucket, bucketOwner, region };
}

/** The price parameters of the settings' `inventory.prices` (each rule takes the ones its pricing reads), and their date. */
export type PriceName = Exclude<keyof InventoryPrices, 'date'>;
export const PRICE_DATE_PARAMETER = 'priceDate';

/**
 * The prices a rule's pricing reads, from its parameters, with their date. The others are NaN: a
 * pricing function that read one would give no figure (null in the record), never a guessed one.
 */
export function inventoryPricesParameter(params: Record<string, string>, names: readonly PriceName[]): InventoryPrices {
  const unread: InventoryPrices = {
    date: dateParameter(params, PRICE_DATE_PARAMETER),
    kmsKeyMonthlyUsd: NaN,
    kmsKeyRotationMonthlyUsd: NaN,
    secretMonthlyUsd: NaN,
    privateCaGeneralPurposeMonthlyUsd: NaN,
    privateCaShortLivedMonthlyUsd: NaN,
  };
  return { ...unread, ...Object.fromEntries(names.map((n) => [n, priceParameter(params, n)])) };
}

/** What a rule needs to write the inventory: where, and at what prices. */
export interface InventoryParams {
  readonly target: InventoryTarget;
  readonly prices: InventoryPrices;
}

/** A rule's inventory parameters: the target and the named prices, all of them or none. */
export function inventoryParameters(params: Record<string, string>, prices: readonly PriceName[]): InventoryParams | undefined {
  const target = inventoryTargetParameter(params, [PRICE_DATE_PARAMETER, ...prices]);
  return target && { target, prices: inventoryPricesParameter(params, prices) };
}

/** Every inventory parameter name of a rule that prices with `prices`. */
export function inventoryParameterNames(prices: readonly PriceName[]): string[] {
  return [...INVENTORY_TARGET_PARAMETERS, PRICE_DATE_PARAMETER, ...prices];
}
