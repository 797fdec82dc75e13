import { Aws } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import { Construct } from 'constructs';
import type { QueryResultsBucket } from './results-bucket';

/** The engine the queries are written for (Trino functions such as filter, element_at, array_join). */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

export interface AnalyticsWorkGroupProps {
  readonly name: string;
  readonly results: QueryResultsBucket;
  /** Athena cancels a query of this workgroup once it has scanned this many bytes. */
  readonly bytesScannedCutoffPerQuery: number;
}

/**
 * An Athena workgroup whose settings override the client's: every query runs on engine 3, writes
 * SSE-S3 or SSE-KMS encrypted results to the results bucket, and is cut off past the scan limit.
 */
export class AnalyticsWorkGroup extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly name: string;

  constructor(scope: Construct, id: string, props: AnalyticsWorkGroupProps) {
    super(scope, id);
    this.name = props.name;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: 'crypto-asset-monitoring: queries over AWS Security Lake (KMS keys, secrets, certificates)',
      state: 'ENABLED',
      // Deleting the stack deletes the workgroup with the saved queries users added to it.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: props.results.outputLocation,
          encryptionConfiguration: props.results.encryptionKey
            ? { encryptionOption: 'SSE_KMS', kmsKey: props.results.encryptionKey.keyArn }
            : { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
  }
}
