import { z } from 'zod';
import { bool, calendarDate, decimal, int, list, oneOf, section, text } from './fields';

/** The periods AWS Config accepts as MaximumExecutionFrequency. */
export const EVALUATION_FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;

/** Tag keys: 1-128 characters of letters, digits, spaces and _ . : / = + - @, not starting with aws:. */
export const exemptionTagKey = text(
  /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  'a tag key of 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:"',
);

/**
 * How fast a custom rule calls the API that bounds its run, in requests per second per account
 * and Region. The quotas behind each default are in docs/rule-runtime.md; raise it only after raising the quota.
 */
const requestsPerSecond = (fallback: number) => decimal(0.1, 1000).default(fallback);

/** The settings of a rule that reports resources unused for more than `unusedForDays`. */
function unusedResourceRule(defaultRate: number) {
  return section({
    enabled: bool().default(true),
    /** A resource with no use for more than this many days (or never used and older than that) is NON_COMPLIANT. */
    unusedForDays: int(1, 365).default(90),
    evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
    /** A resource carrying this tag key is NOT_APPLICABLE, unless the YYYY-MM-DD its value starts with has passed or cannot be read (docs/rules.md#exemptions). */
    exemptionTagKey: exemptionTagKey.default('crypto-monitoring:exempt'),
    requestsPerSecond: requestsPerSecond(defaultRate),
  });
}

/** KMS keys: use is a successful cryptographic operation (GetKeyLastUsage, 5 requests per second unless raised: paced at 4). */
export const kmsUnusedKeySchema = unusedResourceRule(4);

/** Secrets: use is a read of the value (LastAccessedDate); the rate is ListSecrets' (100 per second: paced at 80). */
export const secretsUnusedSecretSchema = unusedResourceRule(80);

export const acmPendingDnsValidationSchema = section({
  enabled: bool().default(true),
  /** A DNS validation pending for more than this many hours is NON_COMPLIANT; ACM itself gives up at 72. */
  maxPendingHours: int(1, 72).default(24),
  /** Twice a day: a request overdue at 24 hours is reported with at least a day left before ACM gives up. */
  evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('Twelve_Hours'),
  /** A certificate carrying this tag key is NOT_APPLICABLE, unless the YYYY-MM-DD its value starts with has passed or cannot be read. */
  exemptionTagKey: exemptionTagKey.default('crypto-monitoring:exempt'),
  /** DescribeCertificate's rate (10 per second: paced at 8). */
  requestsPerSecond: requestsPerSecond(8),
});

export const acmPcaCertificateAuthoritySchema = section({
  /**
   * Off until switched on where AWS Private CA is used: in a Region without it the listing cannot
   * reach the endpoint and every pass ends incomplete. The rule itself is cheap (one
   * ListCertificateAuthorities call a day where there are no CAs).
   */
  enabled: bool().default(false),
  /** A CA whose certificate expires within this many days is NON_COMPLIANT. */
  expiringWithinDays: int(1, 3650).default(90),
  evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
  /** A CA carrying this tag key is NOT_APPLICABLE, unless the YYYY-MM-DD its value starts with has passed or cannot be read. */
  exemptionTagKey: exemptionTagKey.default('crypto-monitoring:exempt'),
  /** ListCertificateAuthorities' rate (20 per second: paced at 16). */
  requestsPerSecond: requestsPerSecond(16),
});

/** The asset classes the quantum-readiness rule can judge, as the inventory names them. */
export const QUANTUM_ASSET_CLASSES = ['kms-key', 'certificate', 'certificate-authority'] as const;

export const cryptoQuantumReadinessSchema = section({
  /**
   * Off: the deadline is the organization's own decision, and the rule describes every KMS key of
   * every account and Region each day (an AWS Config evaluation per key, certificate and CA).
   */
  enabled: bool().default(false),
  /** Quantum-vulnerable assets in service after the end of this day (UTC) are NON_COMPLIANT. NIST IR 8547 deprecates 112-bit RSA and ECC after 2030. */
  migrationDeadline: calendarDate.default('2030-12-31'),
  /** Which asset classes are judged; the others get NOT_APPLICABLE in place of earlier results. */
  assetClasses: list(oneOf(QUANTUM_ASSET_CLASSES), { unique: true })
    .refine((v) => v.length > 0, { error: `must name at least one of ${QUANTUM_ASSET_CLASSES.join(', ')}` })
    .default([...QUANTUM_ASSET_CLASSES]),
  evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
  /** A resource carrying this tag key is NOT_APPLICABLE, unless the YYYY-MM-DD its value starts with has passed or cannot be read. */
  exemptionTagKey: exemptionTagKey.default('crypto-monitoring:exempt'),
  /** DescribeKey's rate (2,000 per second: paced at 100, leaving the quota to applications). */
  requestsPerSecond: requestsPerSecond(100),
});

/** A managed rule AWS Config triggers on configuration changes: it can only be switched on or off. */
const changeTriggeredManagedRule = () => section({ enabled: bool().default(true) });

/** A periodic managed rule: on or off, and how often AWS Config runs it. */
const periodicManagedRule = () =>
  section({
    enabled: bool().default(true),
    evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
  });

/**
 * AWS managed Config rules deployed next to the custom ones, under the names in lib/catalog.ts.
 * Security Hub runs the same rules as controls (see docs/rules.md); switch a rule off here where
 * Security Hub already runs it in every account and region, to avoid paying for it twice.
 */
export const managedRulesSchema = section({
  cmkBackingKeyRotation: periodicManagedRule().prefault({}),
  kmsKeyNotScheduledForDeletion: periodicManagedRule().prefault({}),
  kmsKeyPolicyNoPublicAccess: changeTriggeredManagedRule().prefault({}),
  secretsRotationEnabled: section({
    enabled: bool().default(true),
    /** NON_COMPLIANT when a secret's rotation schedule is longer than this many days (Security Hub's SecretsManager.1 default is 90). */
    maximumAllowedRotationFrequency: int(1, 365).default(90),
  }).prefault({}),
  secretsScheduledRotationSuccess: changeTriggeredManagedRule().prefault({}),
  secretsPeriodicRotation: section({
    enabled: bool().default(true),
    /** NON_COMPLIANT when a secret has not been rotated for more than this many days. */
    maxDaysSinceRotation: int(1, 365).default(90),
    evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
  }).prefault({}),
  acmCertificateExpiration: section({
    enabled: bool().default(true),
    /** NON_COMPLIANT when a certificate expires within this many days (Security Hub's ACM.1 uses 30). */
    daysToExpiration: int(1, 365).default(30),
    evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
  }).prefault({}),
  acmCertificateRsa: changeTriggeredManagedRule().prefault({}),
});

export const rulesSchema = section({
  kmsUnusedKey: kmsUnusedKeySchema.prefault({}),
  secretsUnusedSecret: secretsUnusedSecretSchema.prefault({}),
  acmPendingDnsValidation: acmPendingDnsValidationSchema.prefault({}),
  acmPcaCertificateAuthority: acmPcaCertificateAuthoritySchema.prefault({}),
  cryptoQuantumReadiness: cryptoQuantumReadinessSchema.prefault({}),
  managed: managedRulesSchema.prefault({}),
});

export type RulesSettings = z.output<typeof rulesSchema>;

/** How many rules, custom and managed, are switched on. */
export function enabledRuleCount(r: RulesSettings): number {
  const { managed, ...custom } = r;
  return [...Object.values(custom), ...Object.values(managed)].filter((rule) => rule.enabled).length;
}

/**
 * With every rule off the member template is empty, unless it forwards events to a central bus
 * (alerting enabled with centralAccountId and centralRegion, as lib/member/event-forwarding.ts
 * decides): CloudFormation refuses a template without resources, in every account and region.
 */
export function checkRulesAgainstSettings(
  s: { rules: RulesSettings; alerting: { enabled: boolean; centralAccountId?: string; centralRegion?: string } },
  ctx: z.RefinementCtx,
  key: string,
): void {
  const forwardsEvents = s.alerting.enabled && s.alerting.centralAccountId !== undefined && s.alerting.centralRegion !== undefined;
  if (enabledRuleCount(s.rules) > 0 || forwardsEvents) return;
  ctx.addIssue({
    code: 'custom',
    path: ['rules'],
    input: s.rules,
    params: { got: 'every rule disabled' },
    message:
      `enable at least one custom or managed rule: with none, and no events forwarded to a central bus (${key}.alerting.centralAccountId and centralRegion), ` +
      'the StackSet would deploy an empty template, which CloudFormation refuses, to every account and region',
  });
}
