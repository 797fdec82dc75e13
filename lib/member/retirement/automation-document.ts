/**
 * The Automation document (schemaVersion 0.3) that performs "the next retirement step" for one key
 * or secret, as AWS Config's manual remediation runs it. Action names, inputs and outputs are those
 * of the Systems Manager User Guide's Automation actions reference:
 *
 * - aws:invokeLambdaFunction: inputs FunctionName and InputPayload (a map passed to the handler);
 *   outputs StatusCode, FunctionError, LogResult and Payload (the JSON text the function returned).
 * - aws:branch: Choices of NextStep, Variable and an operator (here Contains), and Default.
 * - aws:approve: inputs Approvers (at most 10), MinRequiredApprovals, Message (at most 4,096
 *   characters) and NotificationArn (a topic whose name starts with "Automation"); outputs
 *   ApprovalStatus (Approved, Rejected or Waiting) and ApproverDecisions (MapList). 7 days by
 *   default, 30 at most.
 * - aws:sleep: input Duration (ISO 8601).
 *
 * Steps: plan (the step-runner decides, changing nothing) → mayRun (branch: on to the approval only
 * if the plan's Payload carries MAY_RUN_MARKER) → approve (a person) → act (the step-runner decides again and
 * acts). A plan that finds no step fails the plan step with the reason (NoStepMayRun); should a
 * failing function not fail its step, the branch still ends the run at noStepMayRun.
 *
 * The act step is given the resource and `{{ automation:EXECUTION_ID }}` only: the step-runner reads
 * the approval (the approve step's outputs) and the plan the approvers saw (the plan step's Payload)
 * back from Systems Manager with GetAutomationExecution, so nothing a caller passes can claim them
 * (lambda/retirement/approval.ts). The step names are the ones it looks for.
 */

import { RESOURCE_PARAMETER, STEP_NAMES } from '../../../lambda/retirement/approval';
import { MAY_RUN_MARKER } from '../../../lambda/retirement/environment';

export interface RetirementDocumentProps {
  readonly resourceType: 'AWS::KMS::Key' | 'AWS::SecretsManager::Secret';
  /** What AWS Config records as the resource id: the ResourceId parameter must match it. */
  readonly resourceIdPattern: string;
  /** "KMS key", "secret". */
  readonly what: string;
  readonly functionArn: string;
  readonly automationRoleArn: string;
  readonly approverArns: readonly string[];
  readonly minApprovals: number;
  readonly notificationTopicArn?: string;
}

/** A week for a person to decide; aws:approve allows 30 days at most. */
export const APPROVAL_TIMEOUT_SECONDS = 7 * 24 * 3600;
/** aws:invokeLambdaFunction runs for 300 seconds at most; the step-runner's own timeout is below it. */
export const INVOKE_TIMEOUT_SECONDS = 300;

/** An IAM role ARN, for the AutomationAssumeRole parameter. */
export const ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$';

export function retirementDocument(p: RetirementDocumentProps): Record<string, unknown> {
  const invoke = (mode: 'plan' | 'act') => ({
    FunctionName: p.functionArn,
    InputPayload: { mode, resourceType: p.resourceType, resourceId: `{{ ${RESOURCE_PARAMETER} }}`, executionId: '{{ automation:EXECUTION_ID }}' },
  });
  const message = [
    `crypto-asset-monitoring asks for your approval of the next retirement step of ${p.what} {{ ResourceId }} (${p.resourceType}) in account {{ global:ACCOUNT_ID }}, Region {{ global:REGION }}.`,
    'The step-runner\'s plan, with the step, the rule\'s annotation and the evidence it decided on:',
    `{{ ${STEP_NAMES.plan}.Payload }}`,
    'Approve to let it act once: it checks the same decision again right before acting and does nothing if the resource changed. Deny to leave the resource as it is.',
  ].join('\n');
  return {
    schemaVersion: '0.3',
    description: `Retirement path of an unused ${p.what} (crypto-asset-monitoring): plans the next step (quarantine or retire), waits for a person's approval, then acts if the same decision still holds. See docs/retirement.md.`,
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters: {
      [RESOURCE_PARAMETER]: {
        type: 'String',
        description: `The ${p.what} as AWS Config records it (the remediation passes the noncompliant resource's id).`,
        allowedPattern: p.resourceIdPattern,
      },
      AutomationAssumeRole: {
        type: 'String',
        description: 'The role Automation runs as: it may only invoke the step-runner.',
        default: p.automationRoleArn,
        allowedPattern: ROLE_ARN_PATTERN,
      },
    },
    mainSteps: [
      {
        name: STEP_NAMES.plan,
        action: 'aws:invokeLambdaFunction',
        description: 'Gather the facts and decide which step may run now (changes nothing).',
        timeoutSeconds: INVOKE_TIMEOUT_SECONDS,
        maxAttempts: 1,
        onFailure: 'Abort',
        inputs: invoke('plan'),
      },
      {
        name: 'mayRun',
        action: 'aws:branch',
        description: 'Ask for approval only when the plan names a step.',
        inputs: { Choices: [{ NextStep: STEP_NAMES.approve, Variable: `{{ ${STEP_NAMES.plan}.Payload }}`, Contains: MAY_RUN_MARKER }], Default: 'noStepMayRun' },
      },
      {
        name: STEP_NAMES.approve,
        action: 'aws:approve',
        description: 'A person approves the planned step.',
        timeoutSeconds: APPROVAL_TIMEOUT_SECONDS,
        onFailure: 'Abort',
        inputs: {
          ...(p.notificationTopicArn ? { NotificationArn: p.notificationTopicArn } : {}),
          Message: message,
          MinRequiredApprovals: p.minApprovals,
          Approvers: [...p.approverArns],
        },
      },
      {
        name: STEP_NAMES.act,
        action: 'aws:invokeLambdaFunction',
        description: 'Read the approval back from this execution, decide again and perform the approved step if it still holds; record who approved.',
        timeoutSeconds: INVOKE_TIMEOUT_SECONDS,
        maxAttempts: 1,
        onFailure: 'Abort',
        isEnd: true,
        inputs: invoke('act'),
      },
      {
        name: 'noStepMayRun',
        action: 'aws:sleep',
        description: 'The plan named no step: nothing is done (the plan step\'s Payload says why).',
        isEnd: true,
        inputs: { Duration: 'PT1S' },
      },
    ],
    outputs: [`${STEP_NAMES.plan}.Payload`, `${STEP_NAMES.act}.Payload`],
  };
}
