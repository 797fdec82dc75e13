import { alarmDescription, ALARM_DESCRIPTION_MAX_LENGTH } from '../../lib/alerting/activity-alarms';
import { activityMetrics, FILTER_PATTERN_MAX_LENGTH, secretReadsPattern } from '../../lib/alerting/metric-filters';
import { parseSettings } from '../../lib/settings';

describe('CloudFormation and CloudWatch limits', () => {
  it('refuses watched secrets whose filter pattern would pass 1,024 characters, naming the fix', () => {
    const long = Array.from({ length: 8 }, (_, i) => `team-${i}/${'x'.repeat(60)}`);
    expect(secretReadsPattern(long).length).toBeGreaterThan(FILTER_PATTERN_MAX_LENGTH);
    const alarms = parseSettings({ alerting: { alarms: { secretReads: { watchedSecrets: long } } } }).alerting.alarms;
    expect(() => activityMetrics(alarms)).toThrow(/SecretReads filter pattern is \d+ characters, over CloudWatch Logs' 1024; watch fewer or shorter secret names/);
  });

  it('leaves out filters of disabled alarms', () => {
    const alarms = parseSettings({ alerting: { alarms: { secretReads: { enabled: false }, kmsAccessDenied: { enabled: false } } } }).alerting.alarms;
    expect(activityMetrics(alarms).map((s) => s.key)).not.toEqual(expect.arrayContaining(['secretReads']));
    expect(activityMetrics(alarms)).toHaveLength(5);
  });

  it('names the saved query instead of quoting it when the description would pass 1,024 characters', () => {
    const spec = { severity: 'MEDIUM' as const, whatHappened: 'Something happened.', nextSteps: 'Look.', insightsQuery: `filter x = "${'y'.repeat(1000)}"` };
    const d = alarmDescription(spec, 'crypto-monitoring/q', 'aws-controltower/CloudTrailLogs');
    expect(d.length).toBeLessThanOrEqual(ALARM_DESCRIPTION_MAX_LENGTH);
    expect(d).toBe(
      '[MEDIUM] Something happened. What to do: Look. Which account, region, resource and principal: run the saved CloudWatch Logs Insights query crypto-monitoring/q on log group aws-controltower/CloudTrailLogs.',
    );
    const short = alarmDescription({ ...spec, insightsQuery: 'filter x = 1' }, 'crypto-monitoring/q', 'g');
    expect(short.endsWith(': filter x = 1')).toBe(true);
  });
});
