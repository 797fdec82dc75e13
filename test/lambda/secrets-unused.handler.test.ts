import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { ListSecretsCommand, SecretsManagerClient, type SecretListEntry } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { secretsUnusedRule } from '../../lambda/secrets-unused';
import { MalformedEventError } from '../../lambda/runtime/config-event';
import { InvalidParameterError } from '../../lambda/runtime/parameters';
import { runRule } from '../../lambda/runtime/run-rule';
import { byResource, configMock, resetConfigAndLogs, sent } from '../support/config-mock';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const TODAY = Date.UTC(2026, 10, 23);
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-AbCdEf`;

const smMock = mockClient(SecretsManagerClient);

const event = (overrides: Record<string, unknown> = {}, params: Record<string, string> = { unusedForDays: '90', exemptionTagKey: 'keep' }) =>
  scheduledRuleEvent('secretsmanager-unused-secret-check', NOW, params, overrides);

interface Secret {
  name: string;
  accessedDaysAgo?: number;
  createdDaysAgo?: number;
  deleted?: boolean;
  /** null: the tag without a Value, as ListSecrets returns a tag created without one. */
  tags?: Record<string, string | null>;
}

const entry = (s: Secret): SecretListEntry => ({
  ARN: arn(s.name),
  Name: s.name,
  CreatedDate: new Date(NOW.getTime() - (s.createdDaysAgo ?? 400) * DAY),
  ...(s.accessedDaysAgo !== undefined ? { LastAccessedDate: new Date(TODAY - s.accessedDaysAgo * DAY) } : {}),
  ...(s.deleted ? { DeletedDate: new Date(NOW.getTime() - DAY) } : {}),
  Tags: Object.entries(s.tags ?? {}).map(([Key, Value]) => (Value === null ? { Key } : { Key, Value })),
});

/** Serves `secrets` through ListSecrets, in pages of at most `MaxResults`, as the service does. */
function serve(secrets: Secret[]) {
  smMock.on(ListSecretsCommand).callsFake((input) => {
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const next = start + (input.MaxResults ?? 100);
    return { SecretList: secrets.slice(start, next).map(entry), NextToken: next < secrets.length ? String(next) : undefined };
  });
}

/** Runs the rule on a simulated clock, so the pacing's waits cost no real time. */
const run = async (e: unknown = event()) => (await runOnVirtualClock(() => runRule(secretsUnusedRule(new SecretsManagerClient({})), e, { config: new ConfigServiceClient({}), now: () => NOW, retryDelayMs: 1 }), undefined, NOW.getTime())).result;

beforeEach(() => {
  smMock.reset();
  resetConfigAndLogs();
});
afterEach(() => jest.restoreAllMocks());

test('one ListSecrets call per 100 secrets, planned deletions included, and no other Secrets Manager call', async () => {
  serve(Array.from({ length: 250 }, (_, i) => ({ name: `s${i}`, accessedDaysAgo: 1 })));
  const summary = await run();
  const listCalls = smMock.commandCalls(ListSecretsCommand);
  expect(listCalls).toHaveLength(3);
  for (const c of listCalls) expect(c.args[0].input).toMatchObject({ MaxResults: 100, IncludePlannedDeletion: true });
  expect(listCalls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, '100', '200']);
  // Every call the rule made to Secrets Manager was a ListSecrets.
  expect(smMock.calls()).toHaveLength(3);
  expect(summary.apiCalls).toEqual({ GetComplianceDetailsByConfigRule: 1, ListSecrets: 3, PutEvaluations: 3 });
});

test('every secret gets a result keyed by its ARN, on AWS::SecretsManager::Secret, with the notification time', async () => {
  serve([
    { name: 'used', accessedDaysAgo: 3 },
    { name: 'idle', accessedDaysAgo: 120 },
    { name: 'never-new', createdDaysAgo: 10 },
    { name: 'never-old', createdDaysAgo: 200 },
    { name: 'going', accessedDaysAgo: 300, deleted: true },
    { name: 'kept', accessedDaysAgo: 300, tags: { keep: 'yes' } },
  ]);
  const summary = await run();
  const r = byResource();
  expect(Object.keys(r)).toHaveLength(6);
  for (const e of sent()) {
    expect(e.ComplianceResourceType).toBe('AWS::SecretsManager::Secret');
    expect(e.OrderingTimestamp).toEqual(NOW);
  }
  expect(r[arn('used')].ComplianceType).toBe('COMPLIANT');
  expect(r[arn('idle')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^Unused for 120 days/) });
  expect(r[arn('never-new')].ComplianceType).toBe('COMPLIANT');
  expect(r[arn('never-old')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: 'Never accessed since creation 200 days ago (threshold 90 days).' });
  expect(r[arn('going')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(r[arn('kept')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(summary.compliance).toEqual({ COMPLIANT: 2, NON_COMPLIANT: 2, NOT_APPLICABLE: 2 });
});

test('an exemption tag with an expiry (YYYY-MM-DD first in the value) holds through that day, UTC', async () => {
  // NOW is 2026-11-23.
  serve([
    { name: 'until-later', accessedDaysAgo: 300, tags: { keep: '2027-03-31 SEC-1234 migration' } },
    { name: 'until-today', accessedDaysAgo: 300, tags: { keep: '2026-11-23' } },
    { name: 'expired', accessedDaysAgo: 120, tags: { team: 'payments', keep: '2026-10-01 SEC-1234' } },
    { name: 'expired-in-use', accessedDaysAgo: 3, tags: { keep: '2026-10-01' } },
    { name: 'unreadable', accessedDaysAgo: 120, tags: { keep: '2027/12/31' } },
    { name: 'no-value', accessedDaysAgo: 300, tags: { keep: null } },
  ]);
  const summary = await run();
  const r = byResource();
  expect(r[arn('until-later')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2027-03-31 (end of day, UTC): the secret carries the tag "keep".' });
  expect(r[arn('until-today')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2026-11-23 (end of day, UTC): the secret carries the tag "keep".' });
  expect(r[arn('expired')]).toMatchObject({
    ComplianceType: 'NON_COMPLIANT',
    Annotation: 'Exemption tag "keep" expired on 2026-10-01; Unused for 120 days: last accessed on 2026-07-26 (threshold 90 days).',
  });
  expect(r[arn('expired-in-use')]).toMatchObject({ ComplianceType: 'COMPLIANT', Annotation: 'Last accessed on 2026-11-20 (3 days ago; threshold 90 days).' });
  expect(r[arn('unreadable')]).toMatchObject({
    ComplianceType: 'NON_COMPLIANT',
    Annotation: 'Exemption tag "keep" not honoured: its expiry "2027/12/31" could not be read (expected YYYY-MM-DD at the start of the value); Unused for 120 days: last accessed on 2026-07-26 (threshold 90 days).',
  });
  expect(r[arn('no-value')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt: the secret carries the tag "keep".' });
  expect(summary.compliance).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 3 });
  // Still one ListSecrets call and nothing else.
  expect(smMock.calls()).toHaveLength(1);
});

test('more than 100 results go out in batches of at most 100', async () => {
  serve(Array.from({ length: 205 }, (_, i) => ({ name: `s${i}`, accessedDaysAgo: i % 2 ? 1 : 200 })));
  await run();
  const batches = configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length);
  expect(batches).toEqual([100, 100, 5]);
  expect(new Set(sent().map((e) => e.ComplianceResourceId)).size).toBe(205);
});

test('earlier failing results of secrets that vanished are withdrawn; only NON_COMPLIANT ones are read back', async () => {
  serve([{ name: 'still-here', accessedDaysAgo: 200 }]);
  configMock.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input) => ({
    EvaluationResults: [arn('still-here'), arn('force-deleted')].map((ResourceId) => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: input.ConfigRuleName, ResourceType: 'AWS::SecretsManager::Secret', ResourceId } },
      ComplianceType: 'NON_COMPLIANT',
    })),
  }));
  const summary = await run();
  const read = configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0].args[0].input;
  expect(read).toMatchObject({ ConfigRuleName: 'secretsmanager-unused-secret-check', ComplianceTypes: ['NON_COMPLIANT'], Limit: 100 });
  expect(byResource()[arn('force-deleted')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringMatching(/no longer exists/) });
  expect(byResource()[arn('still-here')].ComplianceType).toBe('NON_COMPLIANT');
  expect(summary.withdrawn).toBe(1);
});

test('a denied ListSecrets fails the run: nothing is sent and no earlier result is withdrawn', async () => {
  smMock.on(ListSecretsCommand).rejects(Object.assign(new Error('not authorized to perform: secretsmanager:ListSecrets'), { name: 'AccessDeniedException' }));
  await expect(run()).rejects.toThrow(/secretsmanager:ListSecrets/);
  expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not list resources; the pass stops here and no earlier result is withdrawn', error: expect.stringMatching(/^AccessDeniedException on secretsmanager:ListSecrets/) }));
});

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

test('a page throttled past the SDK\'s retries is listed again, and the pass completes', async () => {
  let calls = 0;
  smMock.on(ListSecretsCommand).callsFake((input) => {
    if (++calls === 2) throw throttled();
    return { SecretList: [entry({ name: `p${calls}`, accessedDaysAgo: 1 })], NextToken: input.NextToken ? undefined : 'page-2' };
  });
  const summary = await run();
  expect(summary).toMatchObject({ outcome: 'complete', resources: 2, sent: 2 });
  expect(calls).toBe(3);
});

test('a page that keeps failing stops the pass: what was decided is still sent, nothing is withdrawn', async () => {
  smMock.on(ListSecretsCommand).callsFake((input) => {
    if (input.NextToken) throw throttled();
    return { SecretList: [entry({ name: 'first', accessedDaysAgo: 1 })], NextToken: 'page-2' };
  });
  await expect(run()).rejects.toThrow('Rate exceeded');
  expect(sent().map((e) => e.ComplianceResourceId)).toEqual([expect.stringContaining(':secret:first-')]);
  expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  expect(smMock.commandCalls(ListSecretsCommand)).toHaveLength(4);
});

test('a repeated pagination token stops the run instead of looping; nothing is withdrawn', async () => {
  smMock.on(ListSecretsCommand).resolves({ SecretList: [entry({ name: 'a', accessedDaysAgo: 1 })], NextToken: 'same' });
  await expect(run()).rejects.toThrow(/Pagination token repeated/);
  expect(sent()).toHaveLength(1);
  expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
});

test('an empty account sends nothing, and still withdraws results of secrets that are gone', async () => {
  serve([]);
  configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({
    EvaluationResults: [
      {
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::SecretsManager::Secret', ResourceId: arn('gone') } },
        ComplianceType: 'NON_COMPLIANT',
      },
    ],
  });
  await run();
  expect(sent()).toEqual([expect.objectContaining({ ComplianceResourceId: arn('gone'), ComplianceType: 'NOT_APPLICABLE' })]);
});

test('test-mode invocations send with TestMode', async () => {
  serve([{ name: 'a', accessedDaysAgo: 1 }]);
  await run(event({ resultToken: 'TESTMODE' }));
  expect(configMock.commandCalls(PutEvaluationsCommand)[0].args[0].input).toMatchObject({ TestMode: true, ResultToken: 'TESTMODE' });
});

test.each([
  ['no invokingEvent', { invokingEvent: undefined }, MalformedEventError],
  ['invokingEvent not JSON', { invokingEvent: '{nope' }, MalformedEventError],
  ['unknown message type', { invokingEvent: JSON.stringify({ messageType: 'Nope' }) }, MalformedEventError],
  ['no result token', { resultToken: undefined }, MalformedEventError],
  ['ruleParameters not an object', { ruleParameters: '[1]' }, MalformedEventError],
])('a malformed event (%s) is rejected before any call', async (_case, overrides, error) => {
  await expect(run(event(overrides))).rejects.toThrow(error);
  expect(smMock.calls()).toHaveLength(0);
  expect(configMock.calls()).toHaveLength(0);
});

test('a bad parameter is rejected before any call, naming it', async () => {
  await expect(run(event({}, { unusedForDays: '0' }))).rejects.toThrow(InvalidParameterError);
  await expect(run(event({}, { unusedForDays: '0' }))).rejects.toThrow(/unusedForDays/);
  expect(smMock.calls()).toHaveLength(0);
});

test('one JSON summary line with the rule, account, counts and calls', async () => {
  serve([{ name: 'a', accessedDaysAgo: 1 }, { name: 'b', accessedDaysAgo: 200 }]);
  await run();
  expect(console.info).toHaveBeenCalledTimes(1);
  expect(console.info).toHaveBeenCalledWith(
    expect.objectContaining({
      message: 'rule evaluation finished',
      rule: 'secretsmanager-unused-secret-check',
      accountId: '111122223333',
      resources: 2,
      compliance: { COMPLIANT: 1, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 },
      apiCalls: { GetComplianceDetailsByConfigRule: 1, ListSecrets: 1, PutEvaluations: 1 },
    }),
  );
});
