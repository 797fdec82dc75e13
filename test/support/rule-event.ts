/**
 * The event AWS Config sends a periodic custom rule: `invokingEvent` and `ruleParameters` as
 * JSON strings, every parameter value a string. `overrides` replaces top-level fields (a
 * TESTMODE result token, a malformed field).
 */
export const RULE_EVENT_ACCOUNT = '111122223333';

export function scheduledRuleEvent(configRuleName: string, now: Date, ruleParameters: Record<string, string>, overrides: Record<string, unknown> = {}) {
  return {
    version: '1.0',
    configRuleName,
    configRuleArn: `arn:aws:config:eu-west-1:${RULE_EVENT_ACCOUNT}:config-rule/config-rule-abc123`,
    accountId: RULE_EVENT_ACCOUNT,
    resultToken: 'result-token',
    eventLeftScope: false,
    invokingEvent: JSON.stringify({ awsAccountId: RULE_EVENT_ACCOUNT, notificationCreationTime: now.toISOString(), messageType: 'ScheduledNotification', recordVersion: '1.0' }),
    ruleParameters: JSON.stringify(ruleParameters),
    ...overrides,
  };
}
