import { Stack, Token, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { inventoryLocation } from '../inventory-location';
import { OrganizationLookup } from '../org/organization-lookup';
import type { Settings } from '../settings';
import { CbomWriter } from './cbom-writer';
import { Inventory } from './inventory';
import { LakeFormationReadGrants, namesRole } from './lake-formation-grants';
import { NamedQueries } from './named-queries';
import { loadInventoryQueries, loadQueries, securityLakeNames, type QueryFile, type QueryValues } from './queries';
import { QueryResultsBucket } from './results-bucket';
import { AnalyticsWorkGroup } from './workgroup';

export interface AnalyticsStackProps extends StackProps {
  readonly settings: Settings;
}

/**
 * Athena over AWS Security Lake, deployed in the Security Lake delegated administrator account in
 * the rollup region: the results bucket, the workgroup, one named query per athena-queries file,
 * and optionally Lake Formation read grants. With the inventory on (inventory.enabled), also the
 * inventory's bucket, its Glue database and table, and the queries of athena-queries/inventory/;
 * the stack is then deployed to inventory.bucketAccountId.
 */
export class AnalyticsStack extends Stack {
  readonly values: QueryValues;
  /** The files under athena-queries/, read once: the named queries and the QuickSight data sets both use them. */
  readonly queryFiles: readonly QueryFile[];
  readonly results: QueryResultsBucket;
  readonly workGroup: AnalyticsWorkGroup;
  readonly queries: NamedQueries;
  readonly grants?: LakeFormationReadGrants;
  /** Present while the inventory is on. */
  readonly inventory?: Inventory;
  /** The daily CycloneDX CBOM of the inventory; present while the inventory is on. */
  readonly cbom?: CbomWriter;
  /** The deploy-time lookup of the organization id, when alerting.organizationId does not give it. */
  readonly organizationIdLookup?: OrganizationLookup;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const a = props.settings.analytics;
    const location = inventoryLocation(props.settings);
    this.results = new QueryResultsBucket(this, 'QueryResults', {
      resultsExpirationDays: a.resultsExpirationDays,
      accessLogsExpirationDays: a.accessLogsExpirationDays,
      encryption: a.resultsEncryption,
      // KMS aliases take letters, digits, / _ and -; a workgroup name may also have dots.
      keyAliasName: `${a.workGroupName.replace(/\./g, '-')}/query-results`,
    });
    if (location) {
      if (!Token.isUnresolved(this.account) && this.account !== location.accountId) {
        throw new Error(`The inventory bucket belongs to inventory.bucketAccountId ${location.accountId}, but the analytics stack is deployed to ${this.account}`);
      }
      let organizationId = props.settings.alerting.organizationId;
      if (organizationId === undefined) {
        // The bucket policy admits the organization's roles only; any account of it may read its id.
        this.organizationIdLookup = new OrganizationLookup(this, 'OrganizationId', { action: 'describeOrganization', outputPath: 'Organization.Id' });
        organizationId = this.organizationIdLookup.value;
      }
      this.inventory = new Inventory(this, 'Inventory', {
        location,
        namePrefix: props.settings.deployment.namePrefix,
        retentionDays: props.settings.inventory.retentionDays,
        organizationId,
        accessLogs: this.results.accessLogs,
        // The QuickSight role, once listed here by hand, gets its rights from its own policy
        // (lib/dashboards/): a bucket policy naming it could be created before the role exists.
        readers: a.lakeFormationReaders.filter((arn) => !(props.settings.dashboards.enabled && namesRole(arn, props.settings.dashboards.dataSourceRoleName))),
      });
      this.cbom = new CbomWriter(this, 'InventoryCbom', {
        bucket: this.inventory.bucket.bucket,
        namePrefix: props.settings.deployment.namePrefix,
        logRetentionDays: props.settings.deployment.logRetentionDays,
        organizationId,
      });
    }
    // Glue names need the literal region: CloudFormation cannot turn dashes into underscores in a token.
    this.values = { ...securityLakeNames(a.securityLakeRegion), lookbackDays: a.lookbackDays, currentStateDays: a.currentStateDays, ...this.inventory?.names };
    this.queryFiles = [...loadQueries(), ...(this.inventory ? loadInventoryQueries() : [])];
    this.workGroup = new AnalyticsWorkGroup(this, 'Athena', {
      name: a.workGroupName,
      results: this.results,
      bytesScannedCutoffPerQuery: a.bytesScannedCutoffPerQuery,
    });
    this.queries = new NamedQueries(this, 'Queries', { workGroup: this.workGroup, values: this.values, queries: this.queryFiles });
    if (a.lakeFormationReaders.length > 0) {
      this.grants = new LakeFormationReadGrants(this, 'LakeFormation', {
        principals: a.lakeFormationReaders,
        names: this.values,
        inventoryResources: this.inventory?.glueResources,
      });
    }
  }
}
