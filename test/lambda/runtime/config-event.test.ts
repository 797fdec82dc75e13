import {
  DEFAULT_MAX_NOTIFICATION_AGE_MS,
  MalformedEventError,
  MAX_NOTIFICATION_SKEW_MS,
  parseConfigRuleEvent,
} from '../../../lambda/runtime/config-event';

const NOW = new Date('2016-07-13T22:00:00.000Z');
const ISO_ALLOWED = 'an ISO 8601 date-time with seconds and a time zone, such as "2016-07-13T21:50:00.373Z"';
const PREFIX = 'Malformed AWS Config rule event: ';

function event(invoking: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    configRuleName: 'kms-unused-key-check',
    accountId: '111122223333',
    resultToken: 'result-token',
    invokingEvent: JSON.stringify(invoking),
    ruleParameters: '{"unusedForDays":"30"}',
    ...overrides,
  };
}
const scheduled = (notificationCreationTime: unknown) => event({ messageType: 'ScheduledNotification', notificationCreationTime });

function refusal(raw: unknown, options?: { maxAgeMs?: number }): Error {
  try {
    parseConfigRuleEvent(raw, NOW, options);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the event to be refused');
}

test('the limits', () => {
  expect(MAX_NOTIFICATION_SKEW_MS).toBe(5 * 60_000);
  expect(DEFAULT_MAX_NOTIFICATION_AGE_MS).toBe(6 * 3_600_000);
});

test('parses a scheduled notification', () => {
  expect(parseConfigRuleEvent(scheduled('2016-07-13T21:50:00.373Z'), NOW)).toEqual({
    configRuleName: 'kms-unused-key-check',
    accountId: '111122223333',
    resultToken: 'result-token',
    testMode: false,
    messageType: 'ScheduledNotification',
    notificationTime: new Date('2016-07-13T21:50:00.373Z'),
    ruleParameters: { unusedForDays: '30' },
  });
});

describe('messageType', () => {
  test.each([
    ['ConfigurationItemChangeNotification', '"ConfigurationItemChangeNotification"'],
    ['OversizedConfigurationItemChangeNotification', '"OversizedConfigurationItemChangeNotification"'],
    ['ConfigurationSnapshotDeliveryCompleted', '"ConfigurationSnapshotDeliveryCompleted"'],
    ['scheduledNotification', '"scheduledNotification"'],
    ['', '""'],
    [undefined, 'undefined'],
    [42, '42'],
  ])('refuses %p', (messageType, shown) => {
    const e = refusal(event({ messageType, notificationCreationTime: '2016-07-13T21:50:00Z' }));
    expect(e).toBeInstanceOf(MalformedEventError);
    expect(e.message).toBe(
      `${PREFIX}invokingEvent.messageType ${shown} is not accepted: this rule is periodic and only takes ScheduledNotification`,
    );
  });
});

describe('notificationCreationTime', () => {
  test.each<[string, string, string]>([
    ['AWS Config form, milliseconds', '2016-07-13T21:50:00.373Z', '2016-07-13T21:50:00.373Z'],
    ['no fraction', '2016-07-13T21:50:00Z', '2016-07-13T21:50:00.000Z'],
    ['one fraction digit', '2016-07-13T21:50:00.1Z', '2016-07-13T21:50:00.100Z'],
    ['nanoseconds', '2016-07-13T21:50:00.123456789Z', '2016-07-13T21:50:00.123Z'],
    ['positive offset', '2016-07-14T03:20:00+05:30', '2016-07-13T21:50:00.000Z'],
    ['negative offset', '2016-07-13T17:50:00.000-04:00', '2016-07-13T21:50:00.000Z'],
    ['zero offset', '2016-07-13T21:50:00+00:00', '2016-07-13T21:50:00.000Z'],
    ['exactly now', '2016-07-13T22:00:00.000Z', '2016-07-13T22:00:00.000Z'],
    ['exactly 5 minutes ahead (clock skew)', '2016-07-13T22:05:00.000Z', '2016-07-13T22:05:00.000Z'],
    ['exactly 6 hours old', '2016-07-13T16:00:00.000Z', '2016-07-13T16:00:00.000Z'],
  ])('accepts %s', (_case, value, expected) => {
    expect(parseConfigRuleEvent(scheduled(value), NOW).notificationTime.toISOString()).toBe(expected);
  });

  test.each<[string, unknown, string]>([
    ['bare epoch milliseconds', 1468446600373, '1468446600373'],
    ['epoch milliseconds as a string', '1468446600373', '"1468446600373"'],
    ['a word', 'yesterday', '"yesterday"'],
    ['empty', '', '""'],
    ['no time zone', '2016-07-13T21:50:00.373', '"2016-07-13T21:50:00.373"'],
    ['date only', '2016-07-13', '"2016-07-13"'],
    ['no seconds', '2016-07-13T21:50Z', '"2016-07-13T21:50Z"'],
    ['space instead of T', '2016-07-13 21:50:00Z', '"2016-07-13 21:50:00Z"'],
    ['lower-case z', '2016-07-13T21:50:00z', '"2016-07-13T21:50:00z"'],
    ['compact offset', '2016-07-13T21:50:00+0000', '"2016-07-13T21:50:00+0000"'],
    ['RFC 2822', 'Wed, 13 Jul 2016 21:50:00 GMT', '"Wed, 13 Jul 2016 21:50:00 GMT"'],
    ['surrounding whitespace', ' 2016-07-13T21:50:00Z', '" 2016-07-13T21:50:00Z"'],
    ['month 13', '2016-13-13T21:50:00Z', '"2016-13-13T21:50:00Z"'],
    ['February 30', '2016-02-30T21:50:00Z', '"2016-02-30T21:50:00Z"'],
    ['hour 24', '2016-07-13T24:00:00Z', '"2016-07-13T24:00:00Z"'],
    ['second 60', '2016-07-13T21:50:60Z', '"2016-07-13T21:50:60Z"'],
    ['offset hour 24', '2016-07-13T21:50:00+24:00', '"2016-07-13T21:50:00+24:00"'],
    ['an object', { t: 1 }, '{"t":1}'],
    ['a boolean', true, 'true'],
  ])('refuses %s', (_case, value, shown) => {
    const e = refusal(scheduled(value));
    expect(e).toBeInstanceOf(MalformedEventError);
    expect(e.message).toBe(`${PREFIX}invokingEvent.notificationCreationTime ${shown} is not allowed: must be ${ISO_ALLOWED}`);
  });

  test.each([undefined, null])('refuses a missing value (%p)', (value) => {
    const e = refusal(scheduled(value));
    expect(e).toBeInstanceOf(MalformedEventError);
    expect(e.message).toBe(`${PREFIX}invokingEvent.notificationCreationTime is missing: a ScheduledNotification must carry ${ISO_ALLOWED}`);
  });

  test.each<[string, string, { maxAgeMs?: number } | undefined, string]>([
    [
      'one millisecond beyond the clock skew',
      '2016-07-13T22:05:00.001Z',
      undefined,
      'is in the future: must be no later than 2016-07-13T22:05:00.000Z (now plus 5 minutes of clock skew)',
    ],
    ['a day ahead', '2016-07-14T22:00:00Z', undefined, 'is in the future: must be no later than 2016-07-13T22:05:00.000Z (now plus 5 minutes of clock skew)'],
    [
      'one millisecond older than 6 hours',
      '2016-07-13T15:59:59.999Z',
      undefined,
      'is too old: must be no earlier than 2016-07-13T16:00:00.000Z (at most 6 hours before now)',
    ],
    ['years old', '2001-01-01T00:00:00Z', undefined, 'is too old: must be no earlier than 2016-07-13T16:00:00.000Z (at most 6 hours before now)'],
    [
      'older than a custom maximum age',
      '2016-07-13T21:49:00Z',
      { maxAgeMs: 10 * 60_000 },
      'is too old: must be no earlier than 2016-07-13T21:50:00.000Z (at most 10 minutes before now)',
    ],
    [
      'older than a one-hour maximum age',
      '2016-07-13T20:59:59Z',
      { maxAgeMs: 3_600_000 },
      'is too old: must be no earlier than 2016-07-13T21:00:00.000Z (at most 1 hour before now)',
    ],
  ])('refuses %s', (_case, value, options, reason) => {
    const e = refusal(scheduled(value), options);
    expect(e).toBeInstanceOf(MalformedEventError);
    expect(e.message).toBe(`${PREFIX}invokingEvent.notificationCreationTime ${JSON.stringify(value)} ${reason}`);
  });

  test('a custom maximum age can widen the window', () => {
    const day = 24 * 3_600_000;
    expect(parseConfigRuleEvent(scheduled('2016-07-13T00:00:00Z'), NOW, { maxAgeMs: day }).notificationTime.toISOString()).toBe('2016-07-13T00:00:00.000Z');
  });

  test.each([-1, NaN, Infinity])('refuses maxAgeMs %p as a programming error', (maxAgeMs) => {
    expect(() => parseConfigRuleEvent(scheduled('2016-07-13T21:50:00Z'), NOW, { maxAgeMs })).toThrow(
      new RangeError(`maxAgeMs must be a non-negative number of milliseconds, got ${maxAgeMs}`),
    );
  });
});

describe('the rest of the event (unchanged behaviour)', () => {
  const ok = { messageType: 'ScheduledNotification', notificationCreationTime: '2016-07-13T21:50:00Z' };

  test.each<[string, Record<string, unknown>, Partial<ReturnType<typeof parseConfigRuleEvent>>]>([
    ['TESTMODE token', { resultToken: 'TESTMODE' }, { resultToken: 'TESTMODE', testMode: true }],
    ['no ruleParameters', { ruleParameters: undefined }, { ruleParameters: {} }],
    ['null ruleParameters', { ruleParameters: null }, { ruleParameters: {} }],
    ['empty ruleParameters', { ruleParameters: '' }, { ruleParameters: {} }],
    ['hand-typed number and boolean', { ruleParameters: '{"unusedForDays":30,"flag":true}' }, { ruleParameters: { unusedForDays: '30', flag: 'true' } }],
  ])('accepts %s', (_case, overrides, expected) => {
    expect(parseConfigRuleEvent(event(ok, overrides), NOW)).toMatchObject(expected);
  });

  test('a "__proto__" parameter stays an own key', () => {
    const params = parseConfigRuleEvent(event(ok, { ruleParameters: '{"__proto__":"x"}' }), NOW).ruleParameters;
    expect(Object.keys(params)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });

  test.each<[string, unknown, string]>([
    ['not an object', 'event', 'the event is not an object'],
    ['an array', [], 'the event is not an object'],
    ['invokingEvent not a string', event(ok, { invokingEvent: {} }), 'invokingEvent must be a JSON string, got object'],
    ['invokingEvent an array', event(ok, { invokingEvent: '[]' }), 'invokingEvent must encode a JSON object'],
    ['ruleParameters an array', event(ok, { ruleParameters: '[1]' }), 'ruleParameters must encode a JSON object'],
    ['nested parameter value', event(ok, { ruleParameters: '{"a":{"b":1}}' }), 'ruleParameters.a must be a string'],
    ['null parameter value', event(ok, { ruleParameters: '{"a":null}' }), 'ruleParameters.a must be a string'],
    ['missing resultToken', event(ok, { resultToken: undefined }), 'resultToken is missing or not a string'],
    ['empty configRuleName', event(ok, { configRuleName: '' }), 'configRuleName is missing or not a string'],
    ['numeric accountId', event(ok, { accountId: 111122223333 }), 'accountId is missing or not a string'],
  ])('refuses %s', (_case, raw, message) => {
    const e = refusal(raw);
    expect(e).toBeInstanceOf(MalformedEventError);
    expect(e.message).toBe(PREFIX + message);
  });

  test('invalid JSON names the field', () => {
    expect(refusal(event(ok, { invokingEvent: '{' })).message).toMatch(/^Malformed AWS Config rule event: invokingEvent is not valid JSON \(.+\)$/);
  });
});
