/**
 * `npm run bench`: runs every bench/*.bench.ts in name order. Each module exports
 * `run(): Promise<void>` and prints its own figures. Never part of `npm test`.
 */
import * as fs from 'fs';
import * as path from 'path';

async function main() {
  const only = process.argv[2];
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
    .sort();
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    const mod = await import(path.join(__dirname, file));
    await mod.run();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
