import { createHash } from 'crypto';
import { Aws, type CfnResource } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { QueryValues } from './queries';

export interface LakeFormationReadGrantsProps {
  /** IAM role or user ARNs typed in the settings (`analytics.lakeFormationReaders`): principals this app does not create. */
  readonly principals?: readonly string[];
  /**
   * Roles of this app, granted by reference: each grant names the role's ARN attribute and
   * depends on the role, because Lake Formation refuses to grant a principal that does not exist yet.
   */
  readonly roles?: readonly iam.IRole[];
  /** The Glue names; with `inventoryDatabase` and `inventoryTable`, the inventory's table is granted too. */
  readonly names: Omit<QueryValues, 'lookbackDays'>;
  /** The inventory's Glue database and table of this stack: its grants wait for them, as Lake Formation grants only what exists. */
  readonly inventoryResources?: readonly CfnResource[];
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/**
 * What a principal needs from Lake Formation to run the queries: DESCRIBE on the Security Lake
 * database, SELECT and DESCRIBE on the two tables, and with the inventory the same on its own
 * database and table (needed where Lake Formation governs the account's new Glue databases, harmless
 * where IAM does). Nothing with grant option.
 */
export class LakeFormationReadGrants extends Construct {
  readonly grants: lakeformation.CfnPrincipalPermissions[] = [];
  private readonly byPrincipal = new Map<string, lakeformation.CfnPrincipalPermissions[]>();

  constructor(scope: Construct, id: string, private readonly props: LakeFormationReadGrantsProps) {
    super(scope, id);
    // Ids from the ARN, not the list position: reordering the setting replaces nothing.
    for (const principal of props.principals ?? []) this.grant(digest(principal), principal);
    // Ids from the role's place in the app: its ARN is a token until deployment.
    for (const role of props.roles ?? []) {
      for (const grant of this.grant(`Role${digest(role.node.path)}`, role.roleArn)) grant.node.addDependency(role);
    }
  }

  /**
   * The grants of the listed ARN that names a role called `roleName` without a path, in any
   * account; empty when no entry does.
   */
  grantsOfListedRole(roleName: string): readonly lakeformation.CfnPrincipalPermissions[] {
    const arn = (this.props.principals ?? []).find((p) => namesRole(p, roleName));
    return arn ? (this.byPrincipal.get(arn) ?? []) : [];
  }

  private grant(pid: string, principal: string): lakeformation.CfnPrincipalPermissions[] {
    const names = this.props.names;
    const dataLakePrincipal = { dataLakePrincipalIdentifier: principal };
    const grants = [
      new lakeformation.CfnPrincipalPermissions(this, `Database${pid}`, {
        principal: dataLakePrincipal,
        resource: { database: { catalogId: Aws.ACCOUNT_ID, name: names.database } },
        permissions: ['DESCRIBE'],
        permissionsWithGrantOption: [],
      }),
      ...[names.findingsTable, names.cloudTrailTable].map(
        (table) =>
          new lakeformation.CfnPrincipalPermissions(this, `${table.endsWith('sh_findings_2_0') ? 'Findings' : 'CloudTrail'}${pid}`, {
            principal: dataLakePrincipal,
            resource: { table: { catalogId: Aws.ACCOUNT_ID, databaseName: names.database, name: table } },
            permissions: ['SELECT', 'DESCRIBE'],
            permissionsWithGrantOption: [],
          }),
      ),
      ...this.inventoryGrants(pid, dataLakePrincipal),
    ];
    this.grants.push(...grants);
    this.byPrincipal.set(principal, grants);
    return grants;
  }

  /** DESCRIBE on the inventory database, SELECT and DESCRIBE on its table; none while the inventory is off. */
  private inventoryGrants(pid: string, principal: lakeformation.CfnPrincipalPermissions.DataLakePrincipalProperty): lakeformation.CfnPrincipalPermissions[] {
    const { inventoryDatabase: database, inventoryTable: table } = this.props.names;
    if (database === undefined || table === undefined) return [];
    const grants = [
      new lakeformation.CfnPrincipalPermissions(this, `InventoryDatabase${pid}`, {
        principal,
        resource: { database: { catalogId: Aws.ACCOUNT_ID, name: database } },
        permissions: ['DESCRIBE'],
        permissionsWithGrantOption: [],
      }),
      new lakeformation.CfnPrincipalPermissions(this, `Inventory${pid}`, {
        principal,
        resource: { table: { catalogId: Aws.ACCOUNT_ID, databaseName: database, name: table } },
        permissions: ['SELECT', 'DESCRIBE'],
        permissionsWithGrantOption: [],
      }),
    ];
    for (const grant of grants) for (const resource of this.props.inventoryResources ?? []) grant.addResourceDependency(resource);
    return grants;
  }
}

/** Whether a listed ARN names the role `roleName` (without a path), in any account. */
export function namesRole(arn: string, roleName: string): boolean {
  return arn.endsWith(`:role/${roleName}`);
}
