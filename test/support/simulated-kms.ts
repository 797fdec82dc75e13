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
  /** Default SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT / AWS_KMS. */
  readonly keySpec?: string;
  readonly keyUsage?: string;
  readonly origin?: string;
  /** A multi-Region key's role; absent for a single-Region key. */
  readonly multiRegion?: 'PRIMARY' | 'REPLICA';
  /** When a key pending deletion goes (DescribeKey's DeletionDate). */
  readonly deletionDate?: Date;
  /** When imported key material expires (DescribeKey's ValidTo). */
  readonly validTo?: Date;
  /** Automatic rotation (GetKeyRotationStatus) and completed rotations (ListKeyRotations); default: off, none. */
  readonly rotation?: { readonly enabled: boolean; readonly periodDays?: number; readonly next?: Date; readonly rotatedAt?: readonly Date[] };
  /** GetKeyRotationStatus and ListKeyRotations answer AccessDenied (the key policy allows neither). */
  readonly denyRotation?: boolean;
}

/** Keys whose material KMS can rotate: symmetric encryption keys with material in KMS or imported, not in a custom key store. */
const rotatable = (k: SimulatedKey) => (k.keySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' && ['AWS_KMS', 'EXTERNAL'].includes(k.origin ?? 'AWS_KMS');

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
      const keySpec = k.keySpec ?? 'SYMMETRIC_DEFAULT';
      return {
        KeyMetadata: {
          KeyId: k.keyId,
          Arn: keyArn(k.keyId),
          KeyManager: k.manager,
          KeyState: k.state,
          CreationDate: epochSeconds(k.created),
          Enabled: k.state === 'Enabled',
          KeySpec: keySpec,
          CustomerMasterKeySpec: keySpec,
          KeyUsage: k.keyUsage ?? 'ENCRYPT_DECRYPT',
          Origin: k.origin ?? 'AWS_KMS',
          MultiRegion: k.multiRegion !== undefined,
          ...(k.multiRegion ? { MultiRegionConfiguration: { MultiRegionKeyType: k.multiRegion } } : {}),
          ...(k.deletionDate ? { DeletionDate: epochSeconds(k.deletionDate) } : {}),
          ...(k.validTo ? { ValidTo: epochSeconds(k.validTo), ExpirationModel: 'KEY_MATERIAL_EXPIRES' } : {}),
        },
      };
    },
    GetKeyRotationStatus: ({ KeyId }) => {
      const k = find(KeyId);
      if (k.denyRotation) throw new SimulatedServiceError('AccessDeniedException', `User is not authorized to perform: kms:GetKeyRotationStatus on resource: ${keyArn(k.keyId)}`);
      if (!rotatable(k)) throw new SimulatedServiceError('UnsupportedOperationException', `${keyArn(k.keyId)} key usage or key spec is not supported for this operation.`);
      // AWS managed keys rotate every year; a key pending deletion reads false (KMS API reference).
      const enabled = k.manager === 'AWS' || (k.state !== 'PendingDeletion' && (k.rotation?.enabled ?? false));
      const period = k.manager === 'AWS' ? 365 : k.rotation?.periodDays;
      return {
        KeyId: keyArn(k.keyId),
        KeyRotationEnabled: enabled,
        ...(enabled && period ? { RotationPeriodInDays: period } : {}),
        ...(enabled && k.rotation?.next ? { NextRotationDate: epochSeconds(k.rotation.next) } : {}),
      };
    },
    ListKeyRotations: ({ KeyId, Limit = 100, Marker }) => {
      const k = find(KeyId);
      if (k.denyRotation) throw new SimulatedServiceError('AccessDeniedException', `User is not authorized to perform: kms:ListKeyRotations on resource: ${keyArn(k.keyId)}`);
      if (!rotatable(k)) throw new SimulatedServiceError('UnsupportedOperationException', `${keyArn(k.keyId)} key usage or key spec is not supported for this operation.`);
      if (Limit < 1 || Limit > 1000) throw new SimulatedServiceError('ValidationException', 'Limit must be between 1 and 1000');
      const all = k.rotation?.rotatedAt ?? [];
      const start = Marker ? Number(Marker) : 0;
      const next = start + Limit;
      return {
        Rotations: all.slice(start, next).map((at) => ({ KeyId: keyArn(k.keyId), RotationDate: epochSeconds(at), RotationType: 'AUTOMATIC' })),
        Truncated: next < all.length,
        ...(next < all.length ? { NextMarker: String(next) } : {}),
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
