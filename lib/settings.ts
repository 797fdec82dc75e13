import type { Node } from 'constructs';
import { z } from 'zod';
import { alertingSchema } from './settings/alerting';
import { analyticsSchema } from './settings/analytics';
import { checkDashboardsAgainstSettings, dashboardsSchema } from './settings/dashboards';
import { deploymentSchema } from './settings/deployment';
import { checkExemptionPolicy, exemptionsSchema } from './settings/exemptions';
import { checkInventory, inventorySchema } from './settings/inventory';
import { section, whenParsed } from './settings/fields';
import { checkRetirement, retirementSchema } from './settings/retirement';
import { checkRulesAgainstSettings, rulesSchema } from './settings/rules';

/** The one context key every tunable lives under. */
export const SETTINGS_CONTEXT_KEY = 'cryptoMonitoring';

export const settingsSchema = section({
  deployment: deploymentSchema.prefault({}),
  rules: rulesSchema.prefault({}),
  alerting: alertingSchema.prefault({}),
  analytics: analyticsSchema.prefault({}),
  dashboards: dashboardsSchema.prefault({}),
  exemptions: exemptionsSchema.prefault({}),
  inventory: inventorySchema.prefault({}),
  retirement: retirementSchema.prefault({}),
})
  // Checks across sections, each run when what it reads parsed, so they are reported with the other problems.
  .superRefine(
    (s, ctx) => checkRulesAgainstSettings(s, ctx, SETTINGS_CONTEXT_KEY),
    whenParsed('rules.*.enabled', 'rules.managed.*.enabled', 'alerting.enabled', 'alerting.centralAccountId', 'alerting.centralRegion'),
  )
  .superRefine(
    (s, ctx) => checkInventory(s, ctx, SETTINGS_CONTEXT_KEY),
    whenParsed('inventory.enabled', 'inventory.bucketAccountId', 'analytics.enabled'),
  )
  .superRefine(
    (s, ctx) => checkExemptionPolicy(s, ctx),
    whenParsed('rules.*.enabled', 'rules.*.exemptionTagKey', 'exemptions.serviceControlPolicy'),
  )
  .superRefine(
    (s, ctx) => checkRetirement(s, ctx, SETTINGS_CONTEXT_KEY),
    whenParsed('retirement.enabled', 'retirement.approverArns', 'retirement.minApprovals', 'rules.kmsUnusedKey.enabled', 'rules.secretsUnusedSecret.enabled'),
  )
  .superRefine(
    (s, ctx) => checkDashboardsAgainstSettings(s, ctx, SETTINGS_CONTEXT_KEY),
    whenParsed('analytics.enabled', 'dashboards.enabled', 'dashboards.identityRegion', 'dashboards.owners', 'dashboards.viewers'),
  );

export type Settings = z.output<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid ${SETTINGS_CONTEXT_KEY} settings in the CDK context, cdk.json or -c (nothing was synthesized):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'SettingsError';
  }
}

/**
 * Collects the raw settings from context: the object under `cryptoMonitoring` (or a JSON string
 * of it), overlaid with dotted keys such as `-c cryptoMonitoring.rules.kmsUnusedKey.unusedForDays=30`.
 */
export function rawSettingsFromContext(context: Record<string, unknown>): unknown {
  let base = context[SETTINGS_CONTEXT_KEY] ?? {};
  if (typeof base === 'string') {
    try {
      base = JSON.parse(base);
    } catch {
      throw new SettingsError([`${SETTINGS_CONTEXT_KEY}: got ${JSON.stringify(base)}; must be an object or a JSON object string`]);
    }
  }
  const merged = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(context)) {
    if (!key.startsWith(`${SETTINGS_CONTEXT_KEY}.`)) continue;
    const path = key.slice(SETTINGS_CONTEXT_KEY.length + 1).split('.');
    let node: Record<string, unknown> = merged;
    for (const part of path.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return merged;
}

/** A custom issue may say what it got in words (`params.got`), e.g. `"eu-west-1" twice` or `every rule disabled`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`), SETTINGS_CONTEXT_KEY);
  if (issue.code === 'unrecognized_keys') return `${where}: ${issue.message}`;
  const said = issue.code === 'custom' && typeof issue.params?.got === 'string' ? issue.params.got : undefined;
  const got = said ?? ('input' in issue ? JSON.stringify(issue.input) ?? 'nothing' : 'nothing');
  return `${where}: got ${got}; ${issue.message}`;
}

function schemaProblems(raw: unknown): { settings?: Settings; problems: string[] } {
  const result = settingsSchema.safeParse(raw, { reportInput: true });
  return result.success ? { settings: result.data, problems: [] } : { problems: result.error.issues.map(describeIssue) };
}

/** Parses and validates settings; throws SettingsError naming every bad key, value and what is allowed. */
export function parseSettings(raw: unknown): Settings {
  const { settings, problems } = schemaProblems(raw);
  if (settings === undefined) throw new SettingsError(problems);
  return settings;
}

/** Context keys of CDK itself (feature flags, CLI and toolkit keys, cached lookups): never a misspelled settings key. */
function isCdkContextKey(key: string): boolean {
  return key.startsWith('@') || key.includes(':') || key.startsWith('cdk-') || key.startsWith('aws-cdk') || key === 'acknowledged-issue-numbers';
}

/** Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Most edits (case aside) a context key may be from `cryptoMonitoring` to count as a misspelling of it. */
const NEAR_MISS_DISTANCE = 2;

function shortJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'nothing';
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * Context keys that look like a misspelled `cryptoMonitoring` (`cryptoMonitring`, `cryptomonitoring`,
 * `crypto-monitoring.rules…`): the app would otherwise ignore them and synthesize the defaults.
 */
export function misspelledContextKeys(context: Record<string, unknown>): string[] {
  const target = SETTINGS_CONTEXT_KEY.toLowerCase();
  return Object.entries(context)
    .filter(([key]) => {
      if (isCdkContextKey(key)) return false;
      const head = key.split('.')[0];
      return head !== SETTINGS_CONTEXT_KEY && editDistance(head.toLowerCase(), target) <= NEAR_MISS_DISTANCE;
    })
    .map(
      ([key, value]) =>
        `${key}: got ${shortJson(value)}; unknown context key, which the app would ignore: did you mean ${SETTINGS_CONTEXT_KEY}${key.includes('.') ? key.slice(key.indexOf('.')) : ''}?`,
    );
}

/**
 * Reads and validates the settings from the whole context: misspelled keys, an unreadable
 * `cryptoMonitoring` and every bad value are reported together, in one SettingsError.
 */
export function settingsFromContext(context: Record<string, unknown>): Settings {
  const problems = misspelledContextKeys(context);
  let raw: unknown;
  try {
    raw = rawSettingsFromContext(context);
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    throw new SettingsError([...problems, ...e.problems]);
  }
  const parsed = schemaProblems(raw);
  problems.push(...parsed.problems);
  if (parsed.settings === undefined || problems.length > 0) throw new SettingsError(problems);
  return parsed.settings;
}

/** Reads the validated settings from a construct node's context (the app's). */
export function loadSettings(node: Node): Settings {
  return settingsFromContext(node.getAllContext() as Record<string, unknown>);
}
