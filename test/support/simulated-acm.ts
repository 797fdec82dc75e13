/**
 * A simulated ACM for the pending-DNS-validation rule. ListCertificates behaves as the service
 * does by default: without Includes.keyTypes it returns only RSA_1024 and RSA_2048 certificates,
 * it filters by CertificateStatuses, and pages up to 1,000. DescribeCertificate and
 * ListTagsForCertificate answer per certificate ARN.
 */
import { epochSeconds, SimulatedServiceError, type OperationHandler } from './simulated-aws';
import { getResourcesOperation } from './simulated-tagging';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const HOUR = 3_600_000;

export interface SimulatedCertificate {
  readonly id: string;
  readonly domains: readonly string[];
  readonly type: 'AMAZON_ISSUED' | 'IMPORTED' | 'PRIVATE';
  readonly status: string;
  readonly keyAlgorithm: string;
  readonly created: Date;
  readonly validationMethod?: 'DNS' | 'EMAIL';
  readonly failureReason?: string;
  readonly tags?: Record<string, string>;
  // What the inventory reads; each is left out of the answers when absent, as ACM leaves it out.
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** ARNs of the resources using it (DescribeCertificate's InUseBy); the listing says only InUse. */
  readonly inUseBy?: readonly string[];
  /** ELIGIBLE or INELIGIBLE. */
  readonly renewalEligibility?: string;
  readonly signatureAlgorithm?: string;
  /** The private CA that issued a PRIVATE certificate. */
  readonly issuer?: string;
  /** An imported certificate: ImportedAt instead of CreatedAt, as ACM answers for one. */
  readonly importedAt?: Date;
}

export const certificateArn = (id: string) => `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${id}`;
const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];

/** The CNAME ACM would ask for: a name under the domain and a value under acm-validations.aws. */
export const validationRecord = (certId: string, domain: string) => ({
  Name: `_${certId.replace(/-/g, '').slice(0, 32).padEnd(32, '0')}.${domain.replace(/^\*\./, '')}.`,
  Type: 'CNAME',
  Value: `_${certId.replace(/-/g, '').slice(-32).padStart(32, '0')}.xlfgrmvvlj.acm-validations.aws.`,
});

/** Certificate number `i`: an issued ECDSA certificate requested 100 hours before `now`, unless `over` says otherwise. */
export function sampleCertificate(i: number, now: Date, over: Partial<SimulatedCertificate> = {}): SimulatedCertificate {
  return {
    id: `cert-${i}`,
    domains: [`svc${i}.example.com`],
    type: 'AMAZON_ISSUED',
    status: 'ISSUED',
    keyAlgorithm: 'EC_prime256v1',
    created: new Date(now.getTime() - 100 * HOUR),
    ...over,
  };
}

/** Fields the listing and the description share. */
function inventoryFields(c: SimulatedCertificate) {
  return {
    ...(c.importedAt ? { ImportedAt: epochSeconds(c.importedAt) } : { CreatedAt: epochSeconds(c.created) }),
    ...(c.notBefore ? { NotBefore: epochSeconds(c.notBefore) } : {}),
    ...(c.notAfter ? { NotAfter: epochSeconds(c.notAfter) } : {}),
    ...(c.renewalEligibility ? { RenewalEligibility: c.renewalEligibility } : {}),
  };
}

export function acmOperations(certificates: readonly SimulatedCertificate[]): Record<string, OperationHandler> {
  const byArn = new Map(certificates.map((c) => [certificateArn(c.id), c]));
  const find = (arn: string) => {
    const c = byArn.get(arn);
    if (!c) throw new SimulatedServiceError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
    return c;
  };
  return {
    ListCertificates: ({ CertificateStatuses, Includes, MaxItems = 1000, NextToken }) => {
      const keyTypes: string[] = Includes?.keyTypes ?? DEFAULT_KEY_TYPES;
      const statuses: string[] | undefined = CertificateStatuses;
      const listed = certificates.filter((c) => keyTypes.includes(c.keyAlgorithm) && (!statuses || statuses.includes(c.status)));
      const start = NextToken ? Number(NextToken) : 0;
      const next = start + Math.min(MaxItems, 1000);
      return {
        CertificateSummaryList: listed.slice(start, next).map((c) => ({
          CertificateArn: certificateArn(c.id),
          DomainName: c.domains[0],
          // The listing holds at most 100 names and says when it left some out.
          SubjectAlternativeNameSummaries: c.domains.slice(0, 100),
          HasAdditionalSubjectAlternativeNames: c.domains.length > 100,
          Status: c.status,
          Type: c.type,
          KeyAlgorithm: c.keyAlgorithm,
          ...inventoryFields(c),
          ...(c.inUseBy !== undefined ? { InUse: c.inUseBy.length > 0 } : {}),
        })),
        ...(next < listed.length ? { NextToken: String(next) } : {}),
      };
    },
    DescribeCertificate: ({ CertificateArn }) => {
      const c = find(CertificateArn);
      return {
        Certificate: {
          CertificateArn,
          DomainName: c.domains[0],
          SubjectAlternativeNames: c.domains,
          Status: c.status,
          Type: c.type,
          KeyAlgorithm: c.keyAlgorithm,
          ...inventoryFields(c),
          ...(c.inUseBy !== undefined ? { InUseBy: c.inUseBy } : {}),
          ...(c.signatureAlgorithm ? { SignatureAlgorithm: c.signatureAlgorithm } : {}),
          ...(c.issuer ? { CertificateAuthorityArn: c.issuer } : {}),
          ...(c.failureReason ? { FailureReason: c.failureReason } : {}),
          ...(c.type === 'AMAZON_ISSUED'
            ? {
                DomainValidationOptions: c.domains.map((d) => ({
                  DomainName: d,
                  ValidationMethod: c.validationMethod ?? 'DNS',
                  ValidationStatus: c.status === 'ISSUED' ? 'SUCCESS' : c.status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : 'FAILED',
                  ...((c.validationMethod ?? 'DNS') === 'DNS' ? { ResourceRecord: validationRecord(c.id, d) } : {}),
                })),
              }
            : {}),
        },
      };
    },
    ListTagsForCertificate: ({ CertificateArn }) => ({
      Tags: Object.entries(find(CertificateArn).tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
    GetResources: getResourcesOperation('acm:certificate', () => certificates.map((c) => ({ arn: certificateArn(c.id), tags: c.tags }))),
  };
}

const KEY_ALGORITHMS = ['RSA_2048', 'EC_prime256v1', 'RSA_4096', 'EC_secp384r1', 'RSA_3072'];

/**
 * A deterministic inventory of `count` certificates, mixed key algorithms: `pendingFraction` of
 * them pending DNS validation (half past 48 hours, half within the first 6), one in 500 failed,
 * one in 250 timed out, one in ten imported, the rest issued.
 */
export function certificateInventory(count: number, pendingFraction: number, now: Date): SimulatedCertificate[] {
  const pendingEvery = Math.round(1 / pendingFraction);
  return Array.from({ length: count }, (_, i): SimulatedCertificate => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const domains = [`svc${i}.example.com`, `www.svc${i}.example.com`];
    const keyAlgorithm = KEY_ALGORITHMS[i % KEY_ALGORITHMS.length];
    const base = { id, domains, keyAlgorithm, type: 'AMAZON_ISSUED' as const, created: new Date(now.getTime() - 200 * 24 * HOUR) };
    if (i % pendingEvery === 0) {
      return { ...base, status: 'PENDING_VALIDATION', created: new Date(now.getTime() - (i % (pendingEvery * 2) === 0 ? 50 : 5) * HOUR) };
    }
    if (i % 500 === 7) return { ...base, status: 'FAILED', failureReason: 'CAA_ERROR' };
    if (i % 250 === 3) return { ...base, status: 'VALIDATION_TIMED_OUT' };
    if (i % 10 === 1) return { ...base, type: 'IMPORTED' as const, status: 'ISSUED' };
    return { ...base, status: 'ISSUED' };
  });
}
