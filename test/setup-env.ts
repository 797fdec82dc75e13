// The built-in CloudFormation validator adds ~2 s per synth; `cdk synth` keeps it, unit tests do not need it.
process.env.CDK_VALIDATION = 'false';
