/**
 * Evaluates CloudWatch Logs JSON filter patterns against a log event, for the subset this app
 * writes: `{ ... }` around comparisons joined by `&&` and `||` with parentheses; selectors
 * `$.a.b`, `$.a[0].b`; `=` and `!=` against bare or quoted strings, numbers and `%regex%`;
 * `IS NULL`, `NOT EXISTS`, `EXISTS`, `IS TRUE`, `IS FALSE`. As CloudWatch Logs documents it
 * ("Filter pattern syntax"), `*` is a wildcard only at the start or end of a value ("Ev*ent will
 * only match the actual string Ev*ent"), and a regex uses only letters, digits, `: _ # = @ / ; , -`
 * and `^ $ ? [ ] { } | \ * + .` (no parentheses) and matches anywhere in the value unless
 * anchored. No npm package evaluates this syntax, and string comparison of patterns would prove
 * nothing about what they match.
 */
import { MISSING, resolvePath } from './json-path';

/** The characters CloudWatch Logs allows in a filter-pattern regex. */
export const CLOUDWATCH_REGEX = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]*$/;

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; path: string; op: '=' | '!='; value: string | number | RegExp; quoted: boolean }
  | { kind: 'test'; path: string; test: 'null' | 'notExists' | 'exists' | 'true' | 'false' };

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Node {
    this.skip();
    this.expect('{');
    const node = this.or();
    this.expect('}');
    this.skip();
    if (this.pos !== this.text.length) this.fail('text after the closing brace');
    return node;
  }

  private or(): Node {
    let left = this.and();
    while (this.accept('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.primary();
    while (this.accept('&&')) left = { kind: 'and', left, right: this.primary() };
    return left;
  }

  private primary(): Node {
    if (this.accept('(')) {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const path = this.selector();
    for (const [word, test] of [
      ['IS NULL', 'null'],
      ['NOT EXISTS', 'notExists'],
      ['EXISTS', 'exists'],
      ['IS TRUE', 'true'],
      ['IS FALSE', 'false'],
    ] as const) {
      if (this.accept(word)) return { kind: 'test', path, test };
    }
    const op = this.accept('!=') ? '!=' : this.accept('=') ? '=' : this.fail('= or != or IS NULL / NOT EXISTS');
    return { kind: 'compare', path, op, ...this.value() };
  }

  private selector(): string {
    this.skip();
    const m = /^\$(\.[A-Za-z0-9_-]+|\[\d+\])+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('a selector such as $.eventName');
    this.pos += m![0].length;
    return m![0];
  }

  private value(): { value: string | number | RegExp; quoted: boolean } {
    this.skip();
    if (this.text[this.pos] === '%') {
      const end = this.text.indexOf('%', this.pos + 1);
      if (end < 0) this.fail('a closing %');
      const source = this.text.slice(this.pos + 1, end);
      if (!CLOUDWATCH_REGEX.test(source)) this.fail(`a regex of CloudWatch Logs syntax, not ${source}`);
      this.pos = end + 1;
      return { value: new RegExp(source), quoted: false };
    }
    if (this.text[this.pos] === '"') {
      const end = this.text.indexOf('"', this.pos + 1);
      if (end < 0) this.fail('a closing quote');
      const value = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { value, quoted: true };
    }
    const m = /^[^\s()&|{}"]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('a value');
    this.pos += m![0].length;
    const raw = m![0];
    return /^-?\d+(\.\d+)?$/.test(raw) ? { value: Number(raw), quoted: false } : { value: raw, quoted: false };
  }

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private accept(token: string): boolean {
    this.skip();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.accept(token)) this.fail(`"${token}"`);
  }

  private fail(expected: string): never {
    throw new Error(`Filter pattern: expected ${expected} at position ${this.pos} in ${this.text}`);
  }
}

/** `*` at the start or the end of a value is a wildcard; anywhere else it is the character itself. */
function cloudWatchWildcard(pattern: string, text: string): boolean {
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return text.includes(core);
  if (leading) return text.endsWith(core);
  if (trailing) return text.startsWith(core);
  return text === core;
}

function equals(actual: unknown, value: string | number | RegExp): boolean {
  if (typeof value === 'number') return typeof actual === 'number' && actual === value;
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  if (value instanceof RegExp) return value.test(String(actual));
  return cloudWatchWildcard(value, String(actual));
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, event) && evaluate(node.right, event);
    case 'or':
      return evaluate(node.left, event) || evaluate(node.right, event);
    case 'test': {
      const v = resolvePath(event, node.path);
      if (node.test === 'notExists') return v === MISSING;
      if (node.test === 'exists') return v !== MISSING;
      if (node.test === 'null') return v === null;
      return v === (node.test === 'true');
    }
    case 'compare': {
      const v = resolvePath(event, node.path);
      // A selector that names no property, or a null or object, matches neither = nor !=.
      if (v === MISSING || v === null || typeof v === 'object') return false;
      return node.op === '=' ? equals(v, node.value) : !equals(v, node.value);
    }
  }
}

export function parseFilterPattern(pattern: string): Node {
  return new Parser(pattern).parse();
}

export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  return evaluate(parseFilterPattern(pattern), event);
}
