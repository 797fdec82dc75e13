import { parseSettings, SettingsError, settingsFromContext } from '../../lib/settings';

function problemsOf(read: () => unknown): string[] {
  try {
    read();
    return [];
  } catch (e) {
    if (e instanceof SettingsError) return e.problems;
    throw e;
  }
}

/** The problems SettingsError names for `raw` settings; none when they are valid. */
export function settingsProblems(raw: unknown): string[] {
  return problemsOf(() => parseSettings(raw));
}

/** The problems SettingsError names for a whole context (as the app reads it); none when it is valid. */
export function contextProblems(context: Record<string, unknown>): string[] {
  return problemsOf(() => settingsFromContext(context));
}
