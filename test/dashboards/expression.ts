/**
 * Evaluates the part of QuickSight's calculated-field language the dashboards use, with the
 * semantics of the QuickSight user guide's function pages, so a test can hold an expression against
 * the TypeScript that draws the previews: `{field}`, 'text', integers, + - = > AND, and the
 * functions locate(expression, substring[, start]) (1-based, 0 when absent), substring(expression,
 * start, length) (1-based), strlen, left(expression, n), replace(expression, substring, replacement)
 * (every occurrence) and ifelse(condition, then, else).
 */
type Value = string | number | boolean | null;

export function evaluate(expression: string, row: Record<string, Value>): Value {
  const tokens = expression.match(/\{[^}]+\}|'(?:[^'\\]|\\.)*'|\d+|[A-Za-z_]+|[-+=>(),]/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const t = tokens[at++];
    if (expected !== undefined && t !== expected) throw new Error(`expected ${expected} at token ${at - 1}, got ${t}`);
    return t;
  };

  const call = (name: string, args: Value[]): Value => {
    const [a, b, c] = args;
    switch (name) {
      case 'locate': {
        if (a === null) return null;
        const start = c === undefined ? 1 : Number(c);
        return String(a).indexOf(String(b), start - 1) + 1;
      }
      case 'substring':
        return a === null ? null : String(a).substr(Number(b) - 1, Math.max(0, Number(c)));
      case 'strlen':
        return a === null ? null : String(a).length;
      case 'left':
        return a === null ? null : String(a).slice(0, Number(b));
      case 'replace':
        return a === null ? null : String(a).split(String(b)).join(String(c));
      case 'ifelse':
        return a ? b : c;
      default:
        throw new Error(`unknown function ${name}`);
    }
  };

  const primary = (): Value => {
    const t = take();
    if (t.startsWith('{')) return row[t.slice(1, -1)] ?? null;
    if (t.startsWith("'")) return t.slice(1, -1).replace(/\\(.)/g, '$1');
    if (/^\d+$/.test(t)) return Number(t);
    if (t === '(') {
      const v = and();
      take(')');
      return v;
    }
    take('(');
    const args: Value[] = [];
    if (peek() !== ')') {
      args.push(and());
      while (peek() === ',') {
        take(',');
        args.push(and());
      }
    }
    take(')');
    return call(t, args);
  };
  const additive = (): Value => {
    let v = primary();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const r = primary();
      v = v === null || r === null ? null : op === '+' ? Number(v) + Number(r) : Number(v) - Number(r);
    }
    return v;
  };
  const comparison = (): Value => {
    const v = additive();
    if (peek() === '=' || peek() === '>') {
      const op = take();
      const r = additive();
      if (v === null || r === null) return null;
      return op === '=' ? v === r : Number(v) > Number(r);
    }
    return v;
  };
  const and = (): Value => {
    let v = comparison();
    while (peek() === 'AND') {
      take();
      const r = comparison();
      v = Boolean(v) && Boolean(r);
    }
    return v;
  };

  const result = and();
  if (at !== tokens.length) throw new Error(`unparsed tokens from ${at}: ${tokens.slice(at).join(' ')}`);
  return result;
}
