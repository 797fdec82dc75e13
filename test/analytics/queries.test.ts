import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RULE_NAMES } from '../../lib/catalog';
import {
  DEFAULT_CURRENT_STATE_DAYS, currentStateDays, expandFragments, loadFragments, loadQueries, parseFragment, parseHeader, placeholdersIn, renderQuery,
  ruleKeysIn, securityLakeNames, type Fragment,
} from '../../lib/analytics/queries';

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

  test('fills the state window: a year unless given, never shorter than the activity window', () => {
    const sql = "INTERVAL '{{currentStateDays}}' DAY, INTERVAL '{{lookbackDays}}' DAY";
    expect(DEFAULT_CURRENT_STATE_DAYS).toBe(365);
    expect(renderQuery(sql, values)).toBe("INTERVAL '365' DAY, INTERVAL '30' DAY");
    expect(renderQuery(sql, { ...values, currentStateDays: 400 })).toBe("INTERVAL '400' DAY, INTERVAL '30' DAY");
    expect(renderQuery(sql, { ...values, lookbackDays: 365, currentStateDays: 365 })).toBe("INTERVAL '365' DAY, INTERVAL '365' DAY");
    expect(currentStateDays({ lookbackDays: 500 })).toBe(500);
    expect(() => renderQuery(sql, { ...values, currentStateDays: 29 })).toThrow(/currentStateDays must be an integer no smaller than lookbackDays \(30\), got 29/);
    expect(() => renderQuery(sql, { ...values, currentStateDays: 40.5 })).toThrow(/currentStateDays/);
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
    fs.mkdirSync(path.join(dir, '_fragments'));
    fs.writeFileSync(path.join(dir, '_fragments', 'f.sql'), '-- Fragment: f\n-- Columns: a\nSELECT 1\n');
    expect(loadQueries(dir).map((q) => q.id)).toEqual(['certs/c', 'kms/a', 'kms/b']);
  });

  test('expands fragments into sql, keeps the file as written, reads the header from the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-queries-'));
    fs.mkdirSync(path.join(dir, 'kms'));
    fs.mkdirSync(path.join(dir, '_fragments'));
    fs.writeFileSync(path.join(dir, '_fragments', 'one.sql'), '-- Fragment: the number one\n-- Columns: n\nSELECT 1 AS n\n');
    const written = '-- Question: q\n-- Columns: n\n-- Source: s\n{{fragment:one}}\n';
    fs.writeFileSync(path.join(dir, 'kms', 'a.sql'), written);
    const [q] = loadQueries(dir);
    expect(q.sql).toBe('-- Question: q\n-- Columns: n\n-- Source: s\nSELECT 1 AS n\n');
    expect(q.written).toBe(written);
    expect(q.header.columns).toEqual(['n']);
  });

  test('a query that includes an unknown fragment fails the load, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-queries-'));
    fs.mkdirSync(path.join(dir, 'kms'));
    fs.writeFileSync(path.join(dir, 'kms', 'a.sql'), '-- Question: q\n-- Columns: a\n-- Source: s\nWITH {{fragment:nowhere}} SELECT 1\n');
    expect(() => loadQueries(dir)).toThrow(/kms[/\\]a\.sql: unknown fragment \{\{fragment:nowhere\}\}; known fragments: none/);
  });

  test('the repository\'s queries use only catalog rule keys', () => {
    const used = new Set(loadQueries().flatMap((q) => ruleKeysIn(q.sql)));
    expect(used.size).toBeGreaterThanOrEqual(7);
    for (const key of used) expect(RULE_NAMES).toHaveProperty(key);
  });
});

/** Fragments for expandFragments, built from text the way loadFragments builds them from files. */
function fragments(files: Record<string, string>): Map<string, Fragment> {
  return new Map(Object.entries(files).map(([name, text]) => [name, parseFragment(name, text)]));
}

describe('expandFragments', () => {
  const lib = fragments({
    'window': "-- Fragment: the window\n-- Columns: none\ntime_dt >= now() - INTERVAL '{{lookbackDays}}' DAY",
    'rule-rows': [
      '-- Fragment: rows of one rule',
      '-- Parameters: rule: a catalog key; control: a control id',
      '-- Columns: title',
      'rows AS (',
      '  SELECT finding_info.title AS title',
      '  FROM {{database}}.{{findingsTable}}',
      '  WHERE {{fragment:window}}',
      "    AND (finding_info.title = '{{rule:{{param:rule}}}}' OR compliance.control = '{{param:control}}')",
      ')',
    ].join('\n'),
    'columns': '-- Fragment: a select list\n-- Columns: a, b\na,\nb',
  });

  test('replaces an include with the body, parameters filled, nested fragments expanded, the rest left for renderQuery', () => {
    const sql = expandFragments('WITH {{fragment:rule-rows(rule=kmsUnusedKey, control=KMS.4)}}\nSELECT * FROM rows', lib);
    expect(sql).toBe([
      'WITH rows AS (',
      '  SELECT finding_info.title AS title',
      '  FROM {{database}}.{{findingsTable}}',
      "  WHERE time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY",
      "    AND (finding_info.title = '{{rule:kmsUnusedKey}}' OR compliance.control = 'KMS.4')",
      ')',
      'SELECT * FROM rows',
    ].join('\n'));
    expect(renderQuery(sql, values)).toContain("finding_info.title = 'kms-unused-key-check'");
  });

  test('continues a block at the indentation of the line that includes it', () => {
    expect(expandFragments('SELECT\n    {{fragment:columns}}\nFROM t', lib)).toBe('SELECT\n    a,\n    b\nFROM t');
  });

  test('text without includes is returned as is', () => {
    expect(expandFragments("SELECT '{{rule:kmsUnusedKey}}' FROM {{database}}.x", lib)).toBe("SELECT '{{rule:kmsUnusedKey}}' FROM {{database}}.x");
  });

  test('an unknown fragment throws, naming it, the text that includes it and the known ones', () => {
    expect(() => expandFragments('{{fragment:colums}}', lib, 'kms/a.sql')).toThrow(
      'kms/a.sql: unknown fragment {{fragment:colums}}; known fragments: window, rule-rows, columns',
    );
  });

  test('a missing parameter throws, naming it', () => {
    expect(() => expandFragments('{{fragment:rule-rows(rule=kmsUnusedKey)}}', lib, 'q.sql')).toThrow(
      /q\.sql: \{\{fragment:rule-rows\}\} lacks the parameter\(s\) control/,
    );
    expect(() => expandFragments('{{fragment:rule-rows}}', lib, 'q.sql')).toThrow(/lacks the parameter\(s\) rule, control/);
  });

  test('an unexpected, repeated or unsafe parameter throws', () => {
    expect(() => expandFragments('{{fragment:columns(rule=x)}}', lib)).toThrow(/\{\{fragment:columns\}\} takes no parameter\(s\) rule; it takes: none/);
    expect(() => expandFragments('{{fragment:rule-rows(rule=a, rule=b, control=c)}}', lib)).toThrow(/gives rule twice/);
    expect(() => expandFragments("{{fragment:rule-rows(rule=kmsUnusedKey, control=x' OR 'a)}}", lib)).toThrow(
      /gives control the value "x' OR 'a"; a value is letters, digits/,
    );
  });

  test('a malformed include throws with the syntax to use', () => {
    for (const bad of ['{{fragment:Columns}}', '{{fragment:rule-rows(rule)}}', '{{fragment:rule-rows(rule=a) x}}']) {
      expect(() => expandFragments(bad, lib)).toThrow(/malformed \{\{fragment:.*\}\}; write \{\{fragment:<name>\}\} or \{\{fragment:<name>\(key=value, key=value\)\}\}/);
    }
  });

  test('a fragment that includes itself, directly or through another, throws, showing the chain', () => {
    const loop = fragments({
      self: '-- Fragment: loops\n-- Columns: none\nSELECT {{fragment:self}}',
      ping: '-- Fragment: loops\n-- Columns: none\n{{fragment:pong}}',
      pong: '-- Fragment: loops\n-- Columns: none\n{{fragment:ping}}',
    });
    expect(() => expandFragments('{{fragment:self}}', loop)).toThrow('Fragment self includes itself: self -> self');
    expect(() => expandFragments('{{fragment:ping}}', loop)).toThrow('Fragment ping includes itself: ping -> pong -> ping');
  });

  test('{{param:…}} outside a fragment throws', () => {
    expect(() => expandFragments("SELECT '{{param:rule}}'", lib, 'q.sql')).toThrow('q.sql: {{param:rule}} is only meaningful inside a fragment');
  });

  test('renderQuery, given unexpanded text, says where fragments are expanded', () => {
    expect(() => renderQuery('{{fragment:columns}}', values)).toThrow(/fragments are expanded by loadQueries/);
  });
});

describe('parseFragment', () => {
  test('reads what the fragment is, its parameters and its columns, and drops the header from the body', () => {
    const f = parseFragment('f', [
      '-- Fragment: rows of one',
      '--   rule',
      '-- Parameters: rule: a catalog key; control: a control id,',
      '--   e.g. KMS.4',
      '-- Columns: title',
      "x AS (SELECT '{{param:rule}}', '{{param:control}}')",
      '',
    ].join('\n'), 'f.sql');
    expect(f).toEqual({
      name: 'f', file: 'f.sql', description: 'rows of one rule', parameters: ['rule', 'control'], columns: 'title',
      body: "x AS (SELECT '{{param:rule}}', '{{param:control}}')",
    });
  });

  test('a header that lacks what a fragment is or its columns is refused', () => {
    expect(() => parseFragment('f', '-- Columns: a\nSELECT 1', 'f.sql')).toThrow('f.sql: the header comment lacks "-- Fragment:"');
    expect(() => parseFragment('f', '-- Fragment: f\nSELECT 1', 'f.sql')).toThrow(/lacks "-- Columns:"/);
    expect(() => parseFragment('f', '-- Fragment: f\n-- Columns: a\n', 'f.sql')).toThrow('f.sql: the fragment has a header but no SQL');
  });

  test('the declared parameters must be exactly those the body uses', () => {
    expect(() => parseFragment('f', "-- Fragment: f\n-- Columns: a\nSELECT '{{param:rule}}'", 'f.sql')).toThrow(
      'f.sql: the body uses {{param:rule}}, which "-- Parameters:" does not declare',
    );
    expect(() => parseFragment('f', '-- Fragment: f\n-- Parameters: rule: a key\n-- Columns: a\nSELECT 1', 'f.sql')).toThrow(
      'f.sql: "-- Parameters:" declares rule, which the body never uses',
    );
  });

  test('a name that an include could not spell is refused', () => {
    expect(() => parseFragment('Newest_Findings', '-- Fragment: f\n-- Columns: a\nSELECT 1')).toThrow(/lower-case words joined by dashes/);
  });
});

describe('the repository\'s fragments', () => {
  const all = loadFragments();
  const queries = loadQueries();

  test('no {{fragment:…}} or {{param:…}} survives in any expanded query', () => {
    for (const q of queries) {
      expect(q.sql).not.toContain('{{fragment:');
      expect(q.sql).not.toContain('{{param:');
    }
  });

  test('every fragment serves some query, and queries that include none are unchanged by expansion', () => {
    const used = new Set<string>();
    const collect = (text: string) => {
      for (const p of placeholdersIn(text)) {
        if (!p.startsWith('fragment:')) continue;
        const name = /^fragment:([a-z0-9-]+)/.exec(p)![1];
        if (!used.has(name)) {
          used.add(name);
          collect(all.get(name)!.body);
        }
      }
    };
    for (const q of queries) {
      collect(q.written);
      if (!q.written.includes('{{fragment:')) expect(q.sql).toBe(q.written);
    }
    expect([...all.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  test.each([...all.values()].map((f) => [f.name, f] as const))('%s names no rule, table, region or v1 column of its own', (_name, f) => {
    const text = fs.readFileSync(f.file, 'utf8');
    for (const name of Object.values(RULE_NAMES)) expect(text).not.toContain(name);
    expect(text).not.toMatch(/amazon_security_lake/);
    expect(text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/);
    expect(text).not.toMatch(/eventday/i);
  });
});
