import { Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeNag, acknowledgeNagRule } from '../nag';

/** The construct id aws-cdk-lib gives the AwsCustomResource provider singleton of a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export interface OrganizationLookupProps {
  /** An AWS Organizations read call that has no resource scope. */
  readonly action: 'listRoots' | 'describeOrganization';
  /** The response field to return, e.g. `Roots.0.Id`. */
  readonly outputPath: string;
}

/**
 * One value about the organization, read at deploy time with an AWS Organizations call, so users
 * need not type ids the organization already knows (its root id, its organization id).
 */
export class OrganizationLookup extends Construct {
  readonly value: string;
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: OrganizationLookupProps) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'Organizations',
      action: props.action,
      // No region: the SDK sends Organizations calls to its global endpoint in the partition the
      // function runs in (us-east-1 in aws, cn-northwest-1 in aws-cn, us-gov-west-1 in aws-us-gov);
      // a fixed us-east-1 would send aws-cn and aws-us-gov credentials to the commercial endpoint.
      physicalResourceId: cr.PhysicalResourceId.of(`organization-${props.outputPath}`),
      outputPaths: [props.outputPath],
    };
    this.resource = new cr.AwsCustomResource(this, props.action === 'listRoots' ? 'ListRoots' : 'DescribeOrganization', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    this.value = this.resource.getResponseField(props.outputPath);

    const operation = props.action[0].toUpperCase() + props.action.slice(1);
    acknowledgeNag(this, 'AwsSolutions-IAM5', [['Resource::*', `organizations:${operation} has no resource scope.`]]);
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      acknowledgeNag(provider, 'AwsSolutions-IAM4', [
        [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          'The AwsCustomResource provider of aws-cdk-lib writes its own logs; the managed policy grants only log writes.',
        ],
      ]);
      acknowledgeNagRule(provider, 'AwsSolutions-L1', 'The AwsCustomResource provider runtime is chosen by aws-cdk-lib, not by this app.');
    }
  }
}
