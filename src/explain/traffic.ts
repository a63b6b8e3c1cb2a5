/**
 * Where production traffic was when the deployment ended (or is, while it
 * runs). The lifecycle events say which side of the shift the deployment
 * was on; during AllowTraffic the weight is estimated from the deployment
 * configuration's schedule and how long AllowTraffic had run, since the API
 * keeps no history of weights.
 */
import type { DeploymentConfigInfo, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import type { StoryEvent, StoryTarget, StoryTraffic } from './story.js';

const MINUTE = 60_000;

export function describeSchedule(routing: TrafficRoutingConfig | undefined): string | undefined {
  if (!routing?.type) return undefined;
  const canary = routing.timeBasedCanary;
  const linear = routing.timeBasedLinear;
  if (routing.type === 'TimeBasedCanary' && canary) return `canary ${canary.canaryPercentage ?? '?'}% then 100% after ${canary.canaryInterval ?? '?'} min`;
  if (routing.type === 'TimeBasedLinear' && linear) return `${linear.linearPercentage ?? '?'}% more every ${linear.linearInterval ?? '?'} min`;
  return routing.type === 'AllAtOnce' ? 'all at once' : routing.type;
}

/** Percent on the new version `elapsedMs` into AllowTraffic, by the schedule; undefined when the schedule is unknown. */
export function scheduledWeight(routing: TrafficRoutingConfig | undefined, elapsedMs: number): number | undefined {
  const minutes = Math.max(0, elapsedMs) / MINUTE;
  const canary = routing?.timeBasedCanary;
  const linear = routing?.timeBasedLinear;
  if (routing?.type === 'AllAtOnce') return 100;
  if (routing?.type === 'TimeBasedCanary' && canary?.canaryPercentage !== undefined && canary.canaryInterval !== undefined) {
    return minutes < canary.canaryInterval ? canary.canaryPercentage : 100;
  }
  if (routing?.type === 'TimeBasedLinear' && linear?.linearPercentage !== undefined && linear.linearInterval) {
    return Math.min(100, linear.linearPercentage * (Math.floor(minutes / linear.linearInterval) + 1));
  }
  return undefined;
}

export interface TrafficInput {
  events: StoryEvent[];
  /** The event the deployment ended on or waits on (failed, in progress); undefined when it completed. */
  decisiveEvent?: string;
  succeeded: boolean;
  target?: StoryTarget;
  config?: DeploymentConfigInfo;
  /** epoch ms: when the deployment ended, or now */
  endedAt: number;
  rolledBackTo?: string;
}

export function whereTrafficWas(input: TrafficInput): StoryTraffic {
  const names = input.events.map((e) => e.name);
  const shiftAt = names.indexOf('AllowTraffic');
  const versions = sides(input.target);
  const schedule = describeSchedule(input.config?.trafficRoutingConfig);
  const after = input.rolledBackTo ? `; the rollback moved it back to ${input.rolledBackTo}` : '';
  if (input.succeeded) {
    return { phase: 'shifted', targetWeightPercent: 100, estimated: false, summary: `all production traffic moved to ${versions.next}` };
  }
  const at = input.decisiveEvent ? names.indexOf(input.decisiveEvent) : -1;
  if (shiftAt < 0 || at < 0) return { phase: 'unknown', estimated: false, summary: 'unknown: the lifecycle events do not show where the deployment stopped' };
  if (at < shiftAt) {
    const test = names.slice(0, at + 1).includes('AllowTestTraffic') && input.events[names.indexOf('AllowTestTraffic')]?.status === 'Succeeded' ? `; test traffic went to ${versions.next}` : '';
    return { phase: 'before-shift', targetWeightPercent: 0, estimated: false, summary: `no production traffic had moved: all of it stayed on ${versions.previous}${test}` };
  }
  if (at > shiftAt) {
    return { phase: 'shifted', targetWeightPercent: 100, estimated: false, summary: `all production traffic was on ${versions.next} when ${input.decisiveEvent} failed${after}` };
  }
  const shift = input.events[shiftAt]!;
  const started = shift.startTime ? Date.parse(shift.startTime) : undefined;
  const ended = shift.endTime ? Date.parse(shift.endTime) : input.endedAt;
  const weight = started === undefined ? undefined : scheduledWeight(input.config?.trafficRoutingConfig, ended - started);
  const ran = started === undefined ? '' : ` after ${formatMinutes(ended - started)} of AllowTraffic`;
  return {
    phase: 'shifting',
    ...(weight !== undefined ? { targetWeightPercent: weight } : {}),
    estimated: true,
    summary: `${weight !== undefined ? `about ${weight}%` : 'part'} of production traffic was on ${versions.next}${ran} (estimated from the schedule${schedule ? `: ${schedule}` : ''})${after}`,
  };
}

function sides(target: StoryTarget | undefined): { previous: string; next: string } {
  if (target?.platform === 'Lambda') return { previous: `version ${target.currentVersion}`, next: `version ${target.targetVersion}` };
  if (target?.platform === 'ECS') return { previous: 'the original (blue) task set', next: 'the replacement (green) task set' };
  return { previous: 'the old version', next: 'the new version' };
}

export function formatMinutes(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  return `${(s / 60).toFixed(s % 60 === 0 ? 0 : 1)} min`;
}
