import { ECS_LIFECYCLE_EVENTS, LAMBDA_LIFECYCLE_EVENTS } from '../types.js';
import type { LifecycleEventName } from '../types.js';

export interface LifecycleEventEntry {
  lifecycleEventName?: string;
  status?: string;
  endTime?: Date | number;
}

export type Platform = 'Lambda' | 'ECS';

/** The hookable event names of a platform, in lifecycle order. */
export function hookableEvents(platform: Platform): readonly LifecycleEventName[] {
  return platform === 'Lambda' ? LAMBDA_LIFECYCLE_EVENTS : ECS_LIFECYCLE_EVENTS;
}

/** The hookable event CodeDeploy shows InProgress: the one this invocation serves. */
export function runningEvent(platform: Platform, events: LifecycleEventEntry[]): LifecycleEventName | undefined {
  const names = hookableEvents(platform) as readonly string[];
  const entry = events.find((e) => e.status === 'InProgress' && names.includes(e.lifecycleEventName ?? ''));
  return entry?.lifecycleEventName as LifecycleEventName | undefined;
}

/** The most recently finished hookable event, for telling a duplicate invocation what it missed. */
export function lastCompletedEvent(
  platform: Platform,
  events: LifecycleEventEntry[],
): { name: LifecycleEventName; status: 'Succeeded' | 'Failed' } | undefined {
  const names = hookableEvents(platform) as readonly string[];
  const done = events.filter(
    (e) => (e.status === 'Succeeded' || e.status === 'Failed') && names.includes(e.lifecycleEventName ?? ''),
  );
  const last = done.at(-1);
  if (!last) return undefined;
  return { name: last.lifecycleEventName as LifecycleEventName, status: last.status as 'Succeeded' | 'Failed' };
}
