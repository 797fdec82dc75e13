/**
 * What the exemption tag's value says about how long the exemption lasts: one pure reading,
 * shared by every rule.
 *
 * The value may start with an ISO 8601 calendar date `YYYY-MM-DD`, alone or followed by
 * whitespace and free text (`2027-03-31 SEC-1234 migration`). The exemption then holds through
 * the end of that day in UTC and not after. Leading whitespace is ignored.
 * - a valid date whose day has not ended → honoured until that day (`until`);
 * - a valid date whose day has ended → not honoured (`expired`);
 * - a date that is not a valid calendar day (`2027-02-30`, `2027-13-01`), a date in another form
 *   first in the value (`31/12/2027`, `2027/12/31`, `12.31.2027`, `2027-3-31`, `2027-03-31T12:00Z`),
 *   or a date with a four-digit year anywhere else in the value (`until 2027-03-31`) → not honoured
 *   (`unreadable`): when it ends cannot be told, so it fails closed;
 * - anything else (empty, missing, `true`, `yes`, free text without a date) → honoured for good
 *   (`permanent`), as before expiries existed.
 */
import { DAY_MS, fitAnnotation, MAX_ANNOTATION_LENGTH, truncateCodePoints, type Decision } from './evaluation';
import { COULD_NOT_EVALUATE } from './fail-closed';

/** The only expiry format read; annotations name it. */
export const EXPIRY_FORMAT = 'YYYY-MM-DD';

export type ExemptionTag =
  /** Honoured for good: the value carries no date. */
  | { readonly status: 'permanent' }
  /** Honoured through the end of `lastDay` (UTC). */
  | { readonly status: 'until'; readonly lastDay: string }
  /** Not honoured: `lastDay` has ended. */
  | { readonly status: 'expired'; readonly lastDay: string }
  /** Not honoured: `found` looks like a date but is not a valid `YYYY-MM-DD` first in the value. */
  | { readonly status: 'unreadable'; readonly found: string };

/** `YYYY-MM-DD` first, then the end of the value or whitespace. */
const ISO_DAY_FIRST = /^(\d{4})-(\d{2})-(\d{2})(?=\s|$)/;
/** Digits, a separator, digits, first in the value: a date in some other form (the whole first word is quoted back). */
const DATE_SHAPE_FIRST = /^\d+[-/.]\d+\S*/;
/** A date with a four-digit year anywhere (year first or last); a version such as 1.2.3 or an IPv4 address is not one. */
const DATE_SHAPE_ANYWHERE = /(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?!\d)/;
/** How much of an unreadable date is quoted back in an annotation. */
const MAX_FOUND_LENGTH = 40;

/** The first millisecond after the UTC day `year-month-day`, or undefined when that day does not exist. */
function endOfUtcDay(year: number, month: number, day: number): number | undefined {
  const start = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  start.setUTCFullYear(year, month - 1, day);
  if (start.getUTCFullYear() !== year || start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day) return undefined;
  return start.getTime() + DAY_MS;
}

/**
 * Reads the exemption tag's value at `now` (the run's clock). `value` undefined means the tag is
 * there without a value (AWS answers may leave `Value` out): a permanent exemption.
 */
export function readExemptionTag(value: string | undefined, now: Date): ExemptionTag {
  const text = (value ?? '').trimStart();
  const iso = ISO_DAY_FIRST.exec(text);
  if (iso) {
    const end = endOfUtcDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (end === undefined) return { status: 'unreadable', found: iso[0] };
    return now.getTime() < end ? { status: 'until', lastDay: iso[0] } : { status: 'expired', lastDay: iso[0] };
  }
  const dateLike = DATE_SHAPE_FIRST.exec(text) ?? DATE_SHAPE_ANYWHERE.exec(text);
  return dateLike ? { status: 'unreadable', found: truncateCodePoints(dateLike[0], MAX_FOUND_LENGTH) } : { status: 'permanent' };
}

/** True when the tag exempts the resource now. */
export function isHonoured(tag: ExemptionTag): tag is Extract<ExemptionTag, { status: 'permanent' | 'until' }> {
  return tag.status === 'permanent' || tag.status === 'until';
}

/** The NOT_APPLICABLE result of an honoured exemption; `what` names the resource ("key", "secret"). */
export function exemptionDecision(what: string, tagKey: string, tag: ExemptionTag = { status: 'permanent' }): Decision {
  const until = tag.status === 'until' ? ` until ${tag.lastDay} (end of day, UTC)` : '';
  return { compliance: 'NOT_APPLICABLE', annotation: fitAnnotation(`Exempt${until}: the ${what} carries the tag "${tagKey}".`) };
}

/** Below this many units left, a rule's own annotation is not rebuilt shorter (`fitWithin`) but cut at its end. */
const MIN_REFIT_LENGTH = 60;

/**
 * The result of a resource whose exemption tag is not honoured (expired or unreadable): a
 * NON_COMPLIANT one says why the tag did not exempt it, ahead of its own annotation, which gives
 * way when the whole is too long (built again shorter when the rule can, else cut at its end); any
 * other result is left as it is, and so is one that could not be evaluated (what could not be read
 * matters more, and the runtime counts those results by how their annotation starts).
 */
export function withLapsedExemption(decision: Decision, tagKey: string, tag: ExemptionTag): Decision {
  if (decision.compliance !== 'NON_COMPLIANT' || isHonoured(tag) || decision.annotation.startsWith(COULD_NOT_EVALUATE)) return decision;
  const why =
    tag.status === 'expired'
      ? `Exemption tag "${tagKey}" expired on ${tag.lastDay}; `
      : `Exemption tag "${tagKey}" not honoured: its expiry "${tag.found}" could not be read (expected ${EXPIRY_FORMAT} at the start of the value); `;
  const room = MAX_ANNOTATION_LENGTH - why.length;
  const own = decision.annotation.length > room && decision.fitWithin && room >= MIN_REFIT_LENGTH ? decision.fitWithin(room) : decision.annotation;
  return { compliance: decision.compliance, annotation: fitAnnotation(`${why}${own}`) };
}
