/**
 * The observation evidence: CloudTrail LookupEvents on the resource in its own account and Region,
 * read right before a retirement is planned and again right before it acts. LookupEvents sees
 * management events (read-only ones such as Decrypt and GetSecretValue included) of the last 90
 * days, one lookup attribute at a time, 50 events a page, newest first, and is limited to two
 * requests per second per account and Region (CloudTrail API Reference, LookupEvents): it is paced
 * at 1.6 per second and stops at the first attempt found, which is all the decision needs.
 */
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { ApiCalls } from '../runtime/api-calls';
import { errorName } from '../runtime/errors';
import { DAY_MS } from '../runtime/evaluation';
import type { ObservationEvidence, UseAttempt } from './decide';
import { CLOUDTRAIL_LOOKUP_DAYS } from './environment';
/** 80% of LookupEvents' two requests per second. */
export const LOOKUP_EVENTS_PER_SECOND = 1.6;

export interface TrailEvent {
  readonly EventId?: string;
  readonly EventName?: string;
  readonly EventTime?: Date;
  readonly Username?: string;
  /** The whole record, as JSON text. */
  readonly CloudTrailEvent?: string;
}

export interface LookupEventsInput {
  readonly LookupAttributes: { readonly AttributeKey: 'ResourceName'; readonly AttributeValue: string }[];
  readonly StartTime: Date;
  readonly EndTime: Date;
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

export interface LookupEventsOutput {
  readonly Events?: TrailEvent[];
  readonly NextToken?: string;
}

/** Throttled pages (another caller in the account, another remediation) are asked again this many times, a second apart and more. */
export const THROTTLE_RETRIES = 5;

/** One page, asked again after a pause while CloudTrail throttles (on top of the SDK's own retries in the function). */
async function pageOf(api: ApiCalls, client: CloudTrailClient, input: LookupEventsInput): Promise<LookupEventsOutput> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await api.send(client, new LookupEventsCommand({ ...input, LookupAttributes: [...input.LookupAttributes] }))) as LookupEventsOutput;
    } catch (e) {
      if (errorName(e) !== 'ThrottlingException' || attempt >= THROTTLE_RETRIES) throw e;
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
    }
  }
}

/** KMS operations that use a key: any of them on a quarantined key, refused or not, is an attempt to use it. */
const KMS_USE = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
  'GetPublicKey',
  // Asking for a grant, or enabling the key again, says someone still wants it.
  'CreateGrant',
  'EnableKey',
]);

/** Secrets Manager: reading the value (BatchGetSecretValue also writes one GetSecretValue entry per secret). */
const SECRET_USE = new Set(['GetSecretValue']);

interface Record {
  readonly eventName?: string;
  readonly errorCode?: string;
  readonly userIdentity?: { readonly arn?: string; readonly type?: string; readonly invokedBy?: string };
}

/** The event as an attempt to use the resource, or undefined when it is not one (a tag read, a DescribeKey). */
export function asAttempt(kind: 'kms-key' | 'secret', event: TrailEvent): UseAttempt | undefined {
  let record: Record = {};
  try {
    record = event.CloudTrailEvent ? (JSON.parse(event.CloudTrailEvent) as Record) : {};
  } catch {
    // A record that cannot be read is judged by the fields LookupEvents gives beside it.
  }
  const eventName = event.EventName ?? record.eventName ?? 'unknown';
  const errorCode = record.errorCode;
  const uses = kind === 'kms-key' ? KMS_USE.has(eventName) || errorCode === 'DisabledException' : SECRET_USE.has(eventName);
  if (!uses) return undefined;
  const caller = record.userIdentity?.arn ?? record.userIdentity?.invokedBy ?? event.Username ?? 'an unknown caller';
  return { time: event.EventTime ?? new Date(0), eventName, caller, ...(errorCode ? { errorCode } : {}) };
}

/** Where the lookup starts: the quarantine, or a minute inside the 90 days (so the oldest page is never refused as out of range). */
export function lookupStart(quarantinedAt: Date, now: Date): Date {
  return new Date(Math.max(quarantinedAt.getTime(), now.getTime() - CLOUDTRAIL_LOOKUP_DAYS * DAY_MS + 60_000));
}

/**
 * Reads CloudTrail for the names the resource goes by (a key's ARN and id; a secret's ARN and
 * name), from the quarantine (or 90 days back, if longer ago) to `now`, until the first attempt.
 */
export async function observationEvidence(
  kind: 'kms-key' | 'secret',
  names: readonly string[],
  quarantinedAt: Date,
  now: Date,
  client: CloudTrailClient,
  api: ApiCalls,
  softDeadline = Number.POSITIVE_INFINITY,
): Promise<ObservationEvidence> {
  const from = lookupStart(quarantinedAt, now);
  const seen = new Set<string>();
  for (const name of [...new Set(names)]) {
    let token: string | undefined;
    do {
      // Evidence read only in part is no evidence: the caller refuses to retire on it.
      if (Date.now() >= softDeadline) throw new Error(`the invocation's time ran out before CloudTrail was read whole (${seen.size} events read)`);
      const page = await pageOf(api, client, { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }], StartTime: from, EndTime: now, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
      for (const event of page.Events ?? []) {
        if (event.EventId && seen.has(event.EventId)) continue;
        if (event.EventId) seen.add(event.EventId);
        const attempt = asAttempt(kind, event);
        if (attempt) return { from, to: now, attempts: [attempt] };
      }
      token = page.NextToken || undefined;
    } while (token);
  }
  return { from, to: now, attempts: [] };
}
