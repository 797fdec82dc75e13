import type { Settings } from './settings';

/**
 * Where the cryptographic inventory lands: one bucket in the analytics account and the Security
 * Lake rollup Region, named from settings alone so every member account knows it without a lookup.
 */
export interface InventoryLocation {
  readonly bucketName: string;
  readonly accountId: string;
  readonly region: string;
}

/** Undefined while the inventory is off. */
export function inventoryLocation(settings: Settings): InventoryLocation | undefined {
  const i = settings.inventory;
  if (!i.enabled || i.bucketAccountId === undefined) return undefined;
  const region = settings.analytics.securityLakeRegion;
  return { bucketName: `${settings.deployment.namePrefix}-inventory-${i.bucketAccountId}-${region}`, accountId: i.bucketAccountId, region };
}
