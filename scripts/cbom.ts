/**
 * `npm run cbom`: the CycloneDX 1.6 CBOM of one day of the cryptographic inventory, on demand,
 * written exactly as the daily function writes it (lambda/inventory-cbom.ts).
 *
 *   npm run cbom -- --from <folder> [--day YYYY-MM-DD] [--out cbom.json] [--validate] [--organization-id o-…]
 *       offline: every .json.gz, .jsonl and .json file under the folder (a day copied with
 *       `aws s3 cp --recursive s3://<bucket>/inventory/dt=<day>/ <folder>`, or an export). The day is
 *       --day, or the dt=YYYY-MM-DD in the folder's path.
 *   npm run cbom -- --bucket <name> --day YYYY-MM-DD [--region R] [--out cbom.json] [--validate] [--organization-id o-…]
 *       reads s3://<name>/inventory/dt=<day>/ with the caller's credentials (the SDK's default chain).
 *
 * Without --out the document goes to standard output; a summary always goes to standard error.
 * --validate checks the written file against the official CycloneDX 1.6 schema (it reads the file
 * into memory). To write cbom/dt=<day>/cbom.json into the bucket instead, invoke the function:
 * `aws lambda invoke --function-name <prefix>-inventory-cbom --payload '{"day":"<day>"}' out.json`.
 *
 * Exit codes: 0 written (and valid), 1 the document is not valid, 2 error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { S3Client } from '@aws-sdk/client-s3';
import { inventoryDayPrefix, isInventoryName, s3Source, writeDayCbom, type CbomOutput, type DayCbomResult, type InventorySource } from '../lambda/inventory-cbom';
import { UsageError, walkArgs } from './args';
export { UsageError };


export interface CbomOptions {
  readonly from?: string;
  readonly bucket?: string;
  readonly day?: string;
  readonly region?: string;
  readonly out?: string;
  readonly organizationId?: string;
  readonly validate: boolean;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function parseArgs(argv: readonly string[]): CbomOptions {
  const o: { -readonly [K in keyof CbomOptions]: CbomOptions[K] } = { validate: false };
  walkArgs(argv, ['--from', '--bucket', '--day', '--region', '--out', '--organization-id'], ['--validate'], (arg, v) => {
    if (arg === '--from') o.from = v;
    else if (arg === '--bucket') o.bucket = v;
    else if (arg === '--day') o.day = v;
    else if (arg === '--region') o.region = v;
    else if (arg === '--out') o.out = v;
    else if (arg === '--organization-id') o.organizationId = v;
    else o.validate = true;
  });
  if (!o.from === !o.bucket) throw new UsageError('give --from <folder> or --bucket <name> (with --day)');
  if (o.bucket && !o.day) throw new UsageError('--bucket needs --day YYYY-MM-DD');
  if (o.from && !o.day) o.day = /(?:^|[/\\])dt=(\d{4}-\d{2}-\d{2})(?:[/\\]|$)/.exec(path.resolve(o.from))?.[1];
  if (!o.day) throw new UsageError(`--day YYYY-MM-DD is needed: ${o.from} has no dt=YYYY-MM-DD in its path`);
  if (!DAY.test(o.day)) throw new UsageError(`--day ${o.day}: must be YYYY-MM-DD`);
  if (o.validate && !o.out) throw new UsageError('--validate needs --out <file>');
  return o;
}

/** Every inventory file under a folder, by path relative to it. */
export function folderSource(dir: string): InventorySource {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--from ${dir}: not a folder`);
  return {
    location: dir,
    async names() {
      return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((n) => isInventoryName(n) && fs.statSync(path.join(dir, n)).isFile());
    },
    async open(name) {
      return fs.createReadStream(path.join(dir, name));
    },
  };
}

/** A file or standard output, written as the document is made. */
export function streamOutput(out: string | undefined): CbomOutput {
  const stream = out ? fs.createWriteStream(out) : process.stdout;
  let bytes = 0;
  let failed: Error | undefined;
  stream.on('error', (e) => (failed = e));
  return {
    location: out ?? 'standard output',
    write(chunk) {
      bytes += Buffer.byteLength(chunk);
      stream.write(chunk);
    },
    async drain() {
      if (failed) throw failed;
      if (stream.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    },
    async close() {
      if (out) await new Promise<void>((resolve, reject) => (stream as fs.WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())));
      else await new Promise<void>((resolve) => process.stdout.write('\n', () => resolve()));
      if (failed) throw failed;
      return bytes;
    },
    async abort() {
      if (out) {
        (stream as fs.WriteStream).destroy();
        fs.rmSync(out, { force: true });
      }
    },
  };
}

export function summary(r: DayCbomResult): string {
  if (!r.output) return `No inventory objects in ${r.source}: nothing written.`;
  const s = r.stats!;
  const lines = [
    `CycloneDX 1.6 CBOM of ${r.day}: ${s.components} components (${s.assets['kms-key']} KMS keys, ${s.assets.certificate} certificates, ${s.assets['certificate-authority']} Private CAs, ${s.assets.secret} secrets, ${s.algorithms} algorithms), ${s.dependencies} dependency entries`,
    `  read ${r.read.objects} objects, ${r.read.lines} lines from ${r.source}; ${r.read.duplicates} older duplicates dropped, ${r.read.skipped} lines not assets`,
    `  wrote ${r.bytes} bytes to ${r.output} in ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const e of r.skippedExamples) lines.push(`  not an asset: ${e}`);
  if (s.unknownAlgorithms.length > 0) lines.push(`  algorithms no table knows (primitive "unknown"): ${s.unknownAlgorithms.join(', ')}`);
  return lines.join('\n');
}

export async function main(argv: readonly string[], stderr: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  let o: CbomOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    stderr(`${(e as Error).message}\n\nnpm run cbom -- --from <folder> [--day YYYY-MM-DD] [--out file] [--validate]\nnpm run cbom -- --bucket <name> --day YYYY-MM-DD [--region R] [--out file] [--validate]`);
    return 2;
  }
  try {
    const source = o.from
      ? folderSource(o.from)
      : s3Source(new S3Client({ region: o.region, followRegionRedirects: true }), o.bucket!, inventoryDayPrefix(o.day!));
    const result = await writeDayCbom({ source, output: () => streamOutput(o.out), day: o.day!, generatedAt: new Date(), organizationId: o.organizationId });
    stderr(summary(result));
    if (o.validate && result.output) {
      // The validator and its ajv peers are development dependencies: loaded only when asked for.
      const { Spec, Validation } = await import('@cyclonedx/cyclonedx-library');
      const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(fs.readFileSync(o.out!, 'utf8'));
      if (errors !== null) {
        stderr(`NOT valid CycloneDX 1.6: ${JSON.stringify(errors, null, 2)}`);
        return 1;
      }
      stderr('  valid CycloneDX 1.6 (official JSON schema, strict)');
    }
    return 0;
  } catch (e) {
    stderr(e instanceof UsageError ? e.message : `Failed: ${(e as Error).stack ?? e}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
