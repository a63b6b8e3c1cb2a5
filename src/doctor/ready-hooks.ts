/**
 * Which of codedeploy-hooks' ready hooks (hooks/*.ts) a function runs, told
 * from its Handler or its esbuild EntryPoints, and how long each waits before
 * it reports by default: the doctor holds a hook's Timeout against that.
 */
import { asArray, isObj } from './intrinsics.js';
import type { FunctionInfo } from './model.js';

export type ReadyHook = 'pre-traffic' | 'post-traffic' | 'ecs-test-traffic' | 'ecs-post-traffic';

/** A wait a hook spends before reporting: an environment variable (without the CODEDEPLOY_HOOKS_ prefix) and its default. */
export interface HookWait {
  variable: string;
  what: string;
  defaultMs: number;
}

const BAKE: HookWait[] = [
  { variable: 'BAKE_DURATION_MS', what: 'bakes for', defaultMs: 120_000 },
  { variable: 'BAKE_INITIAL_DELAY_MS', what: 'waits before the bake for', defaultMs: 0 },
];

export const READY_HOOK_WAITS: Readonly<Record<ReadyHook, readonly HookWait[]>> = {
  'pre-traffic': [],
  'post-traffic': BAKE,
  'ecs-post-traffic': BAKE,
  'ecs-test-traffic': [{ variable: 'HTTP_WAIT_HEALTHY_MS', what: 'waits for healthy tasks up to', defaultMs: 60_000 }],
};

/** The waits of a hook that is none of the ready hooks: only those its environment sets count. */
export const CUSTOM_HOOK_WAITS: readonly HookWait[] = BAKE;

const NAMES = Object.keys(READY_HOOK_WAITS) as ReadyHook[];

/** The module names a function's Handler and esbuild EntryPoints give (`ecs-test-traffic.handler`, `hooks/ecs-test-traffic.ts`: ecs-test-traffic). */
function codeNames(fn: FunctionInfo): string[] {
  const build = isObj(fn.metadata) && isObj(fn.metadata.BuildProperties) ? fn.metadata.BuildProperties : {};
  const sources = [fn.props.Handler, ...asArray(build.EntryPoints)].filter((s): s is string => typeof s === 'string');
  return sources.map((source) => source.split('/').pop()!.split('.')[0]!);
}

/** The ready hook a function's code is, if its Handler or EntryPoints name one. */
export function readyHookOf(fn: FunctionInfo): ReadyHook | undefined {
  return NAMES.find((n) => codeNames(fn).includes(n));
}

/**
 * Is the function codedeploy-hooks' canary analyzer (hooks/canary-analysis.ts)? It reads
 * CODEDEPLOY_HOOKS_ variables but is no hook: a schedule invokes it, never CodeDeploy.
 */
export function isCanaryAnalyzer(fn: FunctionInfo): boolean {
  return codeNames(fn).includes('canary-analysis');
}

/** The function's environment variables, or {} when they are not a literal map. */
export function environmentOf(fn: FunctionInfo): Record<string, unknown> {
  return isObj(fn.props.Environment) && isObj(fn.props.Environment.Variables) ? fn.props.Environment.Variables : {};
}
