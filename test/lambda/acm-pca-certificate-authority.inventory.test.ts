/**
 * The Private CA rule's inventory: one 'certificate-authority' record per CA of its own listing, in
 * every status (DELETED included, at $0), made from the ListCertificateAuthorities entry alone (no
 * call more than without the inventory), lastIssuedAt null with the gap that says why, the quantum
 * class and the price of its usage mode. Its parameters: all of the inventory's or none. Simulated
 * AWS Private CA, AWS Config and S3 behind real SDK clients.
 */
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { LAST_ISSUED_GAP, PARAMETER_NAMES, parseParameters, pcaCertificateAuthorityRule } from '../../lambda/acm-pca-certificate-authority-check';
import type { CertificateAuthorityDetails, InventoryRecord } from '../../lambda/inventory/record';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { InvalidParameterError } from '../../lambda/runtime/parameters';
import { runRule, type RunSummary } from '../../lambda/runtime/run-rule';
import { warmUpSdk } from '../support/warm-sdk';
import { caArn, pcaOperations, sampleCertificateAuthorities, type SimulatedCa } from '../support/simulated-acm-pca';
import { SimulatedAws, SimulatedServiceError, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { SimulatedS3, simulatedS3ClientConfig } from '../support/simulated-s3';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const BUCKET = 'crypto-monitoring-inventory-444455556666-us-east-1';
const PCA_QUOTAS = { ListCertificateAuthorities: 20, ListTags: 20 };

const RULE_PARAMS = { expiringWithinDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' };
const INVENTORY_PARAMS = {
  inventoryBucket: BUCKET,
  inventoryBucketOwner: '444455556666',
  inventoryRegion: 'us-east-1',
  priceDate: '2026-11-01',
  privateCaGeneralPurposeMonthlyUsd: '400',
  privateCaShortLivedMonthlyUsd: '50',
};
const PARAMS = { ...RULE_PARAMS, ...INVENTORY_PARAMS };

type CaRecord = Extract<InventoryRecord, { assetType: 'certificate-authority' }>;

/** Every field of the details, so a field added to record.ts fails tsc here until the test names it. */
const DETAIL_KEYS: Record<keyof CertificateAuthorityDetails, true> = {
  type: true,
  status: true,
  keyAlgorithm: true,
  signingAlgorithm: true,
  usageMode: true,
  notBefore: true,
  notAfter: true,
  keyStorageSecurityStandard: true,
  lastIssuedAt: true,
};
const RECORD_KEYS = ['schemaVersion', 'assetType', 'collectedAt', 'collectedBy', 'accountId', 'region', 'arn', 'id', 'createdAt', 'expiresAt', 'algorithm', 'quantum', 'cost', 'gaps', 'certificateAuthority'];

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

async function pass(cas: readonly SimulatedCa[], o: { params?: Record<string, string>; inject?: (op: string, input: any) => SimulatedServiceError | undefined } = {}) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...pcaOperations(cas), ...configOperations(config) }, quotas: PCA_QUOTAS, latencyMs: () => 30, inject: o.inject });
  const s3 = new SimulatedS3({ buckets: { [BUCKET]: '444455556666' } });
  const client = (C: any) => new C(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('acm-pca-certificate-authority-check', NOW, o.params ?? PARAMS);
  const rule = pcaCertificateAuthorityRule(client(ACMPCAClient), client(ResourceGroupsTaggingAPIClient));
  const { result } = await runOnVirtualClock(
    () => runRule(rule, event, { config: client(ConfigServiceClient), now: () => NOW, s3: (r) => new S3Client(simulatedS3ClientConfig(s3, r, CLIENT_DEFAULTS)) }),
    undefined,
    NOW.getTime(),
  );
  const records = s3.records() as CaRecord[];
  const evaluations = new Map(config.putEvaluations.flat().map((e) => [e.ComplianceResourceId, [e.ComplianceType, e.Annotation]]));
  return { sim, s3, summary: result as RunSummary, records, evaluations, byId: Object.fromEntries(records.map((r) => [r.id, r])) };
}

describe('one pass over CAs in every status', () => {
  const own = sampleCertificateAuthorities(NOW).filter((c) => !c.owner);
  let run: Awaited<ReturnType<typeof pass>>;
  beforeAll(async () => {
    const spies = (['info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
    run = await pass(sampleCertificateAuthorities(NOW));
    for (const spy of spies) spy.mockRestore();
  });

  test('one record per own CA (DELETED and FAILED included, the CA shared through AWS RAM not), in listing order, in one part', () => {
    expect(run.records.map((r) => r.id)).toEqual(own.map((c) => c.id));
    expect(run.records.map((r) => r.certificateAuthority.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'DISABLED', 'DISABLED', 'PENDING_CERTIFICATE', 'CREATING', 'FAILED', 'EXPIRED', 'DELETED']);
    expect(run.summary).toMatchObject({ outcome: 'complete', sent: own.length, inventory: { records: own.length, written: own.length, unwritten: 0, parts: 1, failedParts: 0 } });
    expect(run.s3.keys()).toEqual([expect.stringMatching(/^inventory\/dt=2026-11-23\/111122223333-eu-west-1-certificate-authority-[0-9a-f]{16}-001-0001\.json\.gz$/)]);
  });

  test('every record keeps the shape: exactly the contract fields, lastIssuedAt null and the gap saying why', () => {
    for (const r of run.records) {
      expect(Object.keys(r).sort()).toEqual([...RECORD_KEYS].sort());
      expect(Object.keys(r.certificateAuthority).sort()).toEqual(Object.keys(DETAIL_KEYS).sort());
      expect(r).toMatchObject({ schemaVersion: 1, assetType: 'certificate-authority', collectedAt: NOW.toISOString(), collectedBy: 'acm-pca-certificate-authority-check', accountId: '111122223333', region: 'eu-west-1', arn: caArn(r.id) });
      expect(r.certificateAuthority.lastIssuedAt).toBeNull();
      expect(r.gaps).toEqual([LAST_ISSUED_GAP]);
      expect(r.gaps[0]).toMatch(/CloudTrail IssueCertificate/);
      expect(r.cost.priceDate).toBe('2026-11-01');
    }
  });

  test('no call more than the decision needs: one listing, no per-CA read', () => {
    expect(run.sim.callsByOperation()).toEqual({ GetComplianceDetailsByConfigRule: 1, GetResources: 1, ListCertificateAuthorities: 1, PutEvaluations: 1 });
  });

  test('an active RSA root: every listing fact, quantum-vulnerable as a long-lived signing root, the general-purpose price', () => {
    expect(run.byId['root-rsa']).toMatchObject({
      id: 'root-rsa',
      createdAt: at(-700),
      expiresAt: at(3000),
      algorithm: 'RSA_4096',
      quantum: { class: 'quantum-vulnerable', priority: 2 },
      cost: { monthlyUsd: 400 },
      certificateAuthority: {
        type: 'ROOT',
        status: 'ACTIVE',
        keyAlgorithm: 'RSA_4096',
        signingAlgorithm: 'SHA512WITHRSA',
        usageMode: 'GENERAL_PURPOSE',
        notBefore: at(-700),
        notAfter: at(3000),
        keyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
        lastIssuedAt: null,
      },
    });
  });

  test('a short-lived subordinate: priority 3 and the short-lived price; an ML-DSA root (a value the pinned SDK does not list): post-quantum', () => {
    expect(run.byId['short-lived']).toMatchObject({ quantum: { class: 'quantum-vulnerable', priority: 3 }, cost: { monthlyUsd: 50 }, certificateAuthority: { usageMode: 'SHORT_LIVED_CERTIFICATE' } });
    expect(run.byId['root-mldsa']).toMatchObject({ algorithm: 'ML_DSA_65', quantum: { class: 'post-quantum', priority: null }, cost: { monthlyUsd: 400 }, certificateAuthority: { signingAlgorithm: 'ML_DSA_65' } });
  });

  test('billed while it cannot issue: DISABLED, EXPIRED, PENDING_CERTIFICATE and CREATING at the full price', () => {
    for (const id of ['old-issuing', 'offline-root', 'expired', 'awaiting-cert', 'creating']) expect(run.byId[id].cost.monthlyUsd).toBe(400);
    expect(run.byId.expired).toMatchObject({ expiresAt: at(-70), certificateAuthority: { status: 'EXPIRED', notAfter: at(-70) } });
    // No CA certificate yet: no validity, nothing to expire.
    expect(run.byId['awaiting-cert']).toMatchObject({ expiresAt: null, certificateAuthority: { notBefore: null, notAfter: null } });
  });

  test('DELETED is recorded with its status at $0 and no expiry (its certificate\'s notAfter stays); FAILED at $0', () => {
    expect(run.byId.deleted).toMatchObject({ expiresAt: null, cost: { monthlyUsd: 0 }, certificateAuthority: { status: 'DELETED', notAfter: at(65) } });
    expect(run.byId.deleted.cost.basis).toMatch(/deleted/i);
    expect(run.byId.failed).toMatchObject({ expiresAt: null, cost: { monthlyUsd: 0 }, certificateAuthority: { status: 'FAILED', notAfter: null } });
  });
});

test('an exempt CA and a CA whose tag read failed closed are recorded all the same (the listing holds every fact)', async () => {
  const cas = sampleCertificateAuthorities(NOW).filter((c) => !c.owner);
  Object.assign(cas.find((c) => c.id === 'old-issuing')!, { tags: { 'crypto-monitoring:exempt': '' } });
  const denied = () => new SimulatedServiceError('AccessDeniedException', 'User is not authorized');
  const run = await pass(cas, { inject: (op, input) => (op === 'GetResources' || (op === 'ListTags' && input.CertificateAuthorityArn === caArn('expired')) ? denied() : undefined) });
  expect(run.evaluations.get(caArn('old-issuing'))?.[0]).toBe('NOT_APPLICABLE');
  expect(run.evaluations.get(caArn('expired'))?.[1]).toMatch(/^Could not evaluate/);
  expect(run.records.map((r) => r.id)).toEqual(cas.map((c) => c.id));
  expect(run.byId.expired.gaps).toEqual([LAST_ISSUED_GAP]);
});

test('inventory off: nothing written, no inventory in the summary, the same evaluations', async () => {
  const on = await pass(sampleCertificateAuthorities(NOW));
  const off = await pass(sampleCertificateAuthorities(NOW), { params: RULE_PARAMS });
  expect(off.s3.keys()).toEqual([]);
  expect(off.summary.inventory).toBeUndefined();
  expect(off.evaluations).toEqual(on.evaluations);
  expect(off.sim.callsByOperation()).toEqual(on.sim.callsByOperation());
});

describe('parameters', () => {
  test('the rule takes the inventory target, the price date and both Private CA prices', () => {
    expect([...PARAMETER_NAMES].sort()).toEqual(
      ['expiringWithinDays', 'exemptionTagKey', 'requestsPerSecond', 'inventoryBucket', 'inventoryBucketOwner', 'inventoryRegion', 'priceDate', 'privateCaGeneralPurposeMonthlyUsd', 'privateCaShortLivedMonthlyUsd'].sort(),
    );
    const p = parseParameters(PARAMS);
    expect(p.inventory?.target).toEqual({ bucket: BUCKET, bucketOwner: '444455556666', region: 'us-east-1' });
    expect(p.inventory?.prices).toMatchObject({ date: '2026-11-01', privateCaGeneralPurposeMonthlyUsd: 400, privateCaShortLivedMonthlyUsd: 50 });
    // Prices this rule does not read stay unread (NaN), never guessed.
    expect(p.inventory?.prices.kmsKeyMonthlyUsd).toBeNaN();
  });

  test('off without a bucket; a half-set inventory is refused, never silently off', () => {
    expect(parseParameters(RULE_PARAMS).inventory).toBeUndefined();
    const { privateCaShortLivedMonthlyUsd: _dropped, ...noShortLived } = PARAMS;
    expect(() => parseParameters(noShortLived)).toThrow(InvalidParameterError);
    expect(() => parseParameters({ ...RULE_PARAMS, privateCaGeneralPurposeMonthlyUsd: '400' })).toThrow(InvalidParameterError);
  });
});
