/**
 * The SDK reads its shared config files on a client's first call, as real I/O. On the virtual
 * clock, a machine busy enough to make that read slow lets simulated time jump to a call bound
 * first (a false CallTimeoutError). One call of each kind of client on the real clock first fills
 * the SDK's process-wide cache of those files, so the simulated runs that follow do no such read.
 */
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CLIENT_DEFAULTS } from '../../lambda/runtime/clients';
import { SimulatedAws, simulatedClientConfig } from './simulated-aws';
import { SimulatedS3, simulatedS3ClientConfig } from './simulated-s3';

let warmed: Promise<void> | undefined;

/** Once per process (the virtual clock calls it before it installs its fake timers). */
export function warmUpSdk(): Promise<void> {
  warmed ??= warmUp();
  return warmed;
}

async function warmUp(): Promise<void> {
  const sim = new SimulatedAws({ operations: { ListKeys: () => ({ Keys: [] }) }, latencyMs: () => 1 });
  await new KMSClient(simulatedClientConfig(sim, CLIENT_DEFAULTS)).send(new ListKeysCommand({}));
  const s3 = new SimulatedS3({ buckets: { 'warm-up-bucket': '111122223333' }, latencyMs: 1 });
  await new S3Client(simulatedS3ClientConfig(s3, 'us-east-1', CLIENT_DEFAULTS)).send(new PutObjectCommand({ Bucket: 'warm-up-bucket', Key: 'k', Body: 'x' }));
}
