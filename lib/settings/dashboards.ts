import { z } from 'zod';
import { bool, list, oneOf, regionName, section, text, timeZone } from './fields';

/**
 * A QuickSight user or group: a full ARN, or `user/<namespace>/<name>` / `group/<namespace>/<name>`,
 * which the app completes with the identity region and the stack's account.
 */
const principal = text(
  /^(arn:aws[a-z-]*:quicksight:[a-z]{2}(-[a-z]+)+-\d:\d{12}:)?(user|group)\/[\w.+=,@-]{1,64}\/[\w.+=,@/-]{1,256}$/,
  'a QuickSight user or group ARN (arn:<partition>:quicksight:<identity region>:<account>:user/<namespace>/<name>), or user/<namespace>/<name> or group/<namespace>/<name>',
);

const region = regionName();

export const dashboardsSchema = section({
  /**
   * Off by default: QuickSight dashboards as code need a QuickSight Enterprise subscription in
   * the account of the Athena workgroup, so they live in the analytics stack and need it enabled.
   */
  enabled: bool().default(false),
  /** Where the account's QuickSight users and groups live (the region in their ARNs). */
  identityRegion: region.default('us-east-1'),
  /** Users or groups that may edit the data source, data sets and analyses and manage the dashboards. */
  owners: list(principal, { unique: true }).default([]),
  /** Users or groups that may only open the dashboards. */
  viewers: list(principal, { unique: true }).default([]),
  /**
   * SPICE imports each query's result on the schedule below: Athena scans once per refresh, and
   * views and filters read the import. DIRECT_QUERY runs the query again for every visual on every
   * view and filter change, each scan billed and each subject to the workgroup's cutoff. SPICE by
   * default: an organization-wide window of CloudTrail is the scan, and it should be paid once a
   * day, not once a click (docs/dashboards.md, "Import mode").
   */
  importMode: oneOf(['DIRECT_QUERY', 'SPICE']).default('SPICE'),
  /** SPICE only: how often each data set is refreshed. */
  refreshInterval: oneOf(['HOURLY', 'DAILY', 'WEEKLY']).default('DAILY'),
  /** SPICE only: the time of day of a daily or weekly refresh, HH:MM. */
  refreshTimeOfDay: text(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00 to 23:59)').default('06:00'),
  /** SPICE only: the day of a weekly refresh. */
  refreshDayOfWeek: oneOf(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']).default('MONDAY'),
  /** SPICE only: the time zone of the refresh time, an IANA name the runtime knows (QuickSight takes java.time zone ids, the same names). */
  refreshTimeZone: timeZone().default('UTC'),
  /** Name of the IAM role QuickSight assumes for this data source; the stack creates it and grants it Lake Formation read access. */
  dataSourceRoleName: text(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (1 to 64 letters, digits or +=,.@_-)').default('crypto-asset-monitoring-quicksight'),
  /** KMS keys that encrypt the Security Lake bucket, if customer managed: the data source role may decrypt with them. */
  securityLakeKmsKeyArns: list(text(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'a KMS key ARN'), { unique: true }).default([]),
  /** Prefix of every QuickSight id and name this app creates. */
  idPrefix: text(/^[a-z][a-z0-9-]{0,30}$/, 'a lower-case letter, then up to 30 lower-case letters, digits or dashes').default('crypto-asset-monitoring'),
});

export type DashboardsSettings = z.output<typeof dashboardsSchema>;

/**
 * What the dashboards need from the rest of the settings, reported as issues on the root schema
 * (`key` is the context key the messages name).
 */
export function checkDashboardsAgainstSettings(s: { analytics: { enabled: boolean }; dashboards: DashboardsSettings }, ctx: z.RefinementCtx, key: string): void {
  const d = s.dashboards;
  if (d.enabled && !s.analytics.enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['dashboards', 'enabled'],
      input: true,
      message: `the dashboards query the Athena workgroup of the analytics stack, so ${key}.analytics.enabled must be true too`,
    });
  }
  if (d.enabled && d.owners.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['dashboards', 'owners'],
      input: [],
      message: 'name at least one QuickSight user or group, or no one could open or manage what the stack creates',
    });
  }
  for (const list of ['owners', 'viewers'] as const) {
    d[list].forEach((p, i) => {
      const r = /^arn:[^:]+:quicksight:([^:]+):/.exec(p)?.[1];
      if (r && r !== d.identityRegion) {
        ctx.addIssue({
          code: 'custom',
          path: ['dashboards', list, i],
          input: p,
          message: `QuickSight users and groups live in the identity region ${JSON.stringify(d.identityRegion)}, so their ARNs name it`,
        });
      }
    });
  }
}
