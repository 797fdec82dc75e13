/**
 * Simulated Systems Manager Automation executions of the retirement documents, served to the real
 * SSMClient through SimulatedAws: GetAutomationExecution as the Systems Manager API Reference
 * documents it (AutomationExecution with DocumentName, AutomationExecutionStatus, CurrentStepName,
 * Parameters as string lists, StepExecutions with StepName, Action, StepStatus and Outputs as string
 * lists, StepExecutionsTruncated), and AutomationExecutionNotFoundException for an unknown id.
 * aws:approve's outputs are ApprovalStatus and ApproverDecisions (one JSON map per decision).
 */
import { createHash } from 'crypto';
import { SimulatedServiceError, epochSeconds, type OperationHandler } from '../../support/simulated-aws';

export interface Decision {
  readonly Approver: string;
  readonly Decision: 'Approve' | 'Reject';
  readonly Comment?: string;
}

export interface StepRecord {
  StepName: string;
  Action: string;
  StepStatus: string;
  Outputs?: Record<string, string[]>;
}

export interface Execution {
  id: string;
  documentName: string;
  parameters: Record<string, string[]>;
  status: string;
  currentStep?: string;
  steps: StepRecord[];
  truncated: boolean;
  started: Date;
}

export interface AtActOptions {
  readonly documentName: string;
  readonly resourceId: string;
  /** What the plan step returned (its Payload output is this object's JSON text). */
  readonly plan: unknown;
  readonly approvalStatus?: 'Approved' | 'Rejected' | 'Waiting';
  readonly decisions: readonly Decision[];
}

export class SimulatedAutomation {
  readonly executions = new Map<string, Execution>();
  /** The ids GetAutomationExecution was asked for, in order. */
  readonly reads: string[] = [];
  private seq = 0;

  /** A GUID, as StartAutomationExecution returns (fixed length 36). */
  private nextId(): string {
    const h = createHash('sha256').update(`execution-${++this.seq}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  /** An execution of a retirement document now running its act step: plan succeeded, approve ended with the decisions given. */
  atAct(o: AtActOptions): Execution {
    const execution: Execution = {
      id: this.nextId(),
      documentName: o.documentName,
      parameters: { ResourceId: [o.resourceId], AutomationAssumeRole: ['arn:aws:iam::111122223333:role/crypto-monitoring-retirement-automation-eu-west-1'] },
      status: 'InProgress',
      currentStep: 'act',
      steps: [
        { StepName: 'plan', Action: 'aws:invokeLambdaFunction', StepStatus: 'Success', Outputs: { Payload: [JSON.stringify(o.plan)], StatusCode: ['200'] } },
        { StepName: 'mayRun', Action: 'aws:branch', StepStatus: 'Success', Outputs: { 'Output.NextStep': ['approve'] } },
        {
          StepName: 'approve',
          Action: 'aws:approve',
          StepStatus: 'Success',
          Outputs: { ApprovalStatus: [o.approvalStatus ?? 'Approved'], ApproverDecisions: o.decisions.map((d) => JSON.stringify({ ...d, ApprovalDecisionTime: new Date().toISOString() })) },
        },
        { StepName: 'act', Action: 'aws:invokeLambdaFunction', StepStatus: 'InProgress' },
      ],
      truncated: false,
      started: new Date(),
    };
    this.executions.set(execution.id, execution);
    return execution;
  }

  /** The act step ends (as Automation ends it when the function returns): the execution is over. */
  finish(id: string, status: 'Success' | 'Failed' = 'Success'): void {
    const e = this.executions.get(id)!;
    e.status = status;
    e.currentStep = undefined;
    e.steps.find((s) => s.StepName === 'act')!.StepStatus = status;
  }

  operations(): Record<string, OperationHandler> {
    return {
      GetAutomationExecution: ({ AutomationExecutionId }) => {
        this.reads.push(AutomationExecutionId);
        const e = this.executions.get(AutomationExecutionId);
        if (!e) throw new SimulatedServiceError('AutomationExecutionNotFoundException', `There is no AutomationExecution with id: ${AutomationExecutionId}`);
        return {
          AutomationExecution: {
            AutomationExecutionId: e.id,
            DocumentName: e.documentName,
            DocumentVersion: '1',
            ExecutionStartTime: epochSeconds(e.started),
            AutomationExecutionStatus: e.status,
            StepExecutions: e.steps.map((s) => ({ ...s, ...(s.Outputs ? { Outputs: s.Outputs } : {}) })),
            StepExecutionsTruncated: e.truncated,
            Parameters: e.parameters,
            Mode: 'Auto',
            ExecutedBy: 'arn:aws:sts::111122223333:assumed-role/ConfigRemediation/session',
            ...(e.currentStep ? { CurrentStepName: e.currentStep, CurrentAction: 'aws:invokeLambdaFunction' } : {}),
          },
        };
      },
    };
  }
}
