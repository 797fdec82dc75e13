/**
 * How `cdk synth` runs the app (cdk.json "app": node --require ./bin/launch.cjs
 * bin/crypto-asset-monitoring.ts): Node.js itself, with two things set up before the app loads.
 *
 * 1. A `require` hook for our .ts files only. Each file is transformed once by esbuild (as tsx
 *    would: CommonJS, tsconfig.json's compiler options, inline source maps so stack traces and
 *    validation reports name .ts lines) and kept in the cloud assembly folder, cdk.out/.cache/ts/,
 *    one file per .ts file headed by the hash of its content, the esbuild version, the target and
 *    tsconfig.json, and read from there while those match. On Node.js 22.1 and later, V8's
 *    compiled code of every module (node_modules included) is kept too, from the second synth on,
 *    in cdk.out/.cache/v8/ (module.enableCompileCache), so a repeated synth does not parse
 *    aws-cdk-lib and cdk-nag again. Delete cdk.out/.cache to start afresh. Why not `npx tsx`:
 *    npx's own start, tsx's launcher process and its module hooks (run for every module,
 *    node_modules included) cost about 3 s of CPU of every synth on Node.js 20
 *    (docs/benchmarks.md); the templates are the same. `npm run bench`, `npm run diff` and the
 *    scripts still use tsx.
 *
 * 2. V8 runs WebAssembly with its baseline compiler only (--liftoff-only). aws-cdk-lib's built-in
 *    template validator is a 9 MB WebAssembly module; by default V8 keeps recompiling its busy
 *    functions with the optimizing compiler on background threads, and Node.js waits for those
 *    compilations whenever the event loop goes idle (here, between the member template's
 *    validation and the app's) and again at exit. A synth validates each template once, so the
 *    optimized code never pays for itself: with baseline code only the app process takes about
 *    30% less CPU and 17% less time on Node.js 20 (12% and 11% on Node.js 22), with the same
 *    validation results (docs/benchmarks.md). A V8 without the flag says so on stderr and runs as
 *    before.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const os = require('os');
const path = require('path');
const v8 = require('v8');

v8.setFlagsFromString('--liftoff-only');

const root = path.resolve(__dirname, '..');
const cacheDir = path.join(process.env.CDK_OUTDIR ? path.resolve(process.env.CDK_OUTDIR) : path.join(os.tmpdir(), 'crypto-asset-monitoring'), '.cache');

// V8's cache is written from the second synth into the same folder on: writing it costs a synth
// about 1.4 s and it saves each later one about 0.7 s (Node.js 22), so the one synth of a fresh
// clone, as in CI, would pay for a cache it never reads. The .ts cache, made by every synth, marks
// that one came before.
if (fs.existsSync(path.join(cacheDir, 'ts'))) Module.enableCompileCache?.(path.join(cacheDir, 'v8'));
process.setSourceMapsEnabled(true);

const tsconfig = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
const options = {
  loader: 'ts',
  format: 'cjs',
  target: `node${process.versions.node.split('.')[0]}`,
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: JSON.parse(tsconfig).compilerOptions },
};
const salt = crypto
  .createHash('sha256')
  .update(JSON.stringify({ esbuild: require('esbuild/package.json').version, options }))
  .digest();
let esbuild;

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  // One cache file per .ts file (so the cache does not grow with every edit), headed by the hash
  // of what it was made from.
  const stamp = `// ${crypto.createHash('sha256').update(salt).update(source).digest('hex')}\n`;
  const cached = path.join(cacheDir, 'ts', `${crypto.createHash('sha256').update(filename).digest('hex')}.js`);
  let code;
  try {
    const text = fs.readFileSync(cached, 'utf8');
    if (text.startsWith(stamp)) code = text.slice(stamp.length);
  } catch {
    // Not cached yet.
  }
  if (code === undefined) {
    esbuild ??= require('esbuild');
    code = esbuild.transformSync(source, { ...options, sourcefile: filename }).code;
    try {
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, stamp + code);
      fs.renameSync(tmp, cached);
    } catch {
      // Not kept: the next synth transforms this file again, nothing else.
    }
  }
  module._compile(code, filename);
};
