/**
 * The step-runner: the function both Automation documents invoke (lib/member/retirement/). In "plan"
 * mode it gathers the facts and decides which step may run now; the plan is what the approvers are
 * shown. In "act" mode, after the approval, it reads the approval, gathers the same facts again and
 * decides again (the resource may have changed while the approval waited), and acts only if the
 * decision is still the approved step. Every refusal throws, so the Automation step fails with the
 * reason as its message.
 */
import type { ResourceType, Services } from './resources';
import { act, gather } from './resources';
import { mayRunStep, type StepDecision, type StepName } from './decide';
import { readApproval } from './approval';
import { log } from '../runtime/log';
import { MAY_RUN_MARKER, type RunnerSettings } from './environment';

export type { RunnerSettings } from './environment';

export interface StepEvent {
  readonly mode?: unknown;
  readonly resourceType?: unknown;
  readonly resourceId?: unknown;
  readonly executionId?: unknown;
  /** Act: the plan step's Payload output, the JSON text of the plan the approvers saw. */
  readonly plan?: unknown;
  readonly approvalStatus?: unknown;
  readonly approverDecisions?: unknown;
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

/** Key ids (UUID or multi-Region mrk-) and secret ARNs, as AWS Config records them: nothing else reaches an API. */
const RESOURCE_ID: Record<ResourceType, RegExp> = {
  'AWS::KMS::Key': /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  'AWS::SecretsManager::Secret': /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]{1,512}$/,
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

function target(event: StepEvent, settings: RunnerSettings): { type: ResourceType; id: string; rule: { ruleName: string; exemptionTagKey: string } } {
  const type = event.resourceType;
  if (type !== 'AWS::KMS::Key' && type !== 'AWS::SecretsManager::Secret') throw new NoStepMayRun(`Unknown resource type ${JSON.stringify(type)}.`);
  const rule = settings.rules[type];
  if (!rule) throw new NoStepMayRun(`The retirement path is not deployed for ${type}: its rule is disabled.`);
  const id = event.resourceId;
  if (typeof id !== 'string' || !RESOURCE_ID[type].test(id)) throw new NoStepMayRun(`${JSON.stringify(id)} is not a resource id AWS Config records for ${type}.`);
  return { type, id, rule };
}

async function decide(services: Services, settings: RunnerSettings, type: ResourceType, id: string, rule: { ruleName: string; exemptionTagKey: string }, now: Date) {
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

function approvedPlan(text: unknown): { step: StepName; annotation?: string } {
  let parsed: unknown = text;
  if (typeof text === 'string') {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StepRefused('The approved plan could not be read.');
    }
  }
  const p = parsed as Partial<Plan> | null;
  if (!p || p.mayRun !== true || (p.step !== 'quarantine' && p.step !== 'retire')) throw new StepRefused('The approved plan names no step.');
  return { step: p.step, ...(typeof p.annotation === 'string' ? { annotation: p.annotation } : {}) };
}

export async function actOnApproval(event: StepEvent, services: Services, settings: RunnerSettings, now: Date): Promise<ActDone> {
  const { type, id, rule } = target(event, settings);
  const approved = approvedPlan(event.plan);
  const approval = readApproval(event.approvalStatus, event.approverDecisions, { approverArns: settings.approverArns, minApprovals: settings.minApprovals });
  if (!approval.ok) throw new StepRefused(`${type} ${id}: not acted on, ${approval.reason}.`);
  // The same decision again, right before acting.
  const { gathered, decision } = await decide(services, settings, type, id, rule, now);
  if (decision.step !== approved.step) {
    throw new StepRefused(`${type} ${id}: the approved step was ${approved.step}, but the resource changed since: ${decision.mayRun ? `now ${decision.step} would run` : 'no step may run now'}. ${decision.reason}`);
  }
  const executionId = typeof event.executionId === 'string' && event.executionId ? event.executionId : 'unknown execution';
  const result = await act(services, {
    resourceType: type,
    resourceId: id,
    step: approved.step,
    approvedBy: approval.approval.approvers,
    executionId,
    reason: gathered.facts.ruleResult?.annotation ?? approved.annotation ?? decision.reason,
    facts: gathered.facts,
    now,
    kmsPendingWindowDays: settings.kmsPendingWindowDays,
    secretRecoveryWindowDays: settings.secretRecoveryWindowDays,
  });
  log.info('retirement step done', { resourceType: type, resourceId: id, step: approved.step, approvedBy: approval.approval.approvers, executionId, did: result.did });
  return { done: true, step: approved.step, resourceType: type, resourceId: id, approvedBy: approval.approval.approvers, ...result };
}

/** One invocation: plan or act. */
export function runStep(event: StepEvent, services: Services, settings: RunnerSettings, now: Date): Promise<Plan | ActDone> {
  if (event.mode === 'plan') return plan(event, services, settings, now);
  if (event.mode === 'act') return actOnApproval(event, services, settings, now);
  return Promise.reject(new NoStepMayRun(`Unknown mode ${JSON.stringify(event.mode)}: "plan" or "act".`));
}
