import type { z } from 'zod';
import { MAX_OBSERVATION_DAYS } from '../../lambda/retirement/environment';
import { bool, int, list, section, text } from './fields';

/**
 * The retirement path (docs/retirement.md): a manual AWS Config remediation on the unused-key and
 * unused-secret rules that quarantines a resource, and after an observation period retires it, each
 * step approved by a person. Off by default: it changes keys and secrets, so it is switched on only
 * once approvers are named.
 */

/** Systems Manager's aws:approve takes at most 10 approvers. */
export const MAX_APPROVERS = 10;


/** An approver as aws:approve accepts one and as `approverArns` stores it: an IAM user or role ARN. */
const approverArn = text(
  /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]{1,512}$/,
  'an IAM user or role ARN such as arn:aws:iam::111122223333:role/KeyCustodian (no wildcards: aws:approve names principals)',
);

/** aws:approve publishes to a topic whose name starts with "Automation" (Systems Manager User Guide, aws:approve). */
const automationTopicArn = text(
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:Automation[\w-]{0,246}$/,
  'an SNS topic ARN whose topic name starts with "Automation" (aws:approve only notifies such topics), e.g. arn:aws:sns:eu-west-1:111122223333:AutomationRetirementApprovals',
);

export const retirementSchema = section({
  /** Off: the member template carries nothing of the retirement path. */
  enabled: bool().default(false),
  /** Who may approve a step (aws:approve Approvers), at least one when enabled, at most 10. */
  approverArns: list(approverArn, { unique: true }).default([]),
  /** How many of them must approve each step (aws:approve MinRequiredApprovals). */
  minApprovals: int(1, MAX_APPROVERS).default(1),
  /** Where aws:approve announces a step waiting for approval (optional). */
  notificationTopicArn: automationTopicArn.optional(),
  /** Days between quarantine and the earliest retirement; the attempts of the whole period are checked in CloudTrail, which keeps 90 days. */
  observationDays: int(7, MAX_OBSERVATION_DAYS).default(30),
  /** ScheduleKeyDeletion's PendingWindowInDays: until it ends, CancelKeyDeletion undoes the step. */
  kmsPendingWindowDays: int(7, 30).default(30),
  /** DeleteSecret's RecoveryWindowInDays: until it ends, RestoreSecret undoes the step. */
  secretRecoveryWindowDays: int(7, 30).default(30),
});

export type RetirementSettings = z.output<typeof retirementSchema>;

interface RetirementInputs {
  readonly retirement: RetirementSettings;
  readonly rules: { readonly kmsUnusedKey: { readonly enabled: boolean }; readonly secretsUnusedSecret: { readonly enabled: boolean } };
}

/** Enabled, the path needs approvers, an attainable number of approvals and a rule to remediate. */
export function checkRetirement(s: RetirementInputs, ctx: z.RefinementCtx, key: string): void {
  const r = s.retirement;
  if (r.approverArns.length > MAX_APPROVERS) {
    ctx.addIssue({
      code: 'custom',
      path: ['retirement', 'approverArns'],
      input: r.approverArns,
      params: { got: `${r.approverArns.length} approvers` },
      message: `must name at most ${MAX_APPROVERS} approvers: Systems Manager's aws:approve takes no more`,
    });
  }
  if (r.minApprovals > Math.max(1, r.approverArns.length) && (r.enabled || r.approverArns.length > 0)) {
    ctx.addIssue({
      code: 'custom',
      path: ['retirement', 'minApprovals'],
      input: r.minApprovals,
      message: `must be at most the number of approvers (${r.approverArns.length}): aws:approve refuses a MinRequiredApprovals above its Approvers`,
    });
  }
  if (!r.enabled) return;
  if (r.approverArns.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['retirement', 'approverArns'],
      input: [],
      params: { got: 'no approver' },
      message: `needs at least one IAM user or role ARN when ${key}.retirement.enabled is true: every step waits for a person's approval`,
    });
  }
  if (!s.rules.kmsUnusedKey.enabled && !s.rules.secretsUnusedSecret.enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['retirement', 'enabled'],
      input: true,
      message: `needs ${key}.rules.kmsUnusedKey or ${key}.rules.secretsUnusedSecret enabled: the path is a remediation of their NON_COMPLIANT results`,
    });
  }
}
