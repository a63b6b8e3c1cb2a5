/**
 * CDH006: keys SAM silently drops. `Deploymentpreference`, `PreTrafic` or
 * `Hook` give a template that deploys without the canary or without the hook,
 * and nothing says so. Flag keys that are close to the ones SAM reads.
 */
import type { Finding, Rule } from '../finding.js';
import { isObj } from '../intrinsics.js';
import { functions } from '../model.js';
import { closestKey, FUNCTION_KEYS, HOOK_KEYS, hooksKeyOf, PREFERENCE_KEYS } from '../sam-keys.js';
import type { Path, Template } from '../template-reader.js';

/** Real function properties that look like the ones SAM reads for a deployment. */
const OTHER_FUNCTION_KEYS = ['AutoPublishCodeSha256', 'AutoPublishAliasAllProperties'];

function check(t: Template, resource: string, map: Record<string, unknown>, base: Path, known: readonly string[], where: string, strict: boolean): Finding[] {
  const out: Finding[] = [];
  // An intrinsic (`!If`, `!Ref`…) in place of the map is resolved at deploy time; nothing to spell-check.
  if (Object.keys(map).some((k) => k === 'Ref' || k.startsWith('Fn::'))) return out;
  for (const key of Object.keys(map)) {
    if (known.includes(key) || OTHER_FUNCTION_KEYS.includes(key)) continue;
    const suggestion = closestKey(key, known);
    if (!suggestion && !strict) continue;
    out.push({
      rule: 'CDH006', severity: 'error', resource, line: t.lineOf([...base, key]),
      message: suggestion
        ? `${where} key '${key}' is not read by SAM (did you mean '${suggestion}'?); it is dropped silently`
        : `${where} key '${key}' is not read by SAM (known keys: ${known.join(', ')}); it is dropped silently`,
      fix: suggestion ? `rename '${key}' to '${suggestion}'` : `remove '${key}' or use one of ${known.join(', ')}`,
    });
  }
  return out;
}

export const misspelledKeys: Rule = {
  id: 'CDH006',
  title: 'Misspelled DeploymentPreference/Hooks keys that SAM drops silently',
  check(t) {
    const out: Finding[] = [];
    const globals = isObj(t.root.Globals) && isObj(t.root.Globals.Function) ? t.root.Globals.Function : undefined;
    if (globals) out.push(...check(t, 'Globals', globals, ['Globals', 'Function'], FUNCTION_KEYS, 'Globals.Function', false));
    for (const fn of functions(t)) {
      if (!fn.sam) continue;
      const resource = t.root.Resources as Record<string, { Properties?: Record<string, unknown> }>;
      const own = resource[fn.id]?.Properties;
      if (isObj(own)) out.push(...check(t, fn.id, own, ['Resources', fn.id, 'Properties'], FUNCTION_KEYS, 'function property', false));
      const pref = fn.props.DeploymentPreference;
      if (!isObj(pref)) continue;
      const prefPath = fn.pathOf('DeploymentPreference');
      out.push(...check(t, fn.id, pref, prefPath, PREFERENCE_KEYS, 'DeploymentPreference', true));
      // Look inside a misspelled `Hook:` too: its PreTrafic would be lost twice over.
      const hooksKey = hooksKeyOf(pref);
      const hooks = hooksKey === undefined ? undefined : pref[hooksKey];
      if (hooksKey && isObj(hooks)) out.push(...check(t, fn.id, hooks, [...prefPath, hooksKey], HOOK_KEYS, `DeploymentPreference.${hooksKey}`, true));
    }
    return out;
  },
};
