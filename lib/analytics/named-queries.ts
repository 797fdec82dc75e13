import * as athena from 'aws-cdk-lib/aws-athena';
import { Construct } from 'constructs';
import { INVENTORY_SERVICE, renderQuery, type QueryFile, type QueryValues } from './queries';
import type { AnalyticsWorkGroup } from './workgroup';

/** NamedQuery.Description's limit. */
const DESCRIPTION_LIMIT = 1024;

export interface NamedQueriesProps {
  readonly workGroup: AnalyticsWorkGroup;
  readonly values: QueryValues;
  /** The files under athena-queries/ (loadQueries). */
  readonly queries: readonly QueryFile[];
}

/** One Athena named query per .sql file, placeholders filled for the rollup region. */
export class NamedQueries extends Construct {
  constructor(scope: Construct, id: string, props: NamedQueriesProps) {
    super(scope, id);
    for (const q of props.queries) {
      const question = renderQuery(q.header.question, props.values);
      const named = new athena.CfnNamedQuery(this, q.id, {
        name: q.id,
        description: question.length > DESCRIPTION_LIMIT ? `${question.slice(0, DESCRIPTION_LIMIT - 1)}…` : question,
        // The database the console opens the query in: the inventory's for its queries.
        database: q.service === INVENTORY_SERVICE && props.values.inventoryDatabase ? props.values.inventoryDatabase : props.values.database,
        workGroup: props.workGroup.name,
        queryString: renderQuery(q.sql, props.values),
      });
      // The workgroup is referenced by name, a literal: order the creation explicitly.
      named.addResourceDependency(props.workGroup.workGroup);
    }
  }
}
