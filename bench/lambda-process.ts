/**
 * A rule bench's measured pass in a process of its own, started with the V8 heap limits Lambda's
 * Node.js runtime gives the rule's function (its memorySizeMb in lib/catalog.ts) and with gc()
 * exposed, so the heap figures are those of a heap that size and not of this process, whose limit
 * is the host's default and whose collector therefore leaves garbage lying. The child runs the
 * bench's `measure` export, prints its figures and states its targets; the targets it missed come
 * back here. Running out of heap under the limit is itself a missed target.
 */
import { fork } from 'child_process';
import * as path from 'path';
import type { CustomRuleKey } from '../lib/catalog';
import { LAMBDA_MEMORY_ENV, lambdaHeapLimits, type LambdaMemory } from './harness';
import { recordMisses, target } from './judge';

/** What the child sends back before it exits. */
export type ChildReport = { readonly kind: 'done'; readonly misses: readonly string[] } | { readonly kind: 'threw'; readonly error: string };

export async function inLambdaProcess(benchFile: string, exportName: string, rule: CustomRuleKey): Promise<void> {
  // Only here, in the parent: lib/catalog.ts loads aws-cdk-lib, which the child's heap need not hold.
  const { CUSTOM_RULES } = await import('../lib/catalog');
  const spec = CUSTOM_RULES.find((r) => r.key === rule);
  if (!spec) throw new Error(`no custom rule ${rule} in lib/catalog.ts`);
  const memory: LambdaMemory = { memoryMb: spec.memorySizeMb, ...lambdaHeapLimits(spec.memorySizeMb) };
  const flags = [`--max-old-space-size=${memory.oldSpaceMb}`, `--max-semi-space-size=${memory.semiSpaceMb}`, '--expose-gc'];
  console.log(`  measured in a child process: node ${flags.join(' ')} (${spec.name}, ${spec.memorySizeMb} MB)`);

  const child = fork(path.join(__dirname, 'lambda-child.ts'), [benchFile, exportName], {
    execArgv: ['--import', 'tsx', ...flags],
    env: { ...process.env, [LAMBDA_MEMORY_ENV]: JSON.stringify(memory) },
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
  });
  let report: ChildReport | undefined;
  let stderrTail = '';
  child.on('message', (m) => (report = m as ChildReport));
  child.stderr!.on('data', (d: Buffer) => {
    process.stderr.write(d);
    stderrTail = (stderrTail + d.toString()).slice(-4000);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, s) => resolve([c, s]));
  });

  const limits = `--max-old-space-size=${memory.oldSpaceMb}`;
  const outOfHeap = /heap out of memory|Reached heap limit|Allocation failed/i.test(stderrTail);
  if (report?.kind === 'done') {
    recordMisses(report.misses);
    target(`ran to the end under ${limits} without running out of heap`, true, `exit code ${code}`);
  } else if (outOfHeap) {
    target(`ran to the end under ${limits} without running out of heap`, false, `out of heap (exit code ${code}, signal ${signal})`);
  } else if (report?.kind === 'threw') {
    throw new Error(`in the child process: ${report.error}`);
  } else {
    throw new Error(`the child process ended without a report (exit code ${code}, signal ${signal})`);
  }
}
