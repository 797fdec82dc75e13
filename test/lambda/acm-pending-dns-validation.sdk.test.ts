/**
 * Through the real SDK stack (serialization, adaptive retry) against the simulated ACM, which
 * behaves like the service: without Includes.keyTypes it lists RSA_1024 and RSA_2048 only.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { acmPendingDnsValidationRule } from '../../lambda/acm-pending-dns-validation';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { runRule } from '../../lambda/runtime/run-rule';
import { acmOperations, certificateArn, sampleCertificate, type SimulatedCertificate } from '../support/simulated-acm';
import { SimulatedAws, SimulatedServiceError, simulatedClientConfig } from '../support/simulated-aws';
import { configOperations, type SimulatedConfigState } from '../support/simulated-config';
import { runOnVirtualClock } from '../support/virtual-clock';
import { scheduledRuleEvent } from '../support/rule-event';

const NOW = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;
const event = () => scheduledRuleEvent('acm-pending-dns-validation-check', NOW, { maxPendingHours: '24', exemptionTagKey: 'keep' });
const cert = (i: number, over: Partial<SimulatedCertificate> = {}) => sampleCertificate(i, NOW, over);

function setup(certificates: SimulatedCertificate[], inject?: (op: string, input: any, n: number) => SimulatedServiceError | undefined) {
  const config: SimulatedConfigState = { putEvaluations: [], previous: [] };
  const sim = new SimulatedAws({ operations: { ...acmOperations(certificates), ...configOperations(config) }, latencyMs: () => 10, inject });
  const rule = acmPendingDnsValidationRule(
    new ACMClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)),
    new ResourceGroupsTaggingAPIClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)),
  );
  const cfg = new ConfigServiceClient(simulatedClientConfig(sim, CLIENT_DEFAULTS));
  return { sim, config, go: () => runOnVirtualClock(() => runRule(rule, event(), { config: cfg, now: () => NOW }), undefined, NOW.getTime()) };
}

beforeEach(() => jest.spyOn(console, 'info').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

test('through the real SDK: ECDSA and 4096-bit RSA certificates are listed, which the default key types would leave out', async () => {
  const certificates = [
    cert(1, { keyAlgorithm: 'RSA_2048' }),
    cert(2, { keyAlgorithm: 'EC_prime256v1', status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 50 * HOUR) }),
    cert(3, { keyAlgorithm: 'RSA_4096', status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 50 * HOUR) }),
  ];
  const { sim, config, go } = setup(certificates);
  const { result } = await go();
  expect(config.putEvaluations.flat().map((e) => e.ComplianceResourceId).sort()).toEqual([1, 2, 3].map((i) => certificateArn(`cert-${i}`)));
  expect(result.compliance).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 0 });
  expect(sim.callsByOperation()).toMatchObject({ ListCertificates: 1, DescribeCertificate: 2, GetResources: 1 });
  expect(sim.callsByOperation().ListTagsForCertificate).toBeUndefined();
});

test('throttled DescribeCertificate calls are retried; every pending certificate is still judged', async () => {
  const certificates = Array.from({ length: 40 }, (_, i) => cert(i, { status: 'PENDING_VALIDATION', created: new Date(NOW.getTime() - 30 * HOUR) }));
  const { sim, config, go } = setup(certificates, (op, _input, n) =>
    op === 'DescribeCertificate' && n <= 12 ? new SimulatedServiceError('ThrottlingException', 'Rate exceeded') : undefined,
  );
  const { result } = await go();
  expect(sim.stats.get('DescribeCertificate')!.failed).toBe(12);
  expect(config.putEvaluations.flat()).toHaveLength(40);
  expect(result.compliance.NON_COMPLIANT).toBe(40);
  expect(result.apiCalls.DescribeCertificate).toBe(52);
});
