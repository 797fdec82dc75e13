/**
 * A simulated Secrets Manager for the unused-secret rule: ListSecrets over an inventory, in pages
 * of at most 100 as the service allows, with secrets scheduled for deletion listed only when
 * IncludePlannedDeletion is set. Any other Secrets Manager operation is unknown to it, so a rule
 * that called one would fail.
 */
import { epochSeconds, SimulatedServiceError, type OperationHandler } from './simulated-aws';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const DAY = 86_400_000;

export interface SimulatedSecret {
  readonly name: string;
  readonly created: Date;
  /** Midnight UTC of the day of the last read: Secrets Manager keeps the date only. */
  readonly lastAccessed?: Date;
  readonly deleted?: Date;
  readonly tags?: Record<string, string>;
  // What the inventory reads; each is left out of the listing when absent, as Secrets Manager leaves it out.
  readonly rotation?: { readonly enabled: boolean; readonly lambdaArn?: string; readonly everyDays?: number; readonly lastRotated?: Date; readonly next?: Date };
  /** A customer managed key; absent, the secret is encrypted with aws/secretsmanager. */
  readonly kmsKeyId?: string;
  readonly owningService?: string;
  /** Set on a replica (another Region) and on a primary that has replicas. */
  readonly primaryRegion?: string;
  /** A managed external secret's partner. */
  readonly type?: string;
}

export const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;

export function secretsManagerOperations(secrets: readonly SimulatedSecret[]): Record<string, OperationHandler> {
  return {
    ListSecrets: ({ MaxResults = 100, NextToken, IncludePlannedDeletion }) => {
      if (MaxResults < 1 || MaxResults > 100) throw new SimulatedServiceError('InvalidParameterException', 'MaxResults must be between 1 and 100');
      const listed = IncludePlannedDeletion ? secrets : secrets.filter((s) => !s.deleted);
      const start = NextToken ? Number(NextToken) : 0;
      const next = start + MaxResults;
      return {
        SecretList: listed.slice(start, next).map((s) => ({
          ARN: secretArn(s.name),
          Name: s.name,
          CreatedDate: epochSeconds(s.created),
          ...(s.lastAccessed ? { LastAccessedDate: epochSeconds(s.lastAccessed) } : {}),
          ...(s.deleted ? { DeletedDate: epochSeconds(s.deleted) } : {}),
          ...(s.rotation
            ? {
                RotationEnabled: s.rotation.enabled,
                ...(s.rotation.lambdaArn ? { RotationLambdaARN: s.rotation.lambdaArn } : {}),
                ...(s.rotation.everyDays ? { RotationRules: { AutomaticallyAfterDays: s.rotation.everyDays } } : {}),
                ...(s.rotation.lastRotated ? { LastRotatedDate: epochSeconds(s.rotation.lastRotated) } : {}),
                ...(s.rotation.next ? { NextRotationDate: epochSeconds(s.rotation.next) } : {}),
              }
            : {}),
          ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
          ...(s.owningService ? { OwningService: s.owningService } : {}),
          ...(s.primaryRegion ? { PrimaryRegion: s.primaryRegion } : {}),
          ...(s.type ? { Type: s.type } : {}),
          Tags: Object.entries(s.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        })),
        ...(next < listed.length ? { NextToken: String(next) } : {}),
      };
    },
  };
}

/**
 * A deterministic inventory of `count` secrets: `unusedFraction` of them last read 200 days ago
 * (one in fifty of those exempted by tag), one in a hundred never read and a year old, one in a
 * thousand scheduled for deletion, the rest read within the last 30 days.
 */
export function secretInventory(count: number, unusedFraction: number, now: Date): SimulatedSecret[] {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const unusedEvery = Math.round(1 / unusedFraction);
  return Array.from({ length: count }, (_, i): SimulatedSecret => {
    const name = `app/${String(i).padStart(6, '0')}`;
    const created = new Date(now.getTime() - 400 * DAY);
    if (i % 1000 === 999) return { name, created, deleted: new Date(now.getTime() - 2 * DAY) };
    if (i % 100 === 50) return { name, created: new Date(now.getTime() - 365 * DAY) };
    const unused = i % unusedEvery === 0;
    return {
      name,
      created,
      lastAccessed: new Date(today - (unused ? 200 : i % 30) * DAY),
      tags: unused && i % (unusedEvery * 50) === 0 ? { 'crypto-monitoring:exempt': 'true' } : { team: 'payments' },
    };
  });
}
