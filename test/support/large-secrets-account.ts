/**
 * A large Secrets Manager account whose ListSecrets pages are generated when asked for: secret
 * number i is a pure function of i, so 200,000 secrets cost the simulator no memory and the
 * memory a run uses is the rule's. Entries carry what ListSecrets really returns (description,
 * KMS key, rotation fields, 3 to 8 tags, version stages, owning service and primary region on a
 * few, LastAccessedDate as a date only), and the listing misbehaves as a live one can: now and
 * then a page starts with the last secret of the page before, and a few entries lack CreatedDate.
 * Tokens are opaque strings of realistic length.
 */
import { epochSeconds, SimulatedServiceError, type OperationHandler } from './simulated-aws';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const DAY = 86_400_000;

/** What a secret is, for its expected result: the kinds do not overlap and none sits near a threshold. */
export type SecretKind = 'recent' | 'unused' | 'exempt' | 'neverReadOld' | 'neverReadNew' | 'noCreatedDate' | 'scheduledDeletion';

export function secretKind(i: number): SecretKind {
  if (i % 1000 === 999) return 'scheduledDeletion';
  if (i % 5000 === 1234) return 'noCreatedDate'; // and never read: the decision needs CreatedDate
  if (i % 100 === 50) return 'neverReadOld';
  if (i % 100 === 51) return 'neverReadNew';
  if (i % 20 === 0) return i % 1000 === 0 ? 'exempt' : 'unused';
  return 'recent';
}

export const EXEMPT_TAG_KEY = 'crypto-monitoring:exempt';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A deterministic pseudo-random number for (i, salt). */
const mix = (i: number, salt: number) => {
  let x = (Math.imul(i + 1, 2654435761) ^ Math.imul(salt + 7, 40503)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 2246822519) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
};
const hex = (i: number, salt: number, n: number) => mix(i, salt).toString(16).padStart(8, '0').slice(0, n);
const uuid = (i: number, salt: number) => `${hex(i, salt, 8)}-${hex(i, salt + 1, 4)}-4${hex(i, salt + 2, 3)}-8${hex(i, salt + 3, 3)}-${String(i).padStart(12, '0')}`;
/** The six characters Secrets Manager appends to a secret's name in its ARN. */
const suffix = (i: number) => Array.from({ length: 6 }, (_, k) => ALPHABET[mix(i, 100 + k) % ALPHABET.length]).join('');

const ENVS = ['prod', 'staging', 'dev'];
const APPS = ['payments', 'identity', 'ledger', 'search', 'checkout', 'notifications', 'reporting', 'partner-api'];
const KINDS = ['db-credentials', 'api-key', 'oauth-client', 'tls-private-key', 'webhook-signing-secret'];
const TAG_KEYS = ['team', 'env', 'application', 'cost-center', 'owner', 'data-classification', 'managed-by', 'compliance-scope'];

export function secretName(i: number): string {
  // RDS-managed master passwords are named by RDS and owned by it.
  if (i % 500 === 7) return `rds!db-${uuid(i, 1)}`;
  return `${ENVS[i % 3]}/${APPS[i % APPS.length]}/${KINDS[i % KINDS.length]}-${String(i).padStart(6, '0')}`;
}

export const largeSecretArn = (i: number) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${secretName(i)}-${suffix(i)}`;

/** The secret number an ARN of this account names, or undefined. */
export function indexOfSecretArn(arn: string): number | undefined {
  const m = /(\d+)-[A-Za-z0-9]{6}$/.exec(arn);
  if (!m) return undefined;
  const i = Number(m[1]);
  return largeSecretArn(i) === arn ? i : undefined;
}

/** ListSecrets' entry for secret number i, as on the wire (awsJson dates are epoch seconds). */
export function secretEntry(i: number, now: Date): Record<string, unknown> {
  const kind = secretKind(i);
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const env = ENVS[i % 3];
  const app = APPS[i % APPS.length];
  const ageDays = kind === 'neverReadNew' ? 10 : kind === 'neverReadOld' ? 365 : 400 + (i % 200);
  // CreatedDate has a time of day; LastAccessedDate is the day only.
  const created = new Date(now.getTime() - ageDays * DAY + (mix(i, 2) % 3_600_000));
  const accessedDaysAgo = kind === 'recent' ? i % 30 : kind === 'unused' || kind === 'exempt' ? 200 : undefined;
  const tagCount = 3 + (i % 6);
  const tags = TAG_KEYS.slice(0, tagCount).map((Key, k) => ({ Key, Value: k === 1 ? env : k === 2 ? app : `${Key}-${mix(i, 10 + k) % 50}` }));
  if (kind === 'exempt') tags.push({ Key: EXEMPT_TAG_KEY, Value: 'approved-by-security' });
  const rotating = i % 4 === 1;
  const lastRotated = new Date(today - (i % 30) * DAY + 7_200_000);
  const description = `${KINDS[i % KINDS.length]} for ${app} (${env}); owned by the ${tags[0].Value} team, see runbook SEC-${1000 + (i % 900)}.`;
  const owned = i % 500 === 7;
  return {
    ARN: largeSecretArn(i),
    Name: secretName(i),
    Description: description.padEnd(100, '.'),
    ...(i % 3 === 0 ? { KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid(i, 20)}` } : {}),
    ...(rotating
      ? {
          RotationEnabled: true,
          RotationLambdaARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:SecretsManager-rotate-${app}`,
          RotationRules: i % 8 === 1 ? { AutomaticallyAfterDays: 30 } : { ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '2h' },
          LastRotatedDate: epochSeconds(lastRotated),
          NextRotationDate: epochSeconds(new Date(lastRotated.getTime() + 30 * DAY)),
        }
      : i % 4 === 2
        ? { RotationEnabled: false }
        : {}),
    ...(kind === 'noCreatedDate' ? {} : { CreatedDate: epochSeconds(created) }),
    LastChangedDate: epochSeconds(rotating ? lastRotated : new Date(created.getTime() + DAY)),
    ...(accessedDaysAgo !== undefined ? { LastAccessedDate: epochSeconds(new Date(today - accessedDaysAgo * DAY)) } : {}),
    ...(kind === 'scheduledDeletion' ? { DeletedDate: epochSeconds(new Date(now.getTime() - 2 * DAY)) } : {}),
    Tags: tags,
    SecretVersionsToStages: rotating ? { [uuid(i, 30)]: ['AWSCURRENT'], [uuid(i, 31)]: ['AWSPREVIOUS'] } : { [uuid(i, 30)]: ['AWSCURRENT'] },
    ...(owned ? { OwningService: 'rds' } : {}),
    ...(i % 700 === 3 ? { PrimaryRegion: 'us-east-1' } : {}),
  };
}

export interface LargeSecretsListing {
  readonly operations: Record<string, OperationHandler>;
  /** What was served: pages, entries, and entries that repeated the page before's last one. */
  readonly served: { pages: number; entries: number; duplicates: number };
}

/** Pages (by number from 0) that begin with the previous page's last secret again. */
export const isDuplicatingPage = (page: number, every: number) => page > 0 && page % every === every - 1;

const TOKEN_LENGTH = 256;
const encodeToken = (offset: number, page: number) => {
  const core = Buffer.from(JSON.stringify({ o: offset, p: page })).toString('base64url');
  return `${core}.${Buffer.from(Array.from({ length: 192 }, (_, k) => mix(offset, k) & 0xff)).toString('base64url')}`.slice(0, TOKEN_LENGTH);
};
function decodeToken(token: string): { o: number; p: number } {
  try {
    const v = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    if (Number.isInteger(v.o) && Number.isInteger(v.p)) return v;
  } catch {
    // falls through to the service's answer for a bad token
  }
  throw new SimulatedServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
}

/**
 * ListSecrets over `count` secrets generated on demand. Every `duplicateEvery`-th page begins with
 * the previous page's last secret, then goes on where that page stopped; a page never holds more
 * than MaxResults entries.
 */
export function lazySecretsListing(count: number, now: Date, duplicateEvery = 250): LargeSecretsListing {
  const served = { pages: 0, entries: 0, duplicates: 0 };
  const ListSecrets: OperationHandler = ({ MaxResults = 100, NextToken, IncludePlannedDeletion }) => {
    if (MaxResults < 1 || MaxResults > 100) throw new SimulatedServiceError('InvalidParameterException', 'MaxResults must be between 1 and 100');
    const { o: offset, p: page } = NextToken ? decodeToken(NextToken) : { o: 0, p: 0 };
    const repeat = isDuplicatingPage(page, duplicateEvery) && offset > 0;
    const indices: number[] = repeat ? [offset - 1] : [];
    let next = offset;
    while (indices.length < MaxResults && next < count) indices.push(next++);
    const entries = indices.map((i) => secretEntry(i, now)).filter((e) => IncludePlannedDeletion || e.DeletedDate === undefined);
    served.pages++;
    served.entries += entries.length;
    if (repeat) served.duplicates++;
    return { SecretList: entries, ...(next < count ? { NextToken: encodeToken(next, page + 1) } : {}) };
  };
  return { operations: { ListSecrets }, served };
}

/** Duplicated entries one complete listing holds, at `pageSize` a page. */
export function duplicatesInListing(count: number, pageSize: number, duplicateEvery = 250): number {
  let offset = 0;
  let duplicates = 0;
  for (let page = 0; offset < count; page++) {
    const repeat = isDuplicatingPage(page, duplicateEvery) && offset > 0;
    if (repeat) duplicates++;
    offset += pageSize - (repeat ? 1 : 0);
  }
  return duplicates;
}
