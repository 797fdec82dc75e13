/**
 * Matches events against EventBridge event patterns as EventBridge documents them, for the
 * operators this app and its tests use: exact values (strings, numbers, booleans, null), arrays
 * as "any of", an array in the event matching when any element matches, nested objects (also
 * within arrays of objects), `prefix`, `suffix`, `anything-but`, `exists`, `equals-ignore-case`, `wildcard` and `$or`.
 * The AWS SDK's TestEventPattern needs credentials and a network; these tests have neither.
 */

import { MISSING, wildcardMatch } from './json-path';

type Pattern = { [key: string]: unknown };

function matchesOne(rule: unknown, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return value === rule;
  const [op, arg] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(arg as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(arg as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (arg as string).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardMatch(arg as string, value);
    case 'anything-but': {
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.some((e) => matchesOne(e, value));
    }
    default:
      throw new Error(`Unsupported event pattern operator ${JSON.stringify(rule)}`);
  }
}

function matchesField(rules: unknown[], value: unknown): boolean {
  const exists = rules.find((r) => r !== null && typeof r === 'object' && 'exists' in (r as object)) as { exists: boolean } | undefined;
  if (exists) return exists.exists === (value !== MISSING);
  if (value === MISSING) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => rules.some((r) => matchesOne(r, v)));
}

function matchesObject(pattern: Pattern, event: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(rule as Pattern[]).some((alternative) => matchesObject(alternative, event))) return false;
      continue;
    }
    const value = event !== null && typeof event === 'object' && key in (event as object) ? (event as Record<string, unknown>)[key] : MISSING;
    if (Array.isArray(rule)) {
      if (!matchesField(rule, value)) return false;
    } else if (rule !== null && typeof rule === 'object') {
      if (value === MISSING || value === null || typeof value !== 'object') return false;
      // EventBridge flattens arrays of objects: `tags.tagKey` matches when any element's tagKey
      // does. (It also lets two fields match in different elements; one element must match here.)
      const elements = Array.isArray(value) ? value : [value];
      if (!elements.some((element) => matchesObject(rule as Pattern, element))) return false;
    } else {
      throw new Error(`Event pattern values must be arrays or objects; ${key} is ${JSON.stringify(rule)}`);
    }
  }
  return true;
}

export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  return matchesObject(pattern, event);
}
