import type { Node } from 'constructs';
import { z } from 'zod';
import { alertingSchema } from './settings/alerting';
import { analyticsSchema } from './settings/analytics';
import { checkDashboardsAgainstSettings, dashboardsSchema } from './settings/dashboards';
import { deploymentSchema } from './settings/deployment';
import { section } from './settings/fields';
import { rulesSchema } from './settings/rules';

/** The one context key every tunable lives under. */
export const SETTINGS_CONTEXT_KEY = 'cryptoMonitoring';

export const settingsSchema = section({
  deployment: deploymentSchema.prefault({}),
  rules: rulesSchema.prefault({}),
  alerting: alertingSchema.prefault({}),
  analytics: analyticsSchema.prefault({}),
  dashboards: dashboardsSchema.prefault({}),
}).superRefine((s, ctx) => checkDashboardsAgainstSettings(s, ctx, SETTINGS_CONTEXT_KEY));

export type Settings = z.output<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid ${SETTINGS_CONTEXT_KEY} settings in cdk.json context (nothing was synthesized):\n` +
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

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`), SETTINGS_CONTEXT_KEY);
  if (issue.code === 'unrecognized_keys') return `${where}: ${issue.message}`;
  const got = 'input' in issue ? JSON.stringify(issue.input) ?? 'nothing' : 'nothing';
  return `${where}: got ${got}; ${issue.message}`;
}

/** Parses and validates settings; throws SettingsError naming every bad key, value and what is allowed. */
export function parseSettings(raw: unknown): Settings {
  const result = settingsSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new SettingsError(result.error.issues.map(describeIssue));
  return result.data;
}

/** Reads the validated settings from a construct node's context (the app's). */
export function loadSettings(node: Node): Settings {
  return parseSettings(rawSettingsFromContext(node.getAllContext() as Record<string, unknown>));
}
