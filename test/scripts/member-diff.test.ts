/** `npm run diff`: the member template's own differences, with an exit code CI can act on. */
import { Writable } from 'stream';
import { main, parseArgs, printDiff, UsageError, withoutCdkMetadata } from '../../scripts/member-diff';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildTestApp } from '../support/app';

function sink() {
  let text = '';
  return { stream: new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }), text: () => text };
}

const rule = (params: Record<string, string>) => ({ Type: 'AWS::Config::ConfigRule', Properties: { ConfigRuleName: 'kms-unused-key-check', InputParameters: params }, Metadata: { 'aws:cdk:path': 'M/kms/Rule' } });

test('a changed rule parameter is shown as what changes in every account and Region', () => {
  const out = sink();
  const count = printDiff({ Resources: { Rule: rule({ unusedForDays: '90' }) } }, { Resources: { Rule: rule({ unusedForDays: '30' }) } }, out.stream);
  expect(count).toBe(1);
  expect(out.text()).toMatch(/AWS::Config::ConfigRule Rule[\s\S]*unusedForDays[\s\S]*90[\s\S]*30/);
});

test('where a resource sits in the CDK app is not a difference', () => {
  const cli = { Resources: { Rule: rule({ a: '1' }), CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: {} } }, Conditions: { CDKMetadataAvailable: {} } };
  const mine = { Resources: { Rule: { ...rule({ a: '1' }), Metadata: undefined } } };
  expect(withoutCdkMetadata(cli)).toEqual(withoutCdkMetadata(mine));
  const out = sink();
  expect(printDiff(cli, mine, out.stream)).toBe(0);
  expect(out.text()).toBe('There were no differences\n');
});

test.each([
  [['--template'], '--template needs a value'],
  [['--call-as', 'ROOT'], '--call-as ROOT: must be SELF or DELEGATED_ADMIN'],
  [['-c', 'novalue'], '-c novalue: must be key=value'],
  [['--template', 'a', '--stack-set', 'b'], 'give --template or --stack-set, not both'],
  [['--bogus'], 'unknown argument --bogus'],
])('%j is refused: %s', (argv, message) => {
  expect(() => parseArgs(argv)).toThrow(UsageError);
  expect(() => parseArgs(argv)).toThrow(message);
});

test('against a template file: 0 without differences, 1 with --fail when a setting changes', async () => {
  const { built } = buildTestApp();
  const deployed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cam-diff-test-')), 'member.json');
  fs.copyFileSync(built.member.templatePath, deployed);
  expect(await main(['--template', deployed, '--fail'], sink().stream)).toBe(0);
  const out = sink();
  expect(await main(['--template', deployed, '--fail', '-c', 'cryptoMonitoring.rules.kmsUnusedKey.unusedForDays=30'], out.stream)).toBe(1);
  expect(out.text()).toMatch(/kmsUnusedKeyRule[\s\S]*unusedForDays/);
});
