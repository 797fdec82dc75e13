/**
 * bin/launch.cjs, as cdk.json's app runs it: .ts files load through esbuild, kept transformed in
 * <CDK_OUTDIR>/.cache/ts/ and transformed again when they change; stack traces name .ts lines; V8's
 * compile cache is written only from the second run into the same folder (Node.js 22.1 and later).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const LAUNCHER = path.join(__dirname, '..', '..', 'bin', 'launch.cjs');
const HAS_COMPILE_CACHE = typeof (require('module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';

let dir: string;
let outdir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-launch-'));
  outdir = path.join(dir, 'cdk.out');
  fs.writeFileSync(path.join(dir, 'greeting.ts'), "export const greeting = (name: string): string => `hello ${name}`;\n");
  fs.writeFileSync(
    path.join(dir, 'main.ts'),
    [
      "import { greeting } from './greeting';",
      'interface Args { readonly fail: boolean }',
      "const args: Args = { fail: process.argv.includes('--fail') };",
      'console.log(greeting(\'synth\'));',
      "if (args.fail) throw new Error('failed on purpose');",
      '',
    ].join('\n'),
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function launch(...args: string[]) {
  return spawnSync(process.execPath, ['--require', LAUNCHER, path.join(dir, 'main.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: outdir },
  });
}
const cached = (kind: string) => (fs.existsSync(path.join(outdir, '.cache', kind)) ? fs.readdirSync(path.join(outdir, '.cache', kind)) : []);

test('runs TypeScript, keeps each file transformed, and transforms a changed file again', () => {
  const first = launch();
  expect(first.stderr).toBe('');
  expect(first.stdout).toBe('hello synth\n');
  expect(cached('ts')).toHaveLength(2);

  fs.writeFileSync(path.join(dir, 'greeting.ts'), "export const greeting = (name: string): string => `hi ${name}`;\n");
  const second = launch();
  expect(second.stdout).toBe('hi synth\n');
  // One file per .ts file, replaced rather than added to.
  expect(cached('ts')).toHaveLength(2);
});

test('a stack trace names the .ts file and line', () => {
  const r = launch('--fail');
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('failed on purpose');
  expect(r.stderr).toMatch(new RegExp(`main\\.ts:5:\\d+`));
});

(HAS_COMPILE_CACHE ? test : test.skip)("V8's compile cache is not written by a fresh folder's first run, only from the second on", () => {
  launch();
  expect(cached('v8')).toEqual([]);
  launch();
  expect(cached('v8').length).toBeGreaterThan(0);
});
