import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { allowGrantsOnlyForAwsResources } from './grants-only-for-aws-resources';

export interface OrganizationTrailProps {
  readonly trailName: string;
  readonly organizationId: string;
  readonly logRetentionDays: number;
  readonly namePrefix: string;
  /** Log files move to S3 Standard-IA after this many days (S3 requires at least 30). */
  readonly transitionToInfrequentAccessDays: number;
  /** Log files are deleted (a delete marker on the versioned bucket) after this many days. */
  readonly expireAfterDays: number;
  /** Versions that are no longer current are deleted after this many days. */
  readonly noncurrentVersionExpireAfterDays: number;
  /**
   * Default Object Lock retention in governance mode, in days; no Object Lock when absent.
   * CloudFormation replaces a bucket whose ObjectLockEnabled changes, so this takes effect only on
   * a new bucket (see docs/alerting.md).
   */
  readonly objectLockGovernanceDays?: number;
}

/**
 * An organization trail for when none delivers to CloudWatch Logs yet: every account and region,
 * all management events read and write (Decrypt and GetSecretValue are read events, and the
 * alarms count them), KMS-encrypted, with log file validation, delivered to S3 and to the log
 * group the metric filters read. It must be deployed in the management account or CloudTrail's
 * delegated administrator.
 */
export class OrganizationTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly logGroup: logs.LogGroup;
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${props.namePrefix}-organization-trail`,
      description: 'Encrypts the crypto-asset-monitoring organization trail',
      enableKeyRotation: true,
    });
    allowGrantsOnlyForAwsResources(this.key);
    // The trail's own ARN: an organization trail lives in, and is named by, the management account
    // (or delegated administrator) that deploys this stack.
    const trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${props.trailName}`;
    const fromThisTrail = { 'aws:SourceArn': trailArn };
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptThisAccountsTrails',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: fromThisTrail,
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeTheKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: fromThisTrail },
      }),
    );
    // CloudWatch Logs encrypts the trail's log group with this key. The group has no fixed name and
    // names the key itself, so the condition is every log group of this account and region.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToEncryptLogGroupsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
        },
      }),
    );

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      lifecycleRules: [
        {
          id: 'trail-log-retention',
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(props.transitionToInfrequentAccessDays) }],
          expiration: Duration.days(props.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      ...(props.objectLockGovernanceDays === undefined
        ? {}
        : { objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(props.objectLockGovernanceDays)) }),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudTrail's statements, each limited to this trail (aws:SourceArn), as CloudTrail documents
    // for an organization trail: the management account's trail ARN on the ACL check, on the
    // management account's prefix and on the organization's prefix. The Trail construct would add
    // the first two without the condition, so it is handed a reference to the bucket, which takes
    // no policy statements, and the trail waits for this policy below.
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSCloudTrailAclCheck',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: fromThisTrail },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSCloudTrailWrite',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`), this.bucket.arnForObjects(`AWSLogs/${props.organizationId}/*`)],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...fromThisTrail } },
      }),
    );
    const bucketForTrail = s3.Bucket.fromBucketAttributes(this, 'BucketForTrail', { bucketArn: this.bucket.bucketArn, bucketName: this.bucket.bucketName });

    // Kept with the stack's deletion (audit records, like the bucket), so it has no fixed name:
    // a retained group with a fixed name would make creating the stack again fail.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: props.trailName,
      isOrganizationTrail: true,
      orgId: props.organizationId,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      encryptionKey: this.key,
      bucket: bucketForTrail,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
    // CloudTrail checks the bucket policy when it creates the trail.
    this.trail.node.addDependency(this.bucket.policy!);
  }
}
