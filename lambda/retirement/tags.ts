/**
 * The tags the retirement path writes on a key or secret, and the resource-policy statement it adds
 * to a secret. The member template scopes the step-runner's permissions with the same names
 * (lib/member/retirement/), so they live here, below both.
 */

/** Every tag of the path starts with this; the step-runner's role may write no other tag key. */
export const TAG_PREFIX = 'crypto-monitoring';

export const TAGS = {
  /** When the quarantine step ran (ISO 8601, UTC). Its presence is what allows the retire step (IAM condition). */
  quarantinedAt: `${TAG_PREFIX}:quarantined-at`,
  /** The rule's annotation the quarantine was approved on. */
  quarantineReason: `${TAG_PREFIX}:quarantine-reason`,
  /** Who approved the quarantine (aws:approve's approvers). */
  quarantineApprovedBy: `${TAG_PREFIX}:quarantine-approved-by`,
  /** The Automation execution that quarantined the resource. */
  quarantineExecution: `${TAG_PREFIX}:quarantine-execution`,
  /** A secret's LastAccessedDate when it was quarantined (YYYY-MM-DD, or "never"): a later date is a read. */
  lastAccessedAtQuarantine: `${TAG_PREFIX}:last-accessed-at-quarantine`,
  /** When the retire step scheduled the deletion, and who approved it. */
  retiredAt: `${TAG_PREFIX}:retired-at`,
  retireApprovedBy: `${TAG_PREFIX}:retire-approved-by`,
  retireExecution: `${TAG_PREFIX}:retire-execution`,
} as const;

export const PATH_TAG_KEYS: readonly string[] = Object.values(TAGS);

/** The Sid of the Deny statement the quarantine adds to a secret's resource policy. */
export const QUARANTINE_SID = 'CryptoMonitoringQuarantineDenyReadValue';

/** Tag values: at most 256 characters; Secrets Manager takes only letters, digits, spaces and _ . : / = + - @. */
export const MAX_TAG_VALUE_LENGTH = 256;

/** A value both KMS and Secrets Manager accept: other characters become spaces, runs of spaces one, cut to 256 with an ellipsis-free end. */
export function tagValue(text: string): string {
  const clean = text
    .replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return [...clean].slice(0, MAX_TAG_VALUE_LENGTH).join('').trimEnd();
}
