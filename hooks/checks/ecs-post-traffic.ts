/** The checks of hooks/ecs-post-traffic.ts, built from its configuration. */
import type { Check, CheckSpec } from '../../src/types.js';
// One module per check rather than src/checks/index.js, whose http check drags undici into the bundle.
import { groupAlarms } from './group-alarms.js';
import type { EcsPostTrafficConfig } from '../ecs-post-traffic.js';
import { bakeOf } from './bake-of.js';
import { targetGroupHealth } from './target-group-health.js';
import { compareOf } from './compare-of.js';

export function ecsPostTrafficChecks(config: EcsPostTrafficConfig): CheckSpec[] {
  const watched: Check[] = [];
  if (config.alarms.enabled) {
    watched.push(
      groupAlarms(config.alarms, 'deployment-group alarms', true),
    );
  }
  if (config.targetGroup.enabled) {
    // Each look reads the last two minutes, so consecutive looks overlap and no minute is missed.
    watched.push(
      targetGroupHealth({
        ...(config.targetGroup.max5xxPerMinute !== undefined ? { max5xxPerMinute: config.targetGroup.max5xxPerMinute } : {}),
        maxUnhealthyHosts: config.targetGroup.maxUnhealthyHosts,
        lookbackMs: Math.max(120_000, config.bake.intervalMs * 2),
      }),
    );
  }
  // Green against blue at every measurement, over the deployment so far (a sequential test).
  if (config.compare.mode !== 'disabled') watched.push(compareOf(config.compare, 'green vs blue'));
  return [bakeOf(watched, config.bake, 'bake on alarms, target group and green vs blue')];
}

