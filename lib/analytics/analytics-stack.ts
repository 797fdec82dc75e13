import { Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Settings } from '../settings';
import { LakeFormationReadGrants } from './lake-formation-grants';
import { NamedQueries } from './named-queries';
import { loadQueries, securityLakeNames, type QueryFile, type QueryValues } from './queries';
import { QueryResultsBucket } from './results-bucket';
import { AnalyticsWorkGroup } from './workgroup';

export interface AnalyticsStackProps extends StackProps {
  readonly settings: Settings;
}

/**
 * Athena over AWS Security Lake, deployed in the Security Lake delegated administrator account in
 * the rollup region: the results bucket, the workgroup, one named query per athena-queries file,
 * and optionally Lake Formation read grants.
 */
export class AnalyticsStack extends Stack {
  readonly values: QueryValues;
  /** The files under athena-queries/, read once: the named queries and the QuickSight data sets both use them. */
  readonly queryFiles: readonly QueryFile[];
  readonly results: QueryResultsBucket;
  readonly workGroup: AnalyticsWorkGroup;
  readonly queries: NamedQueries;
  readonly grants?: LakeFormationReadGrants;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const a = props.settings.analytics;
    // Glue names need the literal region: CloudFormation cannot turn dashes into underscores in a token.
    this.values = { ...securityLakeNames(a.securityLakeRegion), lookbackDays: a.lookbackDays };
    this.queryFiles = loadQueries();
    this.results = new QueryResultsBucket(this, 'QueryResults', {
      resultsExpirationDays: a.resultsExpirationDays,
      accessLogsExpirationDays: a.accessLogsExpirationDays,
      encryption: a.resultsEncryption,
      // KMS aliases take letters, digits, / _ and -; a workgroup name may also have dots.
      keyAliasName: `${a.workGroupName.replace(/\./g, '-')}/query-results`,
    });
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
      });
    }
  }
}
