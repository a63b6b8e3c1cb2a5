import { HookEventError } from './errors.js';
import type { CodeDeployHookEvent } from './types.js';

/** Longest id accepted. Real ids are far shorter; anything bigger is not a CodeDeploy event. */
export const MAX_ID_LENGTH = 4096;

const FIELDS = ['DeploymentId', 'LifecycleEventHookExecutionId'] as const;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Validates a Lambda event as a CodeDeploy lifecycle hook event.
 * Throws HookEventError naming the field; never returns ids that did not
 * come from the event, so a report can never go to the wrong execution.
 */
export function parseHookEvent(event: unknown): CodeDeployHookEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new HookEventError('event', `must be an object {DeploymentId, LifecycleEventHookExecutionId}, got ${kindOf(event)}`);
  }
  const record = event as Record<string, unknown>;
  const parsed: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = record[field];
    if (value === undefined) {
      // The API uses camelCase, the event PascalCase: say so when that is the mix-up.
      const camel = field[0]!.toLowerCase() + field.slice(1);
      const hint = camel in record ? ` (found "${camel}": the hook event uses PascalCase keys)` : '';
      throw new HookEventError(field, `is missing${hint}`);
    }
    if (typeof value !== 'string') throw new HookEventError(field, `must be a string, got ${kindOf(value)}`);
    if (value.trim() === '') throw new HookEventError(field, 'is empty');
    if (value.length > MAX_ID_LENGTH) {
      throw new HookEventError(field, `is ${value.length} characters long; at most ${MAX_ID_LENGTH} are accepted`);
    }
    parsed[field] = value;
  }
  return parsed as unknown as CodeDeployHookEvent;
}
