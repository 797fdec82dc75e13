import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { pcaCertificateAuthorityRule } from '../../lambda/acm-pca-certificate-authority-check';
import { UnknownParameterError } from '../../lambda/runtime/parameters';
import { runRule } from '../../lambda/runtime/run-rule';
import { byResource, configMock, resetConfigAndLogs, sent } from '../support/config-mock';
import { caArn, LIST_CERTIFICATE_AUTHORITIES, LIST_TAGS, mockPrivateCa, pcaOperations, sampleCertificateAuthorities, type SimulatedCa } from '../support/simulated-acm-pca';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

const pcaMock = mockPrivateCa();
const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);

const event = (params: Record<string, string> = { expiringWithinDays: '90', exemptionTagKey: 'keep' }) =>
  scheduledRuleEvent('acm-pca-certificate-authority-check', NOW, params);

const DATE_FIELDS = ['CreatedAt', 'LastStateChangeAt', 'NotBefore', 'NotAfter', 'RestorableUntil'];

/** Routes the mocks to the simulated Private CA's answers, dates as the SDK returns them. */
function serve(cas: readonly SimulatedCa[]) {
  const ops = pcaOperations(cas);
  const dates = (o: unknown): any => JSON.parse(JSON.stringify(o), (k, v) => (DATE_FIELDS.includes(k) && typeof v === 'number' ? new Date(v * 1000) : v));
  pcaMock.on(LIST_CERTIFICATE_AUTHORITIES).callsFake((input) => dates(ops.ListCertificateAuthorities(input)));
  pcaMock.on(LIST_TAGS).callsFake((input) => ops.ListTags(input));
  taggingMock.on(GetResourcesCommand).callsFake((input) => ops.GetResources(input));
}

const run = async (e: unknown = event()) =>
  (await runOnVirtualClock(() => runRule(pcaCertificateAuthorityRule(new ACMPCAClient({}), new ResourceGroupsTaggingAPIClient({})), e, { config: new ConfigServiceClient({}), now: () => NOW, retryDelayMs: 1 }), undefined, NOW.getTime())).result;

const denied = (action: string) => Object.assign(new Error(`User is not authorized to perform: ${action}`), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

beforeEach(() => {
  pcaMock.reset();
  taggingMock.reset();
  resetConfigAndLogs();
});
afterEach(() => jest.restoreAllMocks());

test('every CA of the account, in every status, from one listing of its own CAs', async () => {
  serve(sampleCertificateAuthorities(NOW));
  const summary = await run();
  expect(pcaMock.commandCalls(LIST_CERTIFICATE_AUTHORITIES).map((c) => c.args[0].input)).toEqual([{ MaxResults: 100, NextToken: undefined, ResourceOwner: 'SELF' }]);
  // No call per CA: exempt CAs come from one Tagging API listing.
  expect(pcaMock.commandCalls(LIST_TAGS)).toHaveLength(0);
  expect(taggingMock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input.ResourceTypeFilters)).toEqual([['acm-pca:certificate-authority']]);
  const r = byResource();
  const result = (id: string) => [r[caArn(id)]?.ComplianceType, r[caArn(id)]?.Annotation];
  expect(result('root-rsa')).toEqual(['COMPLIANT', 'Active root CA (general-purpose mode); its certificate expires on 2035-02-09.']);
  expect(result('issuing-ec')).toEqual(['NON_COMPLIANT', 'CA certificate expires on 2027-01-02, in 40 days (limit 90): renew it.']);
  expect(result('short-lived')[0]).toBe('COMPLIANT');
  expect(result('root-mldsa')[0]).toBe('COMPLIANT');
  expect(result('old-issuing')).toEqual(['NON_COMPLIANT', 'Disabled since 2026-09-24 (60 days) and still billed: it cannot issue. Delete it once the certificates it issued have expired.']);
  expect(result('offline-root')[0]).toBe('COMPLIANT');
  expect(result('awaiting-cert')[1]).toMatch(/^No CA certificate installed 45 days after creation/);
  expect(result('creating')[0]).toBe('NOT_APPLICABLE');
  expect(result('failed')).toEqual(['NOT_APPLICABLE', 'Creation failed (REQUEST_TIMED_OUT): there is no CA certificate to judge. Delete it.']);
  expect(result('expired')[1]).toMatch(/^CA certificate expired on 2026-09-14: the CA cannot issue and is billed until it is deleted/);
  expect(result('deleted')).toEqual(['NOT_APPLICABLE', 'Deleted, restorable until 2026-12-13: not billed unless it is restored.']);
  // A CA shared with the account through AWS RAM is its owner's to judge.
  expect(sent().map((e) => e.ComplianceResourceId)).not.toContain(caArn('shared-root', '444455556666'));
  for (const e of sent()) expect(e.ComplianceResourceType).toBe('AWS::ACMPCA::CertificateAuthority');
  expect(summary.compliance).toEqual({ COMPLIANT: 4, NON_COMPLIANT: 4, NOT_APPLICABLE: 3 });
  expect(summary.failedClosed).toBe(0);
});

test('pages of 100 are followed to the end', async () => {
  const many = Array.from({ length: 250 }, (_, i): SimulatedCa => ({
    id: `ca-${i}`, type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', usageMode: 'GENERAL_PURPOSE', created: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 400 * DAY),
  }));
  serve(many);
  await run();
  expect(pcaMock.commandCalls(LIST_CERTIFICATE_AUTHORITIES).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-100', 'page-200']);
  expect(new Set(sent().map((e) => e.ComplianceResourceId)).size).toBe(250);
});

describe('exemptions', () => {
  const cas = (): SimulatedCa[] => {
    const all = sampleCertificateAuthorities(NOW);
    const tag = (id: string, tags: Record<string, string>) => Object.assign(all.find((c) => c.id === id)!, { tags });
    tag('old-issuing', { keep: '2027-06-30 waiting for issued certificates to expire' });
    tag('expired', { keep: '2026-11-01' });
    tag('issuing-ec', { keep: '' });
    return all;
  };

  test('from the Tagging API: a dated exemption holds until its day, an expired one says so, a tag without a value is permanent', async () => {
    serve(cas());
    await run();
    const r = byResource();
    expect(r[caArn('old-issuing')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2027-06-30 (end of day, UTC): the certificate authority carries the tag "keep".' });
    expect(r[caArn('expired')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^Exemption tag "keep" expired on 2026-11-01; CA certificate expired on 2026-09-14/) });
    expect(r[caArn('issuing-ec')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt: the certificate authority carries the tag "keep".' });
    expect(pcaMock.commandCalls(LIST_TAGS)).toHaveLength(0);
  });

  test('when the Tagging API is denied, tags are read per CA, only for those that would fail', async () => {
    serve(cas());
    taggingMock.on(GetResourcesCommand).rejects(denied('tag:GetResources'));
    await run();
    const r = byResource();
    expect(r[caArn('old-issuing')].ComplianceType).toBe('NOT_APPLICABLE');
    expect(r[caArn('issuing-ec')].ComplianceType).toBe('NOT_APPLICABLE');
    expect(pcaMock.commandCalls(LIST_TAGS).map((c) => c.args[0].input.CertificateAuthorityArn).sort()).toEqual(
      ['awaiting-cert', 'expired', 'issuing-ec', 'old-issuing'].map((id) => caArn(id)).sort(),
    );
  });

  test('a denied ListTags fails closed for that CA only', async () => {
    serve(cas());
    taggingMock.on(GetResourcesCommand).rejects(denied('tag:GetResources'));
    pcaMock.on(LIST_TAGS).rejects(denied('acm-pca:ListTags'));
    const summary = await run();
    expect(byResource()[caArn('old-issuing')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^Could not evaluate: \(AccessDeniedException on acm-pca:ListTags: /) });
    expect(byResource()[caArn('root-rsa')].ComplianceType).toBe('COMPLIANT');
    expect(summary.failedClosed).toBe(4);
  });
});

describe('failures', () => {
  test('a denied listing fails the run: nothing is sent, nothing withdrawn', async () => {
    pcaMock.on(LIST_CERTIFICATE_AUTHORITIES).rejects(denied('acm-pca:ListCertificateAuthorities'));
    taggingMock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: '' });
    await expect(run()).rejects.toThrow(/acm-pca:ListCertificateAuthorities/);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  test('a listing page throttled past the SDK retries is tried again by the runtime', async () => {
    serve(sampleCertificateAuthorities(NOW));
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 8 } });
    const ops = pcaOperations(sampleCertificateAuthorities(NOW));
    pcaMock
      .on(LIST_CERTIFICATE_AUTHORITIES)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .callsFake((input) => JSON.parse(JSON.stringify(ops.ListCertificateAuthorities(input)), (k, v) => (DATE_FIELDS.includes(k) && typeof v === 'number' ? new Date(v * 1000) : v)));
    const summary = await run();
    expect(pcaMock.commandCalls(LIST_CERTIFICATE_AUTHORITIES)).toHaveLength(3);
    expect(summary.resources).toBe(11);
    expect(summary.apiCalls.ListCertificateAuthorities).toBe(17);
  });

  test('results of CAs gone for good (past their restoration period) are withdrawn after a complete pass', async () => {
    serve(sampleCertificateAuthorities(NOW));
    const gone = caArn('purged');
    configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [{ EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'acm-pca-certificate-authority-check', ResourceType: 'AWS::ACMPCA::CertificateAuthority', ResourceId: gone } }, ComplianceType: 'NON_COMPLIANT' }],
    });
    const summary = await run();
    expect(byResource()[gone]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'The resource no longer exists; its earlier result is withdrawn.' });
    expect(summary.withdrawn).toBe(1);
  });

  test('a misspelt parameter refuses the event', async () => {
    await expect(run(event({ expiringWithinDay: '30' }))).rejects.toThrow(UnknownParameterError);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });
});
