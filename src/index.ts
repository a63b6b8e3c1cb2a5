export { defineHook } from './define-hook.js';
export type { HookHandler } from './define-hook.js';
export { inSequence } from './engine/validate.js';
export { parseHookEvent } from './event.js';
export { ContextError, HookError, HookEventError, OptionsError, ScenarioError, ERROR_CODES } from './errors.js';
export { ENV, DEFAULTS } from './settings.js';
export { ECS_LIFECYCLE_EVENTS, LAMBDA_LIFECYCLE_EVENTS, CHECK_STATES } from './types.js';
export type * from './types.js';
