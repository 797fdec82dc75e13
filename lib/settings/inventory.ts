import type { z } from 'zod';
import { bool, calendarDate, decimal, int, section, text } from './fields';

/**
 * The cryptographic inventory: what the rules' passes write to one central bucket every day, and
 * the prices its cost figures use.
 */

const accountId = text(/^\d{12}$/, 'a 12-digit AWS account id (as a string, leading zeros kept)');
const usd = () => decimal(0, 100_000);

export const inventorySchema = section({
  /** Off by default: it needs the account that holds the bucket (the analytics account). */
  enabled: bool().default(false),
  /** The account of the inventory bucket: where the analytics stack is deployed. Required when enabled. */
  bucketAccountId: accountId.optional(),
  /** How long a day of the inventory is kept, in days. */
  retentionDays: int(7, 3650).default(400),
  /** Prices in US dollars a month, as AWS publishes them (list prices, us-east-1), and the date they were taken. */
  prices: section({
    date: calendarDate.default('2026-11-01'),
    /** Each customer managed KMS key (AWS managed keys are free). */
    kmsKeyMonthlyUsd: usd().default(1),
    /** Each of the first two rotations of a key's material; later rotations are free. */
    kmsKeyRotationMonthlyUsd: usd().default(1),
    /** Each secret, replicas included. */
    secretMonthlyUsd: usd().default(0.4),
    /** Each AWS Private CA in general-purpose mode. */
    privateCaGeneralPurposeMonthlyUsd: usd().default(400),
    /** Each AWS Private CA in short-lived certificate mode. */
    privateCaShortLivedMonthlyUsd: usd().default(50),
  }).prefault({}),
});

export type InventorySettings = z.output<typeof inventorySchema>;

/** The inventory lands in the analytics account, whose stack creates the bucket and the table. */
export function checkInventory(s: { inventory: InventorySettings; analytics: { enabled: boolean } }, ctx: z.RefinementCtx, key: string): void {
  if (!s.inventory.enabled) return;
  if (s.inventory.bucketAccountId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['inventory', 'bucketAccountId'],
      input: undefined,
      params: { got: 'nothing' },
      message: `is required when ${key}.inventory.enabled is true: the 12-digit id of the account the analytics stack is deployed to, which holds the inventory bucket`,
    });
  }
  if (!s.analytics.enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['inventory', 'enabled'],
      input: true,
      message: `needs ${key}.analytics.enabled: the analytics stack creates the inventory bucket, its table and queries`,
    });
  }
}
