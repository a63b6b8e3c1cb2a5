/**
 * codedeploy-hooks/durable: hooks whose bake outlives one Lambda invocation,
 * as Lambda durable executions. Needs the optional peer dependency
 * @aws/durable-execution-sdk-js; nothing else in the package imports it.
 */
export { defineDurableHook } from './define-durable-hook.js';
export { startDurableHook } from './start-durable-hook.js';
export type { DurableStart, StartDurableHookOptions } from './start-durable-hook.js';
export { durableExecutionName } from './execution-name.js';
export { DURABLE_TARGET_ENV } from './target.js';
export { DEFAULT_HOUR_RESERVE_MS, HOOK_HOUR_MS, REPORT_WINDOW_MS } from './options.js';
export type { DurableBakeOptions, DurableHookOptions } from './options.js';
