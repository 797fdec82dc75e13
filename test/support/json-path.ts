/** What the filter-pattern, event-pattern and input-transformer evaluators share: JSON paths and `*` wildcards. */

/** The value of a path or key the event does not have (as opposed to a present null). */
export const MISSING = Symbol('missing');

/** The value at a `$.a.b[0]` path, or MISSING when a step names no property. */
export function resolvePath(event: unknown, path: string): unknown {
  let node: unknown = event;
  for (const part of path.slice(1).match(/\.[A-Za-z0-9_-]+|\[\d+\]/g) ?? []) {
    if (node === null || typeof node !== 'object') return MISSING;
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
    if (!(key in (node as Record<string | number, unknown>))) return MISSING;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** `*` matches any run of characters; everything else is literal and case-sensitive. */
export function wildcardMatch(pattern: string, text: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(text);
}
