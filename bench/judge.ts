/**
 * The benches' verdicts: each bench states its targets through `target`, which prints the verdict
 * and records a miss; bench/run.ts runs every bench, then fails the process if any target was
 * missed (or a bench threw), naming each.
 */
const misses: string[] = [];
let current = '(no bench)';

export function startBench(name: string): void {
  current = name;
}

/** Records one target: `ok` says whether it was met; `detail` is the figure against the target. */
export function target(label: string, ok: boolean, detail: string): boolean {
  console.log(`  [${ok ? 'met' : 'MISSED'}] ${label}: ${detail}`);
  if (!ok) misses.push(`${current}: ${label} (${detail})`);
  return ok;
}

/** A bench that could not produce its figures at all. */
export function benchFailed(error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.log(`  [FAILED] ${current} threw ${text}`);
  misses.push(`${current}: threw ${text}`);
}

/** Targets missed in a child process (lambda-process.ts), already printed there and named with their bench. */
export function recordMisses(list: readonly string[]): void {
  misses.push(...list);
}

export function missedTargets(): readonly string[] {
  return misses;
}
