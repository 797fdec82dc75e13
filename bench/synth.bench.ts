/**
 * `npx cdk synth -q` of this app against a minimal one-rule CDK app (bench/minimal-app/: one stack
 * with one AWS managed Config rule and the same feature flags, launched with `npx tsx` as `cdk init`
 * makes an app), with the same CDK CLI from node_modules, run in turn (minimal, ours, minimal,
 * ours, ...). The ratio is the median of the pair-by-pair ratios, so a machine whose speed drifts
 * during the bench moves both sides of a pair; judged against 1.3 (issue 11).
 *
 * For information, a third command: the same minimal app launched exactly as ours is (cdk.json
 * "app": node with bin/launch.cjs), which tells how much of the difference is the launch and how
 * much the app's own work.
 *
 * Each command synthesizes into its own temporary cloud assembly folder, kept across its runs as
 * cdk.out is between a user's synths: the warm-up run starts from an empty folder and fills the
 * caches there (bundles, transformed .ts files, and from the second synth on Node.js 22, V8's code).
 * `SYNTH_BENCH_RUNS` sets the counted runs (default 5).
 *
 * Then the synth of a fresh clone, as CI runs it: pairs of this app and the minimal app, each into a
 * new empty folder, tsx without its transform cache (TSX_DISABLE_CACHE), judged against the same
 * 1.3. `SYNTH_BENCH_FRESH_RUNS` sets the pairs (default 3).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { target } from './judge';

const ROOT = path.resolve(__dirname, '..');
const MINIMAL = path.join(__dirname, 'minimal-app');
const TARGET_RATIO = 1.3;

interface Command {
  readonly label: string;
  readonly cwd: string;
  /** `-a` for the minimal app launched as ours; the app of the folder's cdk.json otherwise. */
  readonly app?: string;
}

const OURS: Command = { label: 'this app', cwd: ROOT };
const MINIMAL_TSX: Command = { label: 'minimal app (npx tsx, as cdk init makes it)', cwd: MINIMAL };

/** cdk.json's "app" with the minimal app's entry: our launcher files by absolute path, app.ts for ours. */
function launchedAsOurs(): string {
  const app: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).app;
  const entry = 'bin/crypto-asset-monitoring.ts';
  if (!app.includes(entry)) throw new Error(`cdk.json's app no longer names ${entry}: ${app}`);
  return app.replace(entry, 'app.ts').replace(/\.\/bin\//g, `${path.join(ROOT, 'bin')}/`);
}

/** Seconds one `npx cdk synth -q` took; throws when it fails. `fresh`: no cache of tsx's either. */
function synth(command: Command, outdir: string, fresh = false): number {
  const args = ['cdk', 'synth', '-q', '-o', outdir, ...(command.app ? ['-a', command.app] : [])];
  const env = fresh ? { ...process.env, TSX_DISABLE_CACHE: '1' } : process.env;
  const start = process.hrtime.bigint();
  const r = spawnSync('npx', args, { cwd: command.cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command.label}: npx ${args.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).slice(-2000)}`);
  return seconds;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The yardstick must differ from our app only in what it builds: same CDK feature flags. */
function assertSameFeatureFlags(): void {
  const flags = (dir: string) => {
    const context = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(Object.entries(context).filter(([k]) => k.startsWith('@')).sort(([a], [b]) => a.localeCompare(b))));
  };
  if (flags(ROOT) !== flags(MINIMAL)) {
    throw new Error('bench/minimal-app/cdk.json must carry the same feature flags ("@..." context keys) as cdk.json; copy them over');
  }
}

const s = (x: number) => x.toFixed(2);

export async function run(): Promise<void> {
  assertSameFeatureFlags();
  const runs = Number(process.env.SYNTH_BENCH_RUNS ?? 5);
  const freshRuns = Number(process.env.SYNTH_BENCH_FRESH_RUNS ?? 3);
  const cli = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-cdk', 'package.json'), 'utf8')).version;
  console.log(`Node.js ${process.version}, CDK CLI ${cli}; ${runs} counted runs of each command, in turn, after one warm-up run each`);
  const commands = [MINIMAL_TSX, OURS, { label: 'minimal app launched as ours', cwd: MINIMAL, app: launchedAsOurs() }];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-bench-cdk-synth-'));
  try {
    const outdirs = commands.map((_, i) => path.join(tmp, `out${i}`));
    const times: number[][] = commands.map(() => []);
    commands.forEach((c, i) => synth(c, outdirs[i]));
    for (let r = 0; r < runs; r++) commands.forEach((c, i) => times[i].push(synth(c, outdirs[i])));
    commands.forEach((c, i) => console.log(`${c.label}: median ${s(median(times[i]))} s (runs ${times[i].map(s).join(', ')})`));
    const pairRatios = (other: number) => times[1].map((t, r) => t / times[other][r]);
    const ratio = median(pairRatios(0));
    console.log(`this app / minimal app launched as ours: ${s(median(pairRatios(2)))} (median of pair ratios; information, no target)`);
    target(
      `cdk synth of this app <= ${TARGET_RATIO} x a minimal one-rule app`,
      ratio <= TARGET_RATIO,
      `${s(ratio)} x (median of ${runs} pair ratios; ${s(median(times[1]))} s against ${s(median(times[0]))} s)`,
    );

    // A fresh clone's synth: every cache empty, on both sides.
    const pair = [MINIMAL_TSX, OURS];
    const fresh = pair.map(() => [] as number[]);
    for (let r = 0; r < freshRuns; r++) pair.forEach((c, i) => fresh[i].push(synth(c, path.join(tmp, `fresh${r}-${i}`), true)));
    pair.forEach((c, i) => console.log(`${c.label}, fresh clone: median ${s(median(fresh[i]))} s (runs ${fresh[i].map(s).join(', ')})`));
    const freshRatio = median(fresh[1].map((t, r) => t / fresh[0][r]));
    target(
      `cdk synth of a fresh clone (as in CI) <= ${TARGET_RATIO} x the minimal app's`,
      freshRatio <= TARGET_RATIO,
      `${s(freshRatio)} x (median of ${freshRuns} pair ratios; ${s(median(fresh[1]))} s against ${s(median(fresh[0]))} s)`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
