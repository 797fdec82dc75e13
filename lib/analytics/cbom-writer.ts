import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bundleHandler } from '../bundle';
import { acknowledgeNag } from '../nag';

/** The handler (lambda/inventory-cbom.ts), bundled at synthesis. */
export const CBOM_HANDLER_ENTRY = 'lambda/inventory-cbom.ts';

/**
 * The bundled handler (lib/bundle.ts) as a folder for a file asset: the analytics stack is deployed
 * with the CLI into a bootstrapped account, so its code need not be inline. Inline, its 140 KB
 * would sit in a template that already holds the named queries and the QuickSight definitions
 * (about 370 KB with the dashboards, 520 KB with this handler inline, against the 1 MB a template
 * may have), and every change of the handler would show in `cdk diff` as one minified line. The
 * folder is named after the bundle's hash.
 */
export function cbomHandlerAssetDir(): string {
  const code = bundleHandler(CBOM_HANDLER_ENTRY);
  const dir = path.join(os.tmpdir(), `cam-cbom-handler-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`);
  const file = path.join(dir, 'index.js');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== code) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  }
  return dir;
}

/**
 * 08:00 UTC: the CBOM of day D is written on D+1, from what the passes wrote under dt=D. A pass is
 * filed under the day its notification came (UTC) and can run on past midnight: a KMS pass at
 * the default 4 GetKeyLastUsage calls a second (80% of KMS's 5) reads 10,000 keys in about 42
 * minutes and the KMS quota of 100,000 keys in about 6.9 hours, as a chain of continuations. Eight
 * hours covers that; a later hour only delays the document.
 */
export const DEFAULT_CBOM_HOUR_UTC = 8;

/**
 * 2 GB: Lambda gives a full vCPU from 1,769 MB, and the writer is bound by CPU (JSON in and out).
 * Memory holds the largest account × Region × asset type group of a day (about 200 MB for 50,000
 * secrets), one 8 MiB part and the dependency edges; see docs/inventory.md, "CycloneDX CBOM".
 */
export const DEFAULT_CBOM_MEMORY_MB = 2048;

export interface CbomWriterProps {
  /** The inventory bucket: read under inventory/, written under cbom/. */
  readonly bucket: s3.IBucket;
  /** deployment.namePrefix: the function is `<prefix>-inventory-cbom`. */
  readonly namePrefix: string;
  /** deployment.logRetentionDays. */
  readonly logRetentionDays: number;
  /** The organization id (o-…) the document names, a literal or a deploy-time value; absent: not named. */
  readonly organizationId?: string;
  /** Hour of the day (UTC) the schedule runs; default DEFAULT_CBOM_HOUR_UTC. */
  readonly hourUtc?: number;
  readonly memorySizeMb?: number;
}

/**
 * The daily CycloneDX 1.6 cryptographic bill of materials: a function that reads yesterday's
 * inventory objects and writes `cbom/dt=<day>/cbom.json` and `cbom/latest.json` to the same bucket,
 * an EventBridge schedule that runs it every day, its log group and a role allowed only that.
 * On demand: invoke the function with `{"day": "YYYY-MM-DD"}`, or run `npm run cbom` (scripts/cbom.ts).
 */
export class CbomWriter extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: CbomWriterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const functionName = `${props.namePrefix}-inventory-cbom`;
    const hour = props.hourUtc ?? DEFAULT_CBOM_HOUR_UTC;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`CbomWriter hourUtc must be an integer 0-23, got ${hour}`);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      description: 'Writes the daily CycloneDX CBOM from the cryptographic inventory',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const bucketArn = props.bucket.bucketArn;
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
        }),
        // Listing is a bucket action: the prefix condition keeps it to the inventory's days.
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn], conditions: { StringLike: { 's3:prefix': ['inventory/dt=*'] } } }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.bucket.arnForObjects('inventory/*')] }),
        // PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload.
        new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [props.bucket.arnForObjects('cbom/*')] }),
      ],
    });
    policy.attachToRole(this.role);

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: 'Writes the daily CycloneDX 1.6 CBOM of the cryptographic inventory (cbom/dt=<day>/cbom.json, cbom/latest.json)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(cbomHandlerAssetDir()),
      memorySize: props.memorySizeMb ?? DEFAULT_CBOM_MEMORY_MB,
      timeout: Duration.minutes(15),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        INVENTORY_BUCKET: props.bucket.bucketName,
        ...(props.organizationId !== undefined ? { ORGANIZATION_ID: props.organizationId } : {}),
      },
      // A run writes the same two keys again: retrying a failed one (a throttled or broken read) is safe.
      retryAttempts: 2,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
    });
    this.function.node.addDependency(policy);

    // An EventBridge rule rather than EventBridge Scheduler: days are UTC days, which is what a
    // rule's cron means, and the rule needs no role of its own (a resource policy on the function).
    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Writes the CBOM of the previous UTC day at ${String(hour).padStart(2, '0')}:00 UTC`,
      schedule: events.Schedule.cron({ minute: '0', hour: String(hour) }),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    // cdk-nag names a resource as the template holds it: <LogicalId.Arn> for the stack's own
    // bucket, arn:<AWS::Partition>:s3:::name for one imported by name.
    const finding = (value: string) => `Resource::${nagText(stack.resolve(value))}`;
    acknowledgeNag(policy, 'AwsSolutions-IAM5', [
      [finding(`${this.logGroup.logGroupArn}:log-stream:*`), "Log streams of the function's own log group; their names are chosen by Lambda."],
      [finding(props.bucket.arnForObjects('inventory/*')), 'Reads every object of the inventory: a day is many objects named by account, Region, asset type and run.'],
      [finding(props.bucket.arnForObjects('cbom/*')), 'Writes cbom/dt=<day>/cbom.json and cbom/latest.json; the day is known only when it runs.'],
    ]);
  }
}

/** A resolved CloudFormation value as cdk-nag prints it in a finding. */
function nagText(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, any>;
  if (o?.Ref !== undefined) return `<${o.Ref}>`;
  if (o?.['Fn::GetAtt'] !== undefined) return `<${o['Fn::GetAtt'].join('.')}>`;
  if (o?.['Fn::Join'] !== undefined) return (o['Fn::Join'][1] as unknown[]).map(nagText).join(o['Fn::Join'][0]);
  return JSON.stringify(v);
}
