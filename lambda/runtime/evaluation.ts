/** What a rule decides for one resource. INSUFFICIENT_DATA is deliberately absent: PutEvaluations rejects it. */
export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface Decision {
  readonly compliance: Compliance;
  readonly annotation: string;
}

export interface ResourceEvaluation extends Decision {
  readonly resourceId: string;
}

/** AWS Config's limit on an annotation. */
export const MAX_ANNOTATION_LENGTH = 256;

export function fitAnnotation(text: string): string {
  return text.length <= MAX_ANNOTATION_LENGTH ? text : `${text.slice(0, MAX_ANNOTATION_LENGTH - 1)}…`;
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

/** A resource carrying the rule's exemption tag is NOT_APPLICABLE; `what` names it ("key", "secret"). */
export function exemptionDecision(what: string, tagKey: string): Decision {
  return { compliance: 'NOT_APPLICABLE', annotation: `Exempt: the ${what} carries the tag "${tagKey}".` };
}
