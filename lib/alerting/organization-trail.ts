import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface OrganizationTrailProps {
  readonly trailName: string;
  readonly organizationId: string;
  readonly logRetentionDays: number;
  readonly namePrefix: string;
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
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptThisAccountsTrails',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
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
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Kept with the stack's deletion (audit records, like the bucket), so it has no fixed name:
    // a retained group with a fixed name would make creating the stack again fail.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as logs.RetentionDays,
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
      bucket: this.bucket,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
  }
}
