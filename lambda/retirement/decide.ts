/**
 * "May a retirement step run now, and which?" One pure decision for both resource kinds, taken twice
 * per step: when the step is planned (before a person approves it) and again right before it acts,
 * since the resource may have changed while the approval waited. Facts are gathered elsewhere
 * (lambda/retirement/resources.ts); nothing here calls AWS.
 *
 * The path: a NON_COMPLIANT key or secret is first quarantined (a key disabled, a secret's value
 * denied to every reader by its resource policy), tagged with when, why and who approved; after
 * `observationDays` with no attempt to use it, it is retired (ScheduleKeyDeletion, DeleteSecret with
 * a recovery window). Anything that says the resource is still wanted, or that the path no longer
 * holds it, stops the path with the reason.
 */
import { DAY_MS, isoDate } from '../runtime/evaluation';
import { isHonoured, readExemptionTag } from '../runtime/exemption';
import { TAGS } from './tags';

export type StepName = 'quarantine' | 'retire';

/** AWS Config's latest result of the rule for the resource. */
export interface RuleResult {
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';
  readonly annotation?: string;
}

/** A call on the resource that CloudTrail recorded after the quarantine and that counts as an attempt to use it. */
export interface UseAttempt {
  readonly time: Date;
  readonly eventName: string;
  readonly caller: string;
  readonly errorCode?: string;
}

/** What CloudTrail says about the observation period, read right before deciding. */
export interface ObservationEvidence {
  /** The part of the period CloudTrail could be asked about (it keeps 90 days). */
  readonly from: Date;
  readonly to: Date;
  readonly attempts: readonly UseAttempt[];
}

interface CommonFacts {
  /** False when the resource no longer exists. */
  readonly exists: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** Undefined when AWS Config holds no result of the rule for the resource. */
  readonly ruleResult?: RuleResult;
  /** Undefined when not read (the quarantine step needs none) or when CloudTrail could not be read. */
  readonly evidence?: ObservationEvidence;
  /** Why the evidence is missing, when it was needed and could not be read. */
  readonly evidenceError?: string;
}

export interface KeyFacts extends CommonFacts {
  readonly kind: 'kms-key';
  readonly keyManager?: string;
  readonly keyState?: string;
  readonly deletionDate?: Date;
  /** PRIMARY or REPLICA for multi-Region keys. */
  readonly multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  readonly replicaCount?: number;
  /** Set for keys in an AWS CloudHSM or external key store. */
  readonly customKeyStoreId?: string;
}

export interface SecretFacts extends CommonFacts {
  readonly kind: 'secret';
  readonly deletedDate?: Date;
  /** Midnight UTC of the last read; null when never read. */
  readonly lastAccessedDate: Date | null;
  /** The resource policy holds the quarantine's Deny statement, as the path wrote it. */
  readonly quarantineStatementPresent: boolean;
}

export type ResourceFacts = KeyFacts | SecretFacts;

export interface DecisionSettings {
  /** The rule's exemption tag key. */
  readonly exemptionTagKey: string;
  readonly observationDays: number;
}

export type StepDecision =
  | { readonly mayRun: true; readonly step: StepName; readonly reason: string }
  | { readonly mayRun: false; readonly step: 'none'; readonly reason: string; readonly notBefore?: Date };

const none = (reason: string, notBefore?: Date): StepDecision => ({ mayRun: false, step: 'none', reason, ...(notBefore ? { notBefore } : {}) });

/** An ISO 8601 time the path wrote; undefined for anything else. */
export function quarantineTime(tags: Readonly<Record<string, string>>): Date | undefined | 'unreadable' {
  const value = tags[TAGS.quarantinedAt];
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) return 'unreadable';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? 'unreadable' : d;
}

function exemption(facts: ResourceFacts, now: Date, settings: DecisionSettings): StepDecision | undefined {
  const value = facts.tags[settings.exemptionTagKey];
  if (value === undefined) return undefined;
  const tag = readExemptionTag(value, now);
  if (!isHonoured(tag)) return undefined;
  const until = tag.status === 'until' ? ` until ${tag.lastDay} (end of day, UTC)` : '';
  return none(`Exempt${until}: it carries the tag "${settings.exemptionTagKey}"; exempt resources are never touched.`);
}

/** The quarantine needs the rule's own verdict, now. */
function quarantineIfUnused(facts: ResourceFacts, what: string): StepDecision {
  const result = facts.ruleResult;
  if (!result) return none(`AWS Config holds no result of the rule for this ${what}: only a NON_COMPLIANT result starts the path.`);
  if (result.compliance !== 'NON_COMPLIANT') return none(`The rule's result is ${result.compliance}${result.annotation ? ` ("${result.annotation}")` : ''}, not NON_COMPLIANT: nothing to quarantine.`);
  return { mayRun: true, step: 'quarantine', reason: `The rule reports the ${what} NON_COMPLIANT: "${result.annotation ?? 'no annotation'}".` };
}

/** Elapsed observation, CloudTrail's word on it, and the rule's latest result: may the resource be retired? */
function retireIfQuiet(facts: ResourceFacts, quarantinedAt: Date, now: Date, settings: DecisionSettings, what: string): StepDecision {
  const days = settings.observationDays;
  const earliest = new Date(quarantinedAt.getTime() + days * DAY_MS);
  if (now.getTime() < earliest.getTime()) {
    const elapsed = Math.floor((now.getTime() - quarantinedAt.getTime()) / DAY_MS);
    return none(`Under observation since ${quarantinedAt.toISOString()} (${elapsed} of ${days} days): retirement is possible from ${earliest.toISOString()}.`, earliest);
  }
  const evidence = facts.evidence;
  if (!evidence) return none(`The observation evidence could not be read (${facts.evidenceError ?? 'CloudTrail not read'}): nothing is retired without it.`);
  const observedDays = (evidence.to.getTime() - evidence.from.getTime()) / DAY_MS;
  if (observedDays + 1e-9 < days) {
    return none(`CloudTrail covered only ${observedDays.toFixed(1)} days (${evidence.from.toISOString()} to ${evidence.to.toISOString()}) of the ${days}-day observation: nothing is retired on less.`);
  }
  if (evidence.attempts.length > 0) {
    const sorted = [...evidence.attempts].sort((a, b) => a.time.getTime() - b.time.getTime());
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    const one = (a: UseAttempt) => `${a.eventName}${a.errorCode ? ` (${a.errorCode})` : ''} by ${a.caller} at ${a.time.toISOString()}`;
    return none(
      `${sorted.length} attempt${sorted.length === 1 ? '' : 's'} to use the ${what} while quarantined: ${one(first)}${sorted.length > 1 ? `; last ${one(last)}` : ''}. It is still wanted: give it back to its owner (undo the quarantine).`,
    );
  }
  if (facts.ruleResult?.compliance === 'COMPLIANT') {
    return none(`The rule now reports the ${what} COMPLIANT ("${facts.ruleResult.annotation ?? ''}"): it was used.`);
  }
  return {
    mayRun: true,
    step: 'retire',
    reason: `Quarantined on ${quarantinedAt.toISOString()}; no attempt to use the ${what} recorded by CloudTrail from ${evidence.from.toISOString()} to ${evidence.to.toISOString()} (${Math.floor(observedDays)} days).`,
  };
}

function decideKey(facts: KeyFacts, now: Date, settings: DecisionSettings): StepDecision {
  if (!facts.exists) return none('The key no longer exists.');
  if (facts.keyManager !== 'CUSTOMER') return none(`${facts.keyManager === 'AWS' ? 'AWS managed key' : `Key manager ${facts.keyManager ?? 'unknown'}`}: only customer managed keys can be retired, and AWS managed keys never are.`);
  const exempt = exemption(facts, now, settings);
  if (exempt) return exempt;
  const state = facts.keyState;
  if (state === 'PendingDeletion' || state === 'PendingReplicaDeletion') {
    return none(`Already scheduled for deletion${facts.deletionDate ? ` on ${facts.deletionDate.toISOString()}` : ''} (${state}): CancelKeyDeletion undoes it until then.`);
  }
  if (state === 'PendingImport') return none('The key has no key material (PendingImport): nothing can use it, and the rule does not judge it.');
  if (state !== 'Enabled' && state !== 'Disabled') return none(`Key state ${state ?? 'unknown'}: the path acts only on Enabled or Disabled keys; try again later.`);
  // Deleting a multi-Region primary waits for its replicas; each replica is its own key in its own Region.
  if (facts.multiRegionKeyType === 'PRIMARY' && (facts.replicaCount ?? 0) > 0) {
    return none(`Multi-Region primary key with ${facts.replicaCount} replica${facts.replicaCount === 1 ? '' : 's'}: retire the replicas first, each in its own Region, or update the primary Region.`);
  }
  const quarantinedAt = quarantineTime(facts.tags);
  if (quarantinedAt === 'unreadable') return none(`The tag ${TAGS.quarantinedAt} holds "${facts.tags[TAGS.quarantinedAt]}", not a time the path wrote: nothing is done on it.`);
  if (quarantinedAt === undefined) {
    if (state === 'Disabled') return none('The key is disabled but not by this path (no quarantine tag): its owner disabled it; nothing to do.');
    return quarantineIfUnused(facts, 'key');
  }
  if (state === 'Enabled') {
    return none(`Re-enabled after its quarantine on ${quarantinedAt.toISOString()}: the owner wants it back, so the path stops here. Remove the ${TAGS.quarantinedAt} tag before starting again.`);
  }
  // Keys in a custom key store are retired by the key store's owner: deletion in AWS KMS does not end the material they hold.
  if (facts.customKeyStoreId) return none(`The key is in custom key store ${facts.customKeyStoreId}: it stays quarantined; its deletion is left to the key store's owner.`);
  return retireIfQuiet(facts, quarantinedAt, now, settings, 'key');
}

function decideSecret(facts: SecretFacts, now: Date, settings: DecisionSettings): StepDecision {
  if (!facts.exists) return none('The secret no longer exists.');
  if (facts.deletedDate) return none(`Already scheduled for deletion on ${facts.deletedDate.toISOString()}: RestoreSecret undoes it until then.`);
  const exempt = exemption(facts, now, settings);
  if (exempt) return exempt;
  const quarantinedAt = quarantineTime(facts.tags);
  if (quarantinedAt === 'unreadable') return none(`The tag ${TAGS.quarantinedAt} holds "${facts.tags[TAGS.quarantinedAt]}", not a time the path wrote: nothing is done on it.`);
  if (quarantinedAt === undefined) return quarantineIfUnused(facts, 'secret');
  if (!facts.quarantineStatementPresent) {
    return none(`The quarantine's Deny statement is no longer in the resource policy (quarantined on ${quarantinedAt.toISOString()}): the owner gave the secret back, so the path stops here.`);
  }
  const recorded = facts.tags[TAGS.lastAccessedAtQuarantine];
  const current = facts.lastAccessedDate ? isoDate(facts.lastAccessedDate) : 'never';
  if (recorded === undefined) return none(`The tag ${TAGS.lastAccessedAtQuarantine} is missing: whether the secret was read since its quarantine cannot be told.`);
  if (recorded !== current) return none(`Read since its quarantine: LastAccessedDate is ${current}, it was ${recorded} when quarantined. It is still wanted.`);
  return retireIfQuiet(facts, quarantinedAt, now, settings, 'secret');
}

/** The step that may run now for the resource, or none with the reason. */
export function mayRunStep(facts: ResourceFacts, now: Date, settings: DecisionSettings): StepDecision {
  return facts.kind === 'kms-key' ? decideKey(facts, now, settings) : decideSecret(facts, now, settings);
}
