import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { InventoryLocation } from '../inventory-location';
import { InventoryBucket } from './inventory-bucket';
import { inventoryNames } from './inventory-schema';
import { InventoryTable } from './inventory-table';

export interface InventoryProps {
  /** inventoryLocation(settings): the bucket's name, account and Region. */
  readonly location: InventoryLocation;
  /** deployment.namePrefix: the rule roles' names and the Glue names start with it. */
  readonly namePrefix: string;
  readonly retentionDays: number;
  readonly organizationId: string;
  readonly accessLogs: s3.IBucket;
  /** analytics.lakeFormationReaders: they may read the objects too. */
  readonly readers?: readonly string[];
}

/**
 * Where the cryptographic inventory lands and how Athena reads it: the central bucket the member
 * accounts' rules write to, and the Glue database and table over it.
 */
export class Inventory extends Construct {
  readonly bucket: InventoryBucket;
  readonly table: InventoryTable;
  /** The values of `{{inventoryDatabase}}` and `{{inventoryTable}}`. */
  readonly names: { readonly inventoryDatabase: string; readonly inventoryTable: string };
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: InventoryProps) {
    super(scope, id);
    this.names = inventoryNames(props.namePrefix);
    this.bucketName = props.location.bucketName;
    this.bucket = new InventoryBucket(this, 'Bucket', {
      bucketName: props.location.bucketName,
      organizationId: props.organizationId,
      namePrefix: props.namePrefix,
      retentionDays: props.retentionDays,
      accessLogs: props.accessLogs,
      readers: props.readers,
    });
    this.table = new InventoryTable(this, 'Glue', {
      bucketName: props.location.bucketName,
      database: this.names.inventoryDatabase,
      table: this.names.inventoryTable,
      retentionDays: props.retentionDays,
    });
  }

  /** The Glue resources Lake Formation grants must wait for. */
  get glueResources() {
    return [this.table.database, this.table.table];
  }
}
