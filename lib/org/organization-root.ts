import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * The organization's root id, looked up at deploy time with organizations:ListRoots, so the
 * default StackSet target is the whole organization without the user knowing its root id.
 */
export class OrganizationRoot extends Construct {
  readonly rootId: string;
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'Organizations',
      action: 'listRoots',
      // Organizations is a global service served from us-east-1.
      region: 'us-east-1',
      physicalResourceId: cr.PhysicalResourceId.of('organization-root'),
      outputPaths: ['Roots.0.Id'],
    };
    this.resource = new cr.AwsCustomResource(this, 'ListRoots', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    this.rootId = this.resource.getResponseField('Roots.0.Id');
  }
}
