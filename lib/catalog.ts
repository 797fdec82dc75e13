/**
 * The catalog of AWS Config rules this app deploys: the single source of every rule name. The
 * member template, the analytics queries and the tests all read names from here.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Settings } from './settings';

/** Rule names are a contract: Security Hub copies them into finding titles, the queries match on them. */
export const RULE_NAMES = {
  kmsUnusedKey: 'kms-unused-key-check',
  secretsUnusedSecret: 'secretsmanager-unused-secret-check',
  acmPendingDnsValidation: 'acm-pending-dns-validation-check',
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

export type CustomRuleKey = 'kmsUnusedKey' | 'secretsUnusedSecret' | 'acmPendingDnsValidation';

export interface CustomRuleSpec {
  readonly key: CustomRuleKey;
  readonly name: string;
  readonly description: string;
  /** The AWS Config resource type the rule reports on. */
  readonly resourceType: string;
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
}

function kmsKeyArns(stack: Stack): string {
  return Arn.format({ service: 'kms', resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
}

function acmCertificateArns(stack: Stack): string {
  return Arn.format({ service: 'acm', resource: 'certificate', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
}

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
