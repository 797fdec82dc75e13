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

const MESSAGE_TYPES = [
  'ScheduledNotification',
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ConfigurationSnapshotDeliveryCompleted',
];

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

export function parseConfigRuleEvent(raw: unknown, now: Date): ConfigRuleEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MalformedEventError('the event is not an object');
  const event = raw as Record<string, unknown>;
  const invoking = parseJsonObject('invokingEvent', event.invokingEvent);
  const messageType = invoking.messageType;
  if (typeof messageType !== 'string' || !MESSAGE_TYPES.includes(messageType)) {
    throw new MalformedEventError(`invokingEvent.messageType ${JSON.stringify(messageType)} is not one of ${MESSAGE_TYPES.join(', ')}`);
  }
  const params =
    event.ruleParameters === undefined || event.ruleParameters === null || event.ruleParameters === ''
      ? {}
      : parseJsonObject('ruleParameters', event.ruleParameters);
  const ruleParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    // AWS Config delivers every parameter value as a string; accept numbers/booleans typed by hand in a test event.
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ruleParameters[k] = String(v);
    else throw new MalformedEventError(`ruleParameters.${k} must be a string`);
  }
  const created = invoking.notificationCreationTime;
  let notificationTime = now;
  if (created !== undefined) {
    const t = new Date(String(created));
    if (isNaN(t.getTime())) throw new MalformedEventError(`invokingEvent.notificationCreationTime ${JSON.stringify(created)} is not a date`);
    notificationTime = t;
  }
  const resultToken = requireString(event, 'resultToken');
  return {
    configRuleName: requireString(event, 'configRuleName'),
    accountId: requireString(event, 'accountId'),
    resultToken,
    testMode: resultToken === 'TESTMODE',
    messageType,
    notificationTime,
    ruleParameters,
  };
}
