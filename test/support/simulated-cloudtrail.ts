/**
 * A simulated CloudTrail LookupEvents over a list of recorded events, as the CloudTrail API Reference
 * documents it: management events of the last 90 days, one lookup attribute (here ResourceName,
 * matched against the names in the record's `resources`: an ARN, or the id after the ARN's last
 * "/"), StartTime and EndTime inclusive, at most 50 events a page (default 50), newest first, a
 * NextToken that must come back with the same parameters, and two requests per second per account
 * and Region (a sliding one-second window on Date.now, so a virtual clock drives it) beyond which
 * it answers ThrottlingException.
 */
import { SimulatedServiceError, epochSeconds, type OperationHandler } from './simulated-aws';
import type { LookupEventsInput, LookupEventsOutput, TrailEvent } from '../../lambda/retirement/cloudtrail';

const DAY = 86_400_000;

export interface RecordedEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly time: Date;
  /** The caller, as userIdentity.arn. */
  readonly caller: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly readOnly?: boolean;
  /** ARNs of the resources the record names. */
  readonly resources: readonly string[];
  readonly requestParameters?: Record<string, unknown>;
}

class ThrottlingError extends Error {
  constructor() {
    super('Rate exceeded');
    this.name = 'ThrottlingException';
  }
}

class InvalidLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidLookupAttributesException';
  }
}

export class SimulatedCloudTrail {
  readonly events: RecordedEvent[] = [];
  readonly calls: LookupEventsInput[] = [];
  throttled = 0;
  private readonly window: number[] = [];
  private seq = 0;

  constructor(private readonly quotaPerSecond = 2) {}

  record(event: Omit<RecordedEvent, 'eventId'> & { eventId?: string }): RecordedEvent {
    const full = { ...event, eventId: event.eventId ?? `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}` };
    this.events.push(full);
    return full;
  }

  /**
   * LookupEvents' ResourceName matches a name the event's record lists as a resource, exactly
   * (for KMS and Secrets Manager, the ARN the record names): no part of an ARN matches on its own.
   */
  private matches(e: RecordedEvent, name: string): boolean {
    return e.resources.includes(name);
  }

  private admit(): boolean {
    const now = Date.now();
    while (this.window.length > 0 && this.window[0] <= now - 1000) this.window.shift();
    if (this.window.length >= this.quotaPerSecond) return false;
    this.window.push(now);
    return true;
  }

  /** The page LookupEvents answers, with times as Dates (as the SDK hands them over). */
  page(input: LookupEventsInput): LookupEventsOutput {
    this.calls.push(input);
    if (!this.admit()) {
      this.throttled++;
      throw new ThrottlingError();
    }
    const attrs = input.LookupAttributes ?? [];
    if (attrs.length > 1) throw new InvalidLookupError('Currently the list can contain only one item');
    const max = input.MaxResults ?? 50;
    if (max < 1 || max > 50) throw new InvalidLookupError('MaxResults must be between 1 and 50');
    const oldest = Date.now() - 90 * DAY;
    const start = Math.max(input.StartTime?.getTime() ?? oldest, oldest);
    const end = input.EndTime?.getTime() ?? Date.now();
    if (start > end) throw new InvalidLookupError('StartTime is after EndTime');
    const matching = this.events
      .filter((e) => e.time.getTime() >= start && e.time.getTime() <= end)
      .filter((e) => attrs.length === 0 || (attrs[0].AttributeKey === 'ResourceName' && this.matches(e, attrs[0].AttributeValue)))
      .sort((a, b) => b.time.getTime() - a.time.getTime());
    const from = input.NextToken ? Number(input.NextToken) : 0;
    const next = from + max;
    return {
      Events: matching.slice(from, next).map((e): TrailEvent => ({
        EventId: e.eventId,
        EventName: e.eventName,
        EventTime: e.time,
        Username: e.caller.split('/').pop(),
        CloudTrailEvent: JSON.stringify({
          eventVersion: '1.08',
          userIdentity: { type: e.caller.includes(':assumed-role/') ? 'AssumedRole' : 'IAMUser', arn: e.caller },
          eventTime: e.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          eventSource: e.eventSource,
          eventName: e.eventName,
          ...(e.errorCode ? { errorCode: e.errorCode, errorMessage: e.errorMessage ?? '' } : {}),
          requestParameters: e.requestParameters ?? null,
          eventID: e.eventId,
          readOnly: e.readOnly ?? true,
          resources: e.resources.map((ARN) => ({ ARN })),
          eventType: 'AwsApiCall',
        }),
      })),
      ...(next < matching.length ? { NextToken: String(next) } : {}),
    };
  }

  /** The same lookup as an awsJson operation, for an SDK client routed to SimulatedAws. */
  operations(): Record<string, OperationHandler> {
    return {
      LookupEvents: (input: any) => {
        try {
          const out = this.page({ ...input, StartTime: input.StartTime ? new Date(input.StartTime * 1000) : undefined, EndTime: input.EndTime ? new Date(input.EndTime * 1000) : undefined });
          return { ...out, Events: out.Events?.map((e) => ({ ...e, EventTime: e.EventTime ? epochSeconds(e.EventTime) : undefined })) };
        } catch (e) {
          throw new SimulatedServiceError((e as Error).name, (e as Error).message);
        }
      },
    };
  }
}
