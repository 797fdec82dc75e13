/**
 * Synthesizes the member template on its own: an App with BootstraplessSynthesizer, so the
 * template carries no bootstrap version parameter or rule and no asset references and deploys in
 * accounts that were never CDK-bootstrapped. Its validation (cdk-nag and the built-in validator)
 * runs here and throws, because the CLI only reports the validation of the app it launched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, BootstraplessSynthesizer } from 'aws-cdk-lib';
import { addNagChecks } from '../nag';
import type { Settings } from '../settings';
import { MemberStack } from './member-stack';

export const MEMBER_STACK_NAME = 'CryptoAssetMonitoringMember';
/** CloudFormation's limit for a template given by URL. */
export const TEMPLATE_URL_LIMIT_BYTES = 1_000_000;

export interface MemberTemplate {
  readonly templatePath: string;
  readonly sizeBytes: number;
  readonly stack: MemberStack;
}

export function synthesizeMemberTemplate(settings: Settings, context: Record<string, unknown>, outdir: string): MemberTemplate {
  const app = new App({
    outdir,
    context: { ...context, '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
  const stack = new MemberStack(app, MEMBER_STACK_NAME, {
    settings,
    synthesizer: new BootstraplessSynthesizer({}),
    description: 'crypto-asset-monitoring member resources: custom AWS Config rules for KMS keys, secrets and certificates',
  });
  addNagChecks(app);
  const assembly = app.synth();
  assertValidationPassed(assembly.directory);
  const templatePath = assembly.getStackArtifact(stack.artifactId).templateFullPath;
  const sizeBytes = fs.statSync(templatePath).size;
  if (sizeBytes > TEMPLATE_URL_LIMIT_BYTES) {
    throw new Error(`Member template is ${sizeBytes} bytes, over CloudFormation's ${TEMPLATE_URL_LIMIT_BYTES}-byte limit for a template URL`);
  }
  return { templatePath: path.resolve(templatePath), sizeBytes, stack };
}

interface ValidationReport {
  pluginReports?: { pluginName: string; conclusion: string; violations: { ruleName: string; description: string; violatingConstructs?: { constructPath?: string }[] }[] }[];
}

/** Reads the validation report of the member assembly and throws on any failed plugin. */
export function assertValidationPassed(assemblyDir: string): void {
  const file = path.join(assemblyDir, 'validation-report.json');
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as ValidationReport;
  const failures = (report.pluginReports ?? []).filter((r) => r.conclusion === 'failure');
  if (failures.length === 0) return;
  const lines = failures.flatMap((r) =>
    r.violations.map((v) => `  ${r.pluginName} ${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}: ${v.description}`),
  );
  throw new Error(`The member template failed validation:\n${lines.join('\n')}`);
}
