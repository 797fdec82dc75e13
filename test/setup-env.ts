// The built-in CloudFormation validator adds ~2 s per synth; `cdk synth` keeps it, unit tests do not need it.
process.env.CDK_VALIDATION = 'false';
// Rule runs write their metrics straight to stdout (Embedded Metric Format); tests that read them spy on the sink.
import { metricsSink } from '../lambda/runtime/run-metrics';
metricsSink.write = () => undefined;
