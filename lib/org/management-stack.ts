import { Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeNag, acknowledgeNagRule } from '../nag';
import type { Settings } from '../settings';
import { MemberStackSet } from './member-stack-set';

export interface ManagementStackProps extends StackProps {
  readonly settings: Settings;
  readonly memberTemplatePath: string;
}

/** The construct id aws-cdk-lib gives the AwsCustomResource provider singleton. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** Deployed in the organization's management account (or a delegated administrator). */
export class ManagementStack extends Stack {
  readonly memberStackSet: MemberStackSet;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    super(scope, id, props);
    this.memberStackSet = new MemberStackSet(this, 'Members', {
      deployment: props.settings.deployment,
      templatePath: props.memberTemplatePath,
    });
    const root = this.memberStackSet.organizationRoot;
    if (root) {
      acknowledgeNag(root, 'AwsSolutions-IAM5', [['Resource::*', 'organizations:ListRoots has no resource scope.']]);
      // The AwsCustomResource provider is a stack-level singleton owned by aws-cdk-lib.
      const provider = this.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
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
}
