/**
 * Evaluates CloudWatch Logs JSON filter patterns against a log event, for the subset this app
 * writes: `{ ... }` around comparisons joined by `&&` and `||` with parentheses; selectors
 * `$.a.b`, `$.a[0].b`; `=` and `!=` against bare or quoted strings (with `*` wildcards) and
 * numbers; `IS NULL`, `NOT EXISTS`, `EXISTS`, `IS TRUE`, `IS FALSE`. No npm package evaluates
 * this syntax, and string comparison of patterns would prove nothing about what they match.
 */
import { MISSING, resolvePath, wildcardMatch } from './json-path';

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; path: string; op: '=' | '!='; value: string | number; quoted: boolean }
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

  private value(): { value: string | number; quoted: boolean } {
    this.skip();
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

function equals(actual: unknown, value: string | number): boolean {
  if (typeof value === 'number') return typeof actual === 'number' && actual === value;
  if (typeof actual === 'string') return wildcardMatch(value, actual);
  if (typeof actual === 'number' || typeof actual === 'boolean') return wildcardMatch(value, String(actual));
  return false;
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
