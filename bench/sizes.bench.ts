/**
 * What deploys: each custom rule's handler bundle (inlined into the member template) and the
 * member template itself, against CloudFormation's 1 MB limit for a template given by URL. The
 * synth output goes to a temporary folder, removed afterwards.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleHandler } from '../lib/bundle';
import { CUSTOM_RULES } from '../lib/catalog';
import { synthesizeMemberTemplate } from '../lib/member/member-template';
import { parseSettings } from '../lib/settings';
import { int } from './harness';
import { target } from './judge';

/** CloudFormation quotas: a template passed by URL (as StackSets take it) is at most 1 MB. */
const TEMPLATE_URL_LIMIT_BYTES = 1_000_000;

export async function run(): Promise<void> {
  for (const spec of CUSTOM_RULES) {
    const bytes = Buffer.byteLength(bundleHandler(spec.handlerEntry, spec.bundledModules));
    console.log(`bundle ${spec.handlerEntry}: ${int(bytes)} bytes${spec.bundledModules.length ? ` (bundles ${spec.bundledModules.join(', ')})` : ''}`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-bench-synth-'));
  try {
    const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
    const member = synthesizeMemberTemplate(parseSettings({}), context, outdir);
    const share = (member.sizeBytes / TEMPLATE_URL_LIMIT_BYTES) * 100;
    console.log(`member template: ${int(member.sizeBytes)} bytes, ${share.toFixed(1)}% of the 1 MB template-URL limit`);
    target('member template < 1,000,000 bytes', member.sizeBytes < TEMPLATE_URL_LIMIT_BYTES, `${int(member.sizeBytes)} bytes`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
