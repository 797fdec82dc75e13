import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { acmPendingDnsValidationRule } from '../../lambda/acm-pending-dns-validation';
import { MalformedEventError } from '../../lambda/runtime/config-event';
import { InvalidParameterError } from '../../lambda/runtime/parameters';
import { runRule } from '../../lambda/runtime/run-rule';
import { acmOperations, certificateArn, sampleCertificate, validationRecord, type SimulatedCertificate } from '../support/simulated-acm';
import { byResource, configMock, resetConfigAndLogs, sent } from '../support/config-mock';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;

const acmMock = mockClient(ACMClient);
const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);

const event = (overrides: Record<string, unknown> = {}, params: Record<string, string> = { maxPendingHours: '24', exemptionTagKey: 'keep' }) =>
  scheduledRuleEvent('acm-pending-dns-validation-check', NOW, params, overrides);

const cert = (i: number, over: Partial<SimulatedCertificate> = {}) => sampleCertificate(i, NOW, over);

/** Routes the ACM mock to the simulated ACM's answers (the same shapes the service returns, dates as Date). */
function serve(certificates: SimulatedCertificate[]) {
  const ops = acmOperations(certificates);
  const dates = (o: any): any =>
    JSON.parse(JSON.stringify(o), (k, v) => (['CreatedAt'].includes(k) && typeof v === 'number' ? new Date(v * 1000) : v));
  acmMock.on(ListCertificatesCommand).callsFake((input) => dates(ops.ListCertificates(input)));
  acmMock.on(DescribeCertificateCommand).callsFake((input) => dates(ops.DescribeCertificate(input)));
  acmMock.on(ListTagsForCertificateCommand).callsFake((input) => ops.ListTagsForCertificate(input));
  taggingMock.on(GetResourcesCommand).callsFake((input) => ops.GetResources(input));
}

/** Runs the rule on a simulated clock, so the pacing's waits cost no real time. */
const run = async (e: unknown = event()) => (await runOnVirtualClock(() => runRule(acmPendingDnsValidationRule(new ACMClient({}), new ResourceGroupsTaggingAPIClient({})), e, { config: new ConfigServiceClient({}), now: () => NOW, retryDelayMs: 1 }), undefined, NOW.getTime())).result;
const described = () => acmMock.commandCalls(DescribeCertificateCommand).map((c) => c.args[0].input.CertificateArn).sort();

beforeEach(() => {
  acmMock.reset();
  taggingMock.reset();
  resetConfigAndLogs();
});
afterEach(() => jest.restoreAllMocks());

test('ListCertificates names every key type and every status, in pages of 1,000', async () => {
  serve(Array.from({ length: 2500 }, (_, i) => cert(i)));
  await run();
  const calls = acmMock.commandCalls(ListCertificatesCommand).map((c) => c.args[0].input);
  expect(calls).toHaveLength(3);
  expect(calls.map((c) => c.NextToken)).toEqual([undefined, '1000', '2000']);
  for (const input of calls) {
    expect(input.MaxItems).toBe(1000);
    expect([...input.Includes!.keyTypes!].sort()).toEqual(['EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1', 'RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096']);
    expect([...input.CertificateStatuses!].sort()).toEqual(['EXPIRED', 'FAILED', 'INACTIVE', 'ISSUED', 'PENDING_VALIDATION', 'REVOKED', 'VALIDATION_TIMED_OUT']);
  }
  expect(sent()).toHaveLength(2500);
});

test('DescribeCertificate only for pending and failed certificates; tags only for those that would fail', async () => {
  serve([
    cert(1),
    cert(2, { type: 'IMPORTED' }),
    cert(3, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 5 * HOUR) }),
    cert(4, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 30 * HOUR) }),
    cert(5, { status: 'FAILED', failureReason: 'CAA_ERROR' }),
    cert(6, { status: 'VALIDATION_TIMED_OUT' }),
    cert(7, { status: 'EXPIRED' }),
    cert(8, { status: 'PENDING_VALIDATION', validationMethod: 'EMAIL', created: new Date(NOW.getTime() - 30 * HOUR) }),
  ]);
  const summary = await run();
  expect(described()).toEqual([3, 4, 5, 8].map((i) => certificateArn(`cert-${i}`)).sort());
  // Exempt certificates come from one Tagging API listing, not a tag read per certificate.
  expect(taggingMock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input)).toEqual([
    { TagFilters: [{ Key: 'keep' }], ResourceTypeFilters: ['acm:certificate'], ResourcesPerPage: 100, PaginationToken: undefined },
  ]);
  expect(acmMock.commandCalls(ListTagsForCertificateCommand)).toHaveLength(0);
  const r = byResource();
  expect(r[certificateArn('cert-1')].ComplianceType).toBe('COMPLIANT');
  expect(r[certificateArn('cert-2')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(r[certificateArn('cert-3')].ComplianceType).toBe('COMPLIANT');
  expect(r[certificateArn('cert-4')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^DNS validation pending for 30 h .*create CNAME _.*svc4\.example\.com\. -> _.*acm-validations\.aws\./) });
  expect(r[certificateArn('cert-5')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('CAA_ERROR') });
  expect(r[certificateArn('cert-6')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^Validation timed out/) });
  expect(r[certificateArn('cert-7')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(r[certificateArn('cert-8')].ComplianceType).toBe('NOT_APPLICABLE');
  for (const e of sent()) expect(e.ComplianceResourceType).toBe('AWS::ACM::Certificate');
  expect(summary.compliance).toEqual({ COMPLIANT: 2, NON_COMPLIANT: 3, NOT_APPLICABLE: 3 });
});

test('the exemption tag makes a certificate NOT_APPLICABLE, failing or not, with no call for it', async () => {
  serve([
    cert(1, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 40 * HOUR), tags: { keep: '' } }),
    cert(2, { tags: { keep: 'yes' } }),
  ]);
  await run();
  expect(byResource()[certificateArn('cert-1')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt: the certificate carries the tag "keep".' });
  expect(byResource()[certificateArn('cert-2')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(described()).toEqual([]);
});

test('when the Tagging API cannot be read, tags are read per certificate for those that would fail', async () => {
  serve([
    cert(1, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 40 * HOUR), tags: { keep: '' } }),
    cert(2, { tags: { keep: 'yes' } }),
  ]);
  taggingMock.on(GetResourcesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
  await run();
  expect(byResource()[certificateArn('cert-1')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(byResource()[certificateArn('cert-2')].ComplianceType).toBe('COMPLIANT');
  expect(acmMock.commandCalls(ListTagsForCertificateCommand).map((c) => c.args[0].input.CertificateArn)).toEqual([certificateArn('cert-1')]);
  expect(console.warn).toHaveBeenCalledWith(expect.objectContaining({ resourceType: 'acm:certificate', error: expect.stringContaining('AccessDeniedException on tag:GetResources') }));
});

describe('an exemption tag with an expiry (YYYY-MM-DD first in the value) holds through that day, UTC', () => {
  // NOW is 2026-11-23; certificates 1, 2, 4 and 5 have been waiting 40 hours for DNS validation (limit 24).
  const overdue = { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 40 * HOUR) };
  const certificates = () => [
    cert(1, { ...overdue, tags: { keep: '2026-11-01 INC-7', Name: 'web' } }),
    cert(2, { ...overdue, tags: { keep: '2026-12-31' } }),
    cert(3, { tags: { keep: '2026-11-01' } }),
    cert(4, { ...overdue, tags: { keep: '2027-02-30' } }),
  ];
  const expectLapsed = (annotation: string | undefined, why: RegExp) => {
    expect(annotation).toMatch(why);
    expect(annotation).toContain('; DNS validation pending for 40 h (limit 24 h; ACM stops at 72 h): create CNAME _');
    expect(annotation!.length).toBeLessThanOrEqual(256);
  };

  test('from the Tagging API listing: a current one exempts without a description; an expired or unreadable one is judged, saying why when it fails', async () => {
    serve(certificates());
    await run();
    const r = byResource();
    expect(r[certificateArn('cert-1')].ComplianceType).toBe('NON_COMPLIANT');
    expectLapsed(r[certificateArn('cert-1')].Annotation, /^Exemption tag "keep" expired on 2026-11-01; /);
    // Room for the note comes out of the record's name: the value to paste stays whole.
    expect(r[certificateArn('cert-1')].Annotation).toMatch(new RegExp(` -> ${validationRecord('cert-1', 'svc1.example.com').Value.replace(/\./g, '\\.')}\\.$`));
    expect(r[certificateArn('cert-2')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2026-12-31 (end of day, UTC): the certificate carries the tag "keep".' });
    expect(r[certificateArn('cert-3')]).toMatchObject({ ComplianceType: 'COMPLIANT', Annotation: 'Issued: domain validation is complete.' });
    expect(r[certificateArn('cert-4')].ComplianceType).toBe('NON_COMPLIANT');
    expectLapsed(r[certificateArn('cert-4')].Annotation, /^Exemption tag "keep" not honoured: its expiry "2027-02-30" could not be read \(expected YYYY-MM-DD at the start of the value\); /);
    expect(described()).toEqual([certificateArn('cert-1'), certificateArn('cert-4')]);
    expect(acmMock.commandCalls(ListTagsForCertificateCommand)).toHaveLength(0);
  });

  test('from per-certificate tag reads when the Tagging API is denied: an expired one still fails; a tag without a Value is a permanent exemption', async () => {
    serve([...certificates(), cert(5, { ...overdue })]);
    // ACM leaves Value out of a tag created without one.
    acmMock.on(ListTagsForCertificateCommand, { CertificateArn: certificateArn('cert-5') }).resolves({ Tags: [{ Key: 'Name', Value: 'api' }, { Key: 'keep' }] });
    taggingMock.on(GetResourcesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await run();
    const r = byResource();
    expect(r[certificateArn('cert-1')].ComplianceType).toBe('NON_COMPLIANT');
    expectLapsed(r[certificateArn('cert-1')].Annotation, /^Exemption tag "keep" expired on 2026-11-01; /);
    expect(r[certificateArn('cert-2')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt until 2026-12-31 (end of day, UTC): the certificate carries the tag "keep".' });
    expect(r[certificateArn('cert-3')].ComplianceType).toBe('COMPLIANT');
    expectLapsed(r[certificateArn('cert-4')].Annotation, /^Exemption tag "keep" not honoured: its expiry "2027-02-30" could not be read/);
    expect(r[certificateArn('cert-5')]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Exempt: the certificate carries the tag "keep".' });
    // Tags are read only for the certificates that would fail.
    expect(acmMock.commandCalls(ListTagsForCertificateCommand).map((c) => c.args[0].input.CertificateArn).sort()).toEqual([1, 2, 4, 5].map((i) => certificateArn(`cert-${i}`)));
  });
});

test('a certificate that got validated stops being reported as failing', async () => {
  const pending = cert(1, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 40 * HOUR) });
  serve([pending]);
  await run();
  expect(byResource()[certificateArn('cert-1')].ComplianceType).toBe('NON_COMPLIANT');
  configMock.resetHistory();
  acmMock.resetHistory();
  serve([{ ...pending, status: 'ISSUED' }]);
  await run();
  expect(byResource()[certificateArn('cert-1')].ComplianceType).toBe('COMPLIANT');
  expect(described()).toEqual([]);
});

test('a denied DescribeCertificate fails closed for that certificate only', async () => {
  serve([cert(1), cert(2, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 40 * HOUR) })]);
  acmMock.on(DescribeCertificateCommand).rejects(Object.assign(new Error('not authorized to perform: acm:DescribeCertificate'), { name: 'AccessDeniedException' }));
  await run();
  expect(byResource()[certificateArn('cert-1')].ComplianceType).toBe('COMPLIANT');
  expect(byResource()[certificateArn('cert-2')]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/^Could not evaluate: .*AccessDeniedException on acm:DescribeCertificate/) });
});

test('a certificate deleted between listing and description is left out', async () => {
  serve([cert(1, { status: 'PENDING_VALIDATION' })]);
  acmMock.on(DescribeCertificateCommand).rejects(Object.assign(new Error('Could not find certificate'), { name: 'ResourceNotFoundException' }));
  await run();
  expect(sent()).toEqual([]);
});

test('a denied ListCertificates fails the run: nothing is sent', async () => {
  acmMock.on(ListCertificatesCommand).rejects(Object.assign(new Error('not authorized to perform: acm:ListCertificates'), { name: 'AccessDeniedException' }));
  await expect(run()).rejects.toThrow(/acm:ListCertificates/);
  expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
});

test('more than 100 results go in batches of at most 100; results of deleted certificates are withdrawn', async () => {
  serve(Array.from({ length: 150 }, (_, i) => cert(i)));
  configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({
    EvaluationResults: ['cert-3', 'cert-deleted'].map((id) => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::ACM::Certificate', ResourceId: certificateArn(id) } },
      ComplianceType: 'COMPLIANT',
    })),
  });
  const summary = await run();
  expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0].args[0].input.ComplianceTypes).toEqual(['COMPLIANT', 'NON_COMPLIANT']);
  expect(configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length)).toEqual([100, 51]);
  expect(byResource()[certificateArn('cert-deleted')].ComplianceType).toBe('NOT_APPLICABLE');
  expect(summary.withdrawn).toBe(1);
});

test.each([
  ['invokingEvent missing', { invokingEvent: undefined }, MalformedEventError],
  ['not an object', { ruleParameters: '"x"' }, MalformedEventError],
])('a malformed event (%s) is rejected before any call', async (_case, overrides, error) => {
  await expect(run(event(overrides))).rejects.toThrow(error);
  expect(acmMock.calls()).toHaveLength(0);
});

test('maxPendingHours above ACM\'s 72 hours is rejected before any call', async () => {
  await expect(run(event({}, { maxPendingHours: '96' }))).rejects.toThrow(InvalidParameterError);
  expect(acmMock.calls()).toHaveLength(0);
});
