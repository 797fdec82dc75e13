import { RegionInfo } from 'aws-cdk-lib/region-info';
import { z } from 'zod';

/**
 * Field builders for the settings schema. Values given with `cdk -c key=value` arrive as
 * strings, so every builder coerces the string form before validating; each carries an
 * error message that says what is allowed.
 */

/** Only plain decimal numbers (`30`, `2.5`, `-1`) are read as numbers: `0x1E`, `0b11` or `1e1` stay strings and are refused. */
export const numeric = (v: unknown) => (typeof v === 'string' && /^\s*[+-]?[0-9]+(\.[0-9]+)?\s*$/.test(v) ? Number(v) : v);

export function int(min: number, max: number) {
  const allowed = `an integer from ${min} to ${max}`;
  return z.preprocess(
    numeric,
    z.number({ error: `must be ${allowed}` }).refine((n) => Number.isInteger(n) && n >= min && n <= max, {
      error: `must be ${allowed}`,
    }),
  );
}

export function oneOfNumbers<T extends readonly number[]>(values: T) {
  return z.preprocess(
    numeric,
    z.number({ error: `must be one of ${values.join(', ')}` }).refine((n) => values.includes(n), {
      error: `must be one of ${values.join(', ')}`,
    }),
  );
}

export function bool() {
  return z.preprocess(
    (v) => (v === 'true' ? true : v === 'false' ? false : v),
    z.boolean({ error: 'must be true or false' }),
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

export function text(pattern: RegExp, describe: string) {
  return z.string({ error: `must be ${describe}` }).regex(pattern, { error: `must be ${describe}` });
}

export interface ListOptions<V> {
  /** Refuse an entry that repeats an earlier one, at the repeat's index. */
  readonly unique?: boolean;
  /** What two entries are compared by (e.g. lower-cased e-mail addresses); the entry itself when unset. */
  readonly key?: (value: V) => unknown;
  /** How entries are compared, when `key` is given, for the message (e.g. "ignoring case"). */
  readonly comparedBy?: string;
}

/**
 * A list, also accepted as a comma-separated string or a JSON array string (the `-c` forms). With
 * `unique`, a repeated entry is refused: `got "<value>" twice; every entry must be different`.
 */
export function list<T extends z.ZodType>(item: T, options: ListOptions<z.output<T>> = {}) {
  const array = z.array(item, { error: 'must be a list (JSON array or comma-separated string)' });
  const checked = options.unique
    ? array.superRefine((values, ctx) => {
        // Runs even when some entries were refused, so a repeat is reported with them, not after.
        const seen = new Set<unknown>();
        values.forEach((value, i) => {
          let key: unknown = value;
          if (options.key) {
            try {
              key = options.key(value);
            } catch {
              // An entry of the wrong type is refused by the item schema; compare it as it is.
            }
          }
          if (!seen.has(key)) {
            seen.add(key);
            return;
          }
          ctx.addIssue({
            code: 'custom',
            path: [i],
            input: value,
            params: { got: `${JSON.stringify(value)} twice` },
            message: `every entry must be different${options.comparedBy ? ` (${options.comparedBy})` : ''}`,
          });
        });
      })
    : array;
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    if (s.startsWith('[')) {
      try {
        return JSON.parse(s);
      } catch {
        return v;
      }
    }
    return s === '' ? [] : s.split(',').map((x) => x.trim());
  }, checked);
}

/**
 * Options of a check across keys of a section: it runs when the values it reads parsed to their
 * types, even if others did not, so its problem is reported with theirs (zod skips a check after
 * any type error). `reads` are dotted paths in the section, `*` standing for any key.
 */
export function whenParsed(...reads: string[]): { when: (payload: z.core.ParsePayload) => boolean } {
  const patterns = reads.map((r) => r.split('.'));
  // A type error at a path breaks a read on it, above it (the object holding it) or below it.
  const breaks = (path: PropertyKey[]) => patterns.some((p) => p.slice(0, path.length).every((part, i) => part === '*' || part === String(path[i])));
  return { when: (payload) => !payload.issues.some((issue) => issue.continue !== true && breaks(issue.path ?? [])) };
}

/** An object that rejects unknown keys, naming them and the keys it allows. */
export function section<S extends z.ZodRawShape>(shape: S) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed keys: ${allowed}`
        : `must be an object with keys: ${allowed}`,
  });
}

/** A decimal number in a closed range. */
export function decimal(min: number, max: number) {
  const allowed = `a number from ${min} to ${max}`;
  return z.preprocess(
    numeric,
    z.number({ error: `must be ${allowed}` }).refine((n) => n >= min && n <= max, { error: `must be ${allowed}` }),
  );
}

/** Every region aws-cdk-lib knows, in every partition. */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name).sort();

/** An AWS region name that exists. */
export function regionName() {
  return z.string({ error: 'must be an AWS region name' }).refine((r) => KNOWN_REGIONS.includes(r), {
    error: `must be a known AWS region name (${KNOWN_REGIONS.join(', ')})`,
  });
}

/** The partition (aws, aws-cn, aws-us-gov, …) of a region aws-cdk-lib knows. */
export function partitionOf(region: string): string | undefined {
  return KNOWN_REGIONS.includes(region) ? RegionInfo.get(region).partition : undefined;
}

/**
 * A list of distinct region names, all of one partition: one StackSet deploys within the partition
 * of the account it lives in, so regions of another partition could never be reached.
 */
export function regionList() {
  return list(regionName(), { unique: true }).superRefine((regions, ctx) => {
    const first = regions.find((r) => partitionOf(r) !== undefined);
    if (first === undefined) return;
    const expected = partitionOf(first);
    regions.forEach((r, i) => {
      const p = partitionOf(r);
      if (p === undefined || p === expected) return;
      ctx.addIssue({
        code: 'custom',
        path: [i],
        input: r,
        message: `must be in the same partition as ${JSON.stringify(first)} (${expected}), not ${p}: one StackSet deploys within one partition`,
      });
    });
  });
}

/** Time zone names the runtime knows (its canonical ones), and UTC, which it lists as Etc/UTC or not at all. */
const KNOWN_TIME_ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/** Each segment starts with a capital letter, as every IANA name does (Intl itself would also take "europe/paris"). */
const TIME_ZONE_SHAPE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

/** True for a time zone name the runtime knows, canonical (Europe/Paris) or an alias of one (Asia/Kolkata, US/Pacific). */
export function isTimeZoneName(name: string): boolean {
  if (KNOWN_TIME_ZONES.has(name)) return true;
  if (!TIME_ZONE_SHAPE.test(name)) return false;
  // A case variant of a canonical name (EUROPE/PARIS) is no name of its own.
  const lower = name.toLowerCase();
  for (const known of KNOWN_TIME_ZONES) if (known.toLowerCase() === lower) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name the runtime knows. */
export function timeZone() {
  const allowed = 'must be an IANA time zone name such as Europe/Paris or UTC';
  return z.string({ error: allowed }).refine(isTimeZoneName, { error: allowed });
}

/** A calendar date YYYY-MM-DD that exists (no 2030-02-30), from the year 2000 on. */
export const calendarDate = text(/^\d{4}-\d{2}-\d{2}$/, 'a calendar date YYYY-MM-DD').refine(
  (v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 2000;
  },
  { error: 'must be a calendar date YYYY-MM-DD from the year 2000 on, such as 2030-12-31' },
);
