/**
 * The SVG previews in docs/dashboards/ are what the dashboards of quicksight/ show over the
 * fixture lake, and what the alerting stack's CloudWatch dashboard lays out: rendering them again
 * (a child process, since Vega is ESM-only) gives the same files.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DASHBOARDS, headingOf } from '../../quicksight';

const ROOT = path.join(__dirname, '..', '..');
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-previews-'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'render-dashboards.mts'), out], { cwd: ROOT, stdio: 'pipe' });
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const fresh = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');

test.each(DASHBOARDS.map((d) => [d.id, d] as const))('docs/dashboards/%s.svg is current (npm run previews to refresh) and reads as the definition does', (id, d) => {
  const svg = fresh(`${id}.svg`);
  expect(svg).toMatch(/^<svg /);
  for (const v of d.sheets.flatMap((s) => s.visuals)) {
    expect(svg).toContain(xml(v.title));
    if (v.kind === 'table') for (const c of v.columns) expect(svg).toContain(`>${xml(headingOf(v, c)!)}<`);
  }
  // No bar for rows without a value, no full ARN and no date in another format.
  expect(svg).not.toMatch(/\(none\)|\(empty\)/);
  expect(svg).not.toMatch(/>arn:aws/);
  expect(svg).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d\b/);
  expect(fs.readFileSync(path.join(ROOT, 'docs', 'dashboards', `${id}.svg`), 'utf8')).toBe(svg);
});

test('docs/dashboards/cloudwatch.svg is current, drawn from the alerting stack\'s dashboard body', () => {
  const svg = fresh('cloudwatch.svg');
  expect(svg).toContain('Crypto asset alarms: the state of each, most recently changed first');
  for (const metric of ['KmsKeyDisabledOrScheduledForDeletion', 'KmsCryptographicOperations', 'SecretReads', 'KmsAccessDenied', 'SecretsManagerAccessDenied', 'KmsKeyPendingDeletionUse', 'DeletedSecretReads']) {
    expect(svg).toContain(`>${metric} · Sum per 5 min<`);
  }
  expect(svg.match(/, all accounts, per 5 minutes</g)).toHaveLength(7);
  expect(fs.readFileSync(path.join(ROOT, 'docs', 'dashboards', 'cloudwatch.svg'), 'utf8')).toBe(svg);
});
