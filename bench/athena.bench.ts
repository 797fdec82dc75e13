/**
 * What the time_dt window saves: every Athena query over a 90-day Security Lake of 20 accounts in
 * 2 regions, against the same query with its window predicate replaced by TRUE.
 *
 * The fixture is written as Parquet, one file per day and region with row groups sorted by
 * time, which is how Security Lake's Iceberg tables are partitioned on time_dt. A reader (Athena
 * from the Iceberg manifests, DuckDB from the Parquet statistics) can skip every row group whose
 * time_dt range lies wholly outside the window, so the figures below are the rows and compressed
 * bytes of the row groups each version cannot skip, found by evaluating the query's own window
 * predicate on each row group's time_dt statistics. Athena reads only the columns a query uses,
 * so its bytes are lower still; the ratio between the two versions holds. Both versions also run
 * in DuckDB, which prunes the same way, and their wall times are printed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { RULE_NAMES } from '../lib/catalog';
import { loadQueries, renderQuery, securityLakeNames } from '../lib/analytics/queries';
import { sqlTimestamp } from '../test/fixtures/security-lake/records';
import { CLOUDTRAIL_COLUMNS, FINDINGS_COLUMNS, createTableSql } from '../test/fixtures/security-lake/tables';
import { trinoMacros } from '../test/fixtures/security-lake/trino-dialect';

const DAYS = 90;
const ACCOUNTS = 20;
const REGIONS = ['us-east-1', 'eu-west-1'];
const EVENTS_PER_ACCOUNT_REGION_DAY = 60;
const FINDINGS_PER_ACCOUNT_REGION_DAY = 12;
const LOOKBACK_DAYS = 30;
const NOW = new Date('2026-05-15T12:00:00.000Z');
const WINDOW = `time_dt >= now() - INTERVAL '{{lookbackDays}}' DAY`;

const names = securityLakeNames('us-east-1');

async function generate(c: DuckDBConnection): Promise<void> {
  const staging = 'staging';
  await c.run(`CREATE SCHEMA ${staging}`);
  await c.run(createTableSql(`${staging}.findings`, FINDINGS_COLUMNS));
  await c.run(createTableSql(`${staging}.cloudtrail`, CLOUDTRAIL_COLUMNS));
  const regions = `[${REGIONS.map((r) => `'${r}'`).join(', ')}]`;
  // One row per account, region and day: the partitions of the lake.
  await c.run(`
    CREATE TEMP TABLE partitions AS
    SELECT lpad(CAST(a AS VARCHAR), 12, '0') AS account, ${regions}[r + 1] AS region, d AS day
    FROM range(1, ${ACCOUNTS + 1}) t1(a), range(${REGIONS.length}) t2(r), range(${DAYS}) t3(d)`);
  const now = `TIMESTAMP '${sqlTimestamp(NOW)}'`;
  // CloudTrail: KMS Decrypt/GenerateDataKey (some cross-account, some denied), GetSecretValue, ACM reads, and other services' noise.
  await c.run(`
    INSERT INTO ${staging}.cloudtrail (metadata, time, time_dt, api, actor, resources, status, accountid, region)
    SELECT
      {'uid': account || region || day || '-' || i},
      epoch_ms(ts), ts,
      {'operation': op, 'service': {'name': service},
       'response': {'error': CASE WHEN i % 10 = 6 THEN 'AccessDenied' END, 'data': NULL},
       'request': {'data': CASE WHEN service = 'secretsmanager.amazonaws.com' THEN '{"secretId":"app/secret-' || (i % 40) || '"}'
                                WHEN service = 'acm.amazonaws.com' THEN '{"certificateArn":"arn:aws:acm:' || region || ':' || account || ':certificate/c-' || (i % 30) || '"}' END}},
      {'user': {'type': 'AssumedRole', 'uid': 'arn:aws:sts::' || caller || ':assumed-role/app-' || (i % 7) || '/s', 'account': {'uid': caller}},
       'session': {'issuer': 'arn:aws:iam::' || caller || ':role/app-' || (i % 7)}},
      CASE WHEN service = 'kms.amazonaws.com' THEN [{'uid': 'arn:aws:kms:' || region || ':' || account || ':key/k-' || (i % 50), 'type': 'AWS::KMS::Key', 'owner': {'account': {'uid': account}}}] END,
      CASE WHEN i % 10 = 6 THEN 'Failure' ELSE 'Success' END,
      account, region
    FROM (
      SELECT p.*, i,
        ${now} - to_days(CAST(day AS INTEGER)) - to_seconds(CAST(i * 1400 AS BIGINT)) AS ts,
        CASE WHEN i % 13 = 0 THEN lpad(CAST((CAST(account AS INTEGER) % ${ACCOUNTS}) + 1 AS VARCHAR), 12, '0') ELSE account END AS caller,
        CASE i % 10 WHEN 0 THEN 'Decrypt' WHEN 1 THEN 'Decrypt' WHEN 2 THEN 'Decrypt' WHEN 3 THEN 'Decrypt' WHEN 4 THEN 'GenerateDataKey'
          WHEN 5 THEN 'GetSecretValue' WHEN 6 THEN 'Decrypt' WHEN 7 THEN 'DescribeCertificate' WHEN 8 THEN 'AssumeRole' ELSE 'DescribeInstances' END AS op,
        CASE WHEN i % 10 IN (0, 1, 2, 3, 4, 6) THEN 'kms.amazonaws.com' WHEN i % 10 = 5 THEN 'secretsmanager.amazonaws.com'
          WHEN i % 10 = 7 THEN 'acm.amazonaws.com' WHEN i % 10 = 8 THEN 'sts.amazonaws.com' ELSE 'ec2.amazonaws.com' END AS service
      FROM partitions p, range(${EVENTS_PER_ACCOUNT_REGION_DAY}) t(i)
    )`);
  // Findings: each day every rule of the catalog and Security Hub's controls re-evaluate a few resources; status flips with the day.
  const checks = [...Object.values(RULE_NAMES).map((n) => `'${n}'`), "'KMS.4'", "'ACM.1'", "'SecretsManager.1'"];
  await c.run(`
    INSERT INTO ${staging}.findings (time, time_dt, cloud, resource, finding_info, compliance, status, unmapped, accountid, region)
    SELECT
      epoch_ms(ts), ts,
      {'account': {'uid': account}, 'region': region},
      {'uid': 'arn:aws:kms:' || region || ':' || account || ':key/k-' || (i % 50), 'type': 'AwsKmsKey'},
      {'uid': account || region || check_name || (i % 50), 'title': CASE WHEN check_name LIKE '%.%' THEN 'control' ELSE check_name END,
       'first_seen_time_dt': ts},
      {'control': CASE WHEN check_name LIKE '%.%' THEN check_name END, 'status': CASE WHEN (day + i) % 3 = 0 THEN 'PASSED' ELSE 'FAILED' END},
      'New', MAP {'RecordState': 'ACTIVE'}, account, region
    FROM (
      SELECT p.*, i, [${checks.join(', ')}][(i % ${checks.length}) + 1] AS check_name,
        ${now} - to_days(CAST(day AS INTEGER)) - to_seconds(CAST(i * 6000 AS BIGINT)) AS ts
      FROM partitions p, range(${FINDINGS_PER_ACCOUNT_REGION_DAY}) t(i)
    )`);
}

interface Extent {
  rowGroups: number;
  rows: number;
  bytes: number;
}

/** Row groups a reader cannot skip under `predicate` over their time_dt statistics (TRUE: all). */
async function extent(c: DuckDBConnection, dir: string, predicate: string): Promise<Extent> {
  const r = await c.runAndReadAll(`
    WITH groups AS (
      SELECT file_name, row_group_id, any_value(row_group_num_rows) AS num_rows, sum(total_compressed_size) AS bytes,
        max(CASE WHEN path_in_schema = 'time_dt' THEN CAST(stats_max AS TIMESTAMP) END) AS time_dt
      FROM parquet_metadata('${dir}/**/*.parquet')
      GROUP BY file_name, row_group_id
    )
    SELECT count(*) AS row_groups, sum(num_rows) AS num_rows, sum(bytes) AS bytes FROM groups WHERE ${predicate}`);
  const [row] = r.getRowObjectsJson() as Record<string, string>[];
  return { rowGroups: Number(row.row_groups), rows: Number(row.num_rows), bytes: Number(row.bytes) };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await f();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-athena-bench-'));
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    for (const macro of trinoMacros(NOW)) await c.run(macro);
    const [, genMs] = await timed(() => generate(c));
    const tables = { findingsTable: 'findings', cloudTrailTable: 'cloudtrail' } as const;
    await c.run(`CREATE SCHEMA ${names.database}`);
    for (const [placeholder, staged] of Object.entries(tables)) {
      const out = path.join(dir, staged);
      await c.run(`COPY (SELECT *, CAST(time_dt AS DATE) AS day FROM staging.${staged} ORDER BY time_dt)
        TO '${out}' (FORMAT parquet, PARTITION_BY (day, region), WRITE_PARTITION_COLUMNS true, ROW_GROUP_SIZE 2048)`);
      // The lake's columns only, exactly as Security Lake has them (no day column).
      const columns = Object.keys(placeholder === 'findingsTable' ? FINDINGS_COLUMNS : CLOUDTRAIL_COLUMNS).map((k) => `"${k}"`).join(', ');
      await c.run(`CREATE VIEW ${names.database}.${names[placeholder as keyof typeof tables]} AS SELECT ${columns} FROM read_parquet('${out}/**/*.parquet', hive_partitioning = false)`);
    }
    const count = async (t: string) => Number(((await c.runAndReadAll(`SELECT count(*) AS n FROM staging.${t}`)).getRowObjectsJson()[0] as { n: string }).n);
    console.log(
      `Fixture: ${DAYS} days x ${ACCOUNTS} accounts x ${REGIONS.length} regions; ${await count('cloudtrail')} CloudTrail events, ${await count('findings')} findings ` +
        `(generated and written as Parquet in ${(genMs / 1000).toFixed(1)} s). Window: ${LOOKBACK_DAYS} days.`,
    );
    console.log('Rows/bytes: of the row groups a reader cannot skip by time_dt statistics (compressed bytes, all columns).');
    const values = { ...names, lookbackDays: LOOKBACK_DAYS };
    const window = renderQuery(WINDOW, values);
    const header = ['query', 'rows read', 'unbounded', 'ratio', 'MB read', 'unbounded', 'ratio', 'ms', 'unbounded ms'];
    const lines: string[][] = [];
    for (const q of loadQueries()) {
      const bounded = renderQuery(q.sql, values);
      const unbounded = bounded.split(window).join('TRUE');
      if (unbounded === bounded) throw new Error(`${q.id}: no window predicate to remove`);
      const table = q.sql.includes('{{findingsTable}}') ? 'findings' : 'cloudtrail';
      const within = await extent(c, path.join(dir, table), window);
      const all = await extent(c, path.join(dir, table), 'TRUE');
      const [, ms] = await timed(() => c.runAndReadAll(bounded));
      const [, msAll] = await timed(() => c.runAndReadAll(unbounded));
      lines.push([
        q.id,
        String(within.rows), String(all.rows), `1:${(all.rows / within.rows).toFixed(2)}`,
        (within.bytes / 1e6).toFixed(2), (all.bytes / 1e6).toFixed(2), `1:${(all.bytes / within.bytes).toFixed(2)}`,
        ms.toFixed(0), msAll.toFixed(0),
      ]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    console.log(fmt(header));
    for (const l of lines) console.log(fmt(l));
  } finally {
    c.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
