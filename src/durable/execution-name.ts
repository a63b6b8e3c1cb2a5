import { createHash } from 'node:crypto';

/**
 * The durable execution's name for a lifecycle event: the same for every
 * invocation of the same hook execution, so Lambda collapses duplicate starts
 * into one execution (same name and payload return the existing one). The
 * raw LifecycleEventHookExecutionId is too long and holds `+/=`, which an
 * execution name (1-64 of [a-zA-Z0-9-_]) may not; its SHA-256 in hex is 64
 * characters of the allowed alphabet.
 */
export function durableExecutionName(lifecycleEventHookExecutionId: string): string {
  return createHash('sha256').update(lifecycleEventHookExecutionId, 'utf8').digest('hex');
}
