import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INVENTORY_PREFIX } from './inventory-schema';

export interface InventoryBucketProps {
  /** Exactly what inventoryLocation() gives: the member accounts compute the same name from settings. */
  readonly bucketName: string;
  /** The organization whose rule roles may write (o-…): a literal or a deploy-time lookup. */
  readonly organizationId: string;
  /** The rule roles' name prefix (deployment.namePrefix): roles are `<prefix>-<rule key>-<region>`. */
  readonly namePrefix: string;
  /** A day of the inventory is deleted this many days after it was written (inventory.retentionDays). */
  readonly retentionDays: number;
  /** The server access log bucket the other buckets of the stack log to. */
  readonly accessLogs: s3.IBucket;
  /** IAM roles or users of this account that may read the inventory with Athena (analytics.lakeFormationReaders). */
  readonly readers?: readonly string[];
}

/** An overwritten or expired version stays this long, so a bad overwrite can be seen and undone. */
export const NONCURRENT_VERSION_DAYS = 30;

/**
 * The central bucket of the cryptographic inventory. Every member account's rule roles write their
 * pass's JSON lines under `inventory/dt=<day>/<own account>-…` and nothing else; only the
 * organization's rule roles can write, each only under its own account's names.
 *
 * - SSE-S3, not SSE-KMS: a writer in every account and Region of the organization would need a
 *   grant in the key policy, and a customer managed key would be one more key for this app to
 *   report on. Writers may not ask for another encryption (the condition on the write).
 * - BucketOwnerEnforced: objects written from other accounts belong to this account, so Athena
 *   and QuickSight read them with this account's rights; no ACLs.
 * - Versioned: writers are hundreds of roles with s3:PutObject; a faulty or compromised pass that
 *   overwrites a day's file must not erase it. Overwritten (and expired) versions are kept
 *   NONCURRENT_VERSION_DAYS more days.
 * - RETAIN: the inventory is evidence. Its name is fixed (every member account computes it), so a
 *   stack created again finds the kept bucket: deploy it with `cdk deploy
 *   --import-existing-resources` to adopt it (docs/inventory.md, "Where it lands").
 */
export class InventoryBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: InventoryBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'inventory-bucket/',
      lifecycleRules: [
        {
          id: 'expire-inventory-days',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Once its noncurrent versions are gone, an expired object's delete marker goes too.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'RuleRolesOfTheOrganizationWriteTheirOwnAccount',
        effect: iam.Effect.ALLOW,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        // A policy variable: each account writes only objects named after itself, as
        // inventoryObjectKey names them (`inventory/dt=<day>/<account>-<region>-…`); the queries
        // read a record only from an object of its own account, so no account can write another's.
        resources: [this.bucket.arnForObjects(`${INVENTORY_PREFIX}dt=*/\${aws:PrincipalAccount}-*`)],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
          ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::*:role/${props.namePrefix}-*` },
          // SSE-S3 only: an object under another account's KMS key would be unreadable here.
          StringEqualsIfExists: { 's3:x-amz-server-side-encryption': 'AES256' },
        },
      }),
    );
    const readers = props.readers ?? [];
    if (readers.length > 0) {
      // Athena reads S3 with the caller's rights: the listed readers get that here, as Lake Formation
      // gives them the table. Same-account principals need nothing else; others need IAM rights too.
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ListedReadersList',
          principals: readers.map((arn) => new iam.ArnPrincipal(arn)),
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [this.bucket.bucketArn],
        }),
      );
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ListedReadersRead',
          principals: readers.map((arn) => new iam.ArnPrincipal(arn)),
          actions: ['s3:GetObject'],
          resources: [this.bucket.arnForObjects(`${INVENTORY_PREFIX}*`)],
        }),
      );
    }
  }
}
