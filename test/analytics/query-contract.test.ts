/**
 * What every query under athena-queries/ promises, checked file by file: its header tells the
 * truth about its columns, it names rules only through the catalog, and it cannot scan the lake
 * outside its time_dt window: the activity window (lookbackDays) for CloudTrail, the state window
 * (currentStateDays) for findings, whose newest row may be months old.
 */
import { RULE_NAMES } from '../../lib/catalog';
import { loadQueries, ruleKeysIn } from '../../lib/analytics/queries';
import { SecurityLake } from '../fixtures/security-lake/lake';
import { apiCall, finding, type Row } from '../fixtures/security-lake/records';
import { CLOUDTRAIL_COLUMNS, FINDINGS_COLUMNS } from '../fixtures/security-lake/tables';
import { CURRENT_STATE_DAYS, JUST_OUTSIDE, LOOKBACK_DAYS, NOW, STATE_JUST_OUTSIDE, allApiCalls, allFindings } from '../fixtures/security-lake/scenarios';

const queries = loadQueries();
const TABLE_REFERENCE = /FROM\s+\{\{database\}\}\.\{\{(findingsTable|cloudTrailTable)\}\}/g;
const WINDOW = {
  cloudTrailTable: "time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY",
  findingsTable: "time_dt >= now() - INTERVAL '{{currentStateDays}}' DAY",
};

test('the issue\'s questions all have a query', () => {
  const required = [
    'kms/unused-keys', 'kms/keys-without-rotation', 'kms/access-denied', 'kms/operations',
    'certs/dns-validation-pending', 'certs/expiring', 'certs/operations', 'certs/issued', 'certs/revoked',
    'secretsManager/unused-secrets', 'secretsManager/rotation-not-enabled', 'secretsManager/access-denied',
    'secretsManager/deleted', 'secretsManager/reads', 'secretsManager/operations',
  ];
  expect(queries.map((q) => q.id)).toEqual(expect.arrayContaining(required));
});

describe.each(queries.map((q) => [q.id, q] as const))('%s', (_id, q) => {
  test('every read of a Security Lake table filters time_dt to its window in its own WHERE clause', () => {
    const reads = [...q.sql.matchAll(TABLE_REFERENCE)];
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      // The clause that follows the table, up to the end of its SELECT (the CTE's closing parenthesis or the query end).
      const after = q.sql.slice(read.index! + read[0].length);
      const clause = after.slice(0, after.search(/\n\)|$/));
      expect(clause).toMatch(/^\s*\n\s*WHERE /);
      expect(clause).toContain(WINDOW[read[1] as keyof typeof WINDOW]);
      // A top-level OR would let rows outside the window through.
      let conditions = clause;
      while (/\([^()]*\)/.test(conditions)) conditions = conditions.replace(/\([^()]*\)/g, '_');
      expect(conditions).not.toMatch(/\bOR\b/);
    }
  });

  test('names no table, database, region or Security Lake v1 column of its own', () => {
    expect(q.sql).not.toMatch(/amazon_security_lake/);
    expect(q.sql).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/);
    expect(q.sql).not.toMatch(/eventday/i);
  });

  test('names rules only through {{rule:<catalog key>}} placeholders, comments included', () => {
    for (const key of ruleKeysIn(q.sql)) expect(Object.keys(RULE_NAMES)).toContain(key);
    for (const name of Object.values(RULE_NAMES)) expect(q.sql).not.toContain(name);
  });

  test('a query reading findings by title matches a catalog rule', () => {
    if (q.sql.includes('finding_info.title')) expect(ruleKeysIn(q.sql).length).toBeGreaterThan(0);
  });

  test('its header lists exactly the columns it returns, in order', async () => {
    const lake = await SecurityLake.open({ now: NOW });
    try {
      expect(await lake.columnsOf(q.sql, LOOKBACK_DAYS)).toEqual(q.header.columns);
    } finally {
      lake.close();
    }
  });

  test('a per-resource query starts with account_id, region, resource_arn', () => {
    if (q.header.columns.includes('resource_arn')) expect(q.header.columns.slice(0, 3)).toEqual(['account_id', 'region', 'resource_arn']);
  });

  test('its header names the table it reads', () => {
    const tables = new Set([...q.sql.matchAll(TABLE_REFERENCE)].map((m) => m[1]));
    if (tables.has('findingsTable')) expect(q.header.source).toContain('sh_findings_2_0');
    if (tables.has('cloudTrailTable')) expect(q.header.source).toContain('cloud_trail_mgmt_2_0');
  });
});

/** Every fixture row moved to `at`. */
function movedTo(rows: Row[], at: Date): Row[] {
  return rows.map((r) => ({ ...r, time: at.getTime(), time_dt: at.toISOString().replace('T', ' ').replace('Z', '') }));
}

test('with the whole organization moved to just before each window, every query returns nothing', async () => {
  const lake = await SecurityLake.open({ now: NOW });
  try {
    await lake.addFindings(movedTo(allFindings(), STATE_JUST_OUTSIDE));
    await lake.addApiCalls(movedTo(allApiCalls(), JUST_OUTSIDE));
    for (const q of queries) expect({ id: q.id, rows: await lake.query(q.sql, LOOKBACK_DAYS, CURRENT_STATE_DAYS) }).toEqual({ id: q.id, rows: [] });
    // The same data one day longer is seen again: the windows, not the data, emptied the results.
    const seen = await Promise.all(queries.map((q) => lake.query(q.sql, LOOKBACK_DAYS + 1, CURRENT_STATE_DAYS + 1)));
    expect(seen.filter((rows) => rows.length > 0).length).toBeGreaterThan(queries.length / 2);
  } finally {
    lake.close();
  }
});

test('findings older than the activity window are still read, CloudTrail events are not', async () => {
  const lake = await SecurityLake.open({ now: NOW });
  try {
    // Everything moved to one minute before the activity window: inside the state window.
    await lake.addFindings(movedTo(allFindings(), JUST_OUTSIDE));
    await lake.addApiCalls(movedTo(allApiCalls(), JUST_OUTSIDE));
    for (const q of queries.filter((q) => q.sql.includes('{{cloudTrailTable}}'))) {
      expect({ id: q.id, rows: await lake.query(q.sql, LOOKBACK_DAYS, CURRENT_STATE_DAYS) }).toEqual({ id: q.id, rows: [] });
    }
    for (const id of ['kms/unused-keys', 'secretsManager/unused-secrets', 'certs/expiring']) {
      expect({ id, listed: (await lake.query(queries.find((q) => q.id === id)!.sql, LOOKBACK_DAYS, CURRENT_STATE_DAYS)).length > 0 }).toEqual({ id, listed: true });
    }
  } finally {
    lake.close();
  }
});

test('the fixture builders fill every column of both tables', () => {
  // A builder that dropped a column would make the fixture lake differ from Security Lake.
  const f = finding({ account: '111111111111', region: 'us-east-1', resourceUid: 'arn:aws:kms:us-east-1:111111111111:key/x', resourceType: 'AwsKmsKey', rule: 'r', status: 'FAILED', at: NOW });
  const c = apiCall({ account: '111111111111', region: 'us-east-1', service: 'kms.amazonaws.com', operation: 'Decrypt', at: NOW, caller: { type: 'IAMUser', account: '111111111111', arn: 'arn:aws:iam::111111111111:user/u' } });
  expect(Object.keys(f)).toEqual(Object.keys(FINDINGS_COLUMNS));
  expect(Object.keys(c)).toEqual(Object.keys(CLOUDTRAIL_COLUMNS));
});
