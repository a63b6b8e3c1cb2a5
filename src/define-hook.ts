import { createHookRunner } from './hook-runner.js';
import type { HookOptions, HookVerdict, LambdaContextLike } from './types.js';

/** A CodeDeploy lifecycle hook as a Lambda handler. */
export type HookHandler = (event: unknown, context?: LambdaContextLike) => Promise<HookVerdict>;

/**
 * Defines a CodeDeploy lifecycle hook: the returned Lambda handler resolves
 * what is being deployed, runs the checks within the Lambda time budget and
 * reports Succeeded or Failed to CodeDeploy exactly once.
 *
 * Options are validated here, when the module loads, so a misconfigured hook
 * fails its first invocation loudly instead of reporting a wrong verdict.
 * A malformed event rejects with HookEventError and reports nothing; every
 * other path resolves with a HookVerdict (it never throws after reporting,
 * so Lambda's async retry cannot re-run a finished hook).
 *
 * @example
 * export const handler = defineHook({
 *   checks: [invokeTarget({ payload: apiGatewayRestEvent({ path: '/health' }), expect: { statusCode: 200 } })],
 * });
 */
export function defineHook(options: HookOptions): HookHandler {
  const runner = createHookRunner(options);
  return async (event, context) => runner.complete(runner.begin(event, context));
}
