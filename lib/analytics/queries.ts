/**
 * The Athena queries under athena-queries/<service>/*.sql, as data: loading, the header every
 * file carries, fragment expansion and placeholder filling. The queries over Security Lake
 * (loadQueries) and those over the app's own inventory table (athena-queries/inventory/,
 * loadInventoryQueries) load apart, since the second exist only while the inventory is on. Pure
 * (no constructs), so the Athena stack, the QuickSight data sets, the tests and the bench all read
 * the same text the same way.
 *
 * Fragments. A block that several queries share (a CTE, a select list, an expression) is written
 * once in athena-queries/_fragments/<name>.sql and included where it is needed with
 * `{{fragment:<name>}}`, or `{{fragment:<name>(key=value, key=value)}}` when the fragment takes
 * parameters. Inside a fragment, `{{param:<key>}}` stands for a parameter's value; it is replaced
 * as text before anything else, so it may sit inside another placeholder, as in
 * `'{{rule:{{param:rule}}}}'`. A fragment starts with a header comment (`-- Fragment:` what it is,
 * `-- Parameters:` `key: meaning; key: meaning` when it has any, `-- Columns:` what it outputs);
 * the header is dropped on expansion. Its lines after the first take the indentation of the line
 * that includes it, so an included block reads as if written in place. Fragments may include
 * fragments. loadQueries() expands them before anything else sees the text, so every consumer gets
 * standalone SQL that only renderQuery() still has to fill; an unknown fragment, a missing or
 * unexpected parameter, or a fragment that includes itself (directly or not) throws at load.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULE_NAMES } from '../catalog';

const QUERIES_DIR = path.join(__dirname, '..', '..', 'athena-queries');

/** The values every query may use; the contract named in DESIGN.md. */
export interface QueryValues {
  readonly database: string;
  readonly findingsTable: string;
  readonly cloudTrailTable: string;
  /** The activity window: how far back questions about what happened (CloudTrail) look. */
  readonly lookbackDays: number;
  /**
   * The state window: how far back questions about what is true now look for each finding's
   * newest state (`{{currentStateDays}}`). AWS Config sends Security Hub a finding only when a
   * rule's result for a resource changes, so a resource failing for months has no recent row;
   * the newest row is found only by reading back to it (docs/analysis.md, "Current state").
   * Defaults to DEFAULT_CURRENT_STATE_DAYS, or to lookbackDays when that is longer; never shorter
   * than lookbackDays.
   */
  readonly currentStateDays?: number;
  /**
   * The cryptographic inventory's Glue database and table (`{{inventoryDatabase}}`,
   * `{{inventoryTable}}`; inventoryNames in inventory-schema.ts), when the inventory is on. Only
   * the queries under athena-queries/inventory/ use them.
   */
  readonly inventoryDatabase?: string;
  readonly inventoryTable?: string;
}

/** The state window when QueryValues names none: a year of findings. */
export const DEFAULT_CURRENT_STATE_DAYS = 365;

/** The state window `renderQuery` fills in for `values`. */
export function currentStateDays(values: Pick<QueryValues, 'lookbackDays' | 'currentStateDays'>): number {
  return values.currentStateDays ?? Math.max(DEFAULT_CURRENT_STATE_DAYS, values.lookbackDays);
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
  /** Standalone SQL: fragments expanded, the other placeholders still unfilled (see renderQuery). */
  readonly sql: string;
  /** The file's text as written, `{{fragment:…}}` placeholders included. */
  readonly written: string;
  readonly header: QueryHeader;
}

/** A shared block under athena-queries/_fragments/. */
export interface Fragment {
  readonly name: string;
  readonly file: string;
  /** What the block is. */
  readonly description: string;
  /** The parameter keys it takes, as its header declares them. */
  readonly parameters: readonly string[];
  /** What it outputs, as its header says. */
  readonly columns: string;
  /** The text after the header, trailing blank space removed. */
  readonly body: string;
}

/** The folder under the queries directory that holds fragments rather than a service's queries. */
const FRAGMENTS_DIRNAME = '_fragments';

/**
 * The folder of the queries over the cryptographic inventory (the app's own table, not Security
 * Lake): loadInventoryQueries reads it, with its own `_fragments/` besides the shared ones, and
 * loadQueries leaves it out, since its queries need the inventory and name no Security Lake table.
 */
export const INVENTORY_SERVICE = 'inventory';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
// Innermost `{{param:key}}` only, so one nested in another placeholder is found first.
const PARAMETER = /\{\{\s*param:([^{}]*?)\s*\}\}/g;
const FRAGMENT_NAME = /^[a-z][a-z0-9-]*$/;
const PARAMETER_KEY = /^[A-Za-z][A-Za-z0-9]*$/;
// A value is pasted into SQL as text (inside a string literal or a placeholder): no quote, space,
// parenthesis or brace can get in, so a value cannot change the statement around it.
const PARAMETER_VALUE = /^[A-Za-z0-9_.-]+$/;
const VALUE_KEYS: readonly (keyof QueryValues)[] = ['database', 'findingsTable', 'cloudTrailTable', 'lookbackDays', 'currentStateDays', 'inventoryDatabase', 'inventoryTable'];
const INVENTORY_KEYS = ['inventoryDatabase', 'inventoryTable'] as const;

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

/**
 * The fields of a leading comment block: `-- Field: value` lines, indented continuation lines
 * appended to the field above. The block ends at the first line that is not a comment or blank.
 */
function commentFields(sql: string, names: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  const field = new RegExp(`^(${names.join('|')}):\\s*(.*)$`);
  let current: string | undefined;
  for (const line of sql.split('\n')) {
    const comment = /^\s*--\s?(.*)$/.exec(line);
    if (!comment) {
      if (line.trim() === '') continue;
      break;
    }
    const match = field.exec(comment[1]);
    if (match) {
      current = match[1];
      fields[current] = match[2].trim();
    } else if (current && comment[1].trim() !== '') {
      fields[current] += ` ${comment[1].trim()}`;
    } else {
      current = undefined;
    }
  }
  return fields;
}

function requireFields(fields: Record<string, string>, required: readonly string[], file: string): void {
  const missing = required.filter((k) => !fields[k]);
  if (missing.length) throw new Error(`${file}: the header comment lacks ${missing.map((m) => `"-- ${m}:"`).join(', ')}`);
}

/** Reads the `-- Question:`, `-- Columns:` and `-- Source:` lines at the top of a query. */
export function parseHeader(sql: string, file = 'query'): QueryHeader {
  const fields = commentFields(sql, ['Question', 'Columns', 'Source']);
  requireFields(fields, ['Question', 'Columns', 'Source'], file);
  return {
    question: fields.Question,
    columns: fields.Columns.split(',').map((c) => c.trim()),
    source: fields.Source,
  };
}

/**
 * Reads one fragment: its header (`-- Fragment:`, `-- Columns:`, and `-- Parameters:` when its body
 * uses `{{param:…}}`) and its body. The header must declare exactly the parameters the body uses,
 * so the documentation cannot drift from what an include has to pass.
 */
export function parseFragment(name: string, text: string, file = `${name}.sql`): Fragment {
  if (!FRAGMENT_NAME.test(name)) throw new Error(`${file}: a fragment name is lower-case words joined by dashes, got ${JSON.stringify(name)}`);
  const fields = commentFields(text, ['Fragment', 'Parameters', 'Columns']);
  requireFields(fields, ['Fragment', 'Columns'], file);
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() !== '' && !/^\s*--/.test(l));
  if (start < 0) throw new Error(`${file}: the fragment has a header but no SQL`);
  const body = lines.slice(start).join('\n').trimEnd();
  const parameters = (fields.Parameters ?? '')
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => /^([^:\s]+)\s*:/.exec(item)?.[1] ?? item);
  for (const key of parameters) {
    if (!PARAMETER_KEY.test(key)) throw new Error(`${file}: "-- Parameters:" lists "key: meaning" items separated by ";", got ${JSON.stringify(key)}`);
  }
  const used = [...new Set([...body.matchAll(PARAMETER)].map((m) => m[1]))];
  const undeclared = used.filter((k) => !parameters.includes(k));
  const unused = parameters.filter((k) => !used.includes(k));
  if (undeclared.length) throw new Error(`${file}: the body uses ${undeclared.map((k) => `{{param:${k}}}`).join(', ')}, which "-- Parameters:" does not declare`);
  if (unused.length) throw new Error(`${file}: "-- Parameters:" declares ${unused.join(', ')}, which the body never uses`);
  return { name, file, description: fields.Fragment, parameters, columns: fields.Columns, body };
}

/** Every fragment under `<dir>/_fragments/`, by name; none when the folder is absent. */
export function loadFragments(dir: string = QUERIES_DIR): Map<string, Fragment> {
  const fragmentsDir = path.join(dir, FRAGMENTS_DIRNAME);
  const out = new Map<string, Fragment>();
  if (!fs.existsSync(fragmentsDir)) return out;
  for (const entry of fs.readdirSync(fragmentsDir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const file = path.join(fragmentsDir, entry);
    const name = entry.slice(0, -'.sql'.length);
    out.set(name, parseFragment(name, fs.readFileSync(file, 'utf8'), file));
  }
  return out;
}

/** `name` or `name(key=value, …)`, the inside of a `{{fragment:…}}` placeholder. */
function parseInclude(spec: string, where: string): { name: string; args: Map<string, string> } {
  const m = /^([^()\s]+)\s*(?:\((.*)\))?$/s.exec(spec);
  const malformed = () =>
    new Error(`${where}: malformed {{fragment:${spec}}}; write {{fragment:<name>}} or {{fragment:<name>(key=value, key=value)}}`);
  if (!m || !FRAGMENT_NAME.test(m[1])) throw malformed();
  const args = new Map<string, string>();
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const pair of m[2].split(',')) {
      const kv = /^\s*([^=\s]+)\s*=\s*(.*?)\s*$/.exec(pair);
      if (!kv || !PARAMETER_KEY.test(kv[1])) throw malformed();
      if (!PARAMETER_VALUE.test(kv[2])) {
        throw new Error(`${where}: {{fragment:${spec}}} gives ${kv[1]} the value ${JSON.stringify(kv[2])}; a value is letters, digits, "_", "." and "-" only`);
      }
      if (args.has(kv[1])) throw new Error(`${where}: {{fragment:${spec}}} gives ${kv[1]} twice`);
      args.set(kv[1], kv[2]);
    }
  }
  return { name: m[1], args };
}

/** The leading blanks of the line `text` ends in: the indentation an included block continues at. */
function indentationAt(text: string): string {
  const line = text.slice(text.lastIndexOf('\n') + 1);
  return /^[ \t]*/.exec(line)![0];
}

/**
 * Replaces every `{{fragment:…}}` in `sql` with the fragment's body, its parameters filled and its
 * own fragments expanded, recursively. `where` names the text for error messages; `including` is
 * the chain of fragments being expanded, to catch one that includes itself.
 */
export function expandFragments(sql: string, fragments: ReadonlyMap<string, Fragment>, where = 'query', including: readonly string[] = []): string {
  if (including.length === 0) {
    const stray = [...sql.matchAll(PARAMETER)][0];
    if (stray) throw new Error(`${where}: ${stray[0]} is only meaningful inside a fragment`);
  }
  let out = '';
  let last = 0;
  for (const m of sql.matchAll(PLACEHOLDER)) {
    if (!m[1].startsWith('fragment:')) continue;
    const { name, args } = parseInclude(m[1].slice('fragment:'.length).trim(), where);
    const fragment = fragments.get(name);
    if (!fragment) {
      const known = [...fragments.keys()].join(', ') || 'none';
      throw new Error(`${where}: unknown fragment {{fragment:${name}}}; known fragments: ${known}`);
    }
    if (including.includes(name)) {
      throw new Error(`Fragment ${name} includes itself: ${[...including, name].join(' -> ')}`);
    }
    const missing = fragment.parameters.filter((k) => !args.has(k));
    const unexpected = [...args.keys()].filter((k) => !fragment.parameters.includes(k));
    if (missing.length) throw new Error(`${where}: {{fragment:${name}}} lacks the parameter(s) ${missing.join(', ')} (${fragment.file})`);
    if (unexpected.length) throw new Error(`${where}: {{fragment:${name}}} takes no parameter(s) ${unexpected.join(', ')}; it takes: ${fragment.parameters.join(', ') || 'none'}`);
    const filled = fragment.body.replace(PARAMETER, (_whole, key: string) => args.get(key)!);
    const expanded = expandFragments(filled, fragments, name, [...including, name]);
    out += sql.slice(last, m.index);
    const indent = indentationAt(out);
    out += expanded.replace(/\n(?=[^\n])/g, `\n${indent}`);
    last = m.index! + m[0].length;
  }
  return out + sql.slice(last);
}

/** The `.sql` files of one service folder, in file name order, fragments expanded. */
function loadService(dir: string, service: string, fragments: ReadonlyMap<string, Fragment>): QueryFile[] {
  const serviceDir = path.join(dir, service);
  const out: QueryFile[] = [];
  for (const entry of fs.readdirSync(serviceDir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const file = path.join(serviceDir, entry);
    const written = fs.readFileSync(file, 'utf8');
    const name = entry.slice(0, -'.sql'.length);
    const sql = expandFragments(written, fragments, file);
    out.push({ id: `${service}/${name}`, service, name, file, sql, written, header: parseHeader(written, file) });
  }
  return out;
}

/**
 * Every query over Security Lake, in a stable order (service, then file name): every service
 * folder but the inventory's (loadInventoryQueries).
 */
export function loadQueries(dir: string = QUERIES_DIR): QueryFile[] {
  const fragments = loadFragments(dir);
  const out: QueryFile[] = [];
  for (const service of fs.readdirSync(dir).sort()) {
    if (service === FRAGMENTS_DIRNAME || service === INVENTORY_SERVICE || !fs.statSync(path.join(dir, service)).isDirectory()) continue;
    out.push(...loadService(dir, service, fragments));
  }
  return out;
}

/**
 * The queries over the cryptographic inventory (`inventory/<name>`), in file name order, with the
 * shared fragments and the inventory's own (`inventory/_fragments/`); none when the folder is
 * absent. A fragment name may not be both.
 */
export function loadInventoryQueries(dir: string = QUERIES_DIR): QueryFile[] {
  if (!fs.existsSync(path.join(dir, INVENTORY_SERVICE))) return [];
  const fragments = new Map(loadFragments(dir));
  for (const [name, fragment] of loadFragments(path.join(dir, INVENTORY_SERVICE))) {
    if (fragments.has(name)) throw new Error(`${fragment.file}: a shared fragment is named ${name} too (${fragments.get(name)!.file})`);
    fragments.set(name, fragment);
  }
  return loadService(dir, INVENTORY_SERVICE, fragments);
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
 * Fills `{{database}}`, `{{findingsTable}}`, `{{cloudTrailTable}}`, `{{lookbackDays}}`,
 * `{{currentStateDays}}`, `{{inventoryDatabase}}`, `{{inventoryTable}}` and `{{rule:<catalog key>}}`.
 * An unknown placeholder, an inventory placeholder without its value, or a value that could break
 * out of its place in the SQL throws, so a typo never reaches Athena.
 */
export function renderQuery(sql: string, values: QueryValues, ruleNames: Readonly<Record<string, string>> = RULE_NAMES): string {
  if (!Number.isInteger(values.lookbackDays) || values.lookbackDays < 1) {
    throw new Error(`lookbackDays must be a positive integer, got ${JSON.stringify(values.lookbackDays)}`);
  }
  const stateDays = currentStateDays(values);
  if (!Number.isInteger(stateDays) || stateDays < values.lookbackDays) {
    throw new Error(`currentStateDays must be an integer no smaller than lookbackDays (${values.lookbackDays}), got ${JSON.stringify(values.currentStateDays)}`);
  }
  const filled: Record<string, string | undefined> = {
    database: values.database,
    findingsTable: values.findingsTable,
    cloudTrailTable: values.cloudTrailTable,
    lookbackDays: String(values.lookbackDays),
    currentStateDays: String(stateDays),
    inventoryDatabase: values.inventoryDatabase,
    inventoryTable: values.inventoryTable,
  };
  for (const key of ['database', 'findingsTable', 'cloudTrailTable', ...INVENTORY_KEYS] as const) {
    const value = values[key];
    if (value === undefined && (INVENTORY_KEYS as readonly string[]).includes(key)) continue;
    if (typeof value !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(value)) throw new Error(`${key} must be a lower-case Glue identifier, got ${JSON.stringify(value)}`);
  }
  return sql.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.startsWith('rule:')) {
      const key = name.slice('rule:'.length);
      const rule = Object.prototype.hasOwnProperty.call(ruleNames, key) ? ruleNames[key] : undefined;
      if (rule === undefined) throw new Error(`Unknown rule placeholder ${whole}; known rule keys: ${Object.keys(ruleNames).join(', ')}`);
      if (!/^[A-Za-z0-9_-]+$/.test(rule)) throw new Error(`Rule name ${JSON.stringify(rule)} cannot be placed in a SQL string literal`);
      return rule;
    }
    if ((VALUE_KEYS as readonly string[]).includes(name)) {
      const value = filled[name];
      if (value === undefined) throw new Error(`${whole} has no value: the inventory's Glue names are given only while the inventory is on (inventory.enabled)`);
      return value;
    }
    const hint = name.startsWith('fragment:') ? ' (fragments are expanded by loadQueries/expandFragments, before rendering)' : '';
    throw new Error(`Unknown placeholder ${whole}; known: ${VALUE_KEYS.map((k) => `{{${k}}}`).join(', ')}, {{rule:<key>}}${hint}`);
  });
}
