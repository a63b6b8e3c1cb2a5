/**
 * The DeploymentPreference keys SAM reads, and how a misspelling of one is
 * recognised. CDH006 reports the misspelling; the model reads a hook named
 * under a misspelled key as the hook it was meant to be, so one run shows the
 * hook's other problems too.
 */
import { closestMatch } from '../util/edit-distance.js';

export const FUNCTION_KEYS = ['DeploymentPreference', 'AutoPublishAlias'];
export const PREFERENCE_KEYS = ['Type', 'Alarms', 'Hooks', 'Role', 'Enabled', 'TriggerConfigurations', 'PassthroughCondition'];
export const HOOK_KEYS = ['PreTraffic', 'PostTraffic'] as const;

/** The known key this one is probably a typo of, if any. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  if (known.includes(key)) return undefined;
  return closestMatch(key, known, (k) => Math.max(1, Math.floor(k.length / 4)));
}

/** The key of a DeploymentPreference that holds its hooks: `Hooks`, else a misspelling of it (`Hook`). */
export function hooksKeyOf(preference: Record<string, unknown>): string | undefined {
  const keys = Object.keys(preference);
  return keys.find((k) => k === 'Hooks') ?? keys.find((k) => closestKey(k, PREFERENCE_KEYS) === 'Hooks');
}

/** The lifecycle event a key of the hooks map stands for: `PreTraffic`, or `PreTraffic` for `PreTrafic`. */
export function hookEventOf(key: string): (typeof HOOK_KEYS)[number] | undefined {
  const known: readonly string[] = HOOK_KEYS;
  return (known.includes(key) ? key : closestKey(key, known)) as (typeof HOOK_KEYS)[number] | undefined;
}
