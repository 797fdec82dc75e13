import { CfnStackSet, Stack } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../settings/deployment';
import { stackSetOperationPreferences } from './operation-preferences';
import { OrganizationLookup } from './organization-lookup';

export interface MemberStackSetProps {
  readonly deployment: DeploymentSettings;
  /** The synthesized member template; it travels as an asset and the StackSet reads it by URL. */
  readonly templatePath: string;
}

/**
 * A service-managed StackSet that carries the member template to every account of the target
 * OUs (new accounts included, through automatic deployment) in every target region. The template
 * goes by URL (1 MB limit) because the inlined handlers exceed TemplateBody's 51,200 bytes.
 */
export class MemberStackSet extends Construct {
  readonly stackSet: CfnStackSet;
  readonly templateAsset: Asset;
  readonly organizationRoot?: OrganizationLookup;
  /** The roots or OUs the StackSet deploys to (the root's id is a deploy-time value when looked up). */
  readonly targetIds: readonly string[];

  constructor(scope: Construct, id: string, props: MemberStackSetProps) {
    super(scope, id);
    const d = props.deployment;
    this.templateAsset = new Asset(this, 'MemberTemplate', { path: props.templatePath });

    let targets = d.targetOrganizationalUnitIds;
    if (targets.length === 0) {
      // The default target is the whole organization, whose root id is looked up at deploy time.
      this.organizationRoot = new OrganizationLookup(this, 'OrganizationRoot', { action: 'listRoots', outputPath: 'Roots.0.Id' });
      targets = [this.organizationRoot.value];
    }
    this.targetIds = targets;
    const regions = d.targetRegions.length > 0 ? d.targetRegions : [Stack.of(this).region];

    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: d.stackSetName,
      description: 'crypto-asset-monitoring: AWS Config rules for KMS keys, secrets and certificates in every member account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: d.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: d.retainStacksOnAccountRemoval },
      // Member resources carry fixed names (roles, functions) so key policies and log queries can name them.
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: stackSetOperationPreferences(d),
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: targets }, regions }],
      templateUrl: this.templateAsset.httpUrl,
      tags: [{ key: 'managed-by', value: 'crypto-asset-monitoring' }],
    });
  }
}
