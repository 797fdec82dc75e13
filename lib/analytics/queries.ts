/**
 * The Athena queries under athena-queries/<service>/*.sql, as data: loading, the header every
 * file carries, and placeholder filling. Pure (no constructs), so the Athena stack, the tests and
 * later the QuickSight data sets all read the same text the same way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULE_NAMES } from '../catalog';

export const QUERIES_DIR = path.join(__dirname, '..', '..', 'athena-queries');

/** The values every query may use; the contract named in DESIGN.md. */
export interface QueryValues {
  readonly database: string;
  readonly findingsTable: string;
  readonly cloudTrailTable: string;
  readonly lookbackDays: number;
}

export type RuleKey = keyof typeof RULE_NAMES;

/** What a file says about itself in its leading comment. */
export interface QueryHeader {
  /** The question the query answers. */
  readonly question: string;
  /** Its output columns, in order. */
  readonly columns: readonly string[];
  /** The Security Lake table(s) it reads. */
  readonly source: string;
}

export interface QueryFile {
  /** `<service>/<name>`, e.g. `kms/unused-keys`. */
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly file: string;
  /** The text as written, placeholders unfilled. */
  readonly sql: string;
  readonly header: QueryHeader;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const VALUE_KEYS: readonly (keyof QueryValues)[] = ['database', 'findingsTable', 'cloudTrailTable', 'lookbackDays'];

/** Security Lake's Glue names for a rollup region: dashes become underscores (us-east-1 -> us_east_1). */
export function securityLakeNames(region: string): Omit<QueryValues, 'lookbackDays'> {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`Not an AWS region name: ${JSON.stringify(region)}`);
  const r = region.replace(/-/g, '_');
  return {
    database: `amazon_security_lake_glue_db_${r}`,
    findingsTable: `amazon_security_lake_table_${r}_sh_findings_2_0`,
    cloudTrailTable: `amazon_security_lake_table_${r}_cloud_trail_mgmt_2_0`,
  };
}

/** Reads the `-- Question:`, `-- Columns:` and `-- Source:` lines at the top of a query. */
export function parseHeader(sql: string, file = 'query'): QueryHeader {
  const fields: Record<string, string> = {};
  let current: string | undefined;
  for (const line of sql.split('\n')) {
    const comment = /^\s*--\s?(.*)$/.exec(line);
    if (!comment) {
      if (line.trim() === '') continue;
      break;
    }
    const field = /^(Question|Columns|Source):\s*(.*)$/.exec(comment[1]);
    if (field) {
      current = field[1];
      fields[current] = field[2].trim();
    } else if (current && comment[1].trim() !== '') {
      fields[current] += ` ${comment[1].trim()}`;
    } else {
      current = undefined;
    }
  }
  const missing = ['Question', 'Columns', 'Source'].filter((k) => !fields[k]);
  if (missing.length) throw new Error(`${file}: the header comment lacks ${missing.map((m) => `"-- ${m}:"`).join(', ')}`);
  return {
    question: fields.Question,
    columns: fields.Columns.split(',').map((c) => c.trim()),
    source: fields.Source,
  };
}

/** Every query, in a stable order (service, then file name). */
export function loadQueries(dir: string = QUERIES_DIR): QueryFile[] {
  const out: QueryFile[] = [];
  for (const service of fs.readdirSync(dir).sort()) {
    const serviceDir = path.join(dir, service);
    if (!fs.statSync(serviceDir).isDirectory()) continue;
    for (const entry of fs.readdirSync(serviceDir).sort()) {
      if (!entry.endsWith('.sql')) continue;
      const file = path.join(serviceDir, entry);
      const sql = fs.readFileSync(file, 'utf8');
      const name = entry.slice(0, -'.sql'.length);
      out.push({ id: `${service}/${name}`, service, name, file, sql, header: parseHeader(sql, file) });
    }
  }
  return out;
}

/** The names inside `{{...}}`, in order of appearance. */
export function placeholdersIn(sql: string): string[] {
  return [...sql.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The catalog keys a query names through `{{rule:<key>}}`. */
export function ruleKeysIn(sql: string): RuleKey[] {
  return placeholdersIn(sql)
    .filter((p) => p.startsWith('rule:'))
    .map((p) => p.slice('rule:'.length) as RuleKey);
}

/**
 * Fills `{{database}}`, `{{findingsTable}}`, `{{cloudTrailTable}}`, `{{lookbackDays}}` and
 * `{{rule:<catalog key>}}`. An unknown placeholder or a value that could break out of its place
 * in the SQL throws, so a typo never reaches Athena.
 */
export function renderQuery(sql: string, values: QueryValues, ruleNames: Readonly<Record<string, string>> = RULE_NAMES): string {
  if (!Number.isInteger(values.lookbackDays) || values.lookbackDays < 1) {
    throw new Error(`lookbackDays must be a positive integer, got ${JSON.stringify(values.lookbackDays)}`);
  }
  for (const key of ['database', 'findingsTable', 'cloudTrailTable'] as const) {
    if (!/^[a-z_][a-z0-9_]*$/.test(values[key])) throw new Error(`${key} must be a lower-case Glue identifier, got ${JSON.stringify(values[key])}`);
  }
  return sql.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.startsWith('rule:')) {
      const key = name.slice('rule:'.length);
      const rule = Object.prototype.hasOwnProperty.call(ruleNames, key) ? ruleNames[key] : undefined;
      if (rule === undefined) throw new Error(`Unknown rule placeholder ${whole}; known rule keys: ${Object.keys(ruleNames).join(', ')}`);
      if (!/^[A-Za-z0-9_-]+$/.test(rule)) throw new Error(`Rule name ${JSON.stringify(rule)} cannot be placed in a SQL string literal`);
      return rule;
    }
    if ((VALUE_KEYS as readonly string[]).includes(name)) return String(values[name as keyof QueryValues]);
    throw new Error(`Unknown placeholder ${whole}; known: ${VALUE_KEYS.map((k) => `{{${k}}}`).join(', ')}, {{rule:<key>}}`);
  });
}
