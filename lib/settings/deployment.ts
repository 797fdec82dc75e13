import { z } from 'zod';
import { bool, int, list, oneOf, oneOfNumbers, regionList, regionName, section, text, whenParsed } from './fields';

export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** An organization root id (r-…) or an organizational unit id (ou-…-…), as StackSets accept them. */
const ouId = text(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, 'an organization root id (r-xxxx) or OU id (ou-xxxx-xxxxxxxx)');

export const deploymentSchema = section({
  /** Where the StackSet deploys. Empty: the organization root, looked up at deploy time. */
  targetOrganizationalUnitIds: list(ouId, { unique: true }).default([]),
  /** Regions of every member account to cover, all of one partition. Empty: the region the management stack is deployed to. */
  targetRegions: regionList().default([]),
  /** The order regions are deployed in; every entry must also be a target region. */
  regionOrder: list(regionName(), { unique: true }).default([]),
  regionConcurrency: oneOf(['PARALLEL', 'SEQUENTIAL']).default('PARALLEL'),
  /** SELF from the management account; DELEGATED_ADMIN from a CloudFormation delegated administrator. */
  callAs: oneOf(['SELF', 'DELEGATED_ADMIN']).default('SELF'),
  maxConcurrentPercentage: int(1, 100).default(25),
  failureTolerancePercentage: int(0, 100).default(10),
  concurrencyMode: oneOf(['STRICT_FAILURE_TOLERANCE', 'SOFT_FAILURE_TOLERANCE']).default('SOFT_FAILURE_TOLERANCE'),
  /** Remove the member stack when an account leaves a target OU. */
  retainStacksOnAccountRemoval: bool().default(false),
  /** Up to 109 characters: the management account's StackSet appends `-management-account` within StackSets' 128. */
  stackSetName: text(/^[a-zA-Z][-a-zA-Z0-9]{0,108}$/, 'a StackSet name (a letter, then letters, digits and dashes, up to 109, leaving room for "-management-account")').default(
    'crypto-asset-monitoring',
  ),
  /** Prefix of the names given to member resources (functions, roles, log groups). */
  namePrefix: text(/^[a-z][a-z0-9-]{1,19}$/, 'lower-case letters, digits and dashes, 2 to 20 characters, starting with a letter').default(
    'crypto-monitoring',
  ),
  /** CloudWatch Logs retention of the rule functions' log groups, in days. */
  logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).default(365),
  /**
   * Service-managed StackSets never deploy to the management account. When true, the management
   * stack also deploys the member template there through a self-managed StackSet, one stack
   * instance per target region. Unset: true with callAs SELF (the app runs in the management
   * account), false with DELEGATED_ADMIN.
   */
  includeManagementAccount: bool().optional(),
})
  .superRefine((d, ctx) => {
    for (const r of d.regionOrder) {
      if (!d.targetRegions.includes(r)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regionOrder'],
          input: r,
          message: `every region in regionOrder must also be in targetRegions (${JSON.stringify(d.targetRegions)})`,
        });
      }
    }
  }, whenParsed('targetRegions', 'regionOrder'))
  .superRefine((d, ctx) => {
    // From a delegated administrator the app's own stacks land in that member account, which the
    // StackSet already covers: the same named functions and rules would be created twice.
    if (d.includeManagementAccount === true && d.callAs === 'DELEGATED_ADMIN') {
      ctx.addIssue({
        code: 'custom',
        path: ['includeManagementAccount'],
        input: d.includeManagementAccount,
        message:
          'must be false or unset when callAs is DELEGATED_ADMIN: the app then deploys from a member account that the StackSet already covers, and cannot reach the management account',
      });
    }
  }, whenParsed('includeManagementAccount', 'callAs'))
  .transform((d) => ({ ...d, includeManagementAccount: d.includeManagementAccount ?? d.callAs === 'SELF' }));

export type DeploymentSettings = z.output<typeof deploymentSchema>;
