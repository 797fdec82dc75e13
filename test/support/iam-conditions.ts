/**
 * The part of IAM's policy evaluation the tests need to tell whether a call is allowed: actions
 * (exact or with a trailing *), and the condition operators the templates use, as the IAM User Guide
 * defines them ("IAM JSON policy elements: Condition operators"): a key absent from the request
 * context makes every operator false, except Null (which tests for absence) and ForAllValues (true
 * for an absent or empty key). Resources are taken as matching: callers pick the statements.
 */
export type RequestContext = Readonly<Record<string, string | number | boolean | readonly string[]>>;

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

function holds(operator: string, key: string, expected: unknown, context: RequestContext): boolean {
  const present = key in context;
  const actual = context[key];
  if (operator === 'Null') return String(expected) === 'true' ? !present : present;
  if (operator.startsWith('ForAllValues:')) {
    if (!present) return true;
    const op = operator.slice('ForAllValues:'.length);
    return list(actual).every((a) => holds(op, key, expected, { [key]: a }));
  }
  if (!present) return false;
  const values = list(expected);
  const a = String(actual);
  switch (operator) {
    case 'StringEquals':
      return values.includes(a);
    case 'StringNotEquals':
      return !values.includes(a);
    case 'StringLike':
      return values.some((p) => like(p, a));
    case 'StringNotLike':
      return !values.some((p) => like(p, a));
    case 'NumericEquals':
      return values.some((v) => Number(v) === Number(actual));
    case 'Bool':
      return values.some((v) => v === String(actual));
    default:
      throw new Error(`condition operator ${operator} is not modelled`);
  }
}

function applies(s: Statement, action: string, context: RequestContext): boolean {
  const actionMatches = list(s.Action).some((a) => like(a, action));
  return actionMatches && Object.entries(s.Condition ?? {}).every(([op, keys]) => Object.entries(keys).every(([k, v]) => holds(op, k, v, context)));
}

/** Whether the statements allow `action` with this request context: some Allow applies and no Deny does. */
export function isAllowed(statements: readonly Statement[], action: string, context: RequestContext): boolean {
  return statements.some((s) => s.Effect === 'Allow' && applies(s, action, context)) && !statements.some((s) => s.Effect === 'Deny' && applies(s, action, context));
}
