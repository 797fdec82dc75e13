/**
 * The child process lambda-process.ts starts: `lambda-child.ts <bench file> <export>` runs that
 * export of the bench, then sends the targets it missed (or what it threw) to the parent.
 */
import * as path from 'path';
import type { ChildReport } from './lambda-process';
import { missedTargets, startBench } from './judge';

function report(r: ChildReport): Promise<void> {
  return new Promise((resolve) => process.send!(r, () => resolve()));
}

async function main(): Promise<void> {
  const [file, exportName] = process.argv.slice(2);
  startBench(path.basename(file));
  try {
    const mod = await import(file);
    await mod[exportName]();
    await report({ kind: 'done', misses: missedTargets() });
  } catch (e) {
    await report({ kind: 'threw', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
  process.disconnect();
}

void main();
