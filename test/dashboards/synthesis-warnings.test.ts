/**
 * Synthesis with every part on prints no warning: no deprecated API (jsii's "[WARNING] … is
 * deprecated"), no construct annotation, and no finding of any validation plugin, the built-in
 * CloudFormation validator included (which the other tests switch off for speed).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, type Stage } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { buildTestApp, cdkJsonContext } from '../support/app';

const EVERY_PART_ON = {
  analytics: { enabled: true, resultsEncryption: 'KMS', lakeFormationReaders: ['arn:aws:iam::123456789012:role/security-analyst'] },
  dashboards: {
    enabled: true,
    owners: ['group/default/security'],
    viewers: ['group/default/readers'],
    securityLakeKmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/0a0a0a0a-0000-4000-8000-000000000001'],
  },
  alerting: { enabled: true, organizationTrail: { create: true } },
};

/** Everything synthesis reports: printed lines, stack annotations and validation findings, with validation on. */
function synthesisOutput(build: () => Stage): string[] {
  const out: string[] = [];
  const spies = (['warn', 'error', 'log'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void out.push(`console.${level}: ${args.join(' ')}`)),
  );
  const emitted = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void out.push(`emitWarning: ${String(w)}`));
  const validation = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    const assembly = build().synth();
    out.push(...assembly.stacks.flatMap((s) => s.messages.map((m) => `${s.stackName} ${m.level} ${m.id}: ${JSON.stringify(m.entry.data)}`)));
    const reportFile = path.join(assembly.directory, 'validation-report.json');
    const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
    out.push(...report.pluginReports.flatMap((p: any) => p.violations.map((v: any) => `${p.pluginName} ${v.severity} ${v.ruleName}: ${v.description}`)));
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
    spies.forEach((s) => s.mockRestore());
    emitted.mockRestore();
  }
  return out;
}

test.each([['DIRECT_QUERY'], ['SPICE']])('the app synthesizes with every part on (dashboards in %s) without a warning', (importMode) => {
  const output = synthesisOutput(() => buildTestApp({ ...EVERY_PART_ON, dashboards: { ...EVERY_PART_ON.dashboards, importMode } }).app);
  expect(output).toEqual([]);
});

test('with the cryptographic inventory (its bucket, Glue table, queries, data sets and dashboard) and the retirement path (its data sets and dashboard) on too, without a warning', () => {
  const retirement = { enabled: true, approverArns: ['arn:aws:iam::123456789012:role/KeyCustodian'], notificationTopicArn: 'arn:aws:sns:us-east-1:123456789012:AutomationRetirementApprovals' };
  const output = synthesisOutput(() => buildTestApp({ ...EVERY_PART_ON, inventory: { enabled: true, bucketAccountId: '123456789012' }, retirement }).app);
  expect(output).toEqual([]);
});

// Last in the file: jsii prints each deprecation once per process, so this must not run before the app.
test('the check is real: a data set with the deprecated LogicalTableMap is reported', () => {
  const output = synthesisOutput(() => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cam-warnings-')), context: cdkJsonContext() });
    new quicksight.CfnDataSet(new Stack(app, 'Deprecated'), 'DataSet', {
      awsAccountId: '123456789012',
      dataSetId: 'deprecated',
      name: 'deprecated',
      importMode: 'DIRECT_QUERY',
      physicalTableMap: { query: { customSql: { dataSourceArn: 'arn:aws:quicksight:us-east-1:123456789012:datasource/x', name: 'q', sqlQuery: 'SELECT 1 AS a', columns: [{ name: 'a', type: 'STRING' }] } } },
      logicalTableMap: { query: { alias: 'q', source: { physicalTableId: 'query' }, dataTransforms: [{ castColumnTypeOperation: { columnName: 'a', newColumnType: 'DATETIME' } }] } },
    });
    return app;
  });
  expect(output).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^console\.warn: \[WARNING\] aws-cdk-lib\.aws_quicksight\.CfnDataSetProps#logicalTableMap is deprecated/),
      expect.stringMatching(/^CloudFormation Validate warning W9009: .*LogicalTableMap.* deprecated/),
    ]),
  );
});
