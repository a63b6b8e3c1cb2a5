/**
 * The CodeDeploy hook flow used by defineHook and the middy middleware: the
 * single-invocation runner (invocation-runner.ts) on the CodeDeploy platform.
 * Kept apart from the runner so that an ECS-native bundle does not carry the
 * CodeDeploy client.
 */
import { createRunner } from './invocation-runner.js';
import type { Invocation } from './invocation-runner.js';
import { codeDeployPlatform } from './platforms/codedeploy.js';
import type { CodeDeployHookEvent, HookOptions, HookVerdict } from './types.js';

export { createRunner } from './invocation-runner.js';
export type { Invocation, PlatformHookOptions } from './invocation-runner.js';
export { verdictOf } from './engine/verdict.js';
export type { ExternalOutcome } from './engine/verdict.js';

/** A CodeDeploy invocation (the middy middleware keeps one per request). */
export type HookInvocation = Invocation<CodeDeployHookEvent, HookVerdict>;

/** The CodeDeploy hook flow (defineHook, codeDeployHook). */
export function createHookRunner(options: HookOptions) {
  return createRunner(codeDeployPlatform, options);
}
