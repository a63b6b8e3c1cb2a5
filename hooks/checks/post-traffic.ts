/** The checks of hooks/post-traffic.ts, built from its configuration. */
import type { Check, CheckSpec } from '../../src/types.js';
// One module per check rather than src/checks/index.js, whose http check drags undici into the bundle.
import { groupAlarms } from './group-alarms.js';
import { compareVersions } from '../../src/checks/compare-versions.js';
import type { PostTrafficConfig } from '../post-traffic.js';
import { bakeOf } from './bake-of.js';

/** Bake first, then compare: the comparison reads the metrics the bake window produced. */
export function postTrafficChecks(config: PostTrafficConfig): CheckSpec[] {
  const checks: Check[] = [];
  if (config.alarms.enabled) {
    const watch = groupAlarms(config.alarms, 'deployment-group alarms', true);
    checks.push(bakeOf([watch], config.bake, 'bake on alarms'));
  }
  if (config.compare.mode !== 'disabled') {
    checks.push(
      compareVersions({
        name: 'new version vs old version',
        confidence: config.compare.confidence,
        minSamples: { requests: config.compare.minRequests },
        lookbackMs: config.compare.lookbackMs,
        enforce: config.compare.mode === 'enforce',
      }),
    );
  }
  return checks.length > 1 ? [{ name: 'bake then compare', sequence: checks }] : checks;
}

