/**
 * The SVG previews in docs/dashboards/ are what the dashboards of quicksight/ show over the
 * fixture lake: rendering them again (a child process, since Vega is ESM-only) gives the same files.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DASHBOARDS } from '../../quicksight';

const ROOT = path.join(__dirname, '..', '..');

test('docs/dashboards holds a current preview of every dashboard (npm run previews to refresh)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-previews-'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'render-dashboards.mts'), out], { cwd: ROOT, stdio: 'pipe' });
  for (const d of DASHBOARDS) {
    const fresh = fs.readFileSync(path.join(out, `${d.id}.svg`), 'utf8');
    expect(fresh).toMatch(/^<svg /);
    for (const v of d.sheets.flatMap((s) => s.visuals)) expect(fresh).toContain(v.title.replace(/&/g, '&amp;'));
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'dashboards', `${d.id}.svg`), 'utf8')).toBe(fresh);
  }
  fs.rmSync(out, { recursive: true, force: true });
});
