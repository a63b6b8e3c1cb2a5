/**
 * The traffic shifts a deployment configuration makes, as a list of steps in
 * simulated seconds from the start of AllowTraffic. CodeDeploy's canary moves
 * the canary percentage at once and the rest after one interval; linear adds
 * the percentage every interval until 100 %; all-at-once moves everything.
 */
import type { TrafficRoutingConfig } from '../state/deployment-configs.js';

export interface TrafficStep {
  /** Simulated seconds after AllowTraffic started. */
  atSeconds: number;
  /** Percent of traffic on the new version after this step. */
  targetWeight: number;
}

export function trafficPlan(config: TrafficRoutingConfig): TrafficStep[] {
  if (config.type === 'TimeBasedCanary' && config.timeBasedCanary) {
    const { canaryPercentage, canaryInterval } = config.timeBasedCanary;
    return [
      { atSeconds: 0, targetWeight: canaryPercentage },
      { atSeconds: canaryInterval * 60, targetWeight: 100 },
    ];
  }
  if (config.type === 'TimeBasedLinear' && config.timeBasedLinear) {
    const { linearPercentage, linearInterval } = config.timeBasedLinear;
    const steps: TrafficStep[] = [];
    for (let i = 0, weight = linearPercentage; ; i++, weight += linearPercentage) {
      steps.push({ atSeconds: i * linearInterval * 60, targetWeight: Math.min(100, weight) });
      if (weight >= 100) break;
    }
    return steps;
  }
  return [{ atSeconds: 0, targetWeight: 100 }];
}

/** One-line description of a configuration, for the timeline header. */
export function describeRouting(config: TrafficRoutingConfig): string {
  if (config.type === 'TimeBasedCanary' && config.timeBasedCanary) {
    return `canary ${config.timeBasedCanary.canaryPercentage}% then 100% after ${config.timeBasedCanary.canaryInterval} min`;
  }
  if (config.type === 'TimeBasedLinear' && config.timeBasedLinear) {
    return `linear +${config.timeBasedLinear.linearPercentage}% every ${config.timeBasedLinear.linearInterval} min`;
  }
  return 'all at once';
}
