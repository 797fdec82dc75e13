/**
 * A simulated account for the KMS rule: an inventory of keys served by the KMS operations the
 * rule calls and by the Tagging API's GetResources (AWS Config's side is simulated-config.ts).
 */
import { epochSeconds, SimulatedServiceError, type OperationHandler } from './simulated-aws';
import { getResourcesOperation } from './simulated-tagging';

export interface SimulatedKey {
  readonly keyId: string;
  readonly manager: 'AWS' | 'CUSTOMER';
  readonly state: string;
  readonly created: Date;
  readonly lastUsed?: { operation: string; at: Date };
  readonly tags?: Record<string, string>;
  /** GetKeyLastUsage answers AccessDenied for this key (its key policy does not allow it). */
  readonly denyLastUsage?: boolean;
}

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const TRACKING_START = new Date('2026-04-27T00:00:00Z');

export const keyArn = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;

export interface ConfigState {
  readonly putEvaluations: any[][];
  readonly previous: { resourceType: string; resourceId: string; compliance: string }[];
}

export function kmsOperations(keys: readonly SimulatedKey[]): Record<string, OperationHandler> {
  const byId = new Map(keys.map((k) => [k.keyId, k]));
  const find = (id: string) => {
    const k = byId.get(id);
    if (!k) throw new SimulatedServiceError('NotFoundException', `Key '${keyArn(id)}' does not exist`);
    return k;
  };
  return {
    ListKeys: ({ Limit = 100, Marker }) => {
      const start = Marker ? Number(Marker) : 0;
      const page = keys.slice(start, start + Limit);
      const next = start + Limit;
      return {
        Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: keyArn(k.keyId) })),
        Truncated: next < keys.length,
        ...(next < keys.length ? { NextMarker: String(next) } : {}),
      };
    },
    DescribeKey: ({ KeyId }) => {
      const k = find(KeyId);
      return {
        KeyMetadata: { KeyId: k.keyId, Arn: keyArn(k.keyId), KeyManager: k.manager, KeyState: k.state, CreationDate: epochSeconds(k.created), Enabled: k.state === 'Enabled' },
      };
    },
    GetKeyLastUsage: ({ KeyId }) => {
      const k = find(KeyId);
      if (k.denyLastUsage) {
        throw new SimulatedServiceError('AccessDeniedException', `User is not authorized to perform: kms:GetKeyLastUsage on resource: ${keyArn(k.keyId)}`);
      }
      return {
        KeyId: keyArn(k.keyId),
        ...(k.lastUsed ? { KeyLastUsage: { Operation: k.lastUsed.operation, Timestamp: epochSeconds(k.lastUsed.at) } } : {}),
        TrackingStartDate: epochSeconds(TRACKING_START),
        KeyCreationDate: epochSeconds(k.created),
      };
    },
    ListResourceTags: ({ KeyId }) => ({
      Tags: Object.entries(find(KeyId).tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
      Truncated: false,
    }),
    GetResources: getResourcesOperation('kms:key', () => keys.map((k) => ({ arn: keyArn(k.keyId), tags: k.tags }))),
  };
}

/** A deterministic inventory: `count` customer-managed keys, `unusedFraction` of them unused for 200 days. */
export function keyInventory(count: number, unusedFraction: number, now: Date): SimulatedKey[] {
  const day = 86_400_000;
  const unusedEvery = Math.round(1 / unusedFraction);
  return Array.from({ length: count }, (_, i) => {
    const keyId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const unused = i % unusedEvery === 0;
    return {
      keyId,
      manager: 'CUSTOMER' as const,
      state: 'Enabled',
      created: new Date(now.getTime() - 400 * day),
      lastUsed: { operation: 'Decrypt', at: new Date(now.getTime() - (unused ? 200 : 1 + (i % 30)) * day) },
      // One unused key in fifty is exempted by tag.
      tags: (unused && i % (unusedEvery * 50) === 0 ? { 'crypto-monitoring:exempt': 'true' } : { team: 'payments' }) as Record<string, string>,
    };
  });
}
