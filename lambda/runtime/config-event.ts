/**
 * The AWS Config custom-rule invocation event. `invokingEvent` and `ruleParameters` arrive as
 * JSON strings; everything here is validated before a rule runs, so a malformed event fails
 * with a message that says what was wrong rather than a TypeError deep inside a rule.
 */
export interface ConfigRuleEvent {
  readonly configRuleName: string;
  readonly accountId: string;
  readonly resultToken: string;
  /** True when AWS Config asked for a test run: results go to PutEvaluations with TestMode. */
  readonly testMode: boolean;
  readonly messageType: string;
  /** OrderingTimestamp for every evaluation of this run. */
  readonly notificationTime: Date;
  readonly ruleParameters: Record<string, string>;
}

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(`Malformed AWS Config rule event: ${message}`);
    this.name = 'MalformedEventError';
  }
}

/** Every rule here is periodic: change-triggered notifications would evaluate one resource with no way to clean up the rest. */
const ACCEPTED_MESSAGE_TYPE = 'ScheduledNotification';

/** How far a notification may be stamped ahead of this function's clock (clock skew between services). */
export const MAX_NOTIFICATION_SKEW_MS = 5 * 60_000;
/** Lambda's default maximum event age for asynchronous invocations: anything older was not delivered by Lambda. */
export const DEFAULT_MAX_NOTIFICATION_AGE_MS = 6 * 3_600_000;

const ISO_EXAMPLE = '"2016-07-13T21:50:00.373Z"';
const ISO_ALLOWED = `an ISO 8601 date-time with seconds and a time zone, such as ${ISO_EXAMPLE}`;
// `new Date` also takes bare numbers, "yesterday", Feb 30 and 24:00; AWS Config only ever sends this form.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

function parseIsoDateTime(text: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  const offsetOk = m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || !offsetOk) return undefined;
  const t = new Date(text);
  return isNaN(t.getTime()) ? undefined : t;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function describeDuration(ms: number): string {
  const [n, unit] = ms % 3_600_000 === 0 ? [ms / 3_600_000, 'hour'] : ms % 60_000 === 0 ? [ms / 60_000, 'minute'] : [ms, 'millisecond'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function notificationTime(created: unknown, now: Date, maxAgeMs: number): Date {
  const field = 'invokingEvent.notificationCreationTime';
  if (created === undefined || created === null) {
    throw new MalformedEventError(`${field} is missing: a ScheduledNotification must carry ${ISO_ALLOWED}`);
  }
  const t = typeof created === 'string' ? parseIsoDateTime(created) : undefined;
  if (t === undefined) throw new MalformedEventError(`${field} ${JSON.stringify(created)} is not allowed: must be ${ISO_ALLOWED}`);
  const latest = new Date(now.getTime() + MAX_NOTIFICATION_SKEW_MS);
  if (t > latest) {
    throw new MalformedEventError(
      `${field} ${JSON.stringify(created)} is in the future: must be no later than ${latest.toISOString()} (now plus ${describeDuration(MAX_NOTIFICATION_SKEW_MS)} of clock skew)`,
    );
  }
  const earliest = new Date(now.getTime() - maxAgeMs);
  if (t < earliest) {
    throw new MalformedEventError(
      `${field} ${JSON.stringify(created)} is too old: must be no earlier than ${earliest.toISOString()} (at most ${describeDuration(maxAgeMs)} before now)`,
    );
  }
  return t;
}

function parseJsonObject(name: string, text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') throw new MalformedEventError(`${name} must be a JSON string, got ${typeof text}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MalformedEventError(`${name} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEventError(`${name} must encode a JSON object`);
  }
  return value as Record<string, unknown>;
}

function requireString(event: Record<string, unknown>, name: string): string {
  const v = event[name];
  if (typeof v !== 'string' || v === '') throw new MalformedEventError(`${name} is missing or not a string`);
  return v;
}

export interface ParseConfigRuleEventOptions {
  /** Oldest notification accepted, in ms before `now`; default DEFAULT_MAX_NOTIFICATION_AGE_MS. */
  readonly maxAgeMs?: number;
}

export function parseConfigRuleEvent(raw: unknown, now: Date, options: ParseConfigRuleEventOptions = {}): ConfigRuleEvent {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_NOTIFICATION_AGE_MS;
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) throw new RangeError(`maxAgeMs must be a non-negative number of milliseconds, got ${maxAgeMs}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MalformedEventError('the event is not an object');
  const event = raw as Record<string, unknown>;
  const invoking = parseJsonObject('invokingEvent', event.invokingEvent);
  const messageType = invoking.messageType;
  if (messageType !== ACCEPTED_MESSAGE_TYPE) {
    throw new MalformedEventError(
      `invokingEvent.messageType ${JSON.stringify(messageType)} is not accepted: this rule is periodic and only takes ${ACCEPTED_MESSAGE_TYPE}`,
    );
  }
  const params =
    event.ruleParameters === undefined || event.ruleParameters === null || event.ruleParameters === ''
      ? {}
      : parseJsonObject('ruleParameters', event.ruleParameters);
  const ruleParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    // AWS Config delivers every parameter value as a string; accept numbers/booleans typed by hand in a test event.
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new MalformedEventError(`ruleParameters.${k} must be a string`);
    // defineProperty so a "__proto__" key stays an own (and so refusable) key instead of hitting the setter.
    Object.defineProperty(ruleParameters, k, { value: String(v), enumerable: true, writable: true, configurable: true });
  }
  const notificationTimeValue = notificationTime(invoking.notificationCreationTime, now, maxAgeMs);
  const resultToken = requireString(event, 'resultToken');
  return {
    configRuleName: requireString(event, 'configRuleName'),
    accountId: requireString(event, 'accountId'),
    resultToken,
    testMode: resultToken === 'TESTMODE',
    messageType,
    notificationTime: notificationTimeValue,
    ruleParameters,
  };
}
