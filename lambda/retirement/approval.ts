/**
 * Who approved a step. Systems Manager's aws:approve outputs ApprovalStatus (Approved, Rejected or
 * Waiting) and ApproverDecisions, "a JSON map that includes the approval decision of each approver"
 * (type MapList; Systems Manager User Guide, aws:approve). The Automation document passes both to the
 * act step. Each decision is read by its Approver and Decision fields, whatever their case, and
 * nothing is acted on unless enough of the configured approvers approved.
 */

export interface Approval {
  readonly approvers: readonly string[];
}

export interface ApprovalPolicy {
  /** The approvers the document names (retirement.approverArns). */
  readonly approverArns: readonly string[];
  readonly minApprovals: number;
}

function field(entry: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : entry[key];
}

/** The decisions as a list of objects, whether Automation passed a list, one map, or their JSON text. */
function decisionsOf(raw: unknown): Record<string, unknown>[] | undefined {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => (typeof v === 'string' ? safeParse(v) : v));
    return items.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) ? (items as Record<string, unknown>[]) : undefined;
  }
  return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An approver named as an IAM role ARN approves through a session of that role, which Systems Manager
 * may record as `arn:aws:sts::<account>:assumed-role/<role name>/<session>` (role paths are not in it).
 */
export function isSameApprover(configured: string, recorded: string): boolean {
  if (configured === recorded) return true;
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(configured);
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(recorded);
  if (role && session) return role[1] === session[1] && role[2] === session[2] && role[3] === session[3];
  // aws:approve also accepts a bare IAM user name.
  const user = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(configured);
  return user !== null && user[1] === recorded;
}

export type ApprovalReading = { readonly ok: true; readonly approval: Approval } | { readonly ok: false; readonly reason: string };

/** The approval the act step may act on, or why it may not. */
export function readApproval(status: unknown, decisions: unknown, policy: ApprovalPolicy): ApprovalReading {
  if (status !== 'Approved') return { ok: false, reason: `the approval step's status is ${JSON.stringify(status ?? null)}, not "Approved"` };
  const list = decisionsOf(decisions);
  if (!list) return { ok: false, reason: 'the approvers\' decisions (ApproverDecisions) could not be read' };
  const approvers = list
    .filter((d) => /^approve/i.test(String(field(d, 'Decision') ?? '')))
    .map((d) => field(d, 'Approver'))
    .filter((a): a is string => typeof a === 'string' && a.length > 0);
  const known = policy.approverArns.length === 0 ? approvers : approvers.filter((a) => policy.approverArns.some((c) => isSameApprover(c, a)));
  const distinct = [...new Set(known)];
  if (distinct.length < policy.minApprovals) {
    return { ok: false, reason: `${distinct.length} of the configured approvers approved (${distinct.join(', ') || 'none'}); ${policy.minApprovals} must` };
  }
  return { ok: true, approval: { approvers: distinct } };
}
