/**
 * Renders previews with scripts/render-dashboards.mts (a child process, since Vega is ESM-only)
 * into a temporary folder, and the checks every QuickSight preview must pass.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { headingOf, type DashboardSpec } from '../../quicksight';

export const ROOT = path.join(__dirname, '..', '..');

export const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Renders the named previews (all when none) into a new temporary folder and returns it; remove it after. */
export function renderPreviews(...ids: string[]): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-previews-'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'render-dashboards.mts'), out, ...ids], { cwd: ROOT, stdio: 'pipe' });
  return out;
}

/**
 * A preview reads as its definition does (every title, every table heading), shows no bar for
 * rows without a value, no full ARN and no date in another format, and equals the committed file
 * in docs/dashboards/ (npm run previews refreshes them).
 */
export function expectPreviewOf(d: DashboardSpec, svg: string): void {
  expect(svg).toMatch(/^<svg /);
  for (const v of d.sheets.flatMap((s) => s.visuals)) {
    expect(svg).toContain(xml(v.title));
    if (v.kind === 'table') for (const c of v.columns) expect(svg).toContain(`>${xml(headingOf(v, c)!)}<`);
  }
  expect(svg).not.toMatch(/\(none\)|\(empty\)/);
  expect(svg).not.toMatch(/>arn:aws/);
  expect(svg).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d\b/);
  expect(fs.readFileSync(path.join(ROOT, 'docs', 'dashboards', `${d.id}.svg`), 'utf8')).toBe(svg);
}
