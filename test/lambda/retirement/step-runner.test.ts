/**
 * The step-runner against a simulated account (real SDK clients over SimulatedAws: KMS, Secrets
 * Manager, AWS Config, CloudTrail LookupEvents and Systems Manager GetAutomationExecution), on a
 * virtual clock: the whole path for a key and a secret, and every refusal: an attempt seen during
 * observation, a key re-enabled by its owner, a secret read, an exempt resource, an approval given
 * after the state changed, and an approval the caller claims rather than Systems Manager records.
 */
import { runStep, type ActDone, type Plan, type RunnerSettings, type StepEvent } from '../../../lambda/retirement/step-runner';
import { TAGS, QUARANTINE_SID } from '../../../lambda/retirement/tags';
import { SimulatedServiceError } from '../../support/simulated-aws';
import { runOnVirtualClock } from '../../support/virtual-clock';
import { ACCOUNT, SimulatedAccount, keyArn, secretArn } from './simulated-account';
import type { Decision } from './simulated-automation';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T12:00:00Z');
const at = (days: number) => T0 + days * DAY;

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const CUSTODIAN = `arn:aws:iam::${ACCOUNT}:role/KeyCustodian`;
const KEY_DOCUMENT = 'crypto-monitoring-retire-kms-key';
const SECRET_DOCUMENT = 'crypto-monitoring-retire-secret';
const SETTINGS: RunnerSettings = {
  observationDays: 30,
  kmsPendingWindowDays: 21,
  secretRecoveryWindowDays: 14,
  approverArns: [CUSTODIAN, `arn:aws:iam::${ACCOUNT}:user/alice`],
  minApprovals: 1,
  rules: {
    'AWS::KMS::Key': { ruleName: 'kms-unused-key-check', exemptionTagKey: 'crypto-monitoring:exempt', documentName: KEY_DOCUMENT },
    'AWS::SecretsManager::Secret': { ruleName: 'secretsmanager-unused-secret-check', exemptionTagKey: 'crypto-monitoring:exempt', documentName: SECRET_DOCUMENT },
  },
};
const JDOE = `arn:aws:sts::${ACCOUNT}:assumed-role/KeyCustodian/jdoe`;
const APPROVED: Decision[] = [{ Approver: JDOE, Decision: 'Approve', Comment: 'ok' }];

const KEY_UNUSED = { resourceType: 'AWS::KMS::Key', resourceId: KEY, rule: 'kms-unused-key-check', compliance: 'NON_COMPLIANT', annotation: 'Unused for 200 days: last used for Decrypt on 2026-05-07 (threshold 90 days).' };

/** Runs one invocation at simulated time `t` (the account's clock and the runner's `now`). */
/** `softDeadlineAfterMs`: the invocation's soft deadline (Services.softDeadline), this long after it starts. */
async function invoke(account: SimulatedAccount, t: number, event: StepEvent, settings = SETTINGS, softDeadlineAfterMs?: number): Promise<Plan | ActDone> {
  const { services } = account.services();
  const withDeadline = () => (softDeadlineAfterMs === undefined ? services : { ...services, softDeadline: Date.now() + softDeadlineAfterMs });
  return (await runOnVirtualClock(() => runStep(event, withDeadline(), settings, new Date(Date.now())), undefined, t)).result;
}

async function refusal(account: SimulatedAccount, t: number, event: StepEvent, settings = SETTINGS, softDeadlineAfterMs?: number): Promise<Error> {
  try {
    await invoke(account, t, event, settings, softDeadlineAfterMs);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a refusal');
}

const planKey = (account: SimulatedAccount, t: number) => invoke(account, t, { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY }) as Promise<Plan>;

interface ActOptions {
  readonly decisions?: Decision[];
  readonly approvalStatus?: 'Approved' | 'Rejected' | 'Waiting';
  readonly settings?: RunnerSettings;
  /** The execution's document and resource, when they differ from the resource acted on. */
  readonly documentName?: string;
  readonly startedFor?: string;
  readonly softDeadlineAfterMs?: number;
}

/**
 * The act step as Automation runs it: an execution of the resource's document whose plan step
 * returned `plan` and whose approval ended with the decisions given, now at its act step, invokes
 * the step-runner with the resource and its execution id; the act step ends with the function.
 */
async function actOn(account: SimulatedAccount, t: number, type: 'AWS::KMS::Key' | 'AWS::SecretsManager::Secret', id: string, plan: unknown, o: ActOptions = {}): Promise<ActDone> {
  const execution = await runOnVirtualClock(
    async () =>
      account.automation.atAct({
        documentName: o.documentName ?? (type === 'AWS::KMS::Key' ? KEY_DOCUMENT : SECRET_DOCUMENT),
        resourceId: o.startedFor ?? id,
        plan,
        decisions: o.decisions ?? APPROVED,
        ...(o.approvalStatus ? { approvalStatus: o.approvalStatus } : {}),
      }),
    undefined,
    t,
  );
  try {
    const done = (await invoke(account, t, { mode: 'act', resourceType: type, resourceId: id, executionId: execution.result.id }, o.settings, o.softDeadlineAfterMs)) as ActDone;
    account.automation.finish(execution.result.id);
    return done;
  } catch (e) {
    account.automation.finish(execution.result.id, 'Failed');
    throw e;
  }
}

const actKey = (account: SimulatedAccount, t: number, plan: Plan, o: ActOptions = {}) => actOn(account, t, 'AWS::KMS::Key', KEY, plan, o);

async function actRefusal(account: SimulatedAccount, t: number, plan: unknown, o: ActOptions = {}, id = KEY): Promise<Error> {
  try {
    await actOn(account, t, id === KEY ? 'AWS::KMS::Key' : 'AWS::SecretsManager::Secret', id, plan, o);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a refusal');
}

/** The id of the n-th execution the account ran (0: the first). */
const executionId = (account: SimulatedAccount, n = 0) => [...account.automation.executions.keys()][n];

/** An unused key, quarantined on day 0 through the runner itself. */
async function quarantinedKey(): Promise<SimulatedAccount> {
  const account = new SimulatedAccount();
  account.addKey({ keyId: KEY });
  account.result(KEY_UNUSED);
  await actKey(account, at(0), await planKey(account, at(0)));
  // The rule now sees a disabled key.
  account.result({ ...KEY_UNUSED, compliance: 'NOT_APPLICABLE', annotation: 'Key state is Disabled; only enabled keys are judged on use.' });
  return account;
}

beforeEach(() => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('KMS key: quarantine, observe, retire', () => {
  test('plan for an unused key: quarantine, with what approvers need to see', async () => {
    const account = new SimulatedAccount();
    account.addKey({ keyId: KEY });
    account.result(KEY_UNUSED);
    const plan = await planKey(account, at(0));
    expect(plan).toMatchObject({
      mayRun: true,
      step: 'quarantine',
      resourceType: 'AWS::KMS::Key',
      resourceId: KEY,
      resourceArn: keyArn(KEY),
      rule: 'kms-unused-key-check',
      ruleResult: 'NON_COMPLIANT',
      annotation: KEY_UNUSED.annotation,
    });
    expect(plan.action).toMatch(/DisableKey; EnableKey undoes it/);
    // Planning changes nothing.
    expect(account.changes).toEqual([]);
    // The Automation document branches on this value in the Payload, however Automation spaces the JSON.
    expect(JSON.stringify(plan, null, 1)).toContain('RETIREMENT_STEP_MAY_RUN');
  });

  test('act: tags with when, why, who approved and which execution, then disables', async () => {
    const account = await quarantinedKey();
    const key = account.keys.get(KEY)!;
    expect(key.state).toBe('Disabled');
    expect(account.changes).toEqual([`TagResource ${KEY} ${[TAGS.quarantinedAt, TAGS.quarantineReason, TAGS.quarantineApprovedBy, TAGS.quarantineExecution].join(',')}`, `DisableKey ${KEY}`]);
    expect(key.tags).toEqual({
      [TAGS.quarantinedAt]: '2026-11-23T12:00:00.000Z',
      // Characters Secrets Manager would refuse become spaces, for both kinds alike.
      [TAGS.quarantineReason]: 'Unused for 200 days: last used for Decrypt on 2026-05-07 threshold 90 days .',
      [TAGS.quarantineApprovedBy]: JDOE,
      // The execution Systems Manager confirmed, not a value the caller gave.
      [TAGS.quarantineExecution]: executionId(account),
    });
    expect(account.automation.reads).toEqual([executionId(account)]);
  });

  test('during observation no step may run; the refusal says until when', async () => {
    const account = await quarantinedKey();
    const e = await refusal(account, at(10), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY });
    expect(e.name).toBe('NoStepMayRun');
    expect(e.message).toMatch(/10 of 30 days\): retirement is possible from 2026-12-23T12:00:00.000Z/);
    // CloudTrail is not read before the observation is over.
    expect(account.trail.calls).toHaveLength(0);
  });

  test('after a quiet observation: retire, scheduling deletion with the configured waiting period', async () => {
    const account = await quarantinedKey();
    const plan = (await planKey(account, at(31))) as Plan;
    expect(plan).toMatchObject({ step: 'retire', ruleResult: 'NOT_APPLICABLE' });
    expect(plan.evidence).toMatch(/no attempt to use the key recorded by CloudTrail from 2026-11-23T12:00:00.000Z/);
    expect(plan.action).toMatch(/21-day waiting period; CancelKeyDeletion/);
    // The key's ARN and its id were both looked up, in its own account and Region.
    expect(account.trail.calls.map((c) => c.LookupAttributes[0].AttributeValue)).toEqual([keyArn(KEY), KEY]);
    const done = (await actKey(account, at(31), plan)) as ActDone;
    expect(done).toMatchObject({ done: true, step: 'retire', approvedBy: [JDOE] });
    expect(account.keys.get(KEY)!.tags[TAGS.retireExecution]).toBe(executionId(account, 1));
    // 21 days after the call (the simulated clock moved a little while CloudTrail was paced).
    expect(Date.parse(done.deletionDate!) - (at(31) + 21 * DAY)).toBeLessThan(10_000);
    expect(account.keys.get(KEY)).toMatchObject({ state: 'PendingDeletion' });
    expect(account.changes.slice(-2)).toEqual([`TagResource ${KEY} ${[TAGS.retiredAt, TAGS.retireApprovedBy, TAGS.retireExecution].join(',')}`, `ScheduleKeyDeletion ${KEY} 21`]);
    // Retired: nothing more to do.
    expect((await refusal(account, at(32), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY })).message).toMatch(/Already scheduled for deletion/);
  });

  test('out of time: a step never starts acting past the soft deadline, and CloudTrail read in part is no evidence', async () => {
    const fresh = new SimulatedAccount();
    fresh.addKey({ keyId: KEY });
    fresh.result(KEY_UNUSED);
    const quarantine = await planKey(fresh, at(0));
    expect((await actRefusal(fresh, at(0), quarantine, { softDeadlineAfterMs: 0 })).message).toMatch(/not acted on, too little of the invocation's time is left to act whole/);
    expect(fresh.changes).toEqual([]);
    const account = await quarantinedKey();
    const late = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY }, SETTINGS, 0);
    expect(late.message).toMatch(/The observation evidence could not be read \(.*time ran out before CloudTrail was read whole.*\): nothing is retired without it/);
  });

  test('refused: an attempt to use the disabled key during observation (DisabledException), naming caller and operation', async () => {
    const account = await quarantinedKey();
    await runOnVirtualClock(async () => account.useKey(KEY, `arn:aws:sts::${ACCOUNT}:assumed-role/BillingApp/i-0abc`), undefined, at(12));
    const e = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY });
    expect(e.message).toMatch(/1 attempt to use the key while quarantined: Decrypt \(DisabledException\) by arn:aws:sts::111122223333:assumed-role\/BillingApp\/i-0abc at 2026-12-05T12:00:00.000Z/);
    expect(account.keys.get(KEY)!.state).toBe('Disabled');
  });

  test('refused: the key re-enabled by its owner', async () => {
    const account = await quarantinedKey();
    await runOnVirtualClock(async () => account.enableKey(KEY), undefined, at(5));
    const e = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY });
    expect(e.message).toMatch(/Re-enabled after its quarantine on 2026-11-23T12:00:00.000Z/);
  });

  test('refused: re-enabled and disabled again by its owner still shows in CloudTrail (EnableKey)', async () => {
    const account = await quarantinedKey();
    await runOnVirtualClock(async () => account.enableKey(KEY), undefined, at(5));
    account.keys.get(KEY)!.state = 'Disabled';
    const e = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY });
    expect(e.message).toMatch(/EnableKey by arn:aws:iam::111122223333:role\/KeyOwner/);
  });

  test('refused at act: an attempt made while the approval waited (state changed after the plan)', async () => {
    const account = await quarantinedKey();
    const plan = await planKey(account, at(31));
    await runOnVirtualClock(async () => account.useKey(KEY, `arn:aws:iam::${ACCOUNT}:user/batch`, 'GenerateDataKey'), undefined, at(31) + 3_600_000);
    const e = await actRefusal(account, at(31) + 7_200_000, plan);
    expect(e.name).toBe('StepRefused');
    expect(e.message).toMatch(/the approved step was retire, but the resource changed since: no step may run now\. 1 attempt .*GenerateDataKey \(DisabledException\) by arn:aws:iam::111122223333:user\/batch/);
    expect(account.keys.get(KEY)!.state).toBe('Disabled');
  });

  test('refused at act: an exemption granted while the quarantine waited for approval', async () => {
    const account = new SimulatedAccount();
    account.addKey({ keyId: KEY });
    account.result(KEY_UNUSED);
    const plan = await planKey(account, at(0));
    account.keys.get(KEY)!.tags['crypto-monitoring:exempt'] = '2027-06-30 SEC-42';
    const e = await actRefusal(account, at(0) + 60_000, plan);
    expect(e.message).toMatch(/Exempt until 2027-06-30/);
    expect(account.changes).toEqual([]);
  });

  test('refused: exempt keys and AWS managed keys are never planned', async () => {
    const account = new SimulatedAccount();
    account.addKey({ keyId: KEY, tags: { 'crypto-monitoring:exempt': 'true' } });
    account.result(KEY_UNUSED);
    expect((await refusal(account, at(0), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY })).message).toMatch(/^AWS::KMS::Key .*: no step may run now\. Exempt:/);
    account.keys.get(KEY)!.tags = {};
    account.keys.get(KEY)!.manager = 'AWS';
    expect((await refusal(account, at(0), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY })).message).toMatch(/AWS managed key/);
    expect(account.changes).toEqual([]);
  });

  test('refused: the approval Systems Manager records is not enough', async () => {
    const account = new SimulatedAccount();
    account.addKey({ keyId: KEY });
    account.result(KEY_UNUSED);
    const plan = await planKey(account, at(0));
    expect((await actRefusal(account, at(0), plan, { approvalStatus: 'Rejected', decisions: [{ Approver: JDOE, Decision: 'Reject' }] })).message).toMatch(/status is "Rejected", not "Approved"/);
    expect((await actRefusal(account, at(0), plan, { decisions: [{ Approver: `arn:aws:iam::${ACCOUNT}:user/mallory`, Decision: 'Approve' }] })).message).toMatch(/0 of the configured approvers approved \(none\); 1 must/);
    expect((await actRefusal(account, at(0), plan, { settings: { ...SETTINGS, minApprovals: 2 } })).message).toMatch(/1 of the configured approvers approved .*; 2 must/);
    // The same person approving twice (two sessions of one IAM user) is one approver.
    const twice: Decision[] = [{ Approver: `arn:aws:iam::${ACCOUNT}:user/alice`, Decision: 'Approve' }, { Approver: `arn:aws:iam::${ACCOUNT}:user/alice`, Decision: 'Approve' }];
    expect((await actRefusal(account, at(0), plan, { decisions: twice, settings: { ...SETTINGS, minApprovals: 2 } })).name).toBe('StepRefused');
    expect(account.changes).toEqual([]);
    // Two configured approvers, one through a role session and one IAM user by ARN: enough for two.
    const two: Decision[] = [...APPROVED, { Approver: `arn:aws:iam::${ACCOUNT}:user/alice`, Decision: 'Approve' }];
    const done = await actKey(account, at(0), plan, { decisions: two, settings: { ...SETTINGS, minApprovals: 2 } });
    expect(done.approvedBy).toEqual([JDOE, `arn:aws:iam::${ACCOUNT}:user/alice`]);
  });

  test('refused: what is not a key id, a plan without a step, an unknown mode', async () => {
    const account = new SimulatedAccount();
    expect((await refusal(account, at(0), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: 'alias/aws/s3' })).message).toMatch(/not a resource id/);
    expect((await refusal(account, at(0), { mode: 'plan', resourceType: 'AWS::S3::Bucket', resourceId: 'b' })).message).toMatch(/Unknown resource type/);
    expect((await actRefusal(account, at(0), { mayRun: false })).message).toMatch(/the approved plan names no step/);
    expect((await refusal(account, at(0), { mode: 'delete', resourceType: 'AWS::KMS::Key', resourceId: KEY })).message).toMatch(/Unknown mode/);
  });

  test('CloudTrail is paced below its two requests a second, through many pages of other events', async () => {
    const account = await quarantinedKey();
    // 1,200 DescribeKey events on the key (the rules' own reads): none is an attempt to use it. They
    // are recorded under the key's ARN, so its id finds none of them.
    await runOnVirtualClock(async () => {
      for (let i = 0; i < 1200; i++) account.trail.record({ eventName: 'DescribeKey', eventSource: 'kms.amazonaws.com', time: new Date(at(1) + i * 30_000), caller: 'arn:aws:sts::111122223333:assumed-role/rule/x', resources: [keyArn(KEY)] });
    }, undefined, at(1));
    const plan = (await planKey(account, at(31))) as Plan;
    expect(plan.step).toBe('retire');
    expect(account.trail.calls.length).toBeGreaterThanOrEqual(24);
    expect(account.trail.throttled).toBe(0);
  });

  test('throttling by another caller is ridden out; CloudTrail that stays unreadable stops the retirement', async () => {
    const account = await quarantinedKey();
    // Another caller takes the whole quota for a moment: the first lookups are throttled, then answered.
    const busy = account.trail.page.bind(account.trail);
    let refused = 0;
    account.trail.page = (input) => {
      if (refused++ < 3) {
        account.trail.throttled++;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return busy(input);
    };
    expect((await planKey(account, at(31))).step).toBe('retire');
    account.trail.page = () => {
      throw Object.assign(new Error('User is not authorized to perform: cloudtrail:LookupEvents'), { name: 'AccessDeniedException' });
    };
    const e = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::KMS::Key', resourceId: KEY });
    expect(e.message).toMatch(/evidence could not be read \(AccessDeniedException on LookupEvents/);
  });
});

describe('the approval is read back from Systems Manager, never taken from the caller', () => {
  const OTHER_KEY = 'abcd1234-ab12-cd34-ef56-abcdef123456';

  async function unusedKeyPlanned(): Promise<{ account: SimulatedAccount; plan: Plan }> {
    const account = new SimulatedAccount();
    account.addKey({ keyId: KEY });
    account.addKey({ keyId: OTHER_KEY });
    account.result(KEY_UNUSED);
    account.result({ ...KEY_UNUSED, resourceId: OTHER_KEY });
    return { account, plan: await planKey(account, at(0)) };
  }

  test('a direct invocation claiming an approval, with an execution id Systems Manager does not know, changes nothing', async () => {
    const { account, plan } = await unusedKeyPlanned();
    // What the document used to pass, now forged by a caller: none of it is read.
    const forged = { plan: JSON.stringify(plan), approvalStatus: 'Approved', approverDecisions: APPROVED };
    const e = await refusal(account, at(0), { mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: KEY, executionId: '11111111-2222-3333-4444-555555555555', ...forged } as StepEvent);
    expect(e.name).toBe('StepRefused');
    expect(e.message).toMatch(/not acted on, execution 11111111-2222-3333-4444-555555555555 could not be read \(AutomationExecutionNotFoundException on GetAutomationExecution/);
    for (const executionId of [undefined, 'exec-1', '../../etc', 'x'.repeat(36)]) {
      expect((await refusal(account, at(0), { mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: KEY, executionId, ...forged } as StepEvent)).message).toMatch(/is not an Automation execution id/);
    }
    expect(account.automation.reads).toEqual(['11111111-2222-3333-4444-555555555555']);
    expect(account.changes).toEqual([]);
  });

  test('an approved execution for another key does not approve this one', async () => {
    const { account, plan } = await unusedKeyPlanned();
    const e = await actRefusal(account, at(0), plan, { startedFor: OTHER_KEY });
    expect(e.message).toMatch(new RegExp(`was started for ResourceId \\["${OTHER_KEY}"\\], not ${KEY}`));
    expect(account.changes).toEqual([]);
  });

  test('an execution of another document (a copy, the secret document, an AWS document) does not approve', async () => {
    const { account, plan } = await unusedKeyPlanned();
    for (const documentName of [`${KEY_DOCUMENT}-copy`, SECRET_DOCUMENT, 'AWS-DisableKMSKey', `arn:aws:ssm:eu-west-1:444455556666:document/${KEY_DOCUMENT}`]) {
      expect((await actRefusal(account, at(0), plan, { documentName })).message).toMatch(`runs the document "${documentName}", not ${KEY_DOCUMENT}`);
    }
    expect(account.changes).toEqual([]);
  });

  test('an approval acts once: a finished execution cannot be replayed', async () => {
    const { account, plan } = await unusedKeyPlanned();
    await actKey(account, at(0), plan);
    const used = executionId(account);
    expect(account.automation.executions.get(used)!.status).toBe('Success');
    account.keys.get(KEY)!.state = 'Enabled';
    delete account.keys.get(KEY)!.tags[TAGS.quarantinedAt];
    const changes = account.changes.length;
    const e = await refusal(account, at(1), { mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: KEY, executionId: used });
    expect(e.message).toMatch(new RegExp(`execution ${used} is "Success", not InProgress`));
    expect(account.changes).toHaveLength(changes);
  });

  test('an execution still waiting for its approval, or stopped before its act step, does not approve', async () => {
    const { account, plan } = await unusedKeyPlanned();
    const waiting = account.automation.atAct({ documentName: KEY_DOCUMENT, resourceId: KEY, plan, decisions: [], approvalStatus: 'Waiting' });
    waiting.status = 'Waiting';
    waiting.currentStep = 'approve';
    waiting.steps = waiting.steps.filter((st) => st.StepName !== 'act');
    waiting.steps.find((st) => st.StepName === 'approve')!.StepStatus = 'Waiting';
    const ask = (id: string) => refusal(account, at(0), { mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: KEY, executionId: id });
    expect((await ask(waiting.id)).message).toMatch(/is "Waiting", not InProgress/);
    waiting.status = 'InProgress';
    expect((await ask(waiting.id)).message).toMatch(/is not at its act step \(its current step is "approve"\)/);
    const failedApproval = account.automation.atAct({ documentName: KEY_DOCUMENT, resourceId: KEY, plan, decisions: APPROVED });
    failedApproval.steps.find((st) => st.StepName === 'approve')!.StepStatus = 'TimedOut';
    expect((await ask(failedApproval.id)).message).toMatch(/the approval step of execution .* is "TimedOut", not Success/);
    expect(account.changes).toEqual([]);
  });

  test('the plan acted on is the one the execution showed its approvers, whatever the caller passes', async () => {
    const { account, plan } = await unusedKeyPlanned();
    const execution = account.automation.atAct({ documentName: KEY_DOCUMENT, resourceId: KEY, plan, decisions: APPROVED });
    const forgedPlan = JSON.stringify({ ...plan, step: 'retire' });
    const done = (await invoke(account, at(0), { mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: KEY, executionId: execution.id, plan: forgedPlan } as StepEvent)) as ActDone;
    expect(done.step).toBe('quarantine');
    // A plan step whose Payload names another resource is refused, even in an execution for this one.
    const mismatched = account.automation.atAct({ documentName: KEY_DOCUMENT, resourceId: OTHER_KEY, plan, decisions: APPROVED });
    expect((await refusal(account, at(0), { mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: OTHER_KEY, executionId: mismatched.id })).message).toMatch(
      `the approved plan is for AWS::KMS::Key ${KEY}`,
    );
  });

  test('Systems Manager refusing the read (AccessDenied) refuses the step, with the reason', async () => {
    const { account, plan } = await unusedKeyPlanned();
    const execution = account.automation.atAct({ documentName: KEY_DOCUMENT, resourceId: KEY, plan, decisions: APPROVED });
    const { services } = account.services({
      inject: (operation) =>
        operation === 'GetAutomationExecution'
          ? new SimulatedServiceError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/crypto-monitoring-retirement-step-eu-west-1/x is not authorized to perform: ssm:GetAutomationExecution`)
          : undefined,
    });
    const attempt = runOnVirtualClock(() => runStep({ mode: 'act', resourceType: 'AWS::KMS::Key', resourceId: KEY, executionId: execution.id }, services, SETTINGS, new Date(Date.now())), undefined, at(0));
    await expect(attempt).rejects.toMatchObject({ name: 'StepRefused', message: expect.stringMatching(/could not be read \(AccessDeniedException on GetAutomationExecution: User: .* is not authorized to perform: ssm:GetAutomationExecution\)/) });
    expect(account.changes).toEqual([]);
  });
});

describe('secret: quarantine, observe, retire', () => {
  const NAME = 'prod/legacy/db';
  const ARN = secretArn(NAME);
  const SECRET_UNUSED = { resourceType: 'AWS::SecretsManager::Secret', resourceId: ARN, rule: 'secretsmanager-unused-secret-check', compliance: 'NON_COMPLIANT', annotation: 'Unused for 236 days: last accessed on 2026-04-01.' };
  const OTHER = { Sid: 'AllowAppRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/App` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
  const planSecret = (account: SimulatedAccount, t: number) => invoke(account, t, { mode: 'plan', resourceType: 'AWS::SecretsManager::Secret', resourceId: ARN }) as Promise<Plan>;
  const actSecret = (account: SimulatedAccount, t: number, plan: Plan) => actOn(account, t, 'AWS::SecretsManager::Secret', ARN, plan);

  async function quarantinedSecret(): Promise<SimulatedAccount> {
    const account = new SimulatedAccount();
    account.addSecret({ name: NAME, lastAccessed: new Date('2026-04-01T00:00:00Z'), policy: JSON.stringify({ Version: '2012-10-17', Statement: [OTHER] }) });
    account.result(SECRET_UNUSED);
    await actSecret(account, at(0), await planSecret(account, at(0)));
    return account;
  }

  test('quarantine: a Deny for GetSecretValue merged into the existing policy, tags with the recorded last read; never reads the value', async () => {
    const account = await quarantinedSecret();
    const secret = account.secrets.get(ARN)!;
    const policy = JSON.parse(secret.policy!);
    expect(policy.Statement).toEqual([OTHER, { Sid: QUARANTINE_SID, Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }]);
    expect(secret.tags).toMatchObject({ [TAGS.quarantinedAt]: '2026-11-23T12:00:00.000Z', [TAGS.lastAccessedAtQuarantine]: '2026-04-01', [TAGS.quarantineApprovedBy]: expect.stringContaining('KeyCustodian') });
    expect(account.changes).toEqual([`PutResourcePolicy ${NAME}`, `TagResource ${NAME} ${[TAGS.quarantinedAt, TAGS.quarantineReason, TAGS.quarantineApprovedBy, TAGS.quarantineExecution, TAGS.lastAccessedAtQuarantine].join(',')}`]);
    // The quarantine works: a read is refused and recorded.
    expect(account.readSecret(NAME, `arn:aws:iam::${ACCOUNT}:role/App`)).toBe('denied');
  });

  test('quarantining twice keeps one statement', async () => {
    const account = await quarantinedSecret();
    account.secrets.get(ARN)!.tags = {};
    await actSecret(account, at(1), await planSecret(account, at(1)));
    expect(JSON.parse(account.secrets.get(ARN)!.policy!).Statement.filter((s: { Sid: string }) => s.Sid === QUARANTINE_SID)).toHaveLength(1);
  });

  test('after a quiet observation: DeleteSecret with the configured recovery window', async () => {
    const account = await quarantinedSecret();
    const plan = await planSecret(account, at(30));
    expect(plan.step).toBe('retire');
    expect(account.trail.calls.map((c) => c.LookupAttributes[0].AttributeValue)).toEqual([ARN, NAME]);
    const done = (await actSecret(account, at(30), plan)) as ActDone;
    expect(done.did).toMatch(/DeleteSecret with a 14-day recovery window; RestoreSecret undoes it/);
    expect(account.changes.at(-1)).toBe(`DeleteSecret ${NAME} 14`);
  });

  test('refused: a read attempted during observation, denied by the quarantine', async () => {
    const account = await quarantinedSecret();
    await runOnVirtualClock(async () => account.readSecret(NAME, `arn:aws:iam::${ACCOUNT}:user/ci`), undefined, at(9));
    const e = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::SecretsManager::Secret', resourceId: ARN });
    expect(e.message).toMatch(/1 attempt to use the secret while quarantined: GetSecretValue \(AccessDenied\) by arn:aws:iam::111122223333:user\/ci/);
  });

  test('a refused read recorded without its resource is not found by the lookup (a documented limit: the secretReadDenied alert sees it)', async () => {
    const account = await quarantinedSecret();
    await runOnVirtualClock(async () => account.readSecret(NAME, `arn:aws:iam::${ACCOUNT}:user/ci`, { withoutResources: true }), undefined, at(9));
    const plan = await planSecret(account, at(31));
    expect(plan.step).toBe('retire');
    expect(plan.evidence).toMatch(/no attempt to use the secret recorded by CloudTrail/);
  });

  test('refused: the owner removed the quarantine statement and read the secret', async () => {
    const account = await quarantinedSecret();
    account.secrets.get(ARN)!.policy = JSON.stringify({ Version: '2012-10-17', Statement: [OTHER] });
    await runOnVirtualClock(async () => account.readSecret(NAME, `arn:aws:iam::${ACCOUNT}:role/App`), undefined, at(3));
    const e = await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::SecretsManager::Secret', resourceId: ARN });
    expect(e.message).toMatch(/no longer in the resource policy/);
    // With the statement put back, the read still shows: LastAccessedDate moved.
    account.secrets.get(ARN)!.policy = JSON.stringify({ Version: '2012-10-17', Statement: [OTHER, { Sid: QUARANTINE_SID, Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });
    expect((await refusal(account, at(31), { mode: 'plan', resourceType: 'AWS::SecretsManager::Secret', resourceId: ARN })).message).toMatch(/Read since its quarantine: LastAccessedDate is 2026-11-26/);
  });

  test('refused: an exempt secret is never quarantined', async () => {
    const account = new SimulatedAccount();
    account.addSecret({ name: NAME, tags: { 'crypto-monitoring:exempt': '' } });
    account.result(SECRET_UNUSED);
    expect((await refusal(account, at(0), { mode: 'plan', resourceType: 'AWS::SecretsManager::Secret', resourceId: ARN })).message).toMatch(/Exempt: it carries the tag "crypto-monitoring:exempt"/);
    expect(account.changes).toEqual([]);
  });

  test('a policy that would grant public access is refused by BlockPublicPolicy, and nothing is tagged', async () => {
    const account = new SimulatedAccount();
    account.addSecret({ name: NAME, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:DescribeSecret', Resource: '*' }] }) });
    account.result(SECRET_UNUSED);
    const plan = await planSecret(account, at(0));
    await expect(actSecret(account, at(0), plan)).rejects.toMatchObject({ name: 'PublicPolicyException' });
    expect(account.secrets.get(ARN)!.tags).toEqual({});
  });
});
