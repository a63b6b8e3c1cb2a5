/** The bake both post-traffic hooks run, built from the CODEDEPLOY_HOOKS_BAKE_* settings. */
import { bake } from '../../src/checks/bake.js';
import type { Check } from '../../src/types.js';
import type { BakeConfig } from '../config.js';

/** One look when the duration is 0, else a look every interval until the duration has passed. */
export function bakeOf(checks: Check[], config: BakeConfig, name: string): Check {
  return bake({
    name,
    checks,
    intervalMs: config.intervalMs,
    ...(config.durationMs === 0 ? { count: 1 } : { durationMs: config.durationMs }),
    initialDelayMs: config.initialDelayMs,
  });
}
