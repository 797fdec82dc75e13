/**
 * Synthesizes the member template on its own: an App with BootstraplessSynthesizer, so the
 * template carries no bootstrap version parameter or rule and no asset references and deploys in
 * accounts that were never CDK-bootstrapped. Its validation (cdk-nag and the built-in validator)
 * runs here and throws, because the CLI only reports the validation of the app it launched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, BootstraplessSynthesizer, Token, type CfnElement } from 'aws-cdk-lib';
import { acknowledgeNag } from '../nag';
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
  acknowledgeMemberFindings(stack);
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

/**
 * Each acknowledgement names the exact finding and why it does not apply to these resources.
 * Exported for the member stacks the app deploys to the management account itself.
 */
export function acknowledgeMemberFindings(stack: MemberStack): void {
  // cdk-nag names an ARN as the template holds it: in a stack bound to a region the partition and
  // region are literals, in the account- and region-agnostic member template they are references.
  const inStack = (finding: string) =>
    finding
      .replace('<AWS::Partition>', Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition)
      .replace('<AWS::Region>', Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region);
  for (const rule of Object.values(stack.rules)) {
    // The handler's own unscoped calls, read from its statements, so the reason stays true for every rule.
    const unscoped = rule.spec
      .statements(stack)
      .filter((s) => s.resources.includes('*'))
      .flatMap((s) => s.actions);
    acknowledgeNag(rule.policy, 'AwsSolutions-IAM5', [
      ['Resource::*', `${[...unscoped, 'config:PutEvaluations'].join(' and ')} have no resource scope.`],
      [`Resource::<${stack.getLogicalId(rule.logGroup.node.defaultChild as CfnElement)}.Arn>:log-stream:*`, 'Log streams of the function\'s own log group; their names are chosen by Lambda.'],
      [inStack('Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*'), 'GetComplianceDetailsByConfigRule on rules of this account and region: the rule ARN holds an id assigned at creation, and naming it would make the role depend on the rule that depends on the function.'],
      ...rule.spec.nagWildcards.map((w): [string, string] => [inStack(w.finding), w.reason]),
    ]);
  }
}
