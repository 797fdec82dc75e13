import type { z } from 'zod';
import { bool, int, list, oneOf, regionName, section, text, whenParsed } from './fields';

/** Athena refuses a per-query cutoff below 10 MB (WorkGroupConfiguration.BytesScannedCutoffPerQuery). */
const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

const region = regionName();

/** Lake Formation grants IAM users and roles; anything else is refused before CloudFormation sees it. */
const iamPrincipalArn = text(
  /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/,
  'an IAM role or user ARN (arn:<partition>:iam::<12-digit account>:role/<name> or :user/<name>)',
);

export const analyticsSchema = section({
  /**
   * Off by default: the stack belongs in the Security Lake delegated administrator account, which
   * AWS never lets be the management account where the rest of the app deploys, and its queries
   * name tables that exist only once Security Lake runs in the rollup region.
   */
  enabled: bool().default(false),
  /** The Security Lake rollup region: where the Glue database, the tables and this stack live. */
  securityLakeRegion: region.default('us-east-1'),
  /** How far back every query looks; each query filters time_dt to this window. */
  lookbackDays: int(1, 365).default(30),
  /**
   * How far back the questions about current state (unused keys and secrets, failing checks,
   * expiring certificates) read findings: AWS Config sends Security Hub a finding only when a
   * result changes, so a resource failing for months has no recent row. Never below lookbackDays.
   */
  currentStateDays: int(1, 3650).default(365),
  /** Athena cancels any query of the workgroup that scans more than this. */
  bytesScannedCutoffPerQuery: int(MIN_BYTES_SCANNED_CUTOFF, Number.MAX_SAFE_INTEGER).default(10_000_000_000),
  /** Query results are deleted from the results bucket after this many days. */
  resultsExpirationDays: int(1, 3650).default(30),
  /** Server access logs of the results bucket are kept this many days. */
  accessLogsExpirationDays: int(1, 3650).default(365),
  /**
   * How query results are encrypted: S3_MANAGED (SSE-S3), or KMS with a customer managed key this
   * stack creates (rotated, with an alias). Absent means S3_MANAGED (cdk.json does not state it yet).
   */
  resultsEncryption: oneOf(['S3_MANAGED', 'KMS']).default('S3_MANAGED'),
  workGroupName: text(/^[a-zA-Z0-9._-]{1,128}$/, '1 to 128 letters, digits, dots, underscores or dashes').default('crypto-asset-monitoring'),
  /**
   * IAM roles or users granted Lake Formation SELECT on the two Security Lake tables by this stack,
   * besides the QuickSight data source role, which the stack grants by itself when dashboards are on.
   */
  lakeFormationReaders: list(iamPrincipalArn, { unique: true }).default([]),
}).superRefine((a, ctx) => {
  if (a.currentStateDays < a.lookbackDays) {
    ctx.addIssue({
      code: 'custom',
      path: ['currentStateDays'],
      input: a.currentStateDays,
      message: `must be at least lookbackDays (${a.lookbackDays}): the state questions read the window the activity questions read, and more`,
    });
  }
}, whenParsed('lookbackDays', 'currentStateDays'));

export type AnalyticsSettings = z.output<typeof analyticsSchema>;
