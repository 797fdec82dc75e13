/**
 * The step-runner: the function both Automation documents invoke (lib/member/retirement/). In "plan"
 * mode it gathers the facts and decides which step may run now; the plan is what the approvers are
 * shown. In "act" mode, after the approval, it reads its own Automation execution back from Systems
 * Manager (the approval, who gave it, and the plan they saw: approval.ts), gathers the same facts
 * again and decides again (the resource may have changed while the approval waited), and acts only
 * if the decision is still the approved step. What the caller passes besides the resource and the
 * execution id is not read. Every refusal throws, so the Automation step fails with the reason as
 * its message.
 */
import { GetAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import type { ResourceType, Services } from './resources';
import { act, gather } from './resources';
import { mayRunStep, type StepDecision, type StepName } from './decide';
import { EXECUTION_ID, verifyExecution, type ExecutionRecord } from './approval';
import { errorName } from '../runtime/errors';
import { log } from '../runtime/log';
import { MAY_RUN_MARKER, RESOURCE_ID_PATTERNS, type RuleSettings, type RunnerSettings } from './environment';

export type { RunnerSettings } from './environment';

export interface StepEvent {
  readonly mode?: unknown;
  readonly resourceType?: unknown;
  readonly resourceId?: unknown;
  /** `{{ automation:EXECUTION_ID }}`: act reads the approval and the plan from this execution. */
  readonly executionId?: unknown;
}

/** What plan mode returns: the approvers read it in the approval message. */
export interface Plan {
  readonly mayRun: true;
  /** MAY_RUN_MARKER: what the document's branch looks for. */
  readonly decision: typeof MAY_RUN_MARKER;
  readonly step: StepName;
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly resourceArn?: string;
  readonly rule: string;
  readonly ruleResult: string;
  readonly annotation?: string;
  readonly evidence: string;
  readonly action: string;
}

export interface ActDone {
  readonly done: true;
  readonly step: StepName;
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly approvedBy: readonly string[];
  readonly did: string;
  readonly deletionDate?: string;
}

/** A step that may not run; its name is what the Automation step shows as the error type. */
export class NoStepMayRun extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoStepMayRun';
  }
}

/** An approved step that was not done: the approval or the resource no longer allow it. */
export class StepRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepRefused';
  }
}

/** Key ids and secret ARNs, as AWS Config records them: nothing else reaches an API. */
const RESOURCE_ID: Record<ResourceType, RegExp> = {
  'AWS::KMS::Key': new RegExp(RESOURCE_ID_PATTERNS['AWS::KMS::Key']),
  'AWS::SecretsManager::Secret': new RegExp(RESOURCE_ID_PATTERNS['AWS::SecretsManager::Secret']),
};

function describeAction(step: StepName, type: ResourceType, s: RunnerSettings): string {
  if (type === 'AWS::KMS::Key') {
    return step === 'quarantine'
      ? 'Tag the key (quarantined-at, reason, approvers) and DisableKey; EnableKey undoes it.'
      : `Tag the key (retired-at, approvers) and ScheduleKeyDeletion with a ${s.kmsPendingWindowDays}-day waiting period; CancelKeyDeletion undoes it until then.`;
  }
  return step === 'quarantine'
    ? 'Add a Deny statement for secretsmanager:GetSecretValue to the secret\'s resource policy (other statements kept) and tag it; removing the statement undoes it.'
    : `Tag the secret (retired-at, approvers) and DeleteSecret with a ${s.secretRecoveryWindowDays}-day recovery window; RestoreSecret undoes it until then.`;
}

function target(event: StepEvent, settings: RunnerSettings): { type: ResourceType; id: string; rule: RuleSettings } {
  const type = event.resourceType;
  if (type !== 'AWS::KMS::Key' && type !== 'AWS::SecretsManager::Secret') throw new NoStepMayRun(`Unknown resource type ${JSON.stringify(type)}.`);
  const rule = settings.rules[type];
  if (!rule) throw new NoStepMayRun(`The retirement path is not deployed for ${type}: its rule is disabled.`);
  const id = event.resourceId;
  if (typeof id !== 'string' || !RESOURCE_ID[type].test(id)) throw new NoStepMayRun(`${JSON.stringify(id)} is not a resource id AWS Config records for ${type}.`);
  return { type, id, rule };
}

async function decide(services: Services, settings: RunnerSettings, type: ResourceType, id: string, rule: RuleSettings, now: Date) {
  const gathered = await gather(services, { resourceType: type, resourceId: id, ruleName: rule.ruleName, observationDays: settings.observationDays, now });
  const decision: StepDecision = mayRunStep(gathered.facts, now, { exemptionTagKey: rule.exemptionTagKey, observationDays: settings.observationDays });
  return { gathered, decision };
}

export async function plan(event: StepEvent, services: Services, settings: RunnerSettings, now: Date): Promise<Plan> {
  const { type, id, rule } = target(event, settings);
  const { gathered, decision } = await decide(services, settings, type, id, rule, now);
  const result = gathered.facts.ruleResult;
  log.info('retirement plan', { resourceType: type, resourceId: id, step: decision.step, reason: decision.reason });
  if (!decision.mayRun) throw new NoStepMayRun(`${type} ${id}: no step may run now. ${decision.reason}`);
  return {
    mayRun: true,
    decision: MAY_RUN_MARKER,
    step: decision.step,
    resourceType: type,
    resourceId: id,
    ...(gathered.arn ? { resourceArn: gathered.arn } : {}),
    rule: rule.ruleName,
    ruleResult: result?.compliance ?? 'none',
    ...(result?.annotation ? { annotation: result.annotation } : {}),
    evidence: decision.reason,
    action: describeAction(decision.step, type, settings),
  };
}

/** The step of the plan the approvers saw (the execution's plan step Payload), for this very resource. */
function approvedPlan(text: string, type: ResourceType, id: string): { step: StepName; annotation?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StepRefused(`${type} ${id}: not acted on, the approved plan could not be read.`);
  }
  const p = parsed as Partial<Plan> | null;
  if (!p || p.mayRun !== true || (p.step !== 'quarantine' && p.step !== 'retire')) throw new StepRefused(`${type} ${id}: not acted on, the approved plan names no step.`);
  if (p.resourceType !== type || p.resourceId !== id) throw new StepRefused(`${type} ${id}: not acted on, the approved plan is for ${String(p.resourceType)} ${String(p.resourceId)}.`);
  return { step: p.step, ...(typeof p.annotation === 'string' ? { annotation: p.annotation } : {}) };
}

/** The execution the act step runs in, as Systems Manager reports it; any failure to read it refuses. */
async function readExecution(services: Services, type: ResourceType, id: string, executionId: string): Promise<ExecutionRecord | undefined> {
  try {
    return (await services.api.send(services.ssm, new GetAutomationExecutionCommand({ AutomationExecutionId: executionId }))).AutomationExecution;
  } catch (e) {
    throw new StepRefused(`${type} ${id}: not acted on, execution ${executionId} could not be read (${errorName(e)} on GetAutomationExecution: ${e instanceof Error ? e.message : String(e)}).`);
  }
}

export async function actOnApproval(event: StepEvent, services: Services, settings: RunnerSettings, now: Date): Promise<ActDone> {
  const { type, id, rule } = target(event, settings);
  const executionId = event.executionId;
  if (typeof executionId !== 'string' || !EXECUTION_ID.test(executionId)) throw new StepRefused(`${type} ${id}: not acted on, ${JSON.stringify(executionId ?? null)} is not an Automation execution id.`);
  const execution = await readExecution(services, type, id, executionId);
  const reading = verifyExecution(execution, { executionId, documentName: rule.documentName, resourceId: id, approverArns: settings.approverArns, minApprovals: settings.minApprovals });
  if (!reading.ok) throw new StepRefused(`${type} ${id}: not acted on, ${reading.reason}.`);
  const approved = approvedPlan(reading.planPayload, type, id);
  const approvedBy = reading.approval.approvers;
  // The same decision again, right before acting.
  const { gathered, decision } = await decide(services, settings, type, id, rule, now);
  if (decision.step !== approved.step) {
    throw new StepRefused(`${type} ${id}: the approved step was ${approved.step}, but the resource changed since: ${decision.mayRun ? `now ${decision.step} would run` : 'no step may run now'}. ${decision.reason}`);
  }
  if (services.softDeadline !== undefined && Date.now() >= services.softDeadline) {
    throw new StepRefused(`${type} ${id}: not acted on, too little of the invocation's time is left to act whole after checking again; start the step again.`);
  }
  const result = await act(services, {
    resourceType: type,
    resourceId: id,
    step: approved.step,
    approvedBy,
    executionId,
    reason: gathered.facts.ruleResult?.annotation ?? approved.annotation ?? decision.reason,
    facts: gathered.facts,
    now,
    kmsPendingWindowDays: settings.kmsPendingWindowDays,
    secretRecoveryWindowDays: settings.secretRecoveryWindowDays,
  });
  log.info('retirement step done', { resourceType: type, resourceId: id, step: approved.step, approvedBy, executionId, did: result.did });
  return { done: true, step: approved.step, resourceType: type, resourceId: id, approvedBy, ...result };
}

/** One invocation: plan or act. */
export function runStep(event: StepEvent, services: Services, settings: RunnerSettings, now: Date): Promise<Plan | ActDone> {
  if (event.mode === 'plan') return plan(event, services, settings, now);
  if (event.mode === 'act') return actOnApproval(event, services, settings, now);
  return Promise.reject(new NoStepMayRun(`Unknown mode ${JSON.stringify(event.mode)}: "plan" or "act".`));
}
