/**
 * The SVG previews in docs/dashboards/ are what the dashboards of quicksight/ show over the
 * fixture lake (the inventory's over its own fixtures, the retirement path's with the path's calls),
 * and what the alerting stack's CloudWatch dashboard lays out: rendering them again gives the same
 * files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DASHBOARDS, INVENTORY_DASHBOARDS, RETIREMENT_DASHBOARDS, shortPrincipalList } from '../../quicksight';
import { approvers } from '../fixtures/security-lake/retirement';
import { ROOT, expectPreviewOf, renderPreviews, xml } from './preview';

let out: string;
beforeAll(() => {
  out = renderPreviews();
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const fresh = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
const EVERY = [...DASHBOARDS, ...RETIREMENT_DASHBOARDS, ...INVENTORY_DASHBOARDS];

test('one preview per dashboard and the CloudWatch one, nothing else', () => {
  expect(fs.readdirSync(out).sort()).toEqual([...EVERY.map((d) => `${d.id}.svg`), 'cloudwatch.svg'].sort());
});

test.each(EVERY.map((d) => [d.id, d] as const))('docs/dashboards/%s.svg is current (npm run previews to refresh) and reads as the definition does', (id, d) => {
  expectPreviewOf(d, fresh(`${id}.svg`));
});

test('the inventory preview shows the fixtures\' figures: 14 assets to migrate, $405.20 a month of priced waste', () => {
  const svg = fresh('inventory.svg');
  expect(svg).toContain('Crypto asset monitoring: Cryptographic inventory');
  expect(svg).toContain('>14<');
  expect(svg).toContain('>405.2<');
});

test('the retirement preview names both approvers of a two-person approval, shortened, and no ARN in full', () => {
  const svg = fresh('retirement.svg');
  expect(svg).toContain('Crypto asset monitoring: Retirement of unused keys and secrets');
  expect(svg).toContain(xml(shortPrincipalList(approvers.two)));
  expect(svg).not.toMatch(/arn:aws/);
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
