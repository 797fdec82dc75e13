import { createHash } from 'crypto';
import { Aws } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { QueryValues } from './queries';

export interface LakeFormationReadGrantsProps {
  /** IAM role or user ARNs. */
  readonly principals: readonly string[];
  readonly names: Omit<QueryValues, 'lookbackDays'>;
}

/**
 * What a principal needs from Lake Formation to run the queries: DESCRIBE on the Security Lake
 * database, SELECT and DESCRIBE on the two tables. Nothing with grant option.
 */
export class LakeFormationReadGrants extends Construct {
  readonly grants: lakeformation.CfnPrincipalPermissions[] = [];

  constructor(scope: Construct, id: string, props: LakeFormationReadGrantsProps) {
    super(scope, id);
    for (const principal of props.principals) {
      // Ids from the ARN, not the list position: reordering the setting replaces nothing.
      const pid = createHash('sha256').update(principal).digest('hex').slice(0, 12);
      const dataLakePrincipal = { dataLakePrincipalIdentifier: principal };
      this.grants.push(
        new lakeformation.CfnPrincipalPermissions(this, `Database${pid}`, {
          principal: dataLakePrincipal,
          resource: { database: { catalogId: Aws.ACCOUNT_ID, name: props.names.database } },
          permissions: ['DESCRIBE'],
          permissionsWithGrantOption: [],
        }),
      );
      for (const table of [props.names.findingsTable, props.names.cloudTrailTable]) {
        this.grants.push(
          new lakeformation.CfnPrincipalPermissions(this, `${table.endsWith('sh_findings_2_0') ? 'Findings' : 'CloudTrail'}${pid}`, {
            principal: dataLakePrincipal,
            resource: { table: { catalogId: Aws.ACCOUNT_ID, databaseName: props.names.database, name: table } },
            permissions: ['SELECT', 'DESCRIBE'],
            permissionsWithGrantOption: [],
          }),
        );
      }
    }
  }
}
