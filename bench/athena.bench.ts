/**
 * What each Athena query's own plan reads from a Security Lake laid out as Security Lake lays it
 * out, against what its window needs; a query that reads more misses its target.
 *
 * Layout. Each table is written as Parquet under aws/<source>/<version>/region=<Region>/
 * accountId=<account>/eventDay=<YYYYMMDD>/ (Security Lake's S3 prefixes), one file per Region,
 * account and day, rows sorted by time_dt, one row group per file. The queries read a view over
 * read_parquet(hive_partitioning) with every column of the lake's table in its order and type:
 * region and accountid come from the path (as text: an account id may start with 0), eventDay is
 * not exposed (the v2 tables have no such column), and the columns the fixture leaves empty are
 * NULL in the view rather than stored (a columnar reader reads only the columns a query uses).
 * A predicate on region or accountid prunes whole directories before a file is opened.
 *
 * How a time_dt window reaches the files. The v2 tables are Iceberg tables partitioned on time_dt
 * by day, region and accountid (the reference infers this): Athena prunes with the manifests and
 * never opens a file of a day outside the window. DuckDB has no manifest, and the queries filter
 * time_dt, not eventDay, so the directory names cannot help: DuckDB opens every file's footer
 * (counted as footer bytes, never as rows) and skips each row group whose time_dt min/max
 * statistics lie outside the pushed-down window, reading no page of it. With one row group per
 * Region, account and day, it skips exactly the partitions Athena skips.
 *
 * How reads are measured, per query, from the engine's own record of what the plan did:
 * - DuckDB's FileSystem log (CALL enable_logging('FileSystem'); external file cache and Parquet
 *   metadata cache off, so every read reaches the file system) lists each read the query issued:
 *   file, offset, bytes. A read that starts inside a row group's byte range (parquet_metadata) is
 *   a read of that row group; the others are footers. Rows read are the rows of the row groups
 *   read; bytes are the bytes of all reads.
 * - The JSON profile (PRAGMA enable_profiling = 'json') gives the plan's READ_PARQUET scans of
 *   each table with their pushed-down filters. A table scanned k times is charged k times the row
 *   groups read from it (the log cannot tell scans apart) and needs its window k times, so a scan
 *   that reads beyond its window still shows. DuckDB scans CloudTrail twice in the Secrets
 *   Manager queries: its window self-join rewrite turns the max_by(...) OVER (PARTITION BY ...)
 *   of secrets-manager-events into a second scan with the same filters.
 *   (The profile's operator_rows_scanned is no use for Parquet: it repeats the scan's estimated
 *   cardinality per thread, whatever is pruned.)
 *
 * What a query needs. By the contract in lib/analytics/queries.ts, whatever its SQL says: a scan
 * of CloudTrail needs the activity window (lookbackDays), a scan of findings the state window
 * (currentStateDays). Needed rows are those of the row groups whose time_dt range reaches into
 * the window, from the statistics alone: no reader reads part of a row group, so the partition at
 * the window's edge is needed whole. Target: rows read <= rows needed x (1 + SLACK). Two controls,
 * a CloudTrail and a findings query with their window removed, must be caught, or the measure
 * itself is broken (a cache hiding reads, a path that no longer matches).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { RULE_NAMES } from '../lib/catalog';
import { loadQueries, renderQuery, securityLakeNames, type QueryFile } from '../lib/analytics/queries';
import { sqlTimestamp } from '../test/fixtures/security-lake/records';
import { CLOUDTRAIL_COLUMNS, FINDINGS_COLUMNS, createTableSql } from '../test/fixtures/security-lake/tables';
import { trinoMacros } from '../test/fixtures/security-lake/trino-dialect';
import { target } from './judge';

const NOW = new Date('2026-05-15T12:00:00.000Z');

/**
 * Slack over the rows needed, and the share of them a query may read beyond its window: none.
 * The layout's granularity is already in the need (a row group that reaches into the window is
 * needed whole, so the partition at the window's edge costs nothing), and time_dt statistics are
 * exact (INT64 timestamps, never truncated), so a row group read beyond the need is one whose own
 * statistics prove it lies before the window: a scan without its window bound, or with a wider
 * one. Nothing legitimate is left for a slack to absorb, and the run is deterministic.
 */
const SLACK = 0;

interface Table {
  readonly key: 'findings' | 'cloudtrail';
  readonly placeholder: 'findingsTable' | 'cloudTrailTable';
  readonly columns: Readonly<Record<string, string>>;
  /** Security Lake's source name and version: the first levels of its S3 prefix. */
  readonly source: string;
  readonly days: number;
  readonly accounts: number;
  readonly regions: readonly string[];
  readonly rowsPerPartitionDay: number;
  /** The window a scan of this table needs (lib/analytics/queries.ts). */
  readonly window: 'lookbackDays' | 'currentStateDays';
  /** The columns the fixture fills, which the files carry; the view adds the others as NULL. */
  readonly filled: readonly string[];
}

const VALUES = { lookbackDays: 30, currentStateDays: 365 } as const;

const TABLES: readonly Table[] = [
  // A year and more of findings, so the 365-day state window is not the whole table.
  { key: 'findings', placeholder: 'findingsTable', columns: FINDINGS_COLUMNS, source: 'SH_FINDINGS/2.0', days: 400, accounts: 2, regions: ['us-east-1'], rowsPerPartitionDay: 16, window: 'currentStateDays',
    filled: ['time', 'time_dt', 'cloud', 'resource', 'finding_info', 'compliance', 'status', 'unmapped'] },
  { key: 'cloudtrail', placeholder: 'cloudTrailTable', columns: CLOUDTRAIL_COLUMNS, source: 'CLOUD_TRAIL_MGMT/2.0', days: 120, accounts: 2, regions: ['us-east-1', 'eu-west-1'], rowsPerPartitionDay: 144, window: 'lookbackDays',
    filled: ['metadata', 'time', 'time_dt', 'api', 'actor', 'resources', 'status', 'unmapped'] },
];

const names = securityLakeNames('us-east-1');

/** The CloudTrail events of the fixture, by index of the event in its day: service, operation, denied. */
const OPERATIONS: readonly (readonly [string, string, boolean])[] = [
  ['kms.amazonaws.com', 'Decrypt', false],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', false],
  ['kms.amazonaws.com', 'Decrypt', false],
  ['kms.amazonaws.com', 'GenerateDataKey', false],
  ['kms.amazonaws.com', 'Encrypt', false],
  ['kms.amazonaws.com', 'Decrypt', true],
  ['kms.amazonaws.com', 'Decrypt', false],
  ['kms.amazonaws.com', 'DescribeKey', false],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', false],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', false],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', true],
  ['secretsmanager.amazonaws.com', 'DeleteSecret', false],
  ['secretsmanager.amazonaws.com', 'RestoreSecret', false],
  ['acm.amazonaws.com', 'DescribeCertificate', false],
  ['acm.amazonaws.com', 'RequestCertificate', false],
  ['acm.amazonaws.com', 'ExportCertificate', false],
  ['acm.amazonaws.com', 'RevokeCertificate', false],
  ['sts.amazonaws.com', 'AssumeRole', false],
  ['ec2.amazonaws.com', 'DescribeInstances', false],
  ['kms.amazonaws.com', 'Decrypt', false],
];

async function rows<T = Record<string, string | null>>(c: DuckDBConnection, sql: string): Promise<T[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as T[];
}

async function generate(c: DuckDBConnection): Promise<void> {
  await c.run('CREATE SCHEMA staging');
  for (const t of TABLES) await c.run(createTableSql(`staging.${t.key}`, t.columns));
  const now = `TIMESTAMP '${sqlTimestamp(NOW)}'`;
  // One row per account, Region and day back from now; day d holds the 24 hours before now - d days.
  const partitions = (t: Table) => `(
    SELECT lpad(CAST(a AS VARCHAR), 12, '0') AS account, [${t.regions.map((r) => `'${r}'`).join(', ')}][r + 1] AS region, d AS day
    FROM range(1, ${t.accounts + 1}) t1(a), range(${t.regions.length}) t2(r), range(${t.days}) t3(d))`;
  const ct = TABLES.find((t) => t.key === 'cloudtrail')!;
  // CloudTrail: every operation some query asks about, on most days of every account and Region:
  // KMS (some calls cross-account, some denied), Secrets Manager reads, denials, deletions and
  // restores (a new reader on the last day), ACM requests, exports and revocations, and other
  // services' noise. Index i of the day picks the event from OPERATIONS.
  const ops = OPERATIONS.map(([service, op]) => `{'service': '${service}', 'op': '${op}'}`).join(', ');
  await c.run(`
    INSERT INTO staging.cloudtrail (metadata, time, time_dt, api, actor, resources, status, accountid, region)
    SELECT
      {'uid': account || region || day || '-' || i},
      epoch_ms(ts), ts,
      {'operation': e.op, 'service': {'name': e.service},
       'response': {'error': CASE WHEN denied THEN 'AccessDenied' END,
                    'data': CASE WHEN e.op = 'RequestCertificate' THEN '{"certificateArn":"' || cert || '"}' END},
       'request': {'data': CASE
         WHEN e.service = 'secretsmanager.amazonaws.com' THEN '{"secretId":"app/secret-' || (i % 40) || '"' || CASE WHEN e.op = 'DeleteSecret' THEN ',"recoveryWindowInDays":7' ELSE '' END || '}'
         WHEN e.op = 'RequestCertificate' THEN '{"domainName":"app-' || (i % 30) || '.example.com"}'
         WHEN e.op = 'RevokeCertificate' THEN '{"certificateArn":"' || cert || '","revocationReason":"KEY_COMPROMISE"}'
         WHEN e.service = 'acm.amazonaws.com' THEN '{"certificateArn":"' || cert || '"}' END}},
      {'user': {'type': 'AssumedRole', 'uid': 'arn:aws:sts::' || caller || ':assumed-role/' || role || '/s', 'account': {'uid': caller}},
       'session': {'issuer': 'arn:aws:iam::' || caller || ':role/' || role}},
      CASE WHEN e.service = 'kms.amazonaws.com' THEN [{'uid': 'arn:aws:kms:' || region || ':' || account || ':key/k-' || (i % 50), 'type': 'AWS::KMS::Key', 'owner': {'account': {'uid': account}}}] END,
      CASE WHEN denied THEN 'Failure' ELSE 'Success' END,
      account, region
    FROM (
      SELECT p.*, i, [${ops}][(i % ${OPERATIONS.length}) + 1] AS e,
        i % ${OPERATIONS.length} IN (${OPERATIONS.flatMap(([, , denied], k) => (denied ? [k] : [])).join(', ')}) AS denied,
        ${now} - to_days(CAST(day AS INTEGER)) - to_seconds(CAST(i * ${Math.floor(86400 / ct.rowsPerPartitionDay)} AS BIGINT)) AS ts,
        CASE WHEN i % 13 = 0 THEN lpad(CAST((CAST(account AS INTEGER) % ${ct.accounts}) + 1 AS VARCHAR), 12, '0') ELSE account END AS caller,
        CASE WHEN day = 0 AND i % 20 = 1 THEN 'new-reader' ELSE 'app-' || (i % 7) END AS role,
        'arn:aws:acm:' || region || ':' || account || ':certificate/c-' || (i % 30) AS cert
      FROM ${partitions(ct)} p, range(${ct.rowsPerPartitionDay}) t(i)
    )`);
  // Findings: each day every rule of the catalog and Security Hub's controls re-evaluate a resource;
  // the status flips with the day and the account. Only the controls carry FirstObservedAt.
  const fi = TABLES.find((t) => t.key === 'findings')!;
  const checks = [...Object.values(RULE_NAMES).map((n) => `'${n}'`), "'KMS.4'", "'ACM.1'", "'SecretsManager.1'"];
  await c.run(`
    INSERT INTO staging.findings (time, time_dt, cloud, resource, finding_info, compliance, status, unmapped, accountid, region)
    SELECT
      epoch_ms(ts), ts,
      {'account': {'uid': account}, 'region': region},
      {'uid': 'arn:aws:kms:' || region || ':' || account || ':key/k-' || (i % 50), 'type': 'AwsKmsKey'},
      {'uid': account || region || check_name || (i % 50), 'title': CASE WHEN check_name LIKE '%.%' THEN 'control' ELSE check_name END,
       'first_seen_time_dt': CASE WHEN check_name LIKE '%.%' THEN ts END, 'created_time_dt': ts, 'modified_time_dt': ts},
      {'control': CASE WHEN check_name LIKE '%.%' THEN check_name END, 'status': CASE WHEN (day + i + CAST(account AS INTEGER)) % 3 = 0 THEN 'PASSED' ELSE 'FAILED' END},
      'New', MAP {'RecordState': 'ACTIVE'}, account, region
    FROM (
      SELECT p.*, i, [${checks.join(', ')}][(i % ${checks.length}) + 1] AS check_name,
        ${now} - to_days(CAST(day AS INTEGER)) - to_seconds(CAST(i * ${Math.floor(86400 / fi.rowsPerPartitionDay)} AS BIGINT)) AS ts
      FROM ${partitions(fi)} p, range(${fi.rowsPerPartitionDay}) t(i)
    )`);
}

/** Each table's folder: aws/<source>/<version> under the lake's directory. */
type Roots = ReadonlyMap<Table['key'], string>;

const globOf = (root: string) => `${root}/*/*/*/*.parquet`;

/** Writes each table as Security Lake lays it out and puts the lake's view over it. */
async function writeLake(c: DuckDBConnection, dir: string): Promise<Roots> {
  const roots = new Map<Table['key'], string>();
  await c.run(`CREATE SCHEMA ${names.database}`);
  for (const t of TABLES) {
    const root = path.join(dir, 'aws', t.source);
    fs.mkdirSync(path.dirname(root), { recursive: true });
    // Hive-style region=/accountId=/eventDay= directories; the partition columns live in the path only.
    await c.run(`COPY (
        SELECT ${t.filled.map((k) => `"${k}"`).join(', ')}, region, accountid AS "accountId", strftime(time_dt, '%Y%m%d') AS "eventDay"
        FROM staging.${t.key} ORDER BY region, accountid, time_dt)
      TO '${root}' (FORMAT parquet, PARTITION_BY (region, "accountId", "eventDay"), WRITE_PARTITION_COLUMNS false)`);
    const glob = globOf(root);
    roots.set(t.key, root);
    // The lake's columns in the lake's order; region and accountid from the path (as text: an
    // account id may start with 0), eventDay not exposed.
    const columns = Object.entries(t.columns)
      .map(([k, type]) => (k === 'accountid' ? '"accountId" AS accountid' : k === 'region' || t.filled.includes(k) ? `"${k}"` : `CAST(NULL AS ${type}) AS "${k}"`))
      .join(', ');
    await c.run(`CREATE VIEW ${names.database}.${names[t.placeholder]} AS SELECT ${columns}
      FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'region': VARCHAR, 'accountId': VARCHAR, 'eventDay': VARCHAR})`);
  }
  // Every row group of the lake: its byte range in its file, rows and time_dt range.
  const union = TABLES.map((t) => `SELECT '${t.key}' AS table_key, * FROM parquet_metadata('${globOf(roots.get(t.key)!)}')`).join(' UNION ALL ');
  await c.run(`
    CREATE TEMP TABLE row_groups AS
    SELECT table_key, file_name, row_group_id,
      any_value(row_group_num_rows) AS num_rows,
      min(CASE WHEN dictionary_page_offset > 0 THEN least(dictionary_page_offset, data_page_offset) ELSE data_page_offset END) AS start_offset,
      max(CASE WHEN dictionary_page_offset > 0 THEN least(dictionary_page_offset, data_page_offset) ELSE data_page_offset END + total_compressed_size) AS end_offset,
      min(CASE WHEN path_in_schema = 'time_dt' THEN CAST(stats_min AS TIMESTAMP) END) AS min_time,
      max(CASE WHEN path_in_schema = 'time_dt' THEN CAST(stats_max AS TIMESTAMP) END) AS max_time
    FROM (${union})
    GROUP BY table_key, file_name, row_group_id`);
  const missing = await rows<{ n: string }>(c, 'SELECT count(*) AS n FROM row_groups WHERE min_time IS NULL OR max_time IS NULL');
  if (Number(missing[0].n) > 0) throw new Error('row groups without time_dt statistics: pruning could not be judged');
  return roots;
}

interface Need {
  /** Rows of the row groups whose time_dt range reaches into the window. */
  readonly rows: number;
  readonly rowGroups: number;
  /** Rows whose own time_dt is inside the window. */
  readonly strict: number;
  readonly all: number;
}

/** The start of the window a scan of `t` needs, as SQL. */
const windowStart = (t: Table) => `(TIMESTAMP '${sqlTimestamp(NOW)}' - INTERVAL '${VALUES[t.window]}' DAY)`;

async function need(c: DuckDBConnection, t: Table): Promise<Need> {
  const since = windowStart(t);
  const [g] = await rows(c, `SELECT sum(num_rows) FILTER (WHERE max_time >= ${since}) AS rows, count(*) FILTER (WHERE max_time >= ${since}) AS rgs, sum(num_rows) AS all_rows
    FROM row_groups WHERE table_key = '${t.key}'`);
  const [s] = await rows(c, `SELECT count(*) AS n FROM staging.${t.key} WHERE time_dt >= ${since}`);
  return { rows: Number(g.rows), rowGroups: Number(g.rgs), strict: Number(s.n), all: Number(g.all_rows) };
}

interface Scan {
  readonly table: Table['key'];
  readonly filters: string;
}

interface ProfileNode {
  operator_type?: string;
  extra_info?: Record<string, unknown>;
  children?: ProfileNode[];
}

/** The plan's Parquet scans, each attributed to the table whose files it reads. */
function scansOf(profile: ProfileNode, roots: Roots): Scan[] {
  const out: Scan[] = [];
  const walk = (n: ProfileNode) => {
    const info = n.extra_info ?? {};
    if (n.operator_type === 'TABLE_SCAN' && info.Function === 'READ_PARQUET') {
      const files = String(info['Filename(s)'] ?? '');
      const table = [...roots].find(([, root]) => files.startsWith(`${root}/`))?.[0];
      if (!table) throw new Error(`a Parquet scan of files of no known table: ${files}`);
      const f = info.Filters;
      out.push({ table, filters: Array.isArray(f) ? f.join(' AND ') : String(f ?? '') });
    }
    for (const child of n.children ?? []) walk(child);
  };
  walk(profile);
  return out;
}

interface Measure {
  readonly resultRows: number;
  readonly ms: number;
  readonly scans: Scan[];
  /** Per table: rows and row groups of the distinct row groups the query read, and rows of those wholly before the table's window. */
  readonly read: Map<Table['key'], { rows: number; rowGroups: number; beyond: number }>;
  readonly dataBytes: number;
  readonly totalBytes: number;
}

/** Runs `sql` once with profiling and the FileSystem log on, and reads back what it did. */
async function measure(c: DuckDBConnection, sql: string, profileFile: string, roots: Roots): Promise<Measure> {
  await c.run('CALL truncate_duckdb_logs()');
  await c.run("PRAGMA enable_profiling = 'json'");
  await c.run(`SET profiling_output = '${profileFile}'`);
  const start = process.hrtime.bigint();
  let result;
  try {
    result = await c.runAndReadAll(sql);
  } finally {
    await c.run('PRAGMA disable_profiling');
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const scans = scansOf(JSON.parse(fs.readFileSync(profileFile, 'utf8')) as ProfileNode, roots);
  if (scans.length === 0) throw new Error('the plan shows no Parquet scan: nothing to judge');
  // Each read the query issued, with the row group it starts in (none: a footer).
  const read = new Map<Table['key'], { rows: number; rowGroups: number; beyond: number }>();
  const since = `CASE table_key ${TABLES.map((t) => `WHEN '${t.key}' THEN ${windowStart(t)}`).join(' ')} END`;
  let dataBytes = 0;
  let totalBytes = 0;
  for (const r of await rows(c, `
    WITH reads AS (
      SELECT path, CAST(pos AS BIGINT) AS pos, CAST(bytes AS BIGINT) AS bytes
      FROM duckdb_logs_parsed('FileSystem') WHERE op = 'READ'
    ),
    hits AS (
      SELECT r.bytes, g.table_key, g.file_name, g.row_group_id, g.num_rows, g.max_time
      FROM reads r LEFT JOIN row_groups g ON g.file_name = r.path AND r.pos >= g.start_offset AND r.pos < g.end_offset
    ),
    groups AS (SELECT DISTINCT table_key, file_name, row_group_id, num_rows, max_time FROM hits WHERE table_key IS NOT NULL)
    SELECT table_key, count(*) AS rgs, sum(num_rows) AS rows, coalesce(sum(num_rows) FILTER (WHERE max_time < ${since}), 0) AS beyond,
      NULL AS total, NULL AS data
    FROM groups GROUP BY table_key
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, coalesce(sum(bytes), 0), coalesce(sum(bytes) FILTER (WHERE table_key IS NOT NULL), 0) FROM hits`)) {
    if (r.table_key === null) {
      totalBytes = Number(r.total);
      dataBytes = Number(r.data);
    } else {
      read.set(r.table_key as Table['key'], { rows: Number(r.rows), rowGroups: Number(r.rgs), beyond: Number(r.beyond) });
    }
  }
  for (const [table] of read) {
    if (!scans.some((s) => s.table === table)) throw new Error(`row groups of ${table} were read, but the plan shows no scan of it`);
  }
  return { resultRows: result.currentRowCount, ms, scans, read, dataBytes, totalBytes };
}

interface Judged {
  readonly read: number;
  readonly needed: number;
  /** Rows read from row groups wholly before the window. */
  readonly beyond: number;
  readonly ok: boolean;
}

/**
 * Each scan is charged the row groups read from its table and needs its table's window. A query
 * passes when it reads no more rows than its scans need and, so that a selective filter elsewhere
 * cannot hide a missing window, no more rows beyond the window than the slack allows.
 */
function judge(m: Measure, needs: ReadonlyMap<Table['key'], Need>): Judged {
  let read = 0;
  let needed = 0;
  let beyond = 0;
  for (const s of m.scans) {
    read += m.read.get(s.table)?.rows ?? 0;
    beyond += m.read.get(s.table)?.beyond ?? 0;
    needed += needs.get(s.table)!.rows;
  }
  return { read, needed, beyond, ok: read <= needed * (1 + SLACK) && beyond <= needed * SLACK };
}

const WINDOW_PREDICATE = /time_dt >= now\(\) - INTERVAL '\d+' DAY/g;

function declaredWindows(q: QueryFile): (keyof typeof VALUES)[] {
  return (['lookbackDays', 'currentStateDays'] as const).filter((w) => q.sql.includes(`{{${w}}}`));
}

const mb = (b: number) => (b / 1e6).toFixed(2);

export async function run(): Promise<void> {
  // DuckDB syncs every file it writes: a thousand partition files take tens of seconds on a disk
  // and a few in memory, so the lake goes to /dev/shm where there is one.
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'cam-athena-bench-'));
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    for (const macro of trinoMacros(NOW)) await c.run(macro);
    const genStart = Date.now();
    // One thread writes the partitioned files faster than two (fewer files open at once).
    await c.run('SET threads = 1');
    await generate(c);
    const roots = await writeLake(c, dir);
    await c.run('RESET threads');
    const genS = ((Date.now() - genStart) / 1000).toFixed(1);

    const needs = new Map<Table['key'], Need>();
    for (const t of TABLES) {
      const days = VALUES[t.window];
      const n = await need(c, t);
      needs.set(t.key, n);
      const [f] = await rows(c, `SELECT count(DISTINCT file_name) AS files, count(*) AS rgs FROM row_groups WHERE table_key = '${t.key}'`);
      console.log(
        `${t.key}: ${t.days} days x ${t.accounts} accounts x ${t.regions.length} Regions, ${n.all} rows in ${f.files} files (${f.rgs} row groups) under ` +
          `aws/${t.source}/region=/accountId=/eventDay=/. Window ${t.window} = ${days} days: ${n.strict} rows inside it, ` +
          `${n.rows} rows in the ${n.rowGroups} row groups it reaches (needed).`,
      );
    }
    await c.run('DROP SCHEMA staging CASCADE');
    // Every read reaches the file system (and so the log): no cached file blocks, no cached footers.
    await c.run('SET enable_external_file_cache = false');
    await c.run('SET parquet_metadata_cache = false');
    await c.run("CALL enable_logging('FileSystem')");
    console.log(`Lake written in ${genS} s. A query fails when the rows its plan reads exceed the rows its scans need x ${1 + SLACK}.`);

    const values = { ...names, ...VALUES };
    const profileFile = path.join(dir, 'profile.json');
    const header = ['query', 'window', 'scans', 'rows read', 'rows needed', 'ratio', 'beyond', 'MB data', 'MB all', 'ms', 'result', 'verdict'];
    const lines: string[][] = [];
    const verdicts: { id: string; j: Judged; m: Measure; window: string }[] = [];
    for (const q of loadQueries()) {
      const sql = renderQuery(q.sql, values);
      const m = await measure(c, sql, profileFile, roots);
      const j = judge(m, needs);
      const tables = [...new Set(m.scans.map((s) => s.table))];
      const contract = tables.map((t) => `${VALUES[TABLES.find((x) => x.key === t)!.window]} d`).join('+');
      const declared = declaredWindows(q).map((w) => `${VALUES[w]} d`).join('+');
      const window = declared === contract ? contract : `${contract} (SQL: ${declared || 'none'})`;
      const scans = tables.map((t) => `${m.scans.filter((s) => s.table === t).length}x${t === 'cloudtrail' ? 'ct' : 'fi'}`).join(' ');
      lines.push([
        q.id, window, scans, String(j.read), String(j.needed), (j.read / j.needed).toFixed(2), String(j.beyond),
        mb(m.dataBytes), mb(m.totalBytes), m.ms.toFixed(0), String(m.resultRows), j.ok ? 'ok' : 'FAIL',
      ]);
      verdicts.push({ id: q.id, j, m, window });
    }
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (cells: string[]) => cells.map((cell, i) => (i <= 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    console.log('scans: the plan\'s Parquet scans per table (ct CloudTrail, fi findings); rows read: rows of the row groups the plan read, per scan;');
    console.log('beyond: rows read from row groups wholly before the window; MB data: bytes read from row groups; MB all: plus the footers');
    console.log('of every file opened; ms: one run with the log and the profiler on; result: rows the query returned.');
    console.log(fmt(header));
    for (const l of lines) console.log(fmt(l));
    for (const v of verdicts) {
      const filters = [...new Set(v.m.scans.map((s) => `${s.table}: ${s.filters.replace(/\s+/g, ' ') || '(none)'}`))].join('; ');
      target(
        `${v.id} reads no more than its window (${v.window}) needs`,
        v.j.ok,
        `${v.j.read} rows read, ${v.j.needed} needed, ${v.j.beyond} beyond the window${v.j.ok ? '' : `; pushed filters: ${filters}`}`,
      );
    }

    // Controls: the same measure must catch a query whose scans lost their window.
    for (const id of ['kms/operations', 'kms/unused-keys']) {
      const q = loadQueries().find((x) => x.id === id);
      if (!q) throw new Error(`control query ${id} not found`);
      const bounded = renderQuery(q.sql, values);
      const sql = bounded.replace(WINDOW_PREDICATE, 'TRUE');
      if (sql === bounded) throw new Error(`control ${id}: no time_dt window predicate to remove`);
      const m = await measure(c, sql, profileFile, roots);
      const j = judge(m, needs);
      target(
        `control: ${id} without its time_dt window is caught`,
        !j.ok,
        `${j.read} rows read, ${j.needed} needed (ratio ${(j.read / j.needed).toFixed(2)}), ${j.beyond} beyond the window`,
      );
    }
  } finally {
    c.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
