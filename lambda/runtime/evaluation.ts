/** What a rule decides for one resource. INSUFFICIENT_DATA is deliberately absent: PutEvaluations rejects it. */
export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface Decision {
  readonly compliance: Compliance;
  readonly annotation: string;
  /**
   * The annotation built again to fit in `maxLength` UTF-16 units, for one shaped to the limit
   * (ACM's CNAME record) that must make room for a note ahead of it; without it the end gives way.
   */
  readonly fitWithin?: (maxLength: number) => string;
}

export interface ResourceEvaluation extends Decision {
  readonly resourceId: string;
}

/** AWS Config's limit on an annotation. */
export const MAX_ANNOTATION_LENGTH = 256;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** At most MAX_ANNOTATION_LENGTH UTF-16 units; lone surrogates (even from the input) become U+FFFD so the JSON stays valid UTF-8. */
export function fitAnnotation(text: string): string {
  return truncateCodePoints(text.replace(LONE_SURROGATE, '\uFFFD'), MAX_ANNOTATION_LENGTH);
}

/**
 * Shortens `text` to at most `maxUnits` UTF-16 code units including `ellipsis`, cutting on a code-point
 * boundary (AWS limits count UTF-16 units; half an emoji is a lone surrogate). Unchanged if it fits.
 */
export function truncateCodePoints(text: string, maxUnits: number, ellipsis = '…'): string {
  if (text.length <= maxUnits) return text;
  if (!Number.isInteger(maxUnits) || maxUnits < ellipsis.length) {
    throw new RangeError(`maxUnits must be an integer of at least ${ellipsis.length} (the ellipsis), got ${maxUnits}`);
  }
  let cut = maxUnits - ellipsis.length;
  const before = text.charCodeAt(cut - 1);
  const after = text.charCodeAt(cut);
  if (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) cut -= 1;
  return `${text.slice(0, cut)}${ellipsis}`;
}

export const DAY_MS = 86_400_000;

/** Whole days from `then` to `now` (never negative). */
export function daysBetween(then: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - then.getTime()) / DAY_MS));
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** "1 day", "2 days". */
export function dayCount(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}
