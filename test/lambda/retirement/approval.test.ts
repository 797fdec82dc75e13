/**
 * The act step's check of its own Automation execution (lambda/retirement/approval.ts), as a table:
 * one row per way an execution can fail to approve the step, and the reason given; then the
 * approvers' decisions in every shape Systems Manager may hand them over.
 */
import { isSameApprover, readApproval, verifyExecution, type ExecutionExpectation, type ExecutionRecord, type StepRecord } from '../../../lambda/retirement/approval';

const ACCOUNT = '111122223333';
const ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const DOC = 'crypto-monitoring-retire-kms-key';
const CUSTODIAN = `arn:aws:iam::${ACCOUNT}:role/KeyCustodian`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const JDOE = `arn:aws:sts::${ACCOUNT}:assumed-role/KeyCustodian/jdoe`;
const PLAN = JSON.stringify({ mayRun: true, step: 'quarantine', resourceType: 'AWS::KMS::Key', resourceId: KEY });
const EXPECTED: ExecutionExpectation = { executionId: ID, documentName: DOC, resourceId: KEY, approverArns: [CUSTODIAN, ALICE], minApprovals: 1 };

const decision = (Approver: string, Decision = 'Approve') => JSON.stringify({ Approver, Decision, ApprovalDecisionTime: '2026-11-23T12:05:00Z', Comment: 'ok' });
const plan: StepRecord = { StepName: 'plan', Action: 'aws:invokeLambdaFunction', StepStatus: 'Success', Outputs: { Payload: [PLAN], StatusCode: ['200'] } };
const approve = (outputs: Record<string, string[]> = { ApprovalStatus: ['Approved'], ApproverDecisions: [decision(JDOE)] }, StepStatus = 'Success'): StepRecord => ({
  StepName: 'approve',
  Action: 'aws:approve',
  StepStatus,
  Outputs: outputs,
});
const act: StepRecord = { StepName: 'act', Action: 'aws:invokeLambdaFunction', StepStatus: 'InProgress' };

/** An execution of our document for KEY, approved by a custodian's session, now running its act step. */
const execution = (e: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  AutomationExecutionId: ID,
  DocumentName: DOC,
  AutomationExecutionStatus: 'InProgress',
  CurrentStepName: 'act',
  Parameters: { ResourceId: [KEY], AutomationAssumeRole: [`arn:aws:iam::${ACCOUNT}:role/crypto-monitoring-retirement-automation-eu-west-1`] },
  StepExecutions: [plan, { StepName: 'mayRun', Action: 'aws:branch', StepStatus: 'Success' }, approve(), act],
  StepExecutionsTruncated: false,
  ...e,
});

type Row = [string, ExecutionRecord | undefined, Partial<ExecutionExpectation>, RegExp | readonly string[]];

const rows: Row[] = [
  ['our document, this resource, at its act step, approved by a configured role\'s session', execution(), {}, [JDOE]],
  ['a configured IAM user by ARN and a role session: two approvers', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision(JDOE), decision(ALICE)] }), act] }), { minApprovals: 2 }, [JDOE, ALICE]],
  ['the step list truncated, but the act step current and the others listed', execution({ StepExecutionsTruncated: true, StepExecutions: [plan, approve()] }), {}, [JDOE]],
  ['Systems Manager returned nothing', undefined, {}, /returned no automation execution/],
  ['another execution than the one asked for', execution({ AutomationExecutionId: '00000000-0000-0000-0000-000000000000' }), {}, /returned execution "00000000-0000-0000-0000-000000000000" when asked for 4105a4fc/],
  ['another document', execution({ DocumentName: 'AWS-DisableKMSKey' }), {}, /runs the document "AWS-DisableKMSKey", not crypto-monitoring-retire-kms-key/],
  ['our document\'s name, shared from another account (named by ARN)', execution({ DocumentName: `arn:aws:ssm:eu-west-1:444455556666:document/${DOC}` }), {}, /runs the document "arn:aws:ssm:eu-west-1:444455556666:document\/crypto-monitoring-retire-kms-key"/],
  ['no document name', execution({ DocumentName: undefined }), {}, /runs the document null/],
  ['started for another resource', execution({ Parameters: { ResourceId: ['abcd1234-ab12-cd34-ef56-abcdef123456'] } }), {}, /was started for ResourceId \["abcd1234-ab12-cd34-ef56-abcdef123456"\], not 1234abcd/],
  ['started for two resources', execution({ Parameters: { ResourceId: [KEY, KEY] } }), {}, /was started for ResourceId \[/],
  ['no ResourceId parameter', execution({ Parameters: {} }), {}, /was started for ResourceId null/],
  ['finished: an approval acts once', execution({ AutomationExecutionStatus: 'Success', CurrentStepName: undefined, StepExecutions: [plan, approve(), { ...act, StepStatus: 'Success' }] }), {}, /is "Success", not InProgress/],
  ['failed', execution({ AutomationExecutionStatus: 'Failed' }), {}, /is "Failed", not InProgress/],
  ['still waiting for approvers', execution({ AutomationExecutionStatus: 'Waiting', CurrentStepName: 'approve' }), {}, /is "Waiting", not InProgress/],
  ['cancelling', execution({ AutomationExecutionStatus: 'Cancelling' }), {}, /is "Cancelling", not InProgress/],
  ['running, but its act step already over', execution({ StepExecutions: [plan, approve(), { ...act, StepStatus: 'Failed' }] }), {}, /is not at its act step \(its act step is "Failed"\)/],
  ['running its plan step (no act step yet)', execution({ CurrentStepName: 'plan', StepExecutions: [{ ...plan, StepStatus: 'InProgress' }] }), {}, /is not at its act step \(its current step is "plan"\)/],
  ['no approve step', execution({ StepExecutions: [plan, act] }), {}, /shows no aws:approve step named approve/],
  ['no approve step in a truncated list', execution({ StepExecutionsTruncated: true, StepExecutions: [act] }), {}, /shows no aws:approve step named approve \(Systems Manager truncated the step list\)/],
  ['a step named approve that is not aws:approve', execution({ StepExecutions: [plan, { ...approve(), Action: 'aws:sleep' }, act] }), {}, /shows no aws:approve step/],
  ['the approval timed out', execution({ StepExecutions: [plan, approve(undefined, 'TimedOut'), act] }), {}, /approval step of execution .* is "TimedOut", not Success/],
  ['rejected', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Rejected'], ApproverDecisions: [decision(JDOE, 'Reject')] }), act] }), {}, /status is "Rejected", not "Approved"/],
  ['no ApprovalStatus', execution({ StepExecutions: [plan, approve({ ApproverDecisions: [decision(JDOE)] }), act] }), {}, /gives ApprovalStatus null/],
  ['an approver who is not configured', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision(`arn:aws:iam::${ACCOUNT}:user/mallory`)] }), act] }), {}, /0 of the configured approvers approved \(none\); 1 must/],
  ['a session of a configured role name in another account', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision('arn:aws:sts::444455556666:assumed-role/KeyCustodian/jdoe')] }), act] }), {}, /0 of the configured approvers/],
  ['one approver twice is one approver', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision(ALICE), decision(ALICE)] }), act] }), { minApprovals: 2 }, /1 of the configured approvers approved \(arn:aws:iam::111122223333:user\/alice\); 2 must/],
  ['two people through one configured role are one approver', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision(JDOE), decision(`arn:aws:sts::${ACCOUNT}:assumed-role/KeyCustodian/mary`)] }), act] }), { minApprovals: 2 }, /1 of the configured approvers approved \(.*jdoe, .*mary\); 2 must/],
  ['two sessions of one role are one approver', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision(JDOE), decision(`arn:aws:sts::${ACCOUNT}:assumed-role/KeyCustodian/jdoe`)] }), act] }), { minApprovals: 2 }, /1 of the configured approvers approved .*; 2 must/],
  ['an approver who rejected does not count', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: [decision(JDOE), decision(ALICE, 'Reject')] }), act] }), { minApprovals: 2 }, /1 of the configured approvers approved/],
  ['decisions that cannot be read', execution({ StepExecutions: [plan, approve({ ApprovalStatus: ['Approved'], ApproverDecisions: ['not json'] }), act] }), {}, /decisions \(ApproverDecisions\) could not be read/],
  ['no plan step', execution({ StepExecutions: [approve(), act] }), {}, /shows no plan the approvers saw/],
  ['a plan step that failed', execution({ StepExecutions: [{ ...plan, StepStatus: 'Failed' }, approve(), act] }), {}, /shows no plan the approvers saw/],
];

test.each(rows)('%s', (_name, record, expectation, outcome) => {
  const reading = verifyExecution(record, { ...EXPECTED, ...expectation });
  if (outcome instanceof RegExp) {
    expect(reading).toEqual({ ok: false, reason: expect.stringMatching(outcome) });
  } else {
    expect(reading).toEqual({ ok: true, approval: { approvers: outcome }, planPayload: PLAN });
  }
});

describe('ApproverDecisions in every shape', () => {
  const policy = { approverArns: [CUSTODIAN, ALICE], minApprovals: 2 };
  const both = [{ Approver: JDOE, Decision: 'Approve' }, { approver: ALICE, decision: 'approved' }];
  test.each([
    ['one JSON map per entry (the StepExecution Outputs string list)', both.map((d) => JSON.stringify(d))],
    ['one JSON list in one entry', [JSON.stringify(both)]],
    ['JSON text of the list', JSON.stringify(both)],
    ['a list of maps', both],
  ])('%s', (_name, decisions) => {
    expect(readApproval('Approved', decisions, policy)).toEqual({ ok: true, approval: { approvers: [JDOE, ALICE] } });
  });

  test('a single map counts once; nothing readable counts nothing', () => {
    expect(readApproval('Approved', { Approver: ALICE, Decision: 'Approve' }, { ...policy, minApprovals: 1 })).toEqual({ ok: true, approval: { approvers: [ALICE] } });
    for (const bad of [null, 42, 'text', ['text'], [1, 2]]) expect(readApproval('Approved', bad, policy)).toMatchObject({ ok: false });
  });
});

test.each([
  [CUSTODIAN, JDOE, true],
  [`arn:aws:iam::${ACCOUNT}:role/team/KeyCustodian`, JDOE, true],
  [CUSTODIAN, `arn:aws:sts::${ACCOUNT}:assumed-role/KeyCustodianBackup/jdoe`, false],
  [CUSTODIAN, `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/KeyCustodian/jdoe`, false],
  [ALICE, ALICE, true],
  [ALICE, 'alice', true],
  [ALICE, 'bob', false],
])('isSameApprover(%s, %s) is %s', (configured, recorded, same) => {
  expect(isSameApprover(configured, recorded)).toBe(same);
});
