/**
 * The AWS Control Tower proactive controls, run by cfn-guard (@cdklabs/cdk-validator-cfnguard) as a
 * validation plugin over every stack, as cdk-nag is (nag.ts). A finding fails synthesis unless one
 * of GUARD_ACKNOWLEDGEMENTS below names its control and the construct it is on, with the reason.
 * The acknowledgements live here, by construct path, rather than in the construct files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Validations, type Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/**
 * Context key that turns the controls on (`-c cryptoMonitoringGuard=true`). Off by default: a
 * cfn-guard run per App adds about 6 s to every `cdk synth`, so the tests run it (test/lib/guard.test.ts).
 */
export const GUARD_CONTEXT_KEY = 'cryptoMonitoringGuard';

/** The plugin's name: the namespace of its acknowledgement ids. */
export const GUARD_PLUGIN_NAME = 'cdk-validator-cfnguard';

export interface GuardAcknowledgement {
  /** The Control Tower control, as its documentation names it: `CT.LAMBDA.PR.2`. */
  readonly control: string;
  /** Construct paths (from the app, stack name first) the finding is acknowledged on, and below. */
  readonly path: RegExp;
  readonly reason: string;
}

/** A custom Config rule (lib/member/custom-config-rule.ts) in the member template. */
const CONFIG_RULE = String.raw`^CryptoAssetMonitoringMember/[A-Za-z]+`;
/** The singleton function of aws-cdk-lib's AwsCustomResource (lib/org/organization-lookup.ts), in any stack. */
const AWS_CUSTOM_RESOURCE = String.raw`^[A-Za-z]+/AWS679f53fac002430cb0da5b7982bd2287`;

/** The server access log buckets of the organization trail bucket and of the Athena results bucket. */
const ACCESS_LOGS = /^CryptoAssetMonitoring(Alerting\/OrganizationTrail|Analytics\/QueryResults)\/AccessLogs\/Resource$/;
const RESULTS_BUCKET = /^CryptoAssetMonitoringAnalytics\/QueryResults\/Results\/Resource$/;
const TRAIL_BUCKET = /^CryptoAssetMonitoringAlerting\/OrganizationTrail\/Bucket\/Resource$/;
/** The daily CycloneDX writer of the analytics stack (lib/analytics/cbom-writer.ts). */
const CBOM_WRITER = String.raw`^CryptoAssetMonitoringAnalytics/InventoryCbom`;
/** The cryptographic inventory bucket (lib/analytics/inventory-bucket.ts), written by every member account's rule roles. */
const INVENTORY_BUCKET = /^CryptoAssetMonitoringAnalytics\/Inventory\/Bucket\/Bucket\/Resource$/;

export const GUARD_ACKNOWLEDGEMENTS: readonly GuardAcknowledgement[] = [
  {
    control: 'CT.LAMBDA.PR.2',
    path: new RegExp(`${CONFIG_RULE}/ConfigInvoke$`),
    reason:
      "The permission for config.amazonaws.com has SourceAccount, but as AWS::AccountId: the member template is one StackSet template for every account, so it cannot carry a literal account id, and the control only accepts a literal",
  },
  {
    control: 'CT.LAMBDA.PR.3',
    path: new RegExp(`${CONFIG_RULE}/Function/Resource$`),
    reason:
      'The rule functions only call AWS APIs (KMS, Secrets Manager, ACM, Config); a VPC in every member account and Region would need one, plus NAT or five interface endpoints, for no private resource to reach',
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    path: new RegExp(`${CONFIG_RULE}/LogGroup/Resource$`),
    reason:
      'The rule functions log key ids, secret and certificate ARNs and counts, never key material or secret values; CloudWatch Logs encrypts them at rest with its own keys, and a customer managed key per member account and Region would cost $1 a month each and itself be a key this app reports on',
  },
  {
    control: 'CT.LAMBDA.PR.3',
    path: new RegExp(`${AWS_CUSTOM_RESOURCE}/Resource$`),
    reason:
      "aws-cdk-lib's AwsCustomResource function makes one Organizations call (DescribeOrganization or ListRoots) at deployment and reaches no private resource; a VPC would need NAT or an endpoint for it and nothing else",
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    path: new RegExp(`${AWS_CUSTOM_RESOURCE}/LogGroup/Resource$`),
    reason:
      "aws-cdk-lib's AwsCustomResource function logs the Organizations response (organization and root ids, not secret); CloudWatch Logs' own encryption at rest is enough for it",
  },
  {
    control: 'CT.IAM.PR.5',
    path: /^CryptoAssetMonitoring\/ManagementAccount\/ExecutionRole\/Resource$/,
    reason:
      'The StackSet execution role of the management account (lib/org/management-account-stack-set.ts): cloudformation:*, s3:* and sns:* are the minimum the CloudFormation User Guide documents for a StackSet execution role; config:*, lambda:*, logs:* and events:* apply only to Config rules and to functions, log groups and rules named with the app prefix; the role is assumable only by the app\'s StackSet administration role',
  },
  {
    control: 'CT.S3.PR.10',
    path: ACCESS_LOGS,
    reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS',
  },
  {
    control: 'CT.S3.PR.2',
    path: ACCESS_LOGS,
    reason: 'This is the server access log bucket of the other bucket; logging it too would need a third bucket, or log into itself in a loop',
  },
  {
    control: 'CT.S3.PR.11',
    path: ACCESS_LOGS,
    reason: 'Server access logs are written once by S3 log delivery and never overwritten; versioning would only keep deleted objects past their expiry',
  },
  {
    control: 'CT.S3.PR.4',
    path: new RegExp(`${ACCESS_LOGS.source}|${RESULTS_BUCKET.source}|${TRAIL_BUCKET.source}`),
    reason: 'Nothing consumes object events from these buckets: the trail is read through CloudWatch Logs, query results by Athena and QuickSight, access logs by people on demand',
  },
  {
    control: 'CT.S3.PR.9',
    path: new RegExp(`${ACCESS_LOGS.source}|${RESULTS_BUCKET.source}|${TRAIL_BUCKET.source}`),
    reason:
      'Retention is by lifecycle expiry; Object Lock cannot be turned off once on and would keep regenerable query results and logs past their set expiry. The trail bucket is also protected by its bucket policy and KMS key, and CloudTrail log file validation detects tampering',
  },
  {
    control: 'CT.S3.PR.6',
    path: /^CryptoAssetMonitoringAlerting\/OrganizationTrail\/AccessLogs\/Resource$/,
    reason:
      'The organization trail bucket access logs are audit evidence kept, like the retained bucket, until someone deletes them. Follow-up: an expiry matching organizationTrail.logRetentionDays in lib/alerting/organization-trail.ts',
  },
  {
    control: 'CT.S3.PR.10',
    path: RESULTS_BUCKET,
    reason: 'The query results (Security Lake query output about keys, secrets and certificates, no key material or secret values) are encrypted with S3 managed keys when no customer managed results key is configured, to avoid a key to pay for and manage',
  },
  {
    control: 'CT.S3.PR.11',
    path: RESULTS_BUCKET,
    reason: 'Athena query results are regenerated by running the query again and expire after analytics.resultsExpirationDays; old versions would only keep them longer',
  },
  {
    control: 'CT.LAMBDA.PR.3',
    path: new RegExp(`${CBOM_WRITER}/Function/Resource$`),
    reason: 'The CBOM writer reads and writes one S3 bucket of its own account once a day and reaches no private resource; a VPC would need a gateway endpoint for S3 and nothing else',
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    path: new RegExp(`${CBOM_WRITER}/LogGroup/Resource$`),
    reason: 'The CBOM writer logs counts, the day and object keys, no key material or secret values; CloudWatch Logs encrypts them at rest with its own keys',
  },
  {
    control: 'CT.S3.PR.10',
    path: INVENTORY_BUCKET,
    reason:
      'The inventory (key specs, certificate dates, prices; no key material or secret values) is written by rule roles of every member account; with SSE-KMS each of those accounts would need a grant in the key policy, and the key would be one more key this app reports on. SSE-S3 is enforced by the bucket policy instead',
  },
  {
    control: 'CT.S3.PR.4',
    path: INVENTORY_BUCKET,
    reason: 'Nothing consumes object events: Athena reads the inventory through partition projection, and the CBOM writer runs on a schedule after the passes',
  },
  {
    control: 'CT.S3.PR.9',
    path: INVENTORY_BUCKET,
    reason: 'Each day is rewritten by the next pass and expires after inventory.retentionDays; versioning keeps overwritten objects 30 days, and Object Lock could not be turned off again',
  },
  {
    control: 'CT.ATHENA.PR.2',
    path: /^CryptoAssetMonitoringAnalytics\/Athena\/WorkGroup$/,
    reason: 'The workgroup encrypts query results with SSE_S3 when no customer managed results key is configured (the same choice as the results bucket), and with SSE_KMS and that key when one is',
  },
];

const RULES_DIR = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
const ruleNames = new Map<string, string>();

/** The cfn-guard rule name a control's findings carry (`CT.LAMBDA.PR.2` → `lambda_function_public_access_prohibited_check`). */
export function guardRuleName(control: string): string {
  const cached = ruleNames.get(control);
  if (cached) return cached;
  const file = `${control.toLowerCase().replace(/\./g, '-')}.guard`;
  const dir = fs.readdirSync(RULES_DIR).find((d) => fs.existsSync(path.join(RULES_DIR, d, file)));
  if (!dir) throw new Error(`No Control Tower control ${control} in ${RULES_DIR}`);
  const match = /^rule (\w+) when is_cfn_template\(/m.exec(fs.readFileSync(path.join(RULES_DIR, dir, file), 'utf8'));
  if (!match) throw new Error(`No rule for CloudFormation templates in ${file}`);
  ruleNames.set(control, match[1]);
  return match[1];
}

/** Acknowledges one control's findings on a construct and everything below it. */
export function acknowledgeGuard(scope: IConstruct, control: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${GUARD_PLUGIN_NAME}::${guardRuleName(control)}`, reason: `${control}: ${reason}` });
}

/**
 * Adds the Control Tower controls to a stage and acknowledges GUARD_ACKNOWLEDGEMENTS on the
 * constructs whose paths match; call it once every construct exists. Returns the constructs
 * each acknowledgement was placed on.
 */
export function addGuardChecks(stage: Stage): Map<GuardAcknowledgement, string[]> {
  Validations.of(stage).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  const placed = new Map<GuardAcknowledgement, string[]>(GUARD_ACKNOWLEDGEMENTS.map((a) => [a, []]));
  for (const construct of stage.node.findAll()) {
    for (const ack of GUARD_ACKNOWLEDGEMENTS) {
      if (!ack.path.test(construct.node.path)) continue;
      acknowledgeGuard(construct, ack.control, ack.reason);
      placed.get(ack)!.push(construct.node.path);
    }
  }
  return placed;
}
