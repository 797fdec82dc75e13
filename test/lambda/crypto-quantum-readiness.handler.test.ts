import { ACMClient, ListCertificatesCommand, ListTagsForCertificateCommand, type CertificateSummary } from '@aws-sdk/client-acm';
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, KMSClient, ListKeysCommand, ListResourceTagsCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { runQuantumReadiness, type QuantumClients } from '../../lambda/crypto-quantum-readiness-check';
import { UnknownParameterError, InvalidParameterError } from '../../lambda/runtime/parameters';
import type { RunSummary } from '../../lambda/runtime/run-rule';
import { byResource, configMock, resetConfigAndLogs, sent } from '../support/config-mock';
import { caArn, LIST_CERTIFICATE_AUTHORITIES, LIST_TAGS, mockPrivateCa, pcaOperations, sampleCertificateAuthorities, type SimulatedCa } from '../support/simulated-acm-pca';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';
import { runAsyncInvocations } from '../support/virtual-lambda';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const ACCOUNT = '111122223333';
const keyArn = (id: string) => `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id}`;
const certArn = (id: string) => `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/${id}`;

const kmsMock = mockClient(KMSClient);
const acmMock = mockClient(ACMClient);
const pcaMock = mockPrivateCa();
const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);

interface Key {
  readonly id: string;
  readonly meta?: Partial<KeyMetadata>;
  readonly tags?: Record<string, string>;
  /** DescribeKey answers with this error. */
  readonly error?: string;
}

/** Keys as DescribeKey describes them: AWS managed and customer keys of every kind, ML-DSA included. */
const KEYS: Key[] = [
  { id: 'aws-managed-s3', meta: { KeyManager: 'AWS', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' } },
  { id: 'app-data', meta: { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' } },
  { id: 'rsa-envelope', meta: { KeyManager: 'CUSTOMER', KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' } },
  { id: 'ecdh-agreement', meta: { KeyManager: 'CUSTOMER', KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT', KeyState: 'Enabled' } },
  { id: 'jwt-signing', meta: { KeyManager: 'CUSTOMER', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', KeyState: 'Disabled' } },
  { id: 'old-signing', meta: { KeyManager: 'CUSTOMER', KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY', KeyState: 'PendingDeletion', DeletionDate: at(7) } },
  { id: 'pq-signing', meta: { KeyManager: 'CUSTOMER', KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled' } },
  { id: 'webhook-mac', meta: { KeyManager: 'CUSTOMER', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', KeyState: 'Enabled' } },
  { id: 'future-spec', meta: { KeyManager: 'CUSTOMER', KeySpec: 'ML_DSA_1024' as never, KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled' } },
  { id: 'exempt-rsa', meta: { KeyManager: 'CUSTOMER', KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled' }, tags: { 'pqc-exempt': '2028-12-31 PQC-42' } },
  { id: 'gone', error: 'NotFoundException' },
];

/** ACM's listing entries, with the fields ListCertificates returns (KeyAlgorithm, Type, Status, NotAfter). */
const CERTS: (CertificateSummary & { tags?: Record<string, string> })[] = [
  { CertificateArn: certArn('www'), DomainName: 'www.example.com', Type: 'AMAZON_ISSUED', Status: 'ISSUED', KeyAlgorithm: 'RSA_2048', NotAfter: at(300), RenewalEligibility: 'ELIGIBLE', InUse: true },
  { CertificateArn: certArn('legacy-import'), DomainName: 'legacy.example.com', Type: 'IMPORTED', Status: 'ISSUED', KeyAlgorithm: 'RSA_2048', NotAfter: new Date('2036-01-01T00:00:00Z'), InUse: true },
  { CertificateArn: certArn('internal'), DomainName: 'svc.internal', Type: 'PRIVATE', Status: 'ISSUED', KeyAlgorithm: 'EC_prime256v1', NotAfter: new Date('2031-03-01T00:00:00Z'), InUse: false },
  { CertificateArn: certArn('expired'), DomainName: 'old.example.com', Type: 'AMAZON_ISSUED', Status: 'EXPIRED', KeyAlgorithm: 'EC_secp384r1', NotAfter: at(-10) },
  { CertificateArn: certArn('pending'), DomainName: 'new.example.com', Type: 'AMAZON_ISSUED', Status: 'PENDING_VALIDATION', KeyAlgorithm: 'EC_prime256v1' },
  { CertificateArn: certArn('no-expiry'), DomainName: 'odd.example.com', Type: 'IMPORTED', Status: 'ISSUED', KeyAlgorithm: 'RSA_4096' },
];

const DATE_FIELDS = ['CreatedAt', 'LastStateChangeAt', 'NotBefore', 'NotAfter', 'RestorableUntil'];
const withDates = (o: unknown): any => JSON.parse(JSON.stringify(o), (k, v) => (DATE_FIELDS.includes(k) && typeof v === 'number' ? new Date(v * 1000) : v));

/** Serves the three services (and the Tagging API, one listing per resource type) from the fixtures. */
function serve(o: { keys?: Key[]; certs?: typeof CERTS; cas?: SimulatedCa[]; describeDelayMs?: number } = {}) {
  const keys = o.keys ?? KEYS;
  const certs = o.certs ?? CERTS;
  const pca = pcaOperations(o.cas ?? sampleCertificateAuthorities(NOW));
  kmsMock.on(ListKeysCommand).callsFake(({ Limit = 100, Marker }) => {
    const start = Marker ? Number(Marker) : 0;
    const next = start + Limit;
    return { Keys: keys.slice(start, next).map((k) => ({ KeyId: k.id, KeyArn: keyArn(k.id) })), Truncated: next < keys.length, ...(next < keys.length ? { NextMarker: String(next) } : {}) };
  });
  kmsMock.on(DescribeKeyCommand).callsFake(async ({ KeyId }) => {
    if (o.describeDelayMs) await new Promise((r) => setTimeout(r, o.describeDelayMs));
    const k = keys.find((x) => x.id === KeyId)!;
    if (k.error) throw Object.assign(new Error(`${k.error} for ${KeyId}`), { name: k.error });
    return { KeyMetadata: { KeyId, Arn: keyArn(KeyId), CreationDate: at(-100), ...k.meta } };
  });
  kmsMock.on(ListResourceTagsCommand).callsFake(({ KeyId }) => ({ Tags: Object.entries(keys.find((k) => k.id === KeyId)?.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false }));
  acmMock.on(ListCertificatesCommand).callsFake(() => ({ CertificateSummaryList: certs.map(({ tags: _t, ...c }) => c) }));
  acmMock.on(ListTagsForCertificateCommand).callsFake(({ CertificateArn }) => ({ Tags: Object.entries(certs.find((c) => c.CertificateArn === CertificateArn)?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) }));
  pcaMock.on(LIST_CERTIFICATE_AUTHORITIES).callsFake((input) => withDates(pca.ListCertificateAuthorities(input)));
  pcaMock.on(LIST_TAGS).callsFake((input) => pca.ListTags(input));
  taggingMock.on(GetResourcesCommand).callsFake(({ TagFilters, ResourceTypeFilters }) => {
    const tagKey = TagFilters?.[0]?.Key ?? '';
    const type = ResourceTypeFilters?.[0];
    const tagged: { arn: string; tags?: Record<string, string> }[] =
      type === 'kms:key' ? keys.map((k) => ({ arn: keyArn(k.id), tags: k.tags })) : type === 'acm:certificate' ? certs.map((c) => ({ arn: c.CertificateArn!, tags: c.tags })) : [];
    if (type === 'acm-pca:certificate-authority') return pca.GetResources({ TagFilters, ResourceTypeFilters });
    return { ResourceTagMappingList: tagged.filter((t) => t.tags?.[tagKey] !== undefined).map((t) => ({ ResourceARN: t.arn, Tags: Object.entries(t.tags!).map(([Key, Value]) => ({ Key, Value })) })), PaginationToken: '' };
  });
}

const clients = (): QuantumClients => ({ kms: new KMSClient({}), acm: new ACMClient({}), pca: new ACMPCAClient({}), tagging: new ResourceGroupsTaggingAPIClient({}), config: new ConfigServiceClient({}) });
const PARAMS = { migrationDeadline: '2030-12-31', assetClasses: 'kms-key,certificate,certificate-authority', exemptionTagKey: 'pqc-exempt', requestsPerSecond: '100' };
const event = (params: Record<string, string> = PARAMS) => scheduledRuleEvent('crypto-quantum-readiness-check', NOW, params);

/** One invocation without a Lambda context (no deadline), on a virtual clock. */
async function run(e: unknown = event()): Promise<RunSummary[]> {
  return (await runOnVirtualClock(() => runQuantumReadiness(clients(), e, { config: new ConfigServiceClient({}), now: () => NOW, retryDelayMs: 1 }), undefined, NOW.getTime())).result;
}

const denied = (action: string) => Object.assign(new Error(`User is not authorized to perform: ${action}`), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
const result = (id: string) => [byResource()[id]?.ComplianceType, byResource()[id]?.Annotation];

beforeEach(() => {
  for (const m of [kmsMock, acmMock, pcaMock, taggingMock]) m.reset();
  resetConfigAndLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('a whole pass: Private CAs, then certificates, then keys, each evaluation typed as AWS Config records it', () => {
  test('every asset judged once, by class and lifetime', async () => {
    serve();
    const summaries = await run();
    expect(summaries.map((s) => s.outcome)).toEqual(['complete', 'complete', 'complete']);

    // Keys: by key id, AWS::KMS::Key.
    expect(result('aws-managed-s3')).toEqual(['COMPLIANT', expect.stringMatching(/^AWS managed key\. AES-256-GCM key: symmetric/)]);
    expect(result('app-data')[0]).toBe('COMPLIANT');
    expect(result('rsa-envelope')).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Quantum-vulnerable, priority 1: no deletion is scheduled, so in service after the migration deadline 2030-12-31\. RSA-2048 encryption key/)]);
    expect(result('ecdh-agreement')).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Quantum-vulnerable, priority 1: .*ECC P-384 key agreement key/)]);
    expect(result('jwt-signing')).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Quantum-vulnerable, priority 2: Disabled, but no deletion is scheduled \(its key material stays\), so in service after/)]);
    expect(result('old-signing')).toEqual(['COMPLIANT', expect.stringMatching(/^Quantum-vulnerable but out of service by the migration deadline 2030-12-31: scheduled for deletion on 2026-11-30\./)]);
    expect(result('pq-signing')).toEqual(['COMPLIANT', expect.stringMatching(/^ML-DSA-65 key: a NIST post-quantum algorithm \(FIPS 204, security category 3\)/)]);
    expect(result('webhook-mac')[0]).toBe('COMPLIANT');
    expect(result('future-spec')).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Could not evaluate: Unknown KMS key spec "ML_DSA_1024"/)]);
    expect(result('exempt-rsa')).toEqual(['NOT_APPLICABLE', 'Exempt until 2028-12-31 (end of day, UTC): the key carries the tag "pqc-exempt".']);
    expect(byResource().gone).toBeUndefined();

    // Certificates: by ARN, AWS::ACM::Certificate; NotAfter against the deadline.
    expect(result(certArn('www'))).toEqual(['COMPLIANT', expect.stringMatching(/^Quantum-vulnerable but out of service by the migration deadline 2030-12-31: valid until 2027-09-19\./)]);
    expect(result(certArn('legacy-import'))).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Quantum-vulnerable, priority 3: valid until 2036-01-01, after the migration deadline 2030-12-31\. RSA-2048 imported certificate/)]);
    expect(result(certArn('internal'))[0]).toBe('NON_COMPLIANT');
    expect(result(certArn('expired'))).toEqual(['NOT_APPLICABLE', 'Certificate EXPIRED: not in service, nothing to migrate.']);
    expect(result(certArn('pending'))[0]).toBe('NOT_APPLICABLE');
    expect(result(certArn('no-expiry'))).toEqual(['NON_COMPLIANT', 'Could not evaluate: ListCertificates returned no NotAfter for an issued certificate.']);

    // Private CAs: by ARN, AWS::ACMPCA::CertificateAuthority.
    expect(result(caArn('root-rsa'))).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Quantum-vulnerable, priority 2: its CA certificate is valid until 2035-02-09, after the migration deadline 2030-12-31\. RSA-4096 root CA/)]);
    expect(result(caArn('root-mldsa'))).toEqual(['COMPLIANT', expect.stringMatching(/^ML-DSA-65 root CA: a NIST post-quantum algorithm/)]);
    expect(result(caArn('issuing-ec'))[0]).toBe('COMPLIANT'); // expires in 40 days
    expect(result(caArn('short-lived'))[0]).toBe('COMPLIANT');
    expect(result(caArn('offline-root'))[0]).toBe('NON_COMPLIANT'); // disabled, but it can be enabled again until 2031-06
    expect(result(caArn('awaiting-cert'))[0]).toBe('NOT_APPLICABLE');
    expect(result(caArn('deleted'))[0]).toBe('NOT_APPLICABLE');

    const typeOf = Object.fromEntries(sent().map((e) => [e.ComplianceResourceId, e.ComplianceResourceType]));
    expect(typeOf['rsa-envelope']).toBe('AWS::KMS::Key');
    expect(typeOf[certArn('www')]).toBe('AWS::ACM::Certificate');
    expect(typeOf[caArn('root-rsa')]).toBe('AWS::ACMPCA::CertificateAuthority');
    // One batch per class at most here: no batch mixes types (each class is its own run of the runtime).
    for (const call of configMock.commandCalls(PutEvaluationsCommand)) expect(new Set(call.args[0].input.Evaluations!.map((e) => e.ComplianceResourceType)).size).toBe(1);
    expect(new Set(sent().map((e) => e.ComplianceResourceId)).size).toBe(sent().length);
    expect(summaries.map((s) => s.resources)).toEqual([11, 6, 10]);
  });

  test('what it calls: one listing per service (ACM with every key type and status), DescribeKey per key, one Tagging API listing and one read of earlier failing results per class', async () => {
    serve();
    await run();
    expect(pcaMock.commandCalls(LIST_CERTIFICATE_AUTHORITIES).map((c) => c.args[0].input.ResourceOwner)).toEqual(['SELF']);
    const acmInput = acmMock.commandCalls(ListCertificatesCommand)[0].args[0].input;
    expect(acmInput.Includes!.keyTypes).toHaveLength(7);
    expect(acmInput.CertificateStatuses).toHaveLength(7);
    expect(kmsMock.commandCalls(ListKeysCommand)).toHaveLength(1);
    expect(kmsMock.commandCalls(DescribeKeyCommand)).toHaveLength(KEYS.length - 1); // the exempt key needs none
    expect(taggingMock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input.ResourceTypeFilters![0])).toEqual(['acm-pca:certificate-authority', 'acm:certificate', 'kms:key']);
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand).map((c) => c.args[0].input.ComplianceTypes)).toEqual([['NON_COMPLIANT'], ['NON_COMPLIANT'], ['NON_COMPLIANT']]);
    expect(kmsMock.commandCalls(ListResourceTagsCommand)).toHaveLength(0);
  });

  test('a later deadline (2036) leaves only what outlives it', async () => {
    serve();
    await run(event({ ...PARAMS, migrationDeadline: '2036-06-30' }));
    expect(result(certArn('legacy-import'))[0]).toBe('COMPLIANT');
    expect(result(caArn('root-rsa'))[0]).toBe('COMPLIANT');
    expect(result('rsa-envelope')[0]).toBe('NON_COMPLIANT'); // keys do not expire
  });

  test('stale results are withdrawn per type: a vanished key, and not the certificate AWS Config still holds', async () => {
    serve();
    configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::KMS::Key', ResourceId: 'deleted-rsa' } }, ComplianceType: 'NON_COMPLIANT' },
        { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::ACM::Certificate', ResourceId: certArn('legacy-import') } }, ComplianceType: 'NON_COMPLIANT' },
      ],
    });
    const summaries = await run();
    expect(result('deleted-rsa')).toEqual(['NOT_APPLICABLE', 'The resource no longer exists; its earlier result is withdrawn.']);
    expect(sent().filter((e) => e.ComplianceResourceId === 'deleted-rsa').map((e) => e.ComplianceResourceType)).toEqual(['AWS::KMS::Key']);
    expect(result(certArn('legacy-import'))[0]).toBe('NON_COMPLIANT');
    expect(summaries.map((s) => s.withdrawn)).toEqual([0, 0, 1]);
  });
});

describe('assetClasses', () => {
  test('a class left out reads nothing of its service; its earlier results become NOT_APPLICABLE', async () => {
    serve();
    configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::KMS::Key', ResourceId: 'rsa-envelope' } }, ComplianceType: 'NON_COMPLIANT' },
        { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::KMS::Key', ResourceId: 'app-data' } }, ComplianceType: 'COMPLIANT' },
        { EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::ACMPCA::CertificateAuthority', ResourceId: caArn('root-rsa') } }, ComplianceType: 'NON_COMPLIANT' },
      ],
    });
    await run(event({ ...PARAMS, assetClasses: 'certificate-authority' }));
    expect(kmsMock.calls()).toHaveLength(0);
    expect(acmMock.calls()).toHaveLength(0);
    expect(result('rsa-envelope')).toEqual(['NOT_APPLICABLE', 'Asset class kms-key is not in assetClasses (certificate-authority): not judged.']);
    expect(result('app-data')[0]).toBe('NOT_APPLICABLE');
    expect(result(caArn('root-rsa'))[0]).toBe('NON_COMPLIANT');
    // Both COMPLIANT and NON_COMPLIANT results of a left-out class are replaced; only tags of the judged class are listed.
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand).some((c) => c.args[0].input.ComplianceTypes!.includes('COMPLIANT'))).toBe(true);
    expect(taggingMock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input.ResourceTypeFilters![0])).toEqual(['acm-pca:certificate-authority']);
  });
});

describe('failures', () => {
  test('a denied DescribeKey fails closed for that key; the pass goes on', async () => {
    serve();
    kmsMock.on(DescribeKeyCommand, { KeyId: 'rsa-envelope' }).rejects(denied('kms:DescribeKey'));
    const summaries = await run();
    expect(result('rsa-envelope')).toEqual(['NON_COMPLIANT', expect.stringMatching(/^Could not evaluate: \(AccessDeniedException on kms:DescribeKey: /)]);
    expect(result('app-data')[0]).toBe('COMPLIANT');
    expect(summaries[2].failedClosed).toBe(2);
  });

  test('a class whose listing is denied stops only itself: the others are judged, the error is thrown at the end, nothing of its type is withdrawn', async () => {
    serve();
    kmsMock.on(ListKeysCommand).rejects(denied('kms:ListKeys'));
    await expect(run()).rejects.toThrow(/kms:ListKeys/);
    expect(result(caArn('root-rsa'))[0]).toBe('NON_COMPLIANT');
    expect(result(certArn('legacy-import'))[0]).toBe('NON_COMPLIANT');
    expect(sent().some((e) => e.ComplianceResourceType === 'AWS::KMS::Key')).toBe(false);
    expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: 'an asset class did not complete; the next one goes on', assetClass: 'kms-key' }));
  });

  test('where AWS Private CA cannot be reached, certificates and keys are still judged', async () => {
    serve();
    pcaMock.on(LIST_CERTIFICATE_AUTHORITIES).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND acm-pca.xx-test-1.amazonaws.com'), { name: 'Error', code: 'ENOTFOUND' }));
    await expect(run()).rejects.toThrow(/ENOTFOUND/);
    expect(result('rsa-envelope')[0]).toBe('NON_COMPLIANT');
    expect(result(certArn('legacy-import'))[0]).toBe('NON_COMPLIANT');
  });

  test('a throttled listing page is tried again; every key is still judged', async () => {
    serve();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    kmsMock
      .on(ListKeysCommand)
      .rejectsOnce(throttled)
      .callsFake(() => ({ Keys: KEYS.map((k) => ({ KeyId: k.id, KeyArn: keyArn(k.id) })), Truncated: false }));
    const summaries = await run();
    expect(kmsMock.commandCalls(ListKeysCommand)).toHaveLength(2);
    expect(summaries[2].resources).toBe(10);
  });

  test('a refused event is refused once, before any class', async () => {
    serve();
    await expect(run(event({ ...PARAMS, migrationDeadlin: '2030-12-31' }))).rejects.toThrow(UnknownParameterError);
    await expect(run(event({ ...PARAMS, migrationDeadline: '2030-02-30' }))).rejects.toThrow(InvalidParameterError);
    expect(pcaMock.calls()).toHaveLength(0);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });
});

describe('a pass longer than one invocation', () => {
  const keys = (n: number): Key[] => Array.from({ length: n }, (_, i) => ({ id: `key-${String(i).padStart(4, '0')}`, meta: { KeyManager: 'CUSTOMER', KeySpec: i % 10 === 0 ? 'RSA_2048' : 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' } }));

  async function pass(params: Record<string, string>, passLimitMs = 24 * HOUR) {
    const invocations = await runAsyncInvocations(
      event(params),
      (e, context, enqueue) =>
        runQuantumReadiness(clients(), e, { config: new ConfigServiceClient({}), context, now: () => new Date(), passLimitMs, retryDelayMs: 1, continueWith: async (next) => enqueue(next) }),
      { timeoutMs: 120_000, start: NOW.getTime() },
    );
    return invocations.map((i) => (i.outcome.kind === 'returned' ? i.outcome.value : i.outcome));
  }

  test('the key class continues in new invocations that name it; the classes before it are not redone; every key once', async () => {
    serve({ keys: keys(150) });
    // 1 DescribeKey a second: about 60 keys before each invocation's soft deadline.
    const runs = (await pass({ ...PARAMS, requestsPerSecond: '1' })) as RunSummary[][];
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs[0].map((s) => s.outcome)).toEqual(['complete', 'complete', 'continued']);
    for (const r of runs.slice(1, -1)) expect(r.map((s) => s.outcome)).toEqual(['continued']);
    expect(runs.at(-1)!.map((s) => s.outcome)).toEqual(['complete']);
    expect(runs.map((r) => r.at(-1)!.invocation)).toEqual(runs.map((_, i) => i + 1));
    // CAs and certificates were listed in the first invocation only.
    expect(pcaMock.commandCalls(LIST_CERTIFICATE_AUTHORITIES)).toHaveLength(1);
    expect(acmMock.commandCalls(ListCertificatesCommand)).toHaveLength(1);
    const keySent = sent().filter((e) => e.ComplianceResourceType === 'AWS::KMS::Key').map((e) => e.ComplianceResourceId);
    expect(keySent).toHaveLength(150);
    expect(new Set(keySent).size).toBe(150);
    expect(byResource()['key-0010'].ComplianceType).toBe('NON_COMPLIANT');
    // One result token and one ordering timestamp for the whole pass.
    expect(new Set(configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.ResultToken))).toEqual(new Set(['result-token']));
    expect(new Set(sent().map((e) => new Date(e.OrderingTimestamp!).toISOString()))).toEqual(new Set([NOW.toISOString()]));
  });

  test('when an earlier class continues, the classes after it start in the invocation that finishes it', async () => {
    // 500 CAs whose listing pages take 30 s each: the CA class needs a second invocation.
    const many = Array.from({ length: 500 }, (_, i): SimulatedCa => ({ id: `ca-${i}`, type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', usageMode: 'GENERAL_PURPOSE', created: at(-10), notBefore: at(-10), notAfter: at(300) }));
    serve({ cas: many, keys: keys(20) });
    const pca = pcaOperations(many);
    pcaMock.on(LIST_CERTIFICATE_AUTHORITIES).callsFake(async (input) => {
      await new Promise((r) => setTimeout(r, 30_000));
      return withDates(pca.ListCertificateAuthorities(input));
    });
    const runs = (await pass(PARAMS)) as RunSummary[][];
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const r of runs.slice(0, -1)) expect(r.map((s) => s.outcome)).toEqual(['continued']);
    // The last invocation finishes the CAs, then judges certificates and keys, numbered as that invocation of the pass.
    const n = runs.length;
    expect(runs[n - 1].map((s) => [s.outcome, s.invocation])).toEqual([['complete', n], ['complete', n], ['complete', n]]);
    const caSent = sent().filter((e) => e.ComplianceResourceType === 'AWS::ACMPCA::CertificateAuthority').map((e) => e.ComplianceResourceId);
    expect(new Set(caSent).size).toBe(500);
    expect(sent().filter((e) => e.ComplianceResourceType === 'AWS::KMS::Key')).toHaveLength(20);
    // Numbered as a continuation, the certificate class lists its ids once more before withdrawing stale results (listing calls only).
    expect(acmMock.commandCalls(ListCertificatesCommand)).toHaveLength(2);
  });

  test('a pass that would run into the next period stops with its class: the classes after it are not started', async () => {
    const many = Array.from({ length: 500 }, (_, i): SimulatedCa => ({ id: `ca-${i}`, type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-10), notBefore: at(-10), notAfter: at(300) }));
    serve({ cas: many });
    const pca = pcaOperations(many);
    pcaMock.on(LIST_CERTIFICATE_AUTHORITIES).callsFake(async (input) => {
      await new Promise((r) => setTimeout(r, 30_000));
      return withDates(pca.ListCertificateAuthorities(input));
    });
    const outcomes = await pass(PARAMS, 200_000);
    const last = outcomes.at(-1) as { kind: string; error: Error };
    expect(last.kind).toBe('threw');
    expect(last.error.name).toBe('IncompletePassError');
    expect(acmMock.commandCalls(ListCertificatesCommand)).toHaveLength(0);
    expect(kmsMock.commandCalls(ListKeysCommand)).toHaveLength(0);
    // Nothing of the CA type was withdrawn: the pass did not see every CA.
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });
});
