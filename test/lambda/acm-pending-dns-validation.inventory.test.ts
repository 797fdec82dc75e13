/**
 * The ACM rule's inventory: one record per listed certificate, each described exactly once (a
 * description the decision needed is reused), the listing's facts where the description fails,
 * imported certificates without renewal eligibility, private ones with their issuing CA, in-use
 * ones with what uses them. Simulated ACM, AWS Config and S3 behind real SDK clients.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { acmPendingDnsValidationRule, domainCount } from '../../lambda/acm-pending-dns-validation';
import type { InventoryRecord } from '../../lambda/inventory/record';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule, type RunSummary } from '../../lambda/runtime/run-rule';
import { contractProblems } from './inventory-contract';
import { warmUpSdk } from '../support/warm-sdk';
import { acmOperations, certificateArn, certificateInventory, type SimulatedCertificate } from '../support/simulated-acm';
import { SimulatedAws, SimulatedServiceError, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { SimulatedS3, simulatedS3ClientConfig } from '../support/simulated-s3';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);
const later = (d: number) => new Date(NOW.getTime() + d * DAY);
const BUCKET = 'crypto-monitoring-inventory-444455556666-us-east-1';
const CA = 'arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555';
const ALB = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188';
const CLOUDFRONT = 'arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE';
/** ACM's documented request quotas, per second. */
const QUOTAS = { ListCertificates: 1, DescribeCertificate: 10, ListTagsForCertificate: 10 };

const PARAMS = {
  maxPendingHours: '24',
  exemptionTagKey: 'crypto-monitoring:exempt',
  inventoryBucket: BUCKET,
  inventoryBucketOwner: '444455556666',
  inventoryRegion: 'us-east-1',
  priceDate: '2026-11-01',
};

const region = process.env.AWS_REGION;
beforeAll(async () => {
  process.env.AWS_REGION = 'eu-west-1';
  await warmUpSdk();
});
afterAll(() => (process.env.AWS_REGION = region));
beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

type CertificateRecord = Extract<InventoryRecord, { assetType: 'certificate' }>;

async function pass(certificates: readonly SimulatedCertificate[], o: { params?: Record<string, string>; inject?: (op: string, input: any) => SimulatedServiceError | undefined } = {}) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const calls: { op: string; arn: string }[] = [];
  const sim = new SimulatedAws({
    operations: { ...acmOperations(certificates), ...configOperations(config) },
    quotas: QUOTAS,
    latencyMs: () => 40,
    inject: (op, input) => {
      calls.push({ op, arn: input.CertificateArn });
      return o.inject?.(op, input);
    },
  });
  const s3 = new SimulatedS3({ buckets: { [BUCKET]: '444455556666' } });
  const client = (C: any) => new C(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('acm-pending-dns-validation-check', NOW, o.params ?? PARAMS);
  const rule = acmPendingDnsValidationRule(client(ACMClient), client(ResourceGroupsTaggingAPIClient));
  const { result, simulatedMs } = await runOnVirtualClock(
    () => runRule(rule, event, { config: client(ConfigServiceClient), now: () => NOW, s3: (r) => new S3Client(simulatedS3ClientConfig(s3, r, CLIENT_DEFAULTS)) }),
    undefined,
    NOW.getTime(),
  );
  const records = s3.records() as CertificateRecord[];
  const described = calls.filter((c) => c.op === 'DescribeCertificate').map((c) => c.arn);
  return { sim, s3, config, summary: result as RunSummary, simulatedMs, records, described, byId: Object.fromEntries(records.map((r) => [r.id, r])) };
}

const FIXTURES: SimulatedCertificate[] = [
  {
    id: 'web',
    domains: ['example.com', 'www.example.com', 'api.example.com'],
    type: 'AMAZON_ISSUED',
    status: 'ISSUED',
    keyAlgorithm: 'RSA_2048',
    created: ago(200),
    notBefore: ago(200),
    notAfter: later(195),
    renewalEligibility: 'ELIGIBLE',
    signatureAlgorithm: 'SHA256WITHRSA',
    inUseBy: [ALB, CLOUDFRONT],
  },
  // Imported, with no renewal eligibility in the answers (ACM does not renew what it did not issue).
  { id: 'imported', domains: ['legacy.example.com'], type: 'IMPORTED', status: 'ISSUED', keyAlgorithm: 'EC_prime256v1', created: ago(100), importedAt: ago(100), notBefore: ago(120), notAfter: later(10), signatureAlgorithm: 'SHA256WITHECDSA', inUseBy: [] },
  { id: 'private', domains: ['svc.internal'], type: 'PRIVATE', status: 'ISSUED', keyAlgorithm: 'EC_secp384r1', created: ago(30), notBefore: ago(30), notAfter: later(335), renewalEligibility: 'ELIGIBLE', signatureAlgorithm: 'SHA384WITHECDSA', issuer: CA, inUseBy: [] },
  // Pending DNS validation: the decision describes it, and the record reuses that description.
  { id: 'pending', domains: ['new.example.com'], type: 'AMAZON_ISSUED', status: 'PENDING_VALIDATION', keyAlgorithm: 'EC_prime256v1', created: new Date(NOW.getTime() - 50 * HOUR) },
  { id: 'exempt', domains: ['old.example.com'], type: 'AMAZON_ISSUED', status: 'EXPIRED', keyAlgorithm: 'RSA_4096', created: ago(800), notAfter: ago(5), tags: { 'crypto-monitoring:exempt': 'yes' } },
  // Its description fails past every retry: the listing's facts, and the gap.
  { id: 'throttled', domains: ['t.example.com'], type: 'AMAZON_ISSUED', status: 'ISSUED', keyAlgorithm: 'RSA_3072', created: ago(10), notAfter: later(385), renewalEligibility: 'ELIGIBLE', inUseBy: [ALB] },
];

describe('one pass', () => {
  let run: Awaited<ReturnType<typeof pass>>;
  beforeAll(async () => {
    const spies = (['info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
    run = await pass(FIXTURES, { inject: (op, input) => (op === 'DescribeCertificate' && input.CertificateArn === certificateArn('throttled') ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined) });
    for (const spy of spies) spy.mockRestore();
  });

  test('one record per certificate, keeping the contract', () => {
    expect(run.records.map((r) => r.id).sort()).toEqual(FIXTURES.map((c) => c.id).sort());
    for (const r of run.records) expect(contractProblems(r)).toEqual([]);
    expect(run.summary).toMatchObject({ outcome: 'complete', sent: FIXTURES.length, inventory: { records: FIXTURES.length, written: FIXTURES.length, parts: 1 } });
    expect(run.s3.keys()).toEqual([expect.stringMatching(/^inventory\/dt=2026-11-23\/111122223333-eu-west-1-certificate-[0-9a-f]{16}-001-0001\.json\.gz$/)]);
  });

  test('each certificate is described once: the decision and the record share the pending one', () => {
    const once = FIXTURES.filter((c) => c.id !== 'throttled').map((c) => certificateArn(c.id));
    // The throttled one: the SDK's own attempts, one call as the run counts it.
    expect(run.described.filter((a) => a !== certificateArn('throttled')).sort()).toEqual(once.sort());
    expect(run.summary.apiCalls.DescribeCertificate).toBe(FIXTURES.length - 1 + run.described.filter((a) => a === certificateArn('throttled')).length);
  });

  test('an Amazon-issued certificate in use: what uses it, its signature algorithm, its names counted once', () => {
    expect(run.byId.web).toMatchObject({
      arn: certificateArn('web'),
      createdAt: ago(200).toISOString(),
      expiresAt: later(195).toISOString(),
      algorithm: 'RSA_2048',
      quantum: { class: 'quantum-vulnerable', priority: 3 },
      cost: { monthlyUsd: 0, priceDate: '2026-11-01' },
      gaps: [],
      certificate: {
        type: 'AMAZON_ISSUED',
        status: 'ISSUED',
        keyAlgorithm: 'RSA_2048',
        signatureAlgorithm: 'SHA256WITHRSA',
        domainName: 'example.com',
        domainCount: 3,
        notBefore: ago(200).toISOString(),
        notAfter: later(195).toISOString(),
        inUse: true,
        inUseBy: [ALB, CLOUDFRONT],
        renewalEligibility: 'ELIGIBLE',
        issuingCertificateAuthorityArn: null,
      },
    });
  });

  test('an imported certificate: created when imported, no renewal eligibility, not in use', () => {
    expect(run.byId.imported).toMatchObject({ createdAt: ago(100).toISOString(), certificate: { type: 'IMPORTED', renewalEligibility: null, inUse: false, inUseBy: [], issuingCertificateAuthorityArn: null } });
  });

  test('a private certificate names its issuing CA', () => {
    expect(run.byId.private.certificate).toMatchObject({ type: 'PRIVATE', issuingCertificateAuthorityArn: CA, keyAlgorithm: 'EC_secp384r1' });
  });

  test('a pending certificate and an exempt one are recorded like any other', () => {
    expect(run.byId.pending.certificate).toMatchObject({ status: 'PENDING_VALIDATION', notAfter: null, domainCount: 1 });
    expect(run.byId.exempt.certificate).toMatchObject({ status: 'EXPIRED', keyAlgorithm: 'RSA_4096' });
    expect(run.byId.exempt.expiresAt).toBe(ago(5).toISOString());
  });

  test('a description that fails: the listing facts stay, the others are null with the gap', () => {
    expect(run.byId.throttled).toMatchObject({
      gaps: ['DescribeCertificate: ThrottlingException'],
      certificate: { keyAlgorithm: 'RSA_3072', inUse: true, inUseBy: null, signatureAlgorithm: null, renewalEligibility: 'ELIGIBLE', domainCount: 1 },
    });
  });
});

test('inventory off: only the certificates the decision needs are described, and nothing is written', async () => {
  const { described, s3, summary } = await pass(FIXTURES, { params: { maxPendingHours: '24', exemptionTagKey: 'crypto-monitoring:exempt' } });
  expect(described).toEqual([certificateArn('pending')]);
  expect(s3.requests).toBe(0);
  expect(summary.inventory).toBeUndefined();
});

test('describing every certificate is paced under its quota: 300 certificates, no throttling, about 300 / 8 seconds', async () => {
  const { sim, records, simulatedMs } = await pass(certificateInventory(300, 0.05, NOW));
  expect(records).toHaveLength(300);
  expect(sim.totalThrottled()).toBe(0);
  expect(sim.callsByOperation().DescribeCertificate).toBe(300);
  expect(simulatedMs).toBeGreaterThan((300 / 8 - 2) * 1000);
  expect(simulatedMs).toBeLessThan((300 / 8 + 15) * 1000);
});

describe('domain count', () => {
  test.each<[string, object, object | undefined, number | null]>([
    ['from the description, the domain name among the alternative names', { DomainName: 'a.com' }, { DomainName: 'a.com', SubjectAlternativeNames: ['a.com', 'b.com'] }, 2],
    ['from a complete listing', { DomainName: 'a.com', SubjectAlternativeNameSummaries: ['a.com', 'b.com', 'c.com'], HasAdditionalSubjectAlternativeNames: false }, undefined, 3],
    ['not from a listing that left names out', { DomainName: 'a.com', SubjectAlternativeNameSummaries: ['a.com'], HasAdditionalSubjectAlternativeNames: true }, undefined, null],
    ['no names at all', {}, undefined, null],
  ])('%s', (_name, summary, detail, expected) => {
    expect(domainCount(summary, detail)).toBe(expected);
  });
});
