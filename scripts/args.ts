/** Command-line reading shared by the scripts (npm run diff, npm run cbom). */

/** A mistake in the command line: the script prints the message alone and exits 2. */
export class UsageError extends Error {}

/**
 * Walks `argv` in order. An option in `valued` takes the next argument as its value (refused when
 * missing or another option); any other argument must be in `flags`. `take` receives each one.
 */
export function walkArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[], take: (arg: string, value?: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (valued.includes(arg)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      take(arg, v);
    } else if (flags.includes(arg)) take(arg);
    else throw new UsageError(`unknown argument ${arg}`);
  }
}
