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

export type CustomRuleKey = 'kmsUnusedKey';

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

export const CUSTOM_RULES: readonly CustomRuleSpec[] = [
  {
    key: 'kmsUnusedKey',
    name: RULE_NAMES.kmsUnusedKey,
    description: 'Customer-managed KMS keys with no cryptographic use (GetKeyLastUsage) for more than unusedForDays days.',
    resourceType: 'AWS::KMS::Key',
    handlerEntry: 'lambda/kms-unused-keys.ts',
    // GetKeyLastUsage (2026-04) is newer than the SDK some Lambda runtimes ship.
    bundledModules: ['@aws-sdk/client-kms'],
    memorySizeMb: 256,
    // The benchmark evaluates 10,000 keys in about 2 minutes at the paced rate; 15 minutes leaves room for ~6x that.
    timeoutSeconds: 900,
    parameters: (s) => ({
      unusedForDays: String(s.rules.kmsUnusedKey.unusedForDays),
      exemptionTagKey: s.rules.kmsUnusedKey.exemptionTagKey,
    }),
    statements: (stack) => [
      // ListKeys has no resource scope.
      new iam.PolicyStatement({ actions: ['kms:ListKeys'], resources: ['*'] }),
      new iam.PolicyStatement({
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
];

/** Settings of one custom rule, as every rule section shares them. */
export function ruleSettings(settings: Settings, key: CustomRuleKey) {
  return settings.rules[key];
}
