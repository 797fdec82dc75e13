/**
 * `npm run diff`: what the next deployment changes in every account and Region. `cdk diff` shows
 * only a new asset hash for the StackSet's template URL; this compares the member template itself,
 * synthesized from cdk.json (and any `-c key=value`), with the one the StackSet holds now
 * (DescribeStackSet, with the CLI's credentials) or, offline, with a template file, and prints the
 * differences with the CDK's own diff formatter.
 *
 *   npm run diff -- --template old-member.template.json [--fail] [-c key=value ...]
 *   npm run diff -- [--stack-set NAME] [--call-as SELF|DELEGATED_ADMIN] [--region R] [--fail]
 *
 * Exit codes: 0 no difference (or differences without --fail), 1 differences with --fail, 2 error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fullDiff, formatDifferences } from '@aws-cdk/cloudformation-diff';
import { CloudFormationClient, DescribeStackSetCommand } from '@aws-sdk/client-cloudformation';
import { REPO_ROOT } from '../lib/bundle';
import { UsageError, walkArgs } from './args';
export { UsageError };
import { synthesizeMemberTemplate } from '../lib/member/member-template';
import { SettingsError, settingsFromContext } from '../lib/settings';

interface Options {
  template?: string;
  stackSet?: string;
  callAs?: 'SELF' | 'DELEGATED_ADMIN';
  region?: string;
  fail: boolean;
  context: Record<string, string>;
}


export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { fail: false, context: {} };
  walkArgs(argv, ['--template', '--stack-set', '--region', '--call-as', '-c', '--context'], ['--fail'], (arg, v = '') => {
    if (arg === '--template') o.template = v;
    else if (arg === '--stack-set') o.stackSet = v;
    else if (arg === '--region') o.region = v;
    else if (arg === '--call-as') {
      if (v !== 'SELF' && v !== 'DELEGATED_ADMIN') throw new UsageError(`--call-as ${v}: must be SELF or DELEGATED_ADMIN`);
      o.callAs = v;
    } else if (arg === '--fail') o.fail = true;
    else {
      const eq = v.indexOf('=');
      if (eq <= 0) throw new UsageError(`${arg} ${v}: must be key=value`);
      o.context[v.slice(0, eq)] = v.slice(eq + 1);
    }
  });
  if (o.template && o.stackSet) throw new UsageError('give --template or --stack-set, not both');
  return o;
}

/** The template the StackSet holds now (its body, whichever way it was given). */
async function deployedTemplate(name: string, callAs: Options['callAs'], region: string | undefined): Promise<unknown> {
  const client = new CloudFormationClient({ ...(region ? { region } : {}), requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000, throwOnRequestTimeout: true } });
  const out = await client.send(new DescribeStackSetCommand({ StackSetName: name, ...(callAs ? { CallAs: callAs } : {}) }));
  const body = out.StackSet?.TemplateBody;
  if (!body) throw new Error(`DescribeStackSet returned no template for ${name}`);
  return JSON.parse(body);
}

/**
 * Leaves out what only says where a resource sits in the CDK app (path metadata, CDK's version
 * report): the CLI adds it and this script does not, and it changes nothing that is deployed.
 */
export function withoutCdkMetadata(template: any): any {
  const t = structuredClone(template ?? {});
  delete t.Resources?.CDKMetadata;
  delete t.Conditions?.CDKMetadataAvailable;
  if (t.Conditions && Object.keys(t.Conditions).length === 0) delete t.Conditions;
  for (const r of Object.values<any>(t.Resources ?? {})) {
    if (r.Metadata) {
      delete r.Metadata['aws:cdk:path'];
      if (Object.keys(r.Metadata).length === 0) delete r.Metadata;
    }
  }
  return t;
}

/** Prints the differences; returns how many resources, outputs, parameters and so on differ. */
export function printDiff(oldTemplate: unknown, newTemplate: unknown, out: NodeJS.WritableStream): number {
  const diff = fullDiff(withoutCdkMetadata(oldTemplate), withoutCdkMetadata(newTemplate));
  if (diff.isEmpty) {
    out.write('There were no differences\n');
    return 0;
  }
  formatDifferences(out, diff);
  return diff.differenceCount;
}

export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const o = parseArgs(argv);
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const context = { ...cdkJson.context, ...o.context };
  const settings = settingsFromContext(context);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-diff-'));
  try {
    const member = synthesizeMemberTemplate(settings, context, outdir);
    const newTemplate = JSON.parse(fs.readFileSync(member.templatePath, 'utf8'));
    const oldTemplate = o.template
      ? JSON.parse(fs.readFileSync(o.template, 'utf8'))
      : await deployedTemplate(o.stackSet ?? settings.deployment.stackSetName, o.callAs ?? settings.deployment.callAs, o.region);
    out.write(`Member template (every account and Region of the StackSet) against ${o.template ?? `StackSet ${o.stackSet ?? settings.deployment.stackSetName}`}:\n`);
    const differences = printDiff(oldTemplate, newTemplate, out);
    return differences > 0 && o.fail ? 1 : 0;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e instanceof UsageError || e instanceof SettingsError ? e.message : e);
      process.exitCode = 2;
    },
  );
}
