/**
 * Synth-time bundling of a handler into one minified CommonJS file, inlined into the member
 * template (which must deploy in accounts that were never CDK-bootstrapped, so no file assets).
 * SDK clients come from the Lambda runtime, except the ones a handler names in `bundledModules`.
 *
 * Under `cdk synth` (the CLI sets CDK_OUTDIR) a bundle is also kept in the cloud assembly folder,
 * `cdk.out/.cache/bundles/`, with the content hash of every file esbuild read for it, and reused
 * while none of them, their folders' listings, the options or package-lock.json changed: esbuild
 * is then not started at all (about 0.6 s of every synth). Elsewhere (tests) it always bundles.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { BuildOptions } from 'esbuild';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const LAMBDA_TARGET = 'node24';

/**
 * The SDK clients our handlers import. All of them are external (taken from the Lambda runtime)
 * unless a handler bundles them; a bundled client brings its own @aws-sdk/* and @smithy/* code.
 * (esbuild's synchronous API, which a construct constructor needs, takes no resolver plugins.)
 */
function sdkClients(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => name.startsWith('@aws-sdk/client-'));
}

const cache = new Map<string, string>();

/** Returns the bundled handler source (exports.handler). Cached per entry for the life of the process. */
export function bundleHandler(entry: string, bundledModules: readonly string[] = []): string {
  const cacheKey = `${entry}|${bundledModules.join(',')}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const options = {
    entryPoints: [path.join(REPO_ROOT, entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    target: LAMBDA_TARGET,
    format: 'cjs',
    minify: true,
    // Operation names in logs and call counts come from command class names.
    keepNames: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    // The SDK's ES-module builds tree-shake; its CommonJS builds bring every module along.
    mainFields: ['module', 'main'],
    // A bundled client needs only the credentials Lambda puts in the environment (see env-credentials.ts).
    alias: { '@aws-sdk/credential-provider-node': path.join(REPO_ROOT, 'lambda/runtime/env-credentials.ts') },
    external: sdkClients().filter((name) => !bundledModules.includes(name)),
  } satisfies BuildOptions;
  const outdir = process.env.CDK_OUTDIR;
  const code = outdir ? bundleWithDiskCache(options, path.join(outdir, '.cache', 'bundles')) : bundle(options).code;
  cache.set(cacheKey, code);
  return code;
}

function bundle(options: BuildOptions): { code: string; inputs: string[] } {
  // Loaded here, not at the top: a synth whose bundles are all cached does not load esbuild at all.
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const result = buildSync({ ...options, metafile: true });
  return { code: result.outputFiles![0].text, inputs: Object.keys(result.metafile!.inputs) };
}

/** What a cached bundle was made from: each input file (relative to REPO_ROOT) with the hash of its content. */
interface CachedBundle {
  readonly inputs: Record<string, string>;
  readonly folders: Record<string, string>;
  readonly code: string;
}

/** What every bundle depends on beyond its own files: esbuild's version and the installed packages. Read once per synth. */
let toolchain: { esbuildVersion: string; lock: string } | undefined;

function bundleWithDiskCache(options: BuildOptions, dir: string): string {
  // What is not a file esbuild read: its version, the options, and the installed packages.
  toolchain ??= { esbuildVersion: JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version, lock: fileHash('package-lock.json') };
  const key = sha256(JSON.stringify({ esbuildVersion: toolchain.esbuildVersion, options, lock: toolchain.lock }));
  const file = path.join(dir, `${key}.json`);
  const cached = readCached(file);
  if (cached && Object.entries(cached.inputs).every(([f, h]) => fileHash(f) === h) && Object.entries(cached.folders).every(([d, h]) => folderHash(d) === h)) {
    return cached.code;
  }
  const { code, inputs } = bundle(options);
  const entry: CachedBundle = {
    inputs: Object.fromEntries(inputs.map((f) => [f, fileHash(f)])),
    // A file added beside an input could be resolved instead of it (x.ts beside x/index.ts).
    folders: Object.fromEntries([...new Set(inputs.map((f) => path.dirname(f)))].map((d) => [d, folderHash(d)])),
    code,
  };
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entry));
    fs.renameSync(tmp, file);
  } catch {
    // A cache that cannot be written costs the next synth a bundling, nothing else.
  }
  return code;
}

function readCached(file: string): CachedBundle | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CachedBundle;
  } catch {
    return undefined;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The content hash of a file relative to REPO_ROOT, or '' when it cannot be read. */
function fileHash(file: string): string {
  try {
    return sha256(fs.readFileSync(path.resolve(REPO_ROOT, file)));
  } catch {
    return '';
  }
}

function folderHash(dir: string): string {
  try {
    return sha256(fs.readdirSync(path.resolve(REPO_ROOT, dir)).sort().join('\n'));
  } catch {
    return '';
  }
}
