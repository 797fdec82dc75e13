/**
 * What a deployed handler gives the runtime: its clients, the Lambda context (for the deadline),
 * a continuation that invokes this same function asynchronously, and the pass's time limit, which
 * is the rule's evaluation period (set by the stack in the EVALUATION_FREQUENCY variable) so a pass
 * never runs into the next one; and, for the inventory, an S3 client for the bucket's Region (the
 * Lambda runtime provides @aws-sdk/client-s3, so no bundle carries it).
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { CLIENT_DEFAULTS } from './clients';
import type { InvocationContext } from './deadline';
import type { RuntimeDeps } from './run-rule';

/** AWS Config's MaximumExecutionFrequency values, in hours. */
export const FREQUENCY_HOURS: Record<string, number> = { One_Hour: 1, Three_Hours: 3, Six_Hours: 6, Twelve_Hours: 12, TwentyFour_Hours: 24 };

export const FREQUENCY_VARIABLE = 'EVALUATION_FREQUENCY';

export function passLimitMs(frequency: string | undefined): number {
  const hours = frequency === undefined ? undefined : FREQUENCY_HOURS[frequency];
  if (hours === undefined) throw new Error(`${FREQUENCY_VARIABLE} is ${JSON.stringify(frequency)}; must be one of ${Object.keys(FREQUENCY_HOURS).join(', ')}`);
  return hours * 3_600_000;
}

const s3Clients = new Map<string, S3Client>();

/** One S3 client per Region, made when a run first needs it and kept for later invocations like the others. */
export function s3ForRegion(region: string): S3Client {
  let client = s3Clients.get(region);
  if (!client) s3Clients.set(region, (client = new S3Client({ ...CLIENT_DEFAULTS, region })));
  return client;
}

export function handlerDeps(clients: { config: ConfigServiceClient; lambda: LambdaClient }, context: InvocationContext): RuntimeDeps {
  return {
    config: clients.config,
    context,
    // Read when the run starts, so a bad value is refused and counted like a bad event.
    passLimitMs: () => passLimitMs(process.env[FREQUENCY_VARIABLE]),
    s3: s3ForRegion,
    async continueWith(event, send) {
      if (!context.invokedFunctionArn) throw new Error('the Lambda context names no function to continue with');
      const out = await send(
        clients.lambda,
        new InvokeCommand({ FunctionName: context.invokedFunctionArn, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
      );
      // An asynchronous invocation that was queued answers 202.
      if (out.StatusCode !== 202) throw new Error(`Invoke answered status ${out.StatusCode}, not 202 (queued)`);
    },
  };
}
