import { Aws } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { INVENTORY_COLUMNS, INVENTORY_PARTITION_COLUMN, INVENTORY_PREFIX, hiveType } from './inventory-schema';

export interface InventoryTableProps {
  readonly bucketName: string;
  /** Glue names (inventoryNames). */
  readonly database: string;
  readonly table: string;
  /** Days of the inventory the table projects, back from today: the bucket's retention. */
  readonly retentionDays: number;
}

/** The JSON SerDe Athena documents for JSON lines ("OpenX JSON SerDe"). */
export const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';

/**
 * The inventory's Glue database and table, for Athena. A database of our own rather than a table
 * in Security Lake's: Security Lake manages its database through Lake Formation and may replace
 * what it did not create. The table reads the gzip JSON lines as written (one record a line), with
 * partition projection on the day folder, so a new day is queryable at once without a crawler or
 * MSCK REPAIR, and Athena lists only the days a query's `dt` condition names.
 *
 * A malformed line becomes a row of NULLs (`ignore.malformed.json`) instead of failing every query
 * of the day; the queries drop rows without an account.
 */
export class InventoryTable extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly databaseName: string;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: InventoryTableProps) {
    super(scope, id);
    this.databaseName = props.database;
    this.tableName = props.table;
    const location = `s3://${props.bucketName}/${INVENTORY_PREFIX}`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: props.database,
        description: 'crypto-asset-monitoring: the cryptographic inventory the rules write every day (docs/inventory.md)',
      },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.database,
      tableInput: {
        name: props.table,
        description: 'One row per asset per rule pass: KMS keys, ACM certificates, Private CAs and secrets (lambda/inventory/record.ts)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: INVENTORY_PARTITION_COLUMN, type: 'string', comment: 'The day the pass wrote the object, YYYY-MM-DD (UTC)' }],
        parameters: {
          classification: 'json',
          compressionType: 'gzip',
          'projection.enabled': 'true',
          [`projection.${INVENTORY_PARTITION_COLUMN}.type`]: 'date',
          [`projection.${INVENTORY_PARTITION_COLUMN}.format`]: 'yyyy-MM-dd',
          [`projection.${INVENTORY_PARTITION_COLUMN}.range`]: `NOW-${props.retentionDays}DAYS,NOW`,
          [`projection.${INVENTORY_PARTITION_COLUMN}.interval`]: '1',
          [`projection.${INVENTORY_PARTITION_COLUMN}.interval.unit`]: 'DAYS',
          'storage.location.template': `${location}${INVENTORY_PARTITION_COLUMN}=\${${INVENTORY_PARTITION_COLUMN}}/`,
        },
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          serdeInfo: {
            serializationLibrary: JSON_SERDE,
            parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'TRUE' },
          },
          columns: Object.entries(INVENTORY_COLUMNS).map(([name, type]) => ({ name: name.toLowerCase(), type: hiveType(type) })),
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }
}
