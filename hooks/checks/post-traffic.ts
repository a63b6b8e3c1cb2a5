/** The checks of hooks/post-traffic.ts, built from its configuration. */
import type { Check, CheckSpec } from '../../src/types.js';
// One module per check rather than src/checks/index.js, whose http check drags undici into the bundle.
import { groupAlarms } from './group-alarms.js';
import type { PostTrafficConfig } from '../post-traffic.js';
import { bakeOf } from './bake-of.js';
import { compareOf } from './compare-of.js';

/**
 * One bake: every measurement reads the alarms (with history) and compares the versions
 * over the deployment so far, so a regression fails the hook at the first look that sees it.
 */
export function postTrafficChecks(config: PostTrafficConfig): CheckSpec[] {
  const watched: Check[] = [];
  if (config.alarms.enabled) watched.push(groupAlarms(config.alarms, 'deployment-group alarms', true));
  if (config.compare.mode !== 'disabled') watched.push(compareOf(config.compare));
  const name = watched.length > 1 ? 'bake on alarms and new vs old version' : config.alarms.enabled ? 'bake on alarms' : 'bake on new vs old version';
  return [bakeOf(watched, config.bake, name)];
}
