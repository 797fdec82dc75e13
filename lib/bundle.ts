/**
 * Synth-time bundling of a handler into one minified CommonJS file, inlined into the member
 * template (which must deploy in accounts that were never CDK-bootstrapped, so no file assets).
 * SDK clients come from the Lambda runtime, except the ones a handler names in `bundledModules`.
 */
import * as path from 'path';
import { readFileSync } from 'fs';
import { buildSync } from 'esbuild';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const LAMBDA_TARGET = 'node24';

/**
 * The SDK clients our handlers import. All of them are external (taken from the Lambda runtime)
 * unless a handler bundles them; a bundled client brings its own @aws-sdk/* and @smithy/* code.
 * (esbuild's synchronous API, which a construct constructor needs, takes no resolver plugins.)
 */
function sdkClients(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => name.startsWith('@aws-sdk/client-'));
}

const cache = new Map<string, string>();

/** Returns the bundled handler source (exports.handler). Cached per entry for the life of the process. */
export function bundleHandler(entry: string, bundledModules: readonly string[] = []): string {
  const cacheKey = `${entry}|${bundledModules.join(',')}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const result = buildSync({
    entryPoints: [path.join(REPO_ROOT, entry)],
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
  });
  const code = result.outputFiles[0].text;
  cache.set(cacheKey, code);
  return code;
}
