/**
 * The catalog of AWS Config rules this app deploys: the single source of every rule name. The
 * member template, the analytics queries and the tests all read names from here.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { inventoryLocation } from './inventory-location';
import type { Settings } from './settings';

/** Rule names are a contract: Security Hub copies them into finding titles, the queries match on them. */
export const RULE_NAMES = {
  kmsUnusedKey: 'kms-unused-key-check',
  secretsUnusedSecret: 'secretsmanager-unused-secret-check',
  acmPendingDnsValidation: 'acm-pending-dns-validation-check',
  acmPcaCertificateAuthority: 'acm-pca-certificate-authority-check',
  cryptoQuantumReadiness: 'crypto-quantum-readiness-check',
  // AWS managed rules, deployed under these stable names.
  cmkBackingKeyRotation: 'cmk-backing-key-rotation-enabled',
  kmsKeyNotScheduledForDeletion: 'kms-cmk-not-scheduled-for-deletion',
  kmsKeyPolicyNoPublicAccess: 'kms-key-policy-no-public-access',
  secretsRotationEnabled: 'secretsmanager-rotation-enabled-check',
  secretsScheduledRotationSuccess: 'secretsmanager-scheduled-rotation-success-check',
  secretsPeriodicRotation: 'secretsmanager-secret-periodic-rotation',
  acmCertificateExpiration: 'acm-certificate-expiration-check',
  acmCertificateRsa: 'acm-certificate-rsa-check',
} as const;

export type CustomRuleKey = 'kmsUnusedKey' | 'secretsUnusedSecret' | 'acmPendingDnsValidation' | 'acmPcaCertificateAuthority' | 'cryptoQuantumReadiness';

export interface CustomRuleSpec {
  readonly key: CustomRuleKey;
  readonly name: string;
  readonly description: string;
  /** The AWS Config resource type the rule reports on (the first of `resourceTypes` when it reports on several). */
  readonly resourceType: string;
  /** Every resource type, for a rule that reports on several (each evaluation names its own). */
  readonly resourceTypes?: readonly string[];
  /** Handler source, relative to the repository root. */
  readonly handlerEntry: string;
  /** SDK packages bundled into the handler instead of taken from the Lambda runtime. */
  readonly bundledModules: readonly string[];
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** The rule's input parameters, from settings; AWS Config passes them to the handler as strings. */
  parameters(settings: Settings): Record<string, string>;
  /** What the handler calls, beyond logging and PutEvaluations, each scoped as tightly as the API allows. */
  statements(stack: Stack): iam.PolicyStatement[];
  /** Every wildcard in those statements, as cdk-nag names it, with the reason it is needed. */
  readonly nagWildcards: readonly { readonly finding: string; readonly reason: string }[];
  /**
   * What the handler also reads while the inventory is on (its parameters then name the bucket), so
   * that nothing changes while it is off. Their wildcards must be among `nagWildcards`.
   */
  inventoryStatements?(stack: Stack): iam.PolicyStatement[];
}

/** A price in the inventory settings (US dollars a month). */
export type InventoryPriceName = Exclude<keyof Settings['inventory']['prices'], 'date'>;

/** Rule parameters take plain decimals ("0.4", "0.0000001"), never an exponent as String(1e-7) would write. */
export function plainDecimal(n: number): string {
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/**
 * A rule's inventory parameters while the inventory is on: the bucket (lib/inventory-location.ts),
 * the account that must own it, its Region, the prices' date and the prices the rule's pricing
 * reads; none while it is off. The handler refuses a partial set (lambda/runtime/parameters.ts).
 */
export function inventoryParameters(settings: Settings, prices: readonly InventoryPriceName[]): Record<string, string> {
  const location = inventoryLocation(settings);
  if (!location) return {};
  const p = settings.inventory.prices;
  return {
    inventoryBucket: location.bucketName,
    inventoryBucketOwner: location.accountId,
    inventoryRegion: location.region,
    priceDate: p.date,
    ...Object.fromEntries(prices.map((name) => [name, plainDecimal(p[name])])),
  };
}

function kmsKeyArns(stack: Stack): string {
  return Arn.format({ service: 'kms', resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
}

function acmCertificateArns(stack: Stack): string {
  return Arn.format({ service: 'acm', resource: 'certificate', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
}

function privateCaArns(stack: Stack): string {
  return Arn.format({ service: 'acm-pca', resource: 'certificate-authority', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
}

const PRIVATE_CA_WILDCARD = {
  finding: 'Resource::arn:<AWS::Partition>:acm-pca:<AWS::Region>:<AWS::AccountId>:certificate-authority/*',
  reason: 'Tags of the CAs of its own account and region (read only when the Tagging API cannot be); their ids are unknown until ListCertificateAuthorities returns them.',
};

export const CUSTOM_RULES: readonly CustomRuleSpec[] = [
  {
    key: 'kmsUnusedKey',
    name: RULE_NAMES.kmsUnusedKey,
    description: 'Customer-managed KMS keys with no cryptographic use (GetKeyLastUsage) for more than unusedForDays days.',
    resourceType: 'AWS::KMS::Key',
    handlerEntry: 'lambda/kms-unused-keys.ts',
    // GetKeyLastUsage (2026-04) is newer than the SDK some Lambda runtimes ship.
    bundledModules: ['@aws-sdk/client-kms'],
    // Results leave as they are decided, so memory follows the work in flight, not the account's size.
    memorySizeMb: 512,
    // Lambda's longest: GetKeyLastUsage's 5/s quota means about 3,300 keys an invocation; continuations do the rest.
    timeoutSeconds: 900,
    parameters: (s) => ({
      unusedForDays: String(s.rules.kmsUnusedKey.unusedForDays),
      exemptionTagKey: s.rules.kmsUnusedKey.exemptionTagKey,
      requestsPerSecond: String(s.rules.kmsUnusedKey.requestsPerSecond),
      ...inventoryParameters(s, ['kmsKeyMonthlyUsd', 'kmsKeyRotationMonthlyUsd']),
    }),
    statements: (stack) => [
      // ListKeys and the Tagging API's GetResources (exempt keys) have no resource scope.
      new iam.PolicyStatement({ actions: ['kms:ListKeys', 'tag:GetResources'], resources: ['*'] }),
      new iam.PolicyStatement({
        // ListResourceTags only when the Tagging API cannot be read.
        actions: ['kms:DescribeKey', 'kms:GetKeyLastUsage', 'kms:ListResourceTags'],
        resources: [kmsKeyArns(stack)],
      }),
    ],
    // The inventory records each customer managed symmetric key's rotation (status, period, rotations KMS prices).
    inventoryStatements: (stack) => [new iam.PolicyStatement({ actions: ['kms:GetKeyRotationStatus', 'kms:ListKeyRotations'], resources: [kmsKeyArns(stack)] })],
    nagWildcards: [
      {
        finding: 'Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*',
        reason: 'The rule reads every key of its own account and region; key ids are unknown until ListKeys returns them.',
      },
    ],
  },
  {
    key: 'secretsUnusedSecret',
    name: RULE_NAMES.secretsUnusedSecret,
    description: 'Secrets Manager secrets not read (LastAccessedDate) for more than unusedForDays days, or never read and older than that.',
    resourceType: 'AWS::SecretsManager::Secret',
    handlerEntry: 'lambda/secrets-unused.ts',
    // ListSecrets and its fields are long established: the Lambda runtime's SDK serves.
    bundledModules: [],
    memorySizeMb: 256,
    // 100 secrets a ListSecrets page and a PutEvaluations batch; a larger account continues in a new invocation.
    timeoutSeconds: 900,
    parameters: (s) => ({
      unusedForDays: String(s.rules.secretsUnusedSecret.unusedForDays),
      exemptionTagKey: s.rules.secretsUnusedSecret.exemptionTagKey,
      requestsPerSecond: String(s.rules.secretsUnusedSecret.requestsPerSecond),
      ...inventoryParameters(s, ['secretMonthlyUsd']),
    }),
    // Only the listing: the rule never reads a secret value (no GetSecretValue, no DescribeSecret).
    statements: () => [new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] })],
    nagWildcards: [],
  },
  {
    key: 'acmPendingDnsValidation',
    name: RULE_NAMES.acmPendingDnsValidation,
    description: 'Amazon-issued ACM certificates whose DNS validation has been pending for more than maxPendingHours hours, or that timed out or failed.',
    resourceType: 'AWS::ACM::Certificate',
    handlerEntry: 'lambda/acm-pending-dns-validation.ts',
    bundledModules: [],
    memorySizeMb: 256,
    // DescribeCertificate's 10/s quota bounds a run; an account with more pending certificates continues in a new invocation.
    timeoutSeconds: 900,
    parameters: (s) => ({
      maxPendingHours: String(s.rules.acmPendingDnsValidation.maxPendingHours),
      exemptionTagKey: s.rules.acmPendingDnsValidation.exemptionTagKey,
      requestsPerSecond: String(s.rules.acmPendingDnsValidation.requestsPerSecond),
      // No certificate has a monthly price: only the prices' date.
      ...inventoryParameters(s, []),
    }),
    statements: (stack) => [
      // ListCertificates has no resource scope.
      // ListCertificates and the Tagging API's GetResources (exempt certificates) have no resource scope.
      new iam.PolicyStatement({ actions: ['acm:ListCertificates', 'tag:GetResources'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'],
        resources: [acmCertificateArns(stack)],
      }),
    ],
    nagWildcards: [
      {
        finding: 'Resource::arn:<AWS::Partition>:acm:<AWS::Region>:<AWS::AccountId>:certificate/*',
        reason: 'The rule describes certificates of its own account and region; their ids are unknown until ListCertificates returns them.',
      },
    ],
  },
  {
    key: 'acmPcaCertificateAuthority',
    name: RULE_NAMES.acmPcaCertificateAuthority,
    description: 'AWS Private CA certificate authorities expiring within expiringWithinDays days, billed while they cannot issue (disabled, expired, no CA certificate), or roots in short-lived mode issuing end-entity certificates.',
    resourceType: 'AWS::ACMPCA::CertificateAuthority',
    handlerEntry: 'lambda/acm-pca-certificate-authority-check.ts',
    // The Lambda runtime's SDK has the Private CA client.
    bundledModules: [],
    memorySizeMb: 256,
    // One listing holds every fact (100 CAs a page) and there is no call per CA: a pass takes seconds.
    timeoutSeconds: 300,
    parameters: (s) => ({
      expiringWithinDays: String(s.rules.acmPcaCertificateAuthority.expiringWithinDays),
      exemptionTagKey: s.rules.acmPcaCertificateAuthority.exemptionTagKey,
      requestsPerSecond: String(s.rules.acmPcaCertificateAuthority.requestsPerSecond),
      // The inventory's CA records come from the same listing: no further read, only the prices of both modes.
      ...inventoryParameters(s, ['privateCaGeneralPurposeMonthlyUsd', 'privateCaShortLivedMonthlyUsd']),
    }),
    statements: (stack) => [
      // ListCertificateAuthorities and the Tagging API's GetResources (exempt CAs) have no resource scope.
      new iam.PolicyStatement({ actions: ['acm-pca:ListCertificateAuthorities', 'tag:GetResources'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['acm-pca:ListTags'], resources: [privateCaArns(stack)] }),
    ],
    nagWildcards: [PRIVATE_CA_WILDCARD],
  },
  {
    key: 'cryptoQuantumReadiness',
    name: RULE_NAMES.cryptoQuantumReadiness,
    description: 'Quantum-vulnerable KMS keys, ACM certificates and Private CAs (RSA, elliptic curve, SM2) still in service after migrationDeadline.',
    resourceType: 'AWS::ACMPCA::CertificateAuthority',
    resourceTypes: ['AWS::ACMPCA::CertificateAuthority', 'AWS::ACM::Certificate', 'AWS::KMS::Key'],
    handlerEntry: 'lambda/crypto-quantum-readiness-check.ts',
    // ListKeys and DescribeKey (KeySpec, KeyUsage) are long established: the Lambda runtime's SDK serves.
    bundledModules: [],
    memorySizeMb: 512,
    // DescribeKey per key bounds a pass (100/s by default); a larger account continues in a new invocation.
    timeoutSeconds: 900,
    parameters: (s) => ({
      migrationDeadline: s.rules.cryptoQuantumReadiness.migrationDeadline,
      assetClasses: s.rules.cryptoQuantumReadiness.assetClasses.join(','),
      exemptionTagKey: s.rules.cryptoQuantumReadiness.exemptionTagKey,
      requestsPerSecond: String(s.rules.cryptoQuantumReadiness.requestsPerSecond),
    }),
    statements: (stack) => [
      // Listings and the Tagging API's GetResources (exempt resources) have no resource scope.
      new iam.PolicyStatement({ actions: ['acm-pca:ListCertificateAuthorities', 'acm:ListCertificates', 'kms:ListKeys', 'tag:GetResources'], resources: ['*'] }),
      // Tags are read per resource only when the Tagging API cannot be.
      new iam.PolicyStatement({ actions: ['kms:DescribeKey', 'kms:ListResourceTags'], resources: [kmsKeyArns(stack)] }),
      new iam.PolicyStatement({ actions: ['acm:ListTagsForCertificate'], resources: [acmCertificateArns(stack)] }),
      new iam.PolicyStatement({ actions: ['acm-pca:ListTags'], resources: [privateCaArns(stack)] }),
    ],
    nagWildcards: [
      {
        finding: 'Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*',
        reason: 'The rule describes every key of its own account and region; key ids are unknown until ListKeys returns them.',
      },
      {
        finding: 'Resource::arn:<AWS::Partition>:acm:<AWS::Region>:<AWS::AccountId>:certificate/*',
        reason: 'Tags of the certificates of its own account and region (read only when the Tagging API cannot be); their ids are unknown until ListCertificates returns them.',
      },
      PRIVATE_CA_WILDCARD,
    ],
  },
];

/** The distinct exemption tag keys of the enabled custom rules (the managed rules cannot honour tags). */
export function exemptionTagKeys(rules: Readonly<Record<CustomRuleKey, { readonly enabled: boolean; readonly exemptionTagKey: string }>>): string[] {
  const keys = CUSTOM_RULES.filter((spec) => rules[spec.key].enabled).map((spec) => rules[spec.key].exemptionTagKey);
  return [...new Set(keys)].sort();
}

export type ManagedRuleKey = keyof Settings['rules']['managed'];

/** How AWS Config starts a managed rule, as its page in the AWS Config developer guide states. */
export interface ManagedRuleTrigger {
  /** Evaluates a resource when its recorded configuration changes (needs Scope.ComplianceResourceTypes). */
  readonly configurationChanges: boolean;
  /** Evaluates on a schedule (takes MaximumExecutionFrequency). */
  readonly periodic: boolean;
}

export interface ManagedRuleSpec {
  readonly key: ManagedRuleKey;
  /** The stable name the rule is deployed under; analytics queries match on it. */
  readonly name: string;
  /** AWS Config's identifier for the managed rule (Source.SourceIdentifier). */
  readonly identifier: string;
  readonly description: string;
  readonly resourceTypes: readonly string[];
  readonly trigger: ManagedRuleTrigger;
  /** The Security Hub control that runs the same managed rule. */
  readonly securityHubControl: string;
  /**
   * Region codes where AWS Config does not offer this managed rule, from the "AWS Region" line of
   * the rule's page (regionSource); empty where the page says "All supported AWS regions". The
   * member template skips the rule there (a CloudFormation condition on AWS::Region), because
   * creating it fails the stack instance.
   */
  readonly unsupportedRegions: readonly string[];
  /** The page of the AWS Config developer guide that unsupportedRegions comes from. */
  readonly regionSource: string;
  /** Input parameters, only those the managed rule accepts; AWS Config passes them as strings. */
  parameters(settings: Settings): Record<string, string>;
}

const PERIODIC: ManagedRuleTrigger = { configurationChanges: false, periodic: true };
const ON_CHANGE: ManagedRuleTrigger = { configurationChanges: true, periodic: false };
const noParameters = () => ({});
const rulePage = (name: string) => `https://docs.aws.amazon.com/config/latest/developerguide/${name}.html`;

/**
 * AWS managed rules for what AWS Config already checks well. Identifiers, triggers and parameter
 * names are those of each rule's page in the AWS Config developer guide.
 *
 * Region lists: the newest revision of each page that could be read, all from after Asia Pacific
 * (New Zealand) opened in 2025. The pages change as AWS Config adds rules to Regions (older
 * revisions listed more Regions for several rules): read them again when a Region opens, and keep
 * docs/rules.md in step.
 */
export const MANAGED_RULES: readonly ManagedRuleSpec[] = [
  {
    key: 'cmkBackingKeyRotation',
    name: RULE_NAMES.cmkBackingKeyRotation,
    identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
    description: 'Automatic key rotation is enabled for each customer-managed symmetric KMS key.',
    resourceTypes: ['AWS::KMS::Key'],
    trigger: PERIODIC,
    securityHubControl: 'KMS.4',
    // The page: "All supported AWS regions" (earlier revisions excepted Middle East (UAE) and other 2022-23 Regions).
    unsupportedRegions: [],
    regionSource: rulePage('cmk-backing-key-rotation-enabled'),
    parameters: noParameters,
  },
  {
    key: 'kmsKeyNotScheduledForDeletion',
    name: RULE_NAMES.kmsKeyNotScheduledForDeletion,
    identifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION',
    description: 'No KMS key is scheduled for deletion.',
    resourceTypes: ['AWS::KMS::Key'],
    trigger: PERIODIC,
    securityHubControl: 'KMS.3',
    // Asia Pacific (New Zealand), Europe (Milan), Asia Pacific (Taipei).
    unsupportedRegions: ['ap-southeast-6', 'eu-south-1', 'ap-east-2'],
    regionSource: rulePage('kms-cmk-not-scheduled-for-deletion'),
    parameters: noParameters,
  },
  {
    key: 'kmsKeyPolicyNoPublicAccess',
    name: RULE_NAMES.kmsKeyPolicyNoPublicAccess,
    identifier: 'KMS_KEY_POLICY_NO_PUBLIC_ACCESS',
    description: 'No KMS key policy allows public access.',
    resourceTypes: ['AWS::KMS::Key'],
    trigger: ON_CHANGE,
    securityHubControl: 'KMS.5',
    // AWS GovCloud (US-East), AWS GovCloud (US-West), Canada West (Calgary). Earlier revisions also
    // listed New Zealand, Thailand, Malaysia, Mexico (Central) and Taipei.
    unsupportedRegions: ['us-gov-east-1', 'us-gov-west-1', 'ca-west-1'],
    regionSource: rulePage('kms-key-policy-no-public-access'),
    parameters: noParameters,
  },
  {
    key: 'secretsRotationEnabled',
    name: RULE_NAMES.secretsRotationEnabled,
    identifier: 'SECRETSMANAGER_ROTATION_ENABLED_CHECK',
    description: 'Every secret has automatic rotation enabled, no less often than maximumAllowedRotationFrequency days.',
    resourceTypes: ['AWS::SecretsManager::Secret'],
    trigger: ON_CHANGE,
    securityHubControl: 'SecretsManager.1',
    // The page: "All supported AWS regions" (an earlier revision excepted Mexico (Central) and Taipei).
    unsupportedRegions: [],
    regionSource: rulePage('secretsmanager-rotation-enabled-check'),
    parameters: (s) => ({ maximumAllowedRotationFrequency: String(s.rules.managed.secretsRotationEnabled.maximumAllowedRotationFrequency) }),
  },
  {
    key: 'secretsScheduledRotationSuccess',
    name: RULE_NAMES.secretsScheduledRotationSuccess,
    identifier: 'SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK',
    description: 'Secrets with rotation configured rotated as scheduled.',
    resourceTypes: ['AWS::SecretsManager::Secret'],
    trigger: ON_CHANGE,
    securityHubControl: 'SecretsManager.2',
    // The page: "All supported AWS regions".
    unsupportedRegions: [],
    regionSource: rulePage('secretsmanager-scheduled-rotation-success-check'),
    parameters: noParameters,
  },
  {
    key: 'secretsPeriodicRotation',
    name: RULE_NAMES.secretsPeriodicRotation,
    identifier: 'SECRETSMANAGER_SECRET_PERIODIC_ROTATION',
    description: 'Every secret was rotated within maxDaysSinceRotation days.',
    resourceTypes: ['AWS::SecretsManager::Secret'],
    trigger: PERIODIC,
    securityHubControl: 'SecretsManager.4',
    // The page: "All supported AWS regions" (an earlier revision excepted Mexico (Central) and Taipei).
    unsupportedRegions: [],
    regionSource: rulePage('secretsmanager-secret-periodic-rotation'),
    parameters: (s) => ({ maxDaysSinceRotation: String(s.rules.managed.secretsPeriodicRotation.maxDaysSinceRotation) }),
  },
  {
    key: 'acmCertificateExpiration',
    name: RULE_NAMES.acmCertificateExpiration,
    identifier: 'ACM_CERTIFICATE_EXPIRATION_CHECK',
    description: 'No ACM certificate expires within daysToExpiration days.',
    resourceTypes: ['AWS::ACM::Certificate'],
    trigger: { configurationChanges: true, periodic: true },
    securityHubControl: 'ACM.1',
    // The page: "All supported AWS regions" (earlier revisions excepted China (Beijing), Osaka, Milan and others).
    unsupportedRegions: [],
    regionSource: rulePage('acm-certificate-expiration-check'),
    parameters: (s) => ({ daysToExpiration: String(s.rules.managed.acmCertificateExpiration.daysToExpiration) }),
  },
  {
    key: 'acmCertificateRsa',
    name: RULE_NAMES.acmCertificateRsa,
    identifier: 'ACM_CERTIFICATE_RSA_CHECK',
    description: 'RSA certificates managed by ACM have keys of at least 2,048 bits.',
    resourceTypes: ['AWS::ACM::Certificate'],
    trigger: ON_CHANGE,
    securityHubControl: 'ACM.2',
    // Asia Pacific (New Zealand), China (Beijing), Asia Pacific (Thailand), AWS GovCloud (US-East),
    // AWS GovCloud (US-West), Mexico (Central), Asia Pacific (Taipei), China (Ningxia).
    unsupportedRegions: ['ap-southeast-6', 'cn-north-1', 'ap-southeast-7', 'us-gov-east-1', 'us-gov-west-1', 'mx-central-1', 'ap-east-2', 'cn-northwest-1'],
    regionSource: rulePage('acm-certificate-rsa-check'),
    parameters: noParameters,
  },
];
