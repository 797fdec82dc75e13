import {
  assetClassOf,
  assetClassesParameter,
  certificateAuthorityLifetime,
  certificateLifetime,
  decideReadiness,
  deadlineParameter,
  kmsKeyLifetime,
  outOfScopeDecision,
  parseParameters,
  PASS_ORDER,
  RESOURCE_TYPE_OF,
  type Lifetime,
} from '../../lambda/crypto-quantum-readiness-check';
import { classifyCertificate, classifyCertificateAuthority, classifyKmsKey } from '../../lambda/inventory/quantum';
import type { QuantumAssessment } from '../../lambda/inventory/record';
import { MalformedEventError } from '../../lambda/runtime/config-event';
import { MAX_ANNOTATION_LENGTH } from '../../lambda/runtime/evaluation';
import { InvalidParameterError } from '../../lambda/runtime/parameters';
import { QUANTUM_ASSET_CLASSES } from '../../lib/settings/rules';

const NOW = new Date('2026-11-23T12:00:00Z');
const DEADLINE = deadlineParameter({}, 'migrationDeadline', '2030-12-31');
const rsaEncryption = classifyKmsKey({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' });
const until = (iso: string, why = 'valid until'): Lifetime => ({ kind: 'until', end: new Date(iso), why });
const decide = (q: QuantumAssessment, life: Lifetime, now = NOW) => decideReadiness(q, life, now, DEADLINE);

describe('decideReadiness: the class, how long the asset stays, and the deadline', () => {
  test('the deadline ends with its day, in UTC', () => {
    expect(DEADLINE).toEqual({ date: '2030-12-31', end: new Date('2031-01-01T00:00:00Z') });
  });

  test.each([
    ['in service for good (no deletion scheduled)', { kind: 'indefinite', why: 'no deletion is scheduled' }, 'NON_COMPLIANT'],
    ['valid past the deadline by a second', until('2031-01-01T00:00:01Z'), 'NON_COMPLIANT'],
    ['valid until exactly the end of the deadline day', until('2031-01-01T00:00:00Z'), 'COMPLIANT'],
    ['valid until the deadline day', until('2030-12-31T10:00:00Z'), 'COMPLIANT'],
    ['scheduled for deletion before the deadline', until('2026-12-20T00:00:00Z', 'scheduled for deletion on'), 'COMPLIANT'],
    ['out of service', { kind: 'out-of-service', why: 'Expired on 2026-01-01' }, 'NOT_APPLICABLE'],
  ] as const)('quantum-vulnerable, %s → %s', (_case, life, compliance) => {
    const d = decide(rsaEncryption, life as Lifetime);
    expect(d.compliance).toBe(compliance);
    expect(d.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });

  test('what a finding says: class, priority, why it outlives the deadline, then the classifier reason', () => {
    expect(decide(rsaEncryption, { kind: 'indefinite', why: 'no deletion is scheduled' }).annotation).toMatch(
      /^Quantum-vulnerable, priority 1: no deletion is scheduled, so in service after the migration deadline 2030-12-31\. RSA-2048 encryption key: Shor's algorithm breaks it/,
    );
    const root = classifyCertificateAuthority({ keyAlgorithm: 'RSA_4096', signingAlgorithm: 'SHA512WITHRSA', type: 'ROOT', usageMode: 'GENERAL_PURPOSE' });
    expect(decide(root, until('2035-02-09T12:00:00Z', 'its CA certificate is valid until')).annotation).toMatch(
      /^Quantum-vulnerable, priority 2: its CA certificate is valid until 2035-02-09, after the migration deadline 2030-12-31\. RSA-4096 root CA: /,
    );
    expect(decide(rsaEncryption, until('2030-06-30T00:00:00Z')).annotation).toMatch(/^Quantum-vulnerable but out of service by the migration deadline 2030-12-31: valid until 2030-06-30\. RSA-2048/);
  });

  test('once the deadline has passed, what is still in service is reported as past it', () => {
    const after = new Date('2031-03-01T00:00:00Z');
    expect(decide(rsaEncryption, { kind: 'indefinite', why: 'no deletion is scheduled' }, after).annotation).toMatch(/^Quantum-vulnerable, priority 1: no deletion is scheduled, so in service and the migration deadline 2030-12-31 has passed\./);
    expect(decide(rsaEncryption, until('2031-06-01T00:00:00Z'), after)).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/valid until 2031-06-01, and the migration deadline 2030-12-31 has passed/) });
  });

  test.each([
    ['ML-DSA-65 signing key', classifyKmsKey({ keySpec: 'ML_DSA_65', keyUsage: 'SIGN_VERIFY' }), 'COMPLIANT'],
    ['ML-KEM-768 key', classifyKmsKey({ keySpec: 'ML_KEM_768', keyUsage: 'ENCAPSULATE_DECAPSULATE' }), 'COMPLIANT'],
    ['AES-256 (SYMMETRIC_DEFAULT)', classifyKmsKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' }), 'COMPLIANT'],
    ['HMAC-512', classifyKmsKey({ keySpec: 'HMAC_512', keyUsage: 'GENERATE_VERIFY_MAC' }), 'COMPLIANT'],
    ['ML-DSA root CA', classifyCertificateAuthority({ keyAlgorithm: 'ML_DSA_87', signingAlgorithm: 'ML_DSA_87', type: 'ROOT', usageMode: 'GENERAL_PURPOSE' }), 'COMPLIANT'],
  ])('%s → %s whatever its lifetime, with the classifier reason', (_case, q, compliance) => {
    const d = decide(q, { kind: 'indefinite', why: 'no deletion is scheduled' });
    expect(d.compliance).toBe(compliance);
    expect(d.annotation).toBe(q.reason.slice(0, MAX_ANNOTATION_LENGTH - 1) + (q.reason.length > MAX_ANNOTATION_LENGTH ? '…' : q.reason.slice(MAX_ANNOTATION_LENGTH - 1)));
  });

  test('an algorithm the classifier does not know fails closed', () => {
    const d = decide(classifyKmsKey({ keySpec: 'FALCON_512', keyUsage: 'SIGN_VERIFY' }), { kind: 'indefinite', why: 'x' });
    expect(d.compliance).toBe('NON_COMPLIANT');
    expect(d.annotation).toMatch(/^Could not evaluate: Unknown KMS key spec "FALCON_512"/);
  });

  test('a missing lifetime fact fails closed for a vulnerable asset only; a symmetric key needs none', () => {
    const missing: Lifetime = { kind: 'unknown', reason: 'DescribeKey returned no key state, so whether the key is scheduled for deletion is unknown.' };
    expect(decide(rsaEncryption, missing)).toEqual({ compliance: 'NON_COMPLIANT', annotation: `Could not evaluate: ${missing.reason}` });
    expect(decide(classifyKmsKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' }), missing).compliance).toBe('COMPLIANT');
  });

  test('an asset out of service is not applicable even when its algorithm is unknown', () => {
    expect(decide(classifyCertificate({ keyAlgorithm: 'FUTURE_ALG' }), { kind: 'out-of-service', why: 'Certificate REVOKED' })).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Certificate REVOKED: not in service, nothing to migrate.',
    });
  });
});

describe('lifetimes from what AWS returns', () => {
  test.each([
    ['Enabled', { KeyState: 'Enabled' }, { kind: 'indefinite', why: 'no deletion is scheduled' }],
    ['Disabled: its material stays', { KeyState: 'Disabled' }, { kind: 'indefinite', why: 'Disabled, but no deletion is scheduled (its key material stays)' }],
    ['PendingImport', { KeyState: 'PendingImport' }, { kind: 'indefinite', why: 'PendingImport, but no deletion is scheduled (its key material stays)' }],
    ['PendingDeletion with its date', { KeyState: 'PendingDeletion', DeletionDate: new Date('2026-12-20T00:00:00Z') }, { kind: 'until', end: new Date('2026-12-20T00:00:00Z'), why: 'scheduled for deletion on' }],
    ['PendingDeletion without a date', { KeyState: 'PendingDeletion' }, { kind: 'unknown', reason: 'DescribeKey returned no DeletionDate for a key pending deletion.' }],
    ['PendingReplicaDeletion: no date is set', { KeyState: 'PendingReplicaDeletion' }, { kind: 'indefinite', why: 'its deletion waits for its replica keys (no date is set)' }],
    ['no state', {}, { kind: 'unknown', reason: 'DescribeKey returned no key state, so whether the key is scheduled for deletion is unknown.' }],
  ] as const)('KMS key %s', (_case, meta, life) => {
    expect(kmsKeyLifetime(meta as never)).toEqual(life);
  });

  test.each([
    ['issued', { Status: 'ISSUED', NotAfter: new Date('2027-06-01T00:00:00Z') }, { kind: 'until', end: new Date('2027-06-01T00:00:00Z'), why: 'valid until' }],
    ['issued, past its NotAfter', { Status: 'ISSUED', NotAfter: new Date('2026-11-01T00:00:00Z') }, { kind: 'out-of-service', why: 'Expired on 2026-11-01' }],
    ['issued without NotAfter', { Status: 'ISSUED' }, { kind: 'unknown', reason: 'ListCertificates returned no NotAfter for an issued certificate.' }],
    ['pending validation', { Status: 'PENDING_VALIDATION' }, { kind: 'out-of-service', why: 'Not issued yet (PENDING_VALIDATION); judged once issued' }],
    ['expired', { Status: 'EXPIRED', NotAfter: new Date('2026-01-01T00:00:00Z') }, { kind: 'out-of-service', why: 'Certificate EXPIRED' }],
    ['inactive', { Status: 'INACTIVE' }, { kind: 'out-of-service', why: 'Certificate INACTIVE' }],
    ['no status', {}, { kind: 'unknown', reason: 'ListCertificates returned no Status.' }],
  ] as const)('ACM certificate %s', (_case, c, life) => {
    expect(certificateLifetime(c as never, NOW)).toEqual(life);
  });

  test.each([
    ['active', { Status: 'ACTIVE', NotAfter: new Date('2035-01-01T00:00:00Z') }, { kind: 'until', end: new Date('2035-01-01T00:00:00Z'), why: 'its CA certificate is valid until' }],
    ['disabled: it can be enabled again', { Status: 'DISABLED', NotAfter: new Date('2035-01-01T00:00:00Z') }, { kind: 'until', end: new Date('2035-01-01T00:00:00Z'), why: 'its CA certificate is valid until' }],
    ['active without NotAfter', { Status: 'ACTIVE' }, { kind: 'unknown', reason: 'ListCertificateAuthorities returned no NotAfter for an active CA.' }],
    ['waiting for its certificate', { Status: 'PENDING_CERTIFICATE' }, { kind: 'out-of-service', why: 'No CA certificate installed yet; judged once it has one' }],
    ['deleted', { Status: 'DELETED', NotAfter: new Date('2035-01-01T00:00:00Z') }, { kind: 'out-of-service', why: 'CA DELETED' }],
    ['an unknown status', { Status: 'SUSPENDED' }, { kind: 'unknown', reason: 'ListCertificateAuthorities returned the unknown status "SUSPENDED".' }],
  ] as const)('Private CA %s', (_case, ca, life) => {
    expect(certificateAuthorityLifetime(ca as never, NOW)).toEqual(life);
  });
});

describe('parameters', () => {
  test('defaults: the end of 2030, every asset class', () => {
    const p = parseParameters({});
    expect(p.migrationDeadline.date).toBe('2030-12-31');
    expect([...p.assetClasses].sort()).toEqual(['certificate', 'certificate-authority', 'kms-key']);
    expect(p.requestsPerSecond).toBe(100);
    expect(p.exemptionTagKey).toBeUndefined();
  });

  test('as AWS Config passes them', () => {
    const p = parseParameters({ migrationDeadline: '2029-06-30', assetClasses: 'kms-key, certificate-authority', exemptionTagKey: 'pqc-exempt', requestsPerSecond: '20' });
    expect(p.migrationDeadline).toEqual({ date: '2029-06-30', end: new Date('2029-07-01T00:00:00Z') });
    expect([...p.assetClasses]).toEqual(['kms-key', 'certificate-authority']);
    expect(p.requestsPerSecond).toBe(20);
  });

  test.each([['2030-02-30'], ['2030-13-01'], ['2030-1-31'], ['31/12/2030'], ['2030-12-31T00:00:00Z'], ['1999-12-31'], ['2031']])('migrationDeadline %j is refused', (value) => {
    expect(() => deadlineParameter({ migrationDeadline: value }, 'migrationDeadline', '2030-12-31')).toThrow(InvalidParameterError);
  });

  test('a leap day exists in a leap year only', () => {
    expect(deadlineParameter({ d: '2028-02-29' }, 'd', '2030-12-31').date).toBe('2028-02-29');
    expect(() => deadlineParameter({ d: '2029-02-29' }, 'd', '2030-12-31')).toThrow('must be a calendar date YYYY-MM-DD');
  });

  test.each([['keys'], ['kms-key,kms-key'], ['kms-key,'], [',certificate'], ['KMS-KEY']])('assetClasses %j is refused', (value) => {
    expect(() => assetClassesParameter({ assetClasses: value }, 'assetClasses')).toThrow(InvalidParameterError);
  });

  test('the handler and the settings name the same asset classes, each with its AWS Config resource type', () => {
    expect([...PASS_ORDER].sort()).toEqual([...QUANTUM_ASSET_CLASSES].sort());
    expect(RESOURCE_TYPE_OF).toEqual({ 'certificate-authority': 'AWS::ACMPCA::CertificateAuthority', certificate: 'AWS::ACM::Certificate', 'kms-key': 'AWS::KMS::Key' });
  });

  test('a class left out says so', () => {
    expect(outOfScopeDecision('kms-key', new Set(['certificate', 'certificate-authority'] as const))).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Asset class kms-key is not in assetClasses (certificate-authority, certificate): not judged.',
    });
  });
});

describe('the asset class an invocation carries on with', () => {
  const continuation = { invocation: 2, passStartedAt: '2026-11-23T12:00:00.000Z', cursor: { skip: 0 }, evaluatedBefore: 0, sentBefore: 0, unsentBefore: 0 };
  test('a scheduled event starts with the first class', () => expect(assetClassOf({})).toBe('certificate-authority'));
  test('a continuation names its class', () => expect(assetClassOf({ assetClass: 'kms-key', continuation })).toBe('kms-key'));
  test.each([
    [{ continuation }, 'a continuation must name its assetClass'],
    [{ assetClass: 'secret' }, 'assetClass "secret" must be one of certificate-authority, certificate, kms-key'],
    [{ assetClass: 3 }, 'assetClass 3 must be one of'],
  ])('%j is refused', (event, message) => {
    expect(() => assetClassOf(event)).toThrow(MalformedEventError);
    expect(() => assetClassOf(event)).toThrow(message);
  });
});
