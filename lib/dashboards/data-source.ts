import { Aws, Stack, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import type { Inventory } from '../analytics/inventory';
import { LakeFormationReadGrants } from '../analytics/lake-formation-grants';
import type { QueryValues } from '../analytics/queries';
import type { QueryResultsBucket } from '../analytics/results-bucket';
import type { AnalyticsWorkGroup } from '../analytics/workgroup';
import { INVENTORY_PREFIX } from '../analytics/inventory-schema';
import { acknowledgeNag } from '../nag';
import type { DashboardsSettings } from '../settings/dashboards';
import { DATA_SOURCE_OWNER_ACTIONS, permissions } from './permissions';

export interface AthenaDataSourceProps {
  readonly settings: DashboardsSettings;
  readonly workGroup: AnalyticsWorkGroup;
  readonly results: QueryResultsBucket;
  readonly names: Omit<QueryValues, 'lookbackDays'>;
  /**
   * The stack's grants to the principals listed in `analytics.lakeFormationReaders`, if any. When
   * they include this role (earlier versions asked users to list it), its grants stay where they
   * are, gaining the dependency on the role, instead of being made again here.
   */
  readonly listedReaders?: LakeFormationReadGrants;
  /** The cryptographic inventory of the stack, while it is on: the role reads its table and objects too. */
  readonly inventory?: Inventory;
}

/**
 * The QuickSight data source on the project's Athena workgroup, with its own IAM role (the
 * data source's RoleArn) instead of extra rights on the account-wide QuickSight service role:
 * Athena in this workgroup, the Security Lake Glue tables, the results bucket, and optionally the
 * KMS keys of the Security Lake bucket; with the inventory on, its Glue table and its objects.
 * Lake Formation grants the role DESCRIBE on the Security Lake database and SELECT on its two tables
 * (and on the inventory's table) here, by reference and after the role exists; the data source waits
 * for those grants, so nothing QuickSight creates reads before it may.
 */
export class AthenaDataSource extends Construct {
  readonly dataSource: quicksight.CfnDataSource;
  readonly role: iam.Role;
  /** The role's Lake Formation grants: made here, or the listed ones of `listedReaders`. */
  readonly lakeFormationGrants: readonly CfnElement[];

  constructor(scope: Construct, id: string, props: AthenaDataSourceProps) {
    super(scope, id);
    const s = props.settings;
    const stack = Stack.of(this);
    const inventory = props.inventory;
    this.role = new iam.Role(this, 'Role', {
      roleName: s.dataSourceRoleName,
      assumedBy: new iam.ServicePrincipal('quicksight.amazonaws.com'),
      description: 'crypto-asset-monitoring: QuickSight reads the Security Lake tables through the Athena workgroup',
    });
    const workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workGroup.name });
    const glue = (resource: string, name?: string) => stack.formatArn({ service: 'glue', resource, resourceName: name });
    const policy = new iam.Policy(this, 'Access', {
      statements: [
        new iam.PolicyStatement({
          sid: 'RunQueriesInTheWorkGroup',
          // GetQueryResultsStream: the streaming results call Athena's drivers use for large result sets.
          actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
          resources: [workGroupArn],
        }),
        new iam.PolicyStatement({
          // QuickSight lists workgroups and data catalogs when it validates an Athena data source; neither action takes a resource.
          sid: 'ListAthena',
          actions: ['athena:ListWorkGroups', 'athena:ListDataCatalogs'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ReadSecurityLakeTables',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions', 'glue:GetPartition'],
          resources: [
            glue('catalog'),
            glue('database', props.names.database),
            glue('table', `${props.names.database}/${props.names.findingsTable}`),
            glue('table', `${props.names.database}/${props.names.cloudTrailTable}`),
          ],
        }),
        ...(inventory
          ? [
              new iam.PolicyStatement({
                sid: 'ReadInventoryTable',
                actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions', 'glue:GetPartition'],
                resources: [
                  glue('catalog'),
                  glue('database', inventory.names.inventoryDatabase),
                  glue('table', `${inventory.names.inventoryDatabase}/${inventory.names.inventoryTable}`),
                ],
              }),
              // The inventory bucket is not registered with Lake Formation: Athena reads it with the role's own rights.
              new iam.PolicyStatement({
                sid: 'ListInventory',
                actions: ['s3:ListBucket', 's3:GetBucketLocation'],
                resources: [inventory.bucket.bucket.bucketArn],
              }),
              new iam.PolicyStatement({
                sid: 'ReadInventory',
                actions: ['s3:GetObject'],
                resources: [inventory.bucket.bucket.arnForObjects(`${INVENTORY_PREFIX}*`)],
              }),
            ]
          : []),
        new iam.PolicyStatement({
          // Lake Formation vends the table data; the grant itself is Lake Formation's SELECT.
          sid: 'LakeFormationDataAccess',
          actions: ['lakeformation:GetDataAccess'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'QueryResults',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [props.results.bucket.bucketArn, props.results.bucket.arnForObjects(`${props.results.resultsPrefix}*`)],
        }),
        ...(props.results.encryptionKey
          ? [
              new iam.PolicyStatement({
                // Athena reads and writes the results with the caller's rights: S3 decrypts and encrypts them with this key.
                sid: 'QueryResultsKey',
                actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
                resources: [props.results.encryptionKey.keyArn],
              }),
            ]
          : []),
        ...(s.securityLakeKmsKeyArns.length
          ? [new iam.PolicyStatement({ sid: 'DecryptSecurityLakeData', actions: ['kms:Decrypt'], resources: [...s.securityLakeKmsKeyArns] })]
          : []),
      ],
    });
    this.role.attachInlinePolicy(policy);
    acknowledgeNag(policy, 'AwsSolutions-IAM5', [
      ['Resource::*', 'athena:ListWorkGroups, athena:ListDataCatalogs and lakeformation:GetDataAccess support no resource-level permissions; data access itself is governed by the Lake Formation grants.'],
      [`Resource::<${stack.getLogicalId(props.results.bucket.node.defaultChild as import('aws-cdk-lib').CfnElement)}.Arn>/${props.results.resultsPrefix}*`, 'Athena writes one object per query execution under the results prefix; the names are not known in advance.'],
      ...(inventory
        ? [[
            `Resource::<${stack.getLogicalId(inventory.bucket.bucket.node.defaultChild as import('aws-cdk-lib').CfnElement)}.Arn>/${INVENTORY_PREFIX}*`,
            'The rules write one object per pass, part and day under the inventory prefix; Athena reads those of the days a query names, whose names are not known in advance.',
          ] as const]
        : []),
    ]);

    this.dataSource = new quicksight.CfnDataSource(this, 'Athena', {
      awsAccountId: Aws.ACCOUNT_ID,
      dataSourceId: `${s.idPrefix}-athena`,
      name: 'crypto-asset-monitoring (Athena over Security Lake)',
      type: 'ATHENA',
      dataSourceParameters: { athenaParameters: { workGroup: props.workGroup.name, roleArn: this.role.roleArn } },
      permissions: permissions(s, DATA_SOURCE_OWNER_ACTIONS),
    });
    const listed = props.listedReaders?.grantsOfListedRole(s.dataSourceRoleName) ?? [];
    for (const grant of listed) grant.node.addDependency(this.role);
    this.lakeFormationGrants = listed.length
      ? listed
      : new LakeFormationReadGrants(this, 'LakeFormation', { roles: [this.role], names: props.names, inventoryResources: inventory?.glueResources }).grants;
    this.dataSource.node.addDependency(policy, ...this.lakeFormationGrants);
    this.dataSource.node.addDependency(props.workGroup.workGroup);
  }
}

