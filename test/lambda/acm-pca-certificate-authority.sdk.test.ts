/**
 * Through the real SDK stack (the pinned @aws-sdk/client-acm-pca 3.523.0: serialization, adaptive
 * retry) against the simulated AWS Private CA: values the SDK's enums do not list yet (ML_DSA_65)
 * come through as strings, dates arrive as Dates, pages hold 100 CAs, throttling is ridden out.
 */
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { pcaCertificateAuthorityRule } from '../../lambda/acm-pca-certificate-authority-check';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule } from '../../lambda/runtime/run-rule';
import { caArn, pcaOperations, sampleCertificateAuthorities, type SimulatedCa } from '../support/simulated-acm-pca';
import { SimulatedAws, SimulatedServiceError, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type EarlierResult, type SimulatedConfigState } from '../support/simulated-config';
import { scheduledRuleEvent } from '../support/rule-event';
import { runOnVirtualClock } from '../support/virtual-clock';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
/** AWS Private CA's request quotas (User Guide, quotas on API requests), per second. */
const PCA_QUOTAS = { ListCertificateAuthorities: 20, ListTags: 20 };

function setup(cas: readonly SimulatedCa[], o: { inject?: (op: string, input: any, n: number) => SimulatedServiceError | undefined; previous?: EarlierResult[] } = {}) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: o.previous ?? [] };
  const sim = new SimulatedAws({ operations: { ...pcaOperations(cas), ...configOperations(config) }, quotas: PCA_QUOTAS, latencyMs: () => 30, inject: o.inject });
  const rule = pcaCertificateAuthorityRule(new ACMPCAClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)), new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)));
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  const event = scheduledRuleEvent('acm-pca-certificate-authority-check', NOW, { expiringWithinDays: '90', exemptionTagKey: 'crypto-monitoring:exempt' });
  return { sim, config, go: () => runOnVirtualClock(() => runRule(rule, event, { config: cfg, now: () => NOW }), undefined, NOW.getTime()) };
}

const latest = (config: SimulatedConfigState) => new Map(config.putEvaluations.flat().map((e) => [e.ComplianceResourceId, e]));

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test('the sample account through the real SDK: every own CA judged, one listing call, no call per CA', async () => {
  const { sim, config, go } = setup(sampleCertificateAuthorities(NOW));
  const { result } = await go();
  expect(result.compliance).toEqual({ COMPLIANT: 4, NON_COMPLIANT: 4, NOT_APPLICABLE: 3 });
  expect(sim.callsByOperation()).toEqual({ GetComplianceDetailsByConfigRule: 1, GetResources: 1, ListCertificateAuthorities: 1, PutEvaluations: 1 });
  const r = latest(config);
  // An ML-DSA root: the SDK's enum does not list ML_DSA_65, the rule still reads the CA.
  expect(r.get(caArn('root-mldsa'))).toMatchObject({ ComplianceType: 'COMPLIANT', Annotation: 'Active root CA (general-purpose mode); its certificate expires on 2036-11-10.' });
  expect(r.get(caArn('issuing-ec'))).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });
  expect(r.get(caArn('shared-root', '444455556666'))).toBeUndefined();
});

test('a short-lived root issuing end-entity certificates directly, and an active CA listed without NotAfter (fail closed)', async () => {
  const cas: SimulatedCa[] = [
    { id: 'edge-root', type: 'ROOT', status: 'ACTIVE', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', usageMode: 'SHORT_LIVED_CERTIFICATE', created: new Date(NOW.getTime() - 30 * DAY), notBefore: new Date(NOW.getTime() - 30 * DAY), notAfter: new Date(NOW.getTime() + 700 * DAY) },
    { id: 'no-expiry', type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: new Date(NOW.getTime() - 30 * DAY) },
  ];
  const { config, go } = setup(cas);
  const { result } = await go();
  const r = latest(config);
  expect(r.get(caArn('edge-root')).Annotation).toMatch(/^Root CA in short-lived certificate mode: such a CA must be the last in its hierarchy, so this root issues end-entity certificates directly/);
  expect(r.get(caArn('no-expiry')).Annotation).toBe('Could not evaluate: ListCertificateAuthorities returned no NotAfter for an active CA.');
  expect(result.failedClosed).toBe(1);
});

test('throttled listing calls are retried by the SDK; 250 CAs in three pages of 100', async () => {
  const many = Array.from({ length: 250 }, (_, i): SimulatedCa => ({
    id: `ca-${i}`, type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: new Date(NOW.getTime() - DAY), notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 365 * DAY),
  }));
  const { sim, config, go } = setup(many, { inject: (op, _input, n) => (op === 'ListCertificateAuthorities' && n <= 2 ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined) });
  const { result } = await go();
  expect(sim.stats.get('ListCertificateAuthorities')).toMatchObject({ requests: 5, failed: 2 });
  expect(result.apiCalls.ListCertificateAuthorities).toBe(5);
  expect(new Set(config.putEvaluations.flat().map((e) => e.ComplianceResourceId)).size).toBe(250);
});

test('a denied listing (an SCP, say) ends the pass incomplete, and withdraws nothing', async () => {
  const previous: EarlierResult[] = [{ resourceType: 'AWS::ACMPCA::CertificateAuthority', resourceId: caArn('root-rsa'), compliance: 'NON_COMPLIANT' }];
  const { sim, config, go } = setup(sampleCertificateAuthorities(NOW), {
    previous,
    inject: (op) => (op === 'ListCertificateAuthorities' ? new SimulatedServiceError('AccessDeniedException', 'explicit deny in a service control policy') : undefined),
  });
  await expect(go()).rejects.toThrow(/AccessDeniedException|explicit deny/);
  expect(config.putEvaluations).toEqual([]);
  expect(sim.callsByOperation().GetComplianceDetailsByConfigRule).toBeUndefined();
});
