import { parseSettings, SettingsError } from '../../lib/settings';

/** The problems SettingsError names for `raw` settings; none when they are valid. */
export function settingsProblems(raw: unknown): string[] {
  try {
    parseSettings(raw);
    return [];
  } catch (e) {
    if (e instanceof SettingsError) return e.problems;
    throw e;
  }
}
