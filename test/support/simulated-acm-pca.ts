/**
 * A simulated AWS Private CA, as the service answers the calls the rules make (API reference):
 * ListCertificateAuthorities returns at most 100 CAs a page whatever MaxResults says (1 to 1000),
 * lists the account's own CAs unless ResourceOwner is OTHER_ACCOUNTS (CAs shared with it through AWS
 * RAM), and leaves out the fields a CA does not have (no NotBefore/NotAfter before its certificate
 * is installed, FailureReason only when creation failed, RestorableUntil only when deleted).
 * Key and signing algorithms are strings: the service's newer values (ML_DSA_65, RSA_3072) reach an
 * older SDK as they are. ListTags answers per CA; GetResources is the Tagging API's, for the
 * acm-pca:certificate-authority type.
 */
import { ACMPCAClient, ListCertificateAuthoritiesCommand, ListTagsCommand } from '@aws-sdk/client-acm-pca';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { epochSeconds, SimulatedServiceError, type OperationHandler } from './simulated-aws';
import { getResourcesOperation } from './simulated-tagging';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';

export interface SimulatedCa {
  readonly id: string;
  readonly type: 'ROOT' | 'SUBORDINATE';
  readonly status: string;
  readonly keyAlgorithm: string;
  readonly signingAlgorithm: string;
  /** Absent in the answer when undefined. */
  readonly usageMode?: string;
  readonly created: Date;
  readonly lastStateChange?: Date;
  /** Only once a CA certificate is installed. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly failureReason?: string;
  readonly restorableUntil?: Date;
  /** The owning account; another one's CA is listed only with ResourceOwner OTHER_ACCOUNTS. */
  readonly owner?: string;
  readonly tags?: Record<string, string>;
}

export const caArn = (id: string, account = ACCOUNT) => `arn:aws:acm-pca:${REGION}:${account}:certificate-authority/${id}`;

/** The CA as ListCertificateAuthorities describes it (dates as awsJson epoch seconds). */
function described(ca: SimulatedCa) {
  const owner = ca.owner ?? ACCOUNT;
  return {
    Arn: caArn(ca.id, owner),
    OwnerAccount: owner,
    CreatedAt: epochSeconds(ca.created),
    LastStateChangeAt: epochSeconds(ca.lastStateChange ?? ca.created),
    Type: ca.type,
    Status: ca.status,
    ...(ca.notBefore ? { Serial: '4096', NotBefore: epochSeconds(ca.notBefore) } : {}),
    ...(ca.notAfter ? { NotAfter: epochSeconds(ca.notAfter) } : {}),
    ...(ca.failureReason ? { FailureReason: ca.failureReason } : {}),
    ...(ca.restorableUntil ? { RestorableUntil: epochSeconds(ca.restorableUntil) } : {}),
    CertificateAuthorityConfiguration: {
      KeyAlgorithm: ca.keyAlgorithm,
      SigningAlgorithm: ca.signingAlgorithm,
      Subject: { CommonName: `${ca.id}.pki.example.com`, Organization: 'Example Corp' },
    },
    RevocationConfiguration: { CrlConfiguration: { Enabled: false }, OcspConfiguration: { Enabled: false } },
    KeyStorageSecurityStandard: 'FIPS_140_2_LEVEL_3_OR_HIGHER',
    ...(ca.usageMode ? { UsageMode: ca.usageMode } : {}),
  };
}

export function pcaOperations(cas: readonly SimulatedCa[]): Record<string, OperationHandler> {
  const own = () => cas.filter((c) => (c.owner ?? ACCOUNT) === ACCOUNT);
  const find = (arn: string) => {
    const c = own().find((x) => caArn(x.id) === arn);
    if (!c) throw new SimulatedServiceError('ResourceNotFoundException', `Could not find certificate authority ${arn}.`);
    return c;
  };
  return {
    ListCertificateAuthorities: ({ MaxResults, NextToken, ResourceOwner = 'SELF' }) => {
      if (MaxResults !== undefined && (MaxResults < 1 || MaxResults > 1000)) throw new SimulatedServiceError('ValidationException', 'MaxResults must be between 1 and 1000');
      const listed = ResourceOwner === 'SELF' ? own() : cas.filter((c) => (c.owner ?? ACCOUNT) !== ACCOUNT);
      const start = NextToken ? Number(NextToken.replace('page-', '')) : 0;
      const next = start + Math.min(MaxResults ?? 100, 100);
      return {
        CertificateAuthorities: listed.slice(start, next).map(described),
        ...(next < listed.length ? { NextToken: `page-${next}` } : {}),
      };
    },
    ListTags: ({ CertificateAuthorityArn }) => ({
      Tags: Object.entries(find(CertificateAuthorityArn).tags ?? {}).map(([Key, Value]) => (Value === '' ? { Key } : { Key, Value })),
    }),
    GetResources: getResourcesOperation('acm-pca:certificate-authority', () => own().map((c) => ({ arn: caArn(c.id), tags: c.tags }))),
  };
}

const DAY = 86_400_000;

/**
 * A realistic account: a two-level hierarchy (RSA_4096 root, EC_prime256v1 subordinate), a
 * short-lived subordinate, an ML-DSA root, and one CA in every other status, at `now`.
 */
export function sampleCertificateAuthorities(now: Date): SimulatedCa[] {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  return [
    { id: 'root-rsa', type: 'ROOT', status: 'ACTIVE', keyAlgorithm: 'RSA_4096', signingAlgorithm: 'SHA512WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-700), notBefore: at(-700), notAfter: at(3000) },
    { id: 'issuing-ec', type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', usageMode: 'GENERAL_PURPOSE', created: at(-690), notBefore: at(-690), notAfter: at(40) },
    { id: 'short-lived', type: 'SUBORDINATE', status: 'ACTIVE', keyAlgorithm: 'EC_secp384r1', signingAlgorithm: 'SHA384WITHECDSA', usageMode: 'SHORT_LIVED_CERTIFICATE', created: at(-100), notBefore: at(-100), notAfter: at(265) },
    { id: 'root-mldsa', type: 'ROOT', status: 'ACTIVE', keyAlgorithm: 'ML_DSA_65', signingAlgorithm: 'ML_DSA_65', usageMode: 'GENERAL_PURPOSE', created: at(-10), notBefore: at(-10), notAfter: at(3640) },
    { id: 'old-issuing', type: 'SUBORDINATE', status: 'DISABLED', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-1200), lastStateChange: at(-60), notBefore: at(-1200), notAfter: at(600) },
    { id: 'offline-root', type: 'ROOT', status: 'DISABLED', keyAlgorithm: 'RSA_4096', signingAlgorithm: 'SHA512WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-2000), lastStateChange: at(-1900), notBefore: at(-2000), notAfter: at(1650) },
    { id: 'awaiting-cert', type: 'SUBORDINATE', status: 'PENDING_CERTIFICATE', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-45) },
    { id: 'creating', type: 'SUBORDINATE', status: 'CREATING', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', usageMode: 'GENERAL_PURPOSE', created: at(0) },
    { id: 'failed', type: 'SUBORDINATE', status: 'FAILED', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-5), failureReason: 'REQUEST_TIMED_OUT' },
    { id: 'expired', type: 'SUBORDINATE', status: 'EXPIRED', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-800), notBefore: at(-800), notAfter: at(-70) },
    { id: 'deleted', type: 'SUBORDINATE', status: 'DELETED', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'GENERAL_PURPOSE', created: at(-300), lastStateChange: at(-10), notBefore: at(-300), notAfter: at(65), restorableUntil: at(20) },
    // Shared with this account through AWS RAM: its owner's to judge, never listed with ResourceOwner SELF.
    { id: 'shared-root', type: 'ROOT', status: 'ACTIVE', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', usageMode: 'SHORT_LIVED_CERTIFICATE', created: at(-50), notBefore: at(-50), notAfter: at(10), owner: OTHER_ACCOUNT },
  ];
}

/**
 * aws-sdk-client-mock is typed against the @smithy types of the newer clients; the pinned
 * @aws-sdk/client-acm-pca 3.523.0 was built on older ones, so its client and commands are handed to
 * the mock untyped. What the mock does is the same.
 */
export function mockPrivateCa(): AwsStub<any, any, any> {
  return mockClient(ACMPCAClient as any);
}
export const LIST_CERTIFICATE_AUTHORITIES: any = ListCertificateAuthoritiesCommand;
export const LIST_TAGS: any = ListTagsCommand;
