import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RULE_NAMES } from '../../lib/catalog';
import { loadQueries, parseHeader, placeholdersIn, renderQuery, ruleKeysIn, securityLakeNames } from '../../lib/analytics/queries';

const values = { ...securityLakeNames('eu-central-1'), lookbackDays: 30 };

describe('securityLakeNames', () => {
  test('turns the rollup region into Security Lake\'s Glue names, dashes to underscores', () => {
    expect(securityLakeNames('ap-southeast-2')).toEqual({
      database: 'amazon_security_lake_glue_db_ap_southeast_2',
      findingsTable: 'amazon_security_lake_table_ap_southeast_2_sh_findings_2_0',
      cloudTrailTable: 'amazon_security_lake_table_ap_southeast_2_cloud_trail_mgmt_2_0',
    });
  });

  test('refuses what is not a region name', () => {
    expect(() => securityLakeNames('us_east_1')).toThrow(/Not an AWS region name: "us_east_1"/);
  });
});

describe('renderQuery', () => {
  test('fills the table, window and rule placeholders', () => {
    const sql = "SELECT 1 FROM {{database}}.{{findingsTable}} WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY AND finding_info.title = '{{rule:kmsUnusedKey}}'";
    expect(renderQuery(sql, values)).toBe(
      "SELECT 1 FROM amazon_security_lake_glue_db_eu_central_1.amazon_security_lake_table_eu_central_1_sh_findings_2_0 WHERE time_dt >= now() - INTERVAL '30' DAY AND finding_info.title = 'kms-unused-key-check'",
    );
  });

  test('takes rule names from the catalog it is given', () => {
    expect(renderQuery("'{{rule:kmsUnusedKey}}'", values, { kmsUnusedKey: 'renamed-rule' })).toBe("'renamed-rule'");
  });

  test('an unknown placeholder or rule key throws, naming it', () => {
    expect(() => renderQuery('{{lookback}}', values)).toThrow(/Unknown placeholder \{\{lookback\}\}/);
    expect(() => renderQuery('{{rule:noSuchRule}}', values)).toThrow(/Unknown rule placeholder \{\{rule:noSuchRule\}\}/);
    expect(() => renderQuery('{{rule:toString}}', values)).toThrow(/Unknown rule placeholder/);
  });

  test('values that could break out of their place in the SQL are refused', () => {
    expect(() => renderQuery('x', { ...values, lookbackDays: 0 })).toThrow(/lookbackDays must be a positive integer/);
    expect(() => renderQuery('x', { ...values, lookbackDays: 1.5 })).toThrow(/lookbackDays/);
    expect(() => renderQuery('x', { ...values, database: 'db; DROP TABLE t' })).toThrow(/database must be a lower-case Glue identifier/);
    expect(() => renderQuery("'{{rule:kmsUnusedKey}}'", values, { kmsUnusedKey: "x' OR '1'='1" })).toThrow(/cannot be placed in a SQL string literal/);
  });

  test('every query of the repository renders with the catalog, leaving no placeholder behind', () => {
    for (const q of loadQueries()) {
      const sql = renderQuery(q.sql, values);
      expect(placeholdersIn(sql)).toEqual([]);
      expect(sql).toContain(values.database);
    }
  });
});

describe('parseHeader', () => {
  test('reads the question (over several lines), the columns and the source', () => {
    const sql = ['-- Question: Which keys', '--   are unused?', '-- Columns: account_id, region,  resource_arn', '-- Source: sh_findings_2_0', 'SELECT 1'].join('\n');
    expect(parseHeader(sql)).toEqual({ question: 'Which keys are unused?', columns: ['account_id', 'region', 'resource_arn'], source: 'sh_findings_2_0' });
  });

  test('a file without one of the three lines is refused, naming the file and the line', () => {
    expect(() => parseHeader('-- Question: Why?\nSELECT 1', 'x.sql')).toThrow(/x\.sql: the header comment lacks "-- Columns:", "-- Source:"/);
  });

  test('comments after the first statement line are not header', () => {
    expect(() => parseHeader('SELECT 1\n-- Question: q\n-- Columns: a\n-- Source: s', 'y.sql')).toThrow(/lacks/);
  });
});

describe('loadQueries', () => {
  test('reads <service>/<name>.sql in a stable order, ignoring other files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-queries-'));
    fs.mkdirSync(path.join(dir, 'kms'));
    fs.mkdirSync(path.join(dir, 'certs'));
    const header = '-- Question: q\n-- Columns: a\n-- Source: s\nSELECT 1\n';
    fs.writeFileSync(path.join(dir, 'kms', 'b.sql'), header);
    fs.writeFileSync(path.join(dir, 'kms', 'a.sql'), header);
    fs.writeFileSync(path.join(dir, 'kms', 'notes.md'), 'not a query');
    fs.writeFileSync(path.join(dir, 'certs', 'c.sql'), header);
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a service');
    expect(loadQueries(dir).map((q) => q.id)).toEqual(['certs/c', 'kms/a', 'kms/b']);
  });

  test('the repository\'s queries use only catalog rule keys', () => {
    const used = new Set(loadQueries().flatMap((q) => ruleKeysIn(q.sql)));
    expect(used.size).toBeGreaterThanOrEqual(7);
    for (const key of used) expect(RULE_NAMES).toHaveProperty(key);
  });
});
