import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface QueryResultsBucketProps {
  readonly resultsExpirationDays: number;
  readonly accessLogsExpirationDays: number;
  /** S3_MANAGED (SSE-S3) or KMS: a customer managed key of this construct, with rotation and an alias. */
  readonly encryption: 'S3_MANAGED' | 'KMS';
  /** The key's alias, without `alias/`; used with KMS only. */
  readonly keyAliasName: string;
}

/**
 * Where Athena writes query results: encrypted, private, TLS only, emptied of results after a set
 * number of days, with its server access logs in a second bucket. Both buckets outlive the stack
 * (RemovalPolicy.RETAIN): a result someone saved may be evidence, and the access logs say who read
 * it. Neither has a fixed name, so the stack can be created again beside them. A kept bucket keeps
 * its lifecycle rules, so its objects still expire; delete the buckets themselves by hand
 * (docs/deployment.md, "Deleting and creating again").
 */
export class QueryResultsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  /** The key the results are encrypted with, when `encryption` is KMS. */
  readonly encryptionKey?: kms.Key;
  /** The prefix Athena writes under. */
  readonly resultsPrefix = 'results/';

  constructor(scope: Construct, id: string, props: QueryResultsBucketProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // Server access logging delivers only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogsExpirationDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.encryption === 'KMS') {
      this.encryptionKey = new kms.Key(this, 'Key', {
        alias: `alias/${props.keyAliasName}`,
        description: 'Encrypts the crypto-asset-monitoring Athena query results',
        enableKeyRotation: true,
      });
    }
    this.bucket = new s3.Bucket(this, 'Results', {
      ...(this.encryptionKey
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: this.encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'results-bucket/',
      lifecycleRules: [
        { id: 'expire-query-results', expiration: Duration.days(props.resultsExpirationDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The workgroup's OutputLocation. */
  get outputLocation(): string {
    return this.bucket.s3UrlForObject(this.resultsPrefix);
  }
}
