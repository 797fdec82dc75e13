/**
 * `npm run bench [filter]`: runs every bench/*.bench.ts (in name order, or those whose name holds
 * the filter). Each module exports `run(): Promise<void>`, prints its figures and states its
 * targets through judge.ts. Every bench runs even after a miss; the process then exits 1 and
 * lists each missed target. Never part of `npm test`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { benchFailed, missedTargets, startBench } from './judge';

async function main() {
  const only = process.argv[2];
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
    .sort();
  if (files.length === 0) throw new Error(`no bench matches ${JSON.stringify(only)}`);
  const hostTimes: string[] = [];
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    startBench(file);
    const start = Date.now();
    try {
      const mod = await import(path.join(__dirname, file));
      await mod.run();
    } catch (e) {
      benchFailed(e);
    }
    const s = ((Date.now() - start) / 1000).toFixed(1);
    console.log(`  host time: ${s} s`);
    hostTimes.push(`${file} ${s} s`);
  }
  console.log(`\nhost time by bench: ${hostTimes.join('; ')}`);
  const misses = missedTargets();
  if (misses.length > 0) {
    console.log(`\n${misses.length} target(s) missed:`);
    for (const m of misses) console.log(`  - ${m}`);
    process.exitCode = 1;
  } else {
    console.log('\nevery target met');
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
