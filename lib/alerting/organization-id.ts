import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * The organization's id (o-…), read at deploy time with organizations:DescribeOrganization, so
 * the bus and topic policies can be limited to the organization without the user typing its id.
 * Any account of the organization may call DescribeOrganization.
 */
export class OrganizationId extends Construct {
  readonly organizationId: string;
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'Organizations',
      action: 'describeOrganization',
      // Organizations is a global service served from us-east-1.
      region: 'us-east-1',
      physicalResourceId: cr.PhysicalResourceId.of('organization-id'),
      outputPaths: ['Organization.Id'],
    };
    this.resource = new cr.AwsCustomResource(this, 'DescribeOrganization', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    this.organizationId = this.resource.getResponseField('Organization.Id');
  }
}
