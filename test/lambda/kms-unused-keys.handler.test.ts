import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, GetKeyLastUsageCommand, KMSClient, ListKeysCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { kmsUnusedKeyRule } from '../../lambda/kms-unused-keys';
import { MalformedEventError } from '../../lambda/runtime/config-event';
import { InvalidParameterError } from '../../lambda/runtime/parameters';
import { EvaluationsNotDeliveredError, runRule } from '../../lambda/runtime/run-rule';
import { byResource, configMock, resetConfigAndLogs, sent, type QuietLogs } from '../support/config-mock';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);

const kmsMock = mockClient(KMSClient);
const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);

interface Key {
  id: string;
  manager?: 'AWS' | 'CUSTOMER';
  state?: string;
  lastUsedDaysAgo?: number;
  tags?: Record<string, string>;
}

const event = (overrides: Record<string, unknown> = {}, params: Record<string, string> = { unusedForDays: '90', exemptionTagKey: 'exempt' }) =>
  scheduledRuleEvent('kms-unused-key-check', NOW, params, overrides);

/** Serves `keys` through the KMS mock, ListKeys in pages of `pageSize`. */
function serve(keys: Key[], pageSize = 1000) {
  kmsMock.on(ListKeysCommand).callsFake((input) => {
    const start = input.Marker ? Number(input.Marker) : 0;
    const next = start + Math.min(pageSize, input.Limit ?? 100);
    return {
      Keys: keys.slice(start, next).map((k) => ({ KeyId: k.id, KeyArn: `arn:aws:kms:eu-west-1:111122223333:key/${k.id}` })),
      Truncated: next < keys.length,
      NextMarker: next < keys.length ? String(next) : undefined,
    };
  });
  const byId = new Map(keys.map((k) => [k.id, k]));
  kmsMock.on(DescribeKeyCommand).callsFake(({ KeyId }) => {
    const k = byId.get(KeyId)!;
    return { KeyMetadata: { KeyId, KeyManager: k.manager ?? 'CUSTOMER', KeyState: k.state ?? 'Enabled', CreationDate: ago(400) } };
  });
  kmsMock.on(GetKeyLastUsageCommand).callsFake(({ KeyId }) => {
    const k = byId.get(KeyId)!;
    return {
      KeyId,
      TrackingStartDate: ago(210),
      KeyCreationDate: ago(400),
      ...(k.lastUsedDaysAgo !== undefined ? { KeyLastUsage: { Operation: 'Decrypt', Timestamp: ago(k.lastUsedDaysAgo) } } : {}),
    };
  });
  // The Tagging API lists tagged keys by ARN, in pages of `pageSize`.
  const arn = (id: string) => `arn:aws:kms:eu-west-1:111122223333:key/${id}`;
  taggingMock.on(GetResourcesCommand).callsFake(({ TagFilters, PaginationToken }) => {
    const tagged = keys.filter((k) => k.tags?.[TagFilters[0].Key] !== undefined);
    const start = PaginationToken ? Number(PaginationToken) : 0;
    const next = start + Math.min(pageSize, 100);
    return {
      ResourceTagMappingList: tagged.slice(start, next).map((k) => ({ ResourceARN: arn(k.id), Tags: Object.entries(k.tags!).map(([Key, Value]) => ({ Key, Value })) })),
      PaginationToken: next < tagged.length ? String(next) : '',
    };
  });
  kmsMock.on(ListResourceTagsCommand).callsFake(({ KeyId }) => ({
    Tags: Object.entries(byId.get(KeyId)!.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    Truncated: false,
  }));
}

/** Runs the rule on a simulated clock, so the pacing's waits cost no real time. */
const run = async (e: unknown = event()) => (await runOnVirtualClock(() => runRule(kmsUnusedKeyRule(new KMSClient({}), new ResourceGroupsTaggingAPIClient({})), e, { config: new ConfigServiceClient({}), now: () => NOW, retryDelayMs: 1 }), undefined, NOW.getTime())).result;


let logs: QuietLogs;

beforeEach(() => {
  kmsMock.reset();
  taggingMock.reset();
  logs = resetConfigAndLogs();
});

afterEach(() => jest.restoreAllMocks());

test('evaluates customer keys, marks AWS-managed ones out of scope, and reports states, use and exemptions', async () => {
  serve([
    { id: 'used', lastUsedDaysAgo: 3 },
    { id: 'unused', lastUsedDaysAgo: 120 },
    { id: 'unused-exempt', lastUsedDaysAgo: 120, tags: { exempt: 'yes' } },
    { id: 'aws-managed', manager: 'AWS', lastUsedDaysAgo: 500 },
    { id: 'disabled', state: 'Disabled' },
    { id: 'pending-deletion', state: 'PendingDeletion' },
    { id: 'never-recorded' },
  ]);
  const summary = await run();
  const r = byResource();
  expect(Object.keys(r).sort()).toEqual(['aws-managed', 'disabled', 'never-recorded', 'pending-deletion', 'unused', 'unused-exempt', 'used']);
  // Reported rather than skipped, so an earlier result (a failed read, say) never outlives the key's true status.
  expect(r['aws-managed']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'AWS managed key: its use is not judged.' });
  expect(r.used).toMatchObject({ ComplianceType: 'COMPLIANT', ComplianceResourceType: 'AWS::KMS::Key', OrderingTimestamp: NOW });
  expect(r.unused).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('Unused for 120 days') });
  expect(r['unused-exempt']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('"exempt"') });
  expect(r.disabled).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('Disabled') });
  expect(r['pending-deletion']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('PendingDeletion') });
  expect(r['never-recorded']).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('No recorded use since tracking began') });
  // Usage only for enabled customer keys that are not exempt; exemption from one Tagging API listing.
  expect(kmsMock.commandCalls(GetKeyLastUsageCommand).map((c) => c.args[0].input.KeyId).sort()).toEqual(['never-recorded', 'unused', 'used']);
  expect(taggingMock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input)).toEqual([
    { TagFilters: [{ Key: 'exempt' }], ResourceTypeFilters: ['kms:key'], ResourcesPerPage: 100, PaginationToken: undefined },
  ]);
  expect(kmsMock.commandCalls(ListResourceTagsCommand)).toHaveLength(0);
  expect(summary.compliance).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 4 });
});

test('without an exemption tag key no tags are read', async () => {
  serve([{ id: 'unused', lastUsedDaysAgo: 120, tags: { exempt: 'yes' } }]);
  await run(event({}, { unusedForDays: '90' }));
  expect(kmsMock.commandCalls(ListResourceTagsCommand)).toHaveLength(0);
  expect(taggingMock.commandCalls(GetResourcesCommand)).toHaveLength(0);
  expect(byResource().unused.ComplianceType).toBe('NON_COMPLIANT');
});

test('an exempt key is NOT_APPLICABLE whatever its use, with no per-key call', async () => {
  serve([
    { id: 'used-exempt', lastUsedDaysAgo: 1, tags: { exempt: '' } },
    { id: 'disabled-exempt', state: 'Disabled', tags: { exempt: 'yes' } },
    { id: 'used', lastUsedDaysAgo: 1, tags: { team: 'a' } },
  ]);
  await run();
  const r = byResource();
  expect(r['used-exempt']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt: the key carries the tag "exempt".' });
  expect(r['disabled-exempt'].ComplianceType).toBe('NOT_APPLICABLE');
  expect(r.used.ComplianceType).toBe('COMPLIANT');
  expect(kmsMock.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual(['used']);
});

test('exempt keys are listed across Tagging API pages', async () => {
  const keys = Array.from({ length: 250 }, (_, i) => ({ id: `k${i}`, lastUsedDaysAgo: 200, tags: i % 2 ? { exempt: 'y' } : undefined }));
  serve(keys, 40);
  const summary = await run();
  expect(taggingMock.commandCalls(GetResourcesCommand)).toHaveLength(4); // 125 exempt keys, 40 a page
  expect(summary.compliance).toEqual({ COMPLIANT: 0, NON_COMPLIANT: 125, NOT_APPLICABLE: 125 });
});

test('when the Tagging API cannot be read, tags are read per key for the keys that would fail', async () => {
  serve([
    { id: 'used-exempt', lastUsedDaysAgo: 1, tags: { exempt: 'y' } },
    { id: 'unused-exempt', lastUsedDaysAgo: 200, tags: { exempt: 'y' } },
    { id: 'unused', lastUsedDaysAgo: 200 },
  ]);
  taggingMock.on(GetResourcesCommand).rejects(Object.assign(new Error('not authorized to perform: tag:GetResources'), { name: 'AccessDeniedException' }));
  await run();
  const r = byResource();
  expect(r['unused-exempt'].ComplianceType).toBe('NOT_APPLICABLE');
  expect(r.unused.ComplianceType).toBe('NON_COMPLIANT');
  // An exempt key that is in use cannot be told apart without a tag read per key; it is reported on its use.
  expect(r['used-exempt'].ComplianceType).toBe('COMPLIANT');
  expect(kmsMock.commandCalls(ListResourceTagsCommand).map((c) => c.args[0].input.KeyId).sort()).toEqual(['unused', 'unused-exempt']);
  expect(logs.warn).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('could not list exempt resources'), resourceType: 'kms:key', error: expect.stringContaining('AccessDeniedException on tag:GetResources') }));
});

describe('an exemption tag with an expiry (YYYY-MM-DD first in the value) holds through that day, UTC', () => {
  // NOW is 2026-11-23.
  const keys: Key[] = [
    { id: 'until-later', lastUsedDaysAgo: 120, tags: { exempt: '2027-03-31 SEC-1234 migration' } },
    { id: 'until-today', lastUsedDaysAgo: 120, tags: { exempt: '2026-11-23' } },
    { id: 'expired', lastUsedDaysAgo: 120, tags: { exempt: '2026-10-01 SEC-1234', team: 'payments' } },
    { id: 'expired-in-use', lastUsedDaysAgo: 3, tags: { exempt: '2026-10-01' } },
    { id: 'unreadable', lastUsedDaysAgo: 120, tags: { exempt: '31/12/2027' } },
    { id: 'permanent', lastUsedDaysAgo: 120, tags: { exempt: '' } },
  ];
  const expiredAnnotation = 'Exemption tag "exempt" expired on 2026-10-01; Unused for 120 days: last used for Decrypt on 2026-07-26 (threshold 90 days).';
  const unreadableAnnotation =
    'Exemption tag "exempt" not honoured: its expiry "31/12/2027" could not be read (expected YYYY-MM-DD at the start of the value); Unused for 120 days: last used for Decrypt on 2026-07-26 (threshold 90 days).';

  test('from the Tagging API listing: a current one exempts with no per-key call; an expired or unreadable one is judged as any key, saying why when it fails', async () => {
    serve(keys);
    const summary = await run();
    const r = byResource();
    expect(r['until-later']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2027-03-31 (end of day, UTC): the key carries the tag "exempt".' });
    expect(r['until-today']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2026-11-23 (end of day, UTC): the key carries the tag "exempt".' });
    expect(r.expired).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expiredAnnotation });
    expect(r['expired-in-use']).toMatchObject({ ComplianceType: 'COMPLIANT', Annotation: 'Last used for Decrypt on 2026-11-20 (3 days ago; threshold 90 days).' });
    expect(r.unreadable).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: unreadableAnnotation });
    expect(r.permanent).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt: the key carries the tag "exempt".' });
    expect(kmsMock.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId).sort()).toEqual(['expired', 'expired-in-use', 'unreadable']);
    expect(kmsMock.commandCalls(ListResourceTagsCommand)).toHaveLength(0);
    expect(summary.compliance).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 3 });
  });

  test('from per-key tag reads when the Tagging API is denied: read only for failing keys, and an expired one still fails', async () => {
    serve(keys);
    taggingMock.on(GetResourcesCommand).rejects(Object.assign(new Error('not authorized to perform: tag:GetResources'), { name: 'AccessDeniedException' }));
    await run();
    const r = byResource();
    expect(r['until-later']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2027-03-31 (end of day, UTC): the key carries the tag "exempt".' });
    expect(r['until-today'].ComplianceType).toBe('NOT_APPLICABLE');
    expect(r.expired).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expiredAnnotation });
    expect(r['expired-in-use']).toMatchObject({ ComplianceType: 'COMPLIANT', Annotation: 'Last used for Decrypt on 2026-11-20 (3 days ago; threshold 90 days).' });
    expect(r.unreadable).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: unreadableAnnotation });
    expect(r.permanent.ComplianceType).toBe('NOT_APPLICABLE');
    // The key in use needs no tag read, expired exemption or not.
    expect(kmsMock.commandCalls(ListResourceTagsCommand).map((c) => c.args[0].input.KeyId).sort()).toEqual(['expired', 'permanent', 'unreadable', 'until-later', 'until-today']);
  });

  test('a key with an expired exemption that cannot be evaluated fails closed as any other, and is counted so', async () => {
    serve([{ id: 'expired-unreadable', tags: { exempt: '2026-10-01' } }]);
    kmsMock.on(DescribeKeyCommand).resolves({});
    const summary = await run();
    expect(byResource()['expired-unreadable']).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: 'Could not evaluate: DescribeKey returned no key metadata.' });
    expect(summary.failedClosed).toBe(1);
  });
});

test('the threshold comes from the rule parameters', async () => {
  serve([{ id: 'k', lastUsedDaysAgo: 10 }]);
  await run(event({}, { unusedForDays: '7' }));
  expect(byResource().k.ComplianceType).toBe('NON_COMPLIANT');
});

test('pages through ListKeys and sends more than 100 results in batches of at most 100', async () => {
  const keys = Array.from({ length: 250 }, (_, i) => ({ id: `k${String(i).padStart(3, '0')}`, lastUsedDaysAgo: i % 2 ? 5 : 150 }));
  serve(keys, 40);
  const summary = await run();
  expect(kmsMock.commandCalls(ListKeysCommand)).toHaveLength(7);
  const batches = configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length);
  expect(batches).toEqual([100, 100, 50]);
  expect(new Set(sent().map((e) => e.ComplianceResourceId)).size).toBe(250);
  expect(summary.compliance).toEqual({ COMPLIANT: 125, NON_COMPLIANT: 125, NOT_APPLICABLE: 0 });
  expect(summary.apiCalls).toMatchObject({ ListKeys: 7, DescribeKey: 250, GetKeyLastUsage: 250, PutEvaluations: 3 });
});

test('a key whose policy denies GetKeyLastUsage fails closed; the others are still evaluated', async () => {
  serve([
    { id: 'good', lastUsedDaysAgo: 1 },
    { id: 'denied', lastUsedDaysAgo: 1 },
    { id: 'also-good', lastUsedDaysAgo: 200 },
  ]);
  kmsMock.on(GetKeyLastUsageCommand, { KeyId: 'denied' }).rejects(
    Object.assign(new Error('User: arn:aws:sts::111122223333:assumed-role/x is not authorized to perform: kms:GetKeyLastUsage'), { name: 'AccessDeniedException' }),
  );
  await run();
  const r = byResource();
  expect(r.good.ComplianceType).toBe('COMPLIANT');
  expect(r['also-good'].ComplianceType).toBe('NON_COMPLIANT');
  expect(r.denied.ComplianceType).toBe('NON_COMPLIANT');
  expect(r.denied.Annotation).toMatch(/^Could not evaluate: kms:GetKeyLastUsage is denied; allow it to this rule's role in the key policy \(AccessDeniedException on kms:GetKeyLastUsage/);
  expect(r.denied.Annotation!.length).toBeLessThanOrEqual(256);
  expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not evaluate resource', resourceId: 'denied', error: expect.stringContaining('AccessDeniedException') }));
});

test('any other failure on one key fails that key closed; a key deleted since listing is dropped', async () => {
  serve([
    { id: 'good', lastUsedDaysAgo: 1 },
    { id: 'broken' },
    { id: 'gone' },
  ]);
  kmsMock.on(DescribeKeyCommand, { KeyId: 'broken' }).rejects(Object.assign(new Error('internal'), { name: 'KMSInternalException' }));
  kmsMock.on(DescribeKeyCommand, { KeyId: 'gone' }).rejects(Object.assign(new Error('Key does not exist'), { name: 'NotFoundException' }));
  await run();
  const r = byResource();
  expect(Object.keys(r).sort()).toEqual(['broken', 'good']);
  expect(r.broken).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: 'Could not evaluate: (KMSInternalException on kms:DescribeKey: internal)' });
});

test('when the key list itself cannot be read nothing is sent and nothing is withdrawn', async () => {
  kmsMock.on(ListKeysCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
  await expect(run()).rejects.toThrow('denied');
  expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not list resources; the pass stops here and no earlier result is withdrawn' }));
});

describe('stale results', () => {
  test('keys this rule reported before that no longer exist become NOT_APPLICABLE', async () => {
    serve([{ id: 'still-here', lastUsedDaysAgo: 1 }]);
    const q = (ResourceId: string, ResourceType = 'AWS::KMS::Key') => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'kms-unused-key-check', ResourceType, ResourceId } },
    });
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({ EvaluationResults: [q('still-here'), q('deleted-key')], NextToken: 'page2' })
      .resolvesOnce({ EvaluationResults: [q('another-deleted-key'), q('111122223333', 'AWS::::Account')] });
    const summary = await run();
    const r = byResource();
    expect(r['deleted-key']).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('no longer exists') });
    expect(r['another-deleted-key'].ComplianceType).toBe('NOT_APPLICABLE');
    expect(r['still-here'].ComplianceType).toBe('COMPLIANT');
    expect(r['111122223333']).toBeUndefined();
    expect(summary.withdrawn).toBe(2);
    const reads = configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand).map((c) => c.args[0].input);
    expect(reads[0]).toMatchObject({ ConfigRuleName: 'kms-unused-key-check', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100 });
    expect(reads[1].NextToken).toBe('page2');
  });

  test('if earlier results cannot be read, this run is still delivered and the log says so', async () => {
    serve([{ id: 'k', lastUsedDaysAgo: 1 }]);
    configMock.on(GetComplianceDetailsByConfigRuleCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await run();
    expect(byResource().k.ComplianceType).toBe('COMPLIANT');
    expect(logs.warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'could not read earlier results; stale results were not withdrawn' }));
  });
});

describe('PutEvaluations', () => {
  test('entries reported in FailedEvaluations are sent again', async () => {
    serve([
      { id: 'a', lastUsedDaysAgo: 1 },
      { id: 'b', lastUsedDaysAgo: 1 },
    ]);
    configMock
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [{ ComplianceResourceType: 'AWS::KMS::Key', ComplianceResourceId: 'b', ComplianceType: 'COMPLIANT', OrderingTimestamp: NOW }] })
      .resolves({ FailedEvaluations: [] });
    const summary = await run();
    const calls = configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.map((e) => e.ComplianceResourceId));
    expect(calls).toEqual([['a', 'b'], ['b']]);
    expect(summary.unsent).toBe(0);
  });

  test('entries AWS Config keeps rejecting make the run fail loudly after everything else was sent', async () => {
    serve([
      { id: 'a', lastUsedDaysAgo: 1 },
      { id: 'b', lastUsedDaysAgo: 1 },
    ]);
    configMock.on(PutEvaluationsCommand).callsFake(({ Evaluations }) => ({ FailedEvaluations: Evaluations.filter((e: any) => e.ComplianceResourceId === 'b') }));
    await expect(run()).rejects.toThrow(EvaluationsNotDeliveredError);
    // The batch, then four rounds of sending the rejected entry again.
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(5);
    expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'rule evaluation finished', outcome: 'incomplete', sent: 1, unsent: 1 }));
  });

  test('a TESTMODE result token sends with TestMode', async () => {
    serve([{ id: 'a', lastUsedDaysAgo: 1 }]);
    const summary = await run(event({ resultToken: 'TESTMODE' }));
    expect(configMock.commandCalls(PutEvaluationsCommand)[0].args[0].input).toMatchObject({ ResultToken: 'TESTMODE', TestMode: true });
    expect(summary.testMode).toBe(true);
  });

  test('INSUFFICIENT_DATA is never sent and annotations stay within 256 characters', async () => {
    serve(Array.from({ length: 30 }, (_, i) => ({ id: `k${i}`, state: i % 3 ? 'Enabled' : 'Unavailable', lastUsedDaysAgo: i * 10 })));
    await run();
    for (const e of sent()) {
      expect(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']).toContain(e.ComplianceType);
      expect(e.Annotation!.length).toBeLessThanOrEqual(256);
    }
  });
});

test('one structured summary line per run with counts, calls and duration', async () => {
  serve([
    { id: 'a', lastUsedDaysAgo: 1 },
    { id: 'b', lastUsedDaysAgo: 100 },
  ]);
  await run();
  const summaries = logs.info.mock.calls.filter(([o]) => o.message === 'rule evaluation finished');
  expect(summaries).toHaveLength(1);
  expect(summaries[0][0]).toMatchObject({
    rule: 'kms-unused-key-check',
    configRuleName: 'kms-unused-key-check',
    accountId: '111122223333',
    resources: 2,
    compliance: { COMPLIANT: 1, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 },
    withdrawn: 0,
    unsent: 0,
    sent: 2,
    outcome: 'complete',
    apiCalls: { DescribeKey: 2, GetComplianceDetailsByConfigRule: 1, GetKeyLastUsage: 2, GetResources: 1, ListKeys: 1, PutEvaluations: 1 },
    durationMs: expect.any(Number),
  });
});

describe('malformed events are rejected before any AWS call', () => {
  test.each<[string, unknown, RegExp | string]>([
    ['not an object', 'hello', 'the event is not an object'],
    ['invokingEvent missing', { ...event(), invokingEvent: undefined }, 'invokingEvent must be a JSON string'],
    ['invokingEvent not JSON', { ...event(), invokingEvent: '{oops' }, /invokingEvent is not valid JSON/],
    ['invokingEvent a JSON array', { ...event(), invokingEvent: '[]' }, 'invokingEvent must encode a JSON object'],
    ['unknown messageType', { ...event(), invokingEvent: JSON.stringify({ messageType: 'Bogus' }) }, 'invokingEvent.messageType "Bogus" is not accepted: this rule is periodic'],
    ['bad notification time', { ...event(), invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: 'yesterday' }) }, 'notificationCreationTime "yesterday" is not allowed'],
    ['ruleParameters not JSON', { ...event(), ruleParameters: 'x=1' }, /ruleParameters is not valid JSON/],
    ['ruleParameters with an object value', { ...event(), ruleParameters: JSON.stringify({ unusedForDays: { n: 1 } }) }, 'ruleParameters.unusedForDays must be a string'],
    ['no resultToken', { ...event(), resultToken: undefined }, 'resultToken is missing or not a string'],
    ['no configRuleName', { ...event(), configRuleName: '' }, 'configRuleName is missing or not a string'],
  ])('%s', async (_name, bad, message) => {
    serve([{ id: 'a', lastUsedDaysAgo: 1 }]);
    const attempt = run(bad);
    await expect(attempt).rejects.toThrow(MalformedEventError);
    await expect(run(bad)).rejects.toThrow(message);
    expect(kmsMock.calls()).toHaveLength(0);
    expect(configMock.calls()).toHaveLength(0);
  });

  test('an invalid parameter is rejected naming it', async () => {
    await expect(run(event({}, { unusedForDays: '0' }))).rejects.toThrow(InvalidParameterError);
    expect(kmsMock.calls()).toHaveLength(0);
    expect(logs.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'rejected invocation; nothing was evaluated or sent', error: expect.stringContaining('unusedForDays="0"') }));
  });

  test('missing ruleParameters fall back to the defaults', async () => {
    serve([{ id: 'a', lastUsedDaysAgo: 100 }]);
    await run({ ...event(), ruleParameters: undefined });
    expect(byResource().a.ComplianceType).toBe('NON_COMPLIANT');
  });
});

describe('facts that are missing or change under the run fail closed, never pass', () => {
  const one = () => serve([{ id: 'k', lastUsedDaysAgo: 3 }]);

  test.each([
    ['DescribeKey without KeyMetadata', () => kmsMock.on(DescribeKeyCommand).resolves({}), 'Could not evaluate: DescribeKey returned no key metadata.'],
    [
      'DescribeKey without KeyManager',
      () => kmsMock.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', KeyState: 'Enabled', CreationDate: ago(400) } }),
      'Could not evaluate: DescribeKey returned the key manager null, so whether the key is in scope is unknown.',
    ],
    [
      'DescribeKey without KeyState',
      () => kmsMock.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER', CreationDate: ago(400) } }),
      'Could not evaluate: DescribeKey returned no key state.',
    ],
    [
      'an unknown KeyState',
      () => kmsMock.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER', KeyState: 'Hibernating' as never, CreationDate: ago(400) } }),
      'Could not evaluate: DescribeKey returned the unknown key state "Hibernating".',
    ],
    [
      'GetKeyLastUsage without TrackingStartDate (an old key is not "never used since creation")',
      () => kmsMock.on(GetKeyLastUsageCommand).resolves({ KeyId: 'k', KeyCreationDate: ago(400) }),
      'Could not evaluate: GetKeyLastUsage returned no TrackingStartDate, so how long use has been recorded is unknown.',
    ],
  ])('%s', async (_name, override, annotation) => {
    one();
    override();
    await run();
    expect(byResource().k).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: annotation });
  });

  test('a key disabled between DescribeKey and GetKeyLastUsage is described again and judged by its new state', async () => {
    one();
    kmsMock
      .on(DescribeKeyCommand)
      .resolvesOnce({ KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER', KeyState: 'Enabled', CreationDate: ago(400) } })
      .resolves({ KeyMetadata: { KeyId: 'k', KeyManager: 'CUSTOMER', KeyState: 'Disabled', CreationDate: ago(400) } });
    kmsMock.on(GetKeyLastUsageCommand).rejects(Object.assign(new Error('arn:aws:kms:eu-west-1:111122223333:key/k is disabled.'), { name: 'KMSInvalidStateException' }));
    await run();
    expect(byResource().k).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Key state is Disabled; only enabled keys are judged on use.' });
    expect(kmsMock.commandCalls(DescribeKeyCommand)).toHaveLength(2);
  });

  test('a key that still looks enabled after such an error fails closed, naming the error', async () => {
    one();
    kmsMock.on(GetKeyLastUsageCommand).rejects(Object.assign(new Error('key is pending import'), { name: 'KMSInvalidStateException' }));
    await run();
    expect(byResource().k).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('KMSInvalidStateException on kms:GetKeyLastUsage') });
  });

  test('a key whose DescribeKey says it is gone is not reported (and its earlier result is withdrawn as vanished)', async () => {
    one();
    kmsMock.on(DescribeKeyCommand).rejects(Object.assign(new Error('Key does not exist'), { name: 'NotFoundException' }));
    configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [{ EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'kms-unused-key-check', ResourceType: 'AWS::KMS::Key', ResourceId: 'k' } }, ComplianceType: 'NON_COMPLIANT' }],
    });
    await run();
    expect(byResource().k).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'The resource no longer exists; its earlier result is withdrawn.' });
  });
});

describe('strict parameters', () => {
  test.each([
    [{ unusedForDay: '30' }, 'Unknown rule parameter(s) "unusedForDay": this rule takes exemptionTagKey, inventoryBucket, inventoryBucketOwner, inventoryRegion, kmsKeyMonthlyUsd, kmsKeyRotationMonthlyUsd, priceDate, requestsPerSecond, unusedForDays'],
    [{ unusedForDays: '0x1E' }, 'Invalid rule parameter unusedForDays="0x1E"'],
    [{ unusedForDays: '3e1' }, 'Invalid rule parameter unusedForDays="3e1"'],
    [{ requestsPerSecond: '0' }, 'Invalid rule parameter requestsPerSecond="0"'],
  ])('%j is refused before any AWS call', async (params, message) => {
    await expect(run(event({}, params as Record<string, string>))).rejects.toThrow(message);
    expect(kmsMock.calls()).toHaveLength(0);
    expect(configMock.calls()).toHaveLength(0);
  });

  test('a configuration change notification does not start a sweep', async () => {
    const e = event({ invokingEvent: JSON.stringify({ messageType: 'ConfigurationItemChangeNotification', notificationCreationTime: NOW.toISOString(), configurationItem: {} }) });
    await expect(run(e)).rejects.toThrow(MalformedEventError);
    expect(kmsMock.calls()).toHaveLength(0);
  });
});
