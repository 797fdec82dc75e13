/**
 * Who approved a step, read back from Systems Manager rather than taken from the caller.
 *
 * The act step receives only the Automation execution id (`{{ automation:EXECUTION_ID }}`, "the
 * unique identifier assigned to the current automation execution", Systems Manager User Guide,
 * "Automation system variables"). The step-runner asks Systems Manager for that execution
 * (GetAutomationExecution) and acts only if it is a run of the path's own document, for the very
 * resource being acted on, still InProgress at its act step, whose aws:approve step succeeded with
 * ApprovalStatus "Approved" and enough distinct configured approvers in ApproverDecisions. The plan
 * the approvers saw is the plan step's Payload output of the same execution. Anyone who may invoke
 * the step-runner directly can therefore claim nothing: not an approval, not a plan, not a resource.
 *
 * Shapes (AWS Systems Manager API Reference, GetAutomationExecution, AutomationExecution and
 * StepExecution): DocumentName, AutomationExecutionStatus, CurrentStepName, Parameters (string to
 * string list), StepExecutions (StepName, Action, StepStatus, Outputs: string to string list) and
 * StepExecutionsTruncated. aws:approve outputs ApprovalStatus (Approved, Rejected or Waiting) and
 * ApproverDecisions, "a JSON map that includes the approval decision of each approver" (MapList;
 * Systems Manager User Guide, aws:approve); each decision is read by its Approver and Decision
 * fields, whatever their case, whether Systems Manager lists one JSON map per entry or one JSON list.
 */

export interface Approval {
  readonly approvers: readonly string[];
}

export interface ApprovalPolicy {
  /** The approvers the document names (retirement.approverArns). */
  readonly approverArns: readonly string[];
  readonly minApprovals: number;
}

/** The step names of the path's Automation document (lib/member/retirement/automation-document.ts). */
export const STEP_NAMES = { plan: 'plan', approve: 'approve', act: 'act' } as const;

/** The document parameter that carries the resource (AWS Config's RESOURCE_ID). */
export const RESOURCE_PARAMETER = 'ResourceId';

/** GetAutomationExecution's AutomationExecutionId: "Fixed length of 36" (a GUID). */
export const EXECUTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function field(entry: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : entry[key];
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The decisions as a list of objects, whether given as a list (of maps, or of their JSON text), one map, or JSON text of either. */
function decisionsOf(raw: unknown): Record<string, unknown>[] | undefined {
  let value = raw;
  if (typeof value === 'string') {
    value = safeParse(value);
    if (typeof value === 'string') return undefined;
  }
  if (Array.isArray(value)) {
    const items = value.flatMap((v) => {
      const parsed = typeof v === 'string' ? safeParse(v) : v;
      return Array.isArray(parsed) ? parsed : [parsed];
    });
    return items.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) ? (items as Record<string, unknown>[]) : undefined;
  }
  return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : undefined;
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

/** The approval the act step may act on, or why it may not: aws:approve's two outputs against the configured approvers. */
export function readApproval(status: unknown, decisions: unknown, policy: ApprovalPolicy): ApprovalReading {
  if (status !== 'Approved') return { ok: false, reason: `the approval step's status is ${JSON.stringify(status ?? null)}, not "Approved"` };
  const list = decisionsOf(decisions);
  if (!list) return { ok: false, reason: 'the approvers\' decisions (ApproverDecisions) could not be read' };
  const approvers = list
    .filter((d) => /^approve/i.test(String(field(d, 'Decision') ?? '')))
    .map((d) => field(d, 'Approver'))
    .filter((a): a is string => typeof a === 'string' && a.length > 0);
  // Only configured approvers count; with none configured (never deployed so: settings require one) nobody does.
  const known = approvers.filter((a) => policy.approverArns.some((c) => isSameApprover(c, a)));
  const distinct = [...new Set(known)];
  // Counted per configured approver: two people through one configured role, or one person twice, are one.
  const approving = policy.approverArns.filter((c) => distinct.some((a) => isSameApprover(c, a))).length;
  if (approving < policy.minApprovals) {
    return { ok: false, reason: `${approving} of the configured approvers approved (${distinct.join(', ') || 'none'}); ${policy.minApprovals} must` };
  }
  return { ok: true, approval: { approvers: distinct } };
}

/** The parts of one StepExecution the check reads (the SDK's StepExecution fits). */
export interface StepRecord {
  readonly StepName?: string;
  readonly Action?: string;
  readonly StepStatus?: string;
  readonly Outputs?: Record<string, string[]>;
}

/** The parts of GetAutomationExecution's AutomationExecution the check reads (the SDK's type fits). */
export interface ExecutionRecord {
  readonly AutomationExecutionId?: string;
  readonly DocumentName?: string;
  readonly AutomationExecutionStatus?: string;
  readonly CurrentStepName?: string;
  readonly Parameters?: Record<string, string[]>;
  readonly StepExecutions?: readonly StepRecord[];
  readonly StepExecutionsTruncated?: boolean;
}

/** What the execution must be for the act step to act. */
export interface ExecutionExpectation extends ApprovalPolicy {
  /** The execution id the act step was invoked with. */
  readonly executionId: string;
  /** The path's own document for this resource type (`<namePrefix>-retire-kms-key`, `-retire-secret`). */
  readonly documentName: string;
  /** The resource being acted on, as AWS Config records it. */
  readonly resourceId: string;
}

export type ExecutionReading =
  | { readonly ok: true; readonly approval: Approval; /** The plan step's Payload: the plan the approvers saw. */ readonly planPayload: string }
  | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): ExecutionReading => ({ ok: false, reason });

/**
 * Whether the Automation execution Systems Manager returned allows the act step to act now, and who
 * approved. Pure: the table in test/lambda/retirement/approval.test.ts. Every check names what it
 * found, so a refusal says why.
 */
export function verifyExecution(execution: ExecutionRecord | undefined, expected: ExecutionExpectation): ExecutionReading {
  if (!execution) return refuse(`Systems Manager returned no automation execution ${expected.executionId}`);
  if (execution.AutomationExecutionId !== expected.executionId) {
    return refuse(`Systems Manager returned execution ${JSON.stringify(execution.AutomationExecutionId ?? null)} when asked for ${expected.executionId}`);
  }
  // The exact name: a document shared from another account, even of the same name, is named by its ARN.
  if (execution.DocumentName !== expected.documentName) {
    return refuse(`execution ${expected.executionId} runs the document ${JSON.stringify(execution.DocumentName ?? null)}, not ${expected.documentName}`);
  }
  const resource = execution.Parameters?.[RESOURCE_PARAMETER];
  if (!resource || resource.length !== 1 || resource[0] !== expected.resourceId) {
    return refuse(`execution ${expected.executionId} was started for ${RESOURCE_PARAMETER} ${JSON.stringify(resource ?? null)}, not ${expected.resourceId}`);
  }
  if (execution.AutomationExecutionStatus !== 'InProgress') {
    return refuse(`execution ${expected.executionId} is ${JSON.stringify(execution.AutomationExecutionStatus ?? null)}, not InProgress: an approval acts once, while its own act step runs`);
  }
  const steps = execution.StepExecutions ?? [];
  const step = (name: string) => steps.filter((s) => s.StepName === name).at(-1);
  const act = step(STEP_NAMES.act);
  const actRunning = act ? act.StepStatus === 'InProgress' : execution.CurrentStepName === STEP_NAMES.act;
  if (!actRunning) {
    const where = act ? `its act step is ${JSON.stringify(act.StepStatus ?? null)}` : `its current step is ${JSON.stringify(execution.CurrentStepName ?? null)}`;
    return refuse(`execution ${expected.executionId} is not at its act step (${where})`);
  }
  const truncated = execution.StepExecutionsTruncated ? ' (Systems Manager truncated the step list)' : '';
  const approve = step(STEP_NAMES.approve);
  if (!approve || approve.Action !== 'aws:approve') return refuse(`execution ${expected.executionId} shows no aws:approve step named ${STEP_NAMES.approve}${truncated}`);
  if (approve.StepStatus !== 'Success') return refuse(`the approval step of execution ${expected.executionId} is ${JSON.stringify(approve.StepStatus ?? null)}, not Success`);
  const outputs = approve.Outputs ?? {};
  const status = outputs.ApprovalStatus;
  if (!status || status.length !== 1) return refuse(`the approval step of execution ${expected.executionId} gives ApprovalStatus ${JSON.stringify(status ?? null)}`);
  const approval = readApproval(status[0], outputs.ApproverDecisions ?? null, expected);
  if (!approval.ok) return approval;
  const plan = step(STEP_NAMES.plan);
  const payload = plan?.StepStatus === 'Success' ? plan.Outputs?.Payload : undefined;
  if (!payload || payload.length !== 1) return refuse(`execution ${expected.executionId} shows no plan the approvers saw (the ${STEP_NAMES.plan} step's Payload)${truncated}`);
  return { ok: true, approval: approval.approval, planPayload: payload[0] };
}
