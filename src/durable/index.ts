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
// Durable hooks in `codedeploy-hooks simulate`: the starter and a simulated durable service in one scenario hook.
export { simulatedDurableHook } from '../simulator/engine/durable-hook.js';
export type { SimulatedDurableHookOptions } from '../simulator/engine/durable-hook.js';
