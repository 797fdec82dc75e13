/** The alerting stack's CloudWatch dashboard, as synthesized: titles that say what each graph shows, on a tidy grid. */
import { Template } from 'aws-cdk-lib/assertions';
import { AlertingStack } from '../../lib/alerting/alerting-stack';
import { loadSettings } from '../../lib/settings';
import { testApp } from '../support/app';

function body(alarms: Record<string, unknown> = {}): { widgets: any[] } {
  const app = testApp({ alerting: { alarms } });
  const stack = new AlertingStack(app, 'Alerting', { settings: loadSettings(app.node), env: { account: '111111111111', region: 'eu-west-1' } });
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const flatten = (x: any): string =>
    typeof x === 'string' ? x : x['Fn::Join'] ? x['Fn::Join'][1].map(flatten).join(x['Fn::Join'][0]) : x.Ref ? `<${x.Ref}>` : `<${x['Fn::GetAtt'][0]}>`;
  return JSON.parse(flatten(dashboard.Properties.DashboardBody));
}

const widgets = body().widgets;
const graphs = widgets.filter((w) => w.type === 'metric');

test('each graph is titled with what it counts and over which period, not its metric name', () => {
  expect(graphs.map((g) => g.properties.title)).toEqual([
    'KMS keys disabled or scheduled for deletion, all accounts, per 5 minutes',
    'KMS Encrypt, Decrypt, ReEncrypt, GenerateDataKey calls, all accounts, per 5 minutes',
    'GetSecretValue calls on any secret, all accounts, per 5 minutes',
    'KMS calls refused as access denied, all accounts, per 5 minutes',
    'Secrets Manager calls refused as access denied, all accounts, per 5 minutes',
    'Calls on KMS keys pending deletion, all accounts, per 5 minutes',
    'Reads of secrets marked for deletion, all accounts, per 5 minutes',
  ]);
  for (const g of graphs) {
    expect(g.properties.annotations.horizontal).toEqual([expect.objectContaining({ label: expect.stringMatching(/^alarm at \d+$/) })]);
    expect(g.properties.yAxis.left.min).toBe(0);
  }
});

test('a title follows the settings: the period, and watched secrets', () => {
  const titles = body({ secretReads: { periodMinutes: 15, watchedSecrets: ['prod/db'] } }).widgets.filter((w) => w.type === 'metric').map((g) => g.properties.title);
  expect(titles).toContain('GetSecretValue calls on the watched secrets, all accounts, per 15 minutes');
});

test('the grid is tidy: the alarm states across the top, then graphs two to a row, each row filled', () => {
  expect(widgets[0]).toMatchObject({ type: 'alarm', x: 0, width: 24 });
  const rows = new Map<number, number>();
  for (const g of graphs) rows.set(g.y, (rows.get(g.y) ?? 0) + g.width);
  expect([...rows.values()].every((w) => w === 24)).toBe(true);
  for (const g of graphs) expect(g.properties.title.length * 8.2).toBeLessThan(g.width * 60 - 32);
});
