import { OptionsError } from './errors.js';
import { validateCheckSpecs } from './engine/validate.js';
import type { HookOptions } from './types.js';
import { show } from './util/show.js';

/** Environment variables the runtime reads; explicit options win over them. */
export const ENV = {
  reserveMs: 'CODEDEPLOY_HOOKS_RESERVE_MS',
  bypassReason: 'CODEDEPLOY_HOOKS_BYPASS_REASON',
  metricsNamespace: 'CODEDEPLOY_HOOKS_METRICS_NAMESPACE',
  debug: 'CODEDEPLOY_HOOKS_DEBUG',
} as const;

/** Lambda's longest timeout: no budget may exceed it (a larger one would also overflow timers). */
export const MAX_LAMBDA_MS = 900_000;

export const DEFAULTS = {
  reserveMs: 5000,
  concurrency: 8,
  inconclusive: 'fail',
  metricsNamespace: 'CodeDeployHooks',
  maxDurationMs: 900_000,
  resolveRetry: { attempts: 5, delayMs: 1000 },
} as const;

export interface Settings {
  reserveMs: number;
  concurrency: number;
  inconclusive: 'fail' | 'pass';
  bypass?: { reason: string };
  metricsNamespace: string;
  resolveRetry: { attempts: number; delayMs: number };
  debug: boolean;
}

const KNOWN = new Set([
  'checks', 'reserveMs', 'concurrency', 'inconclusive', 'bypass', 'clients',
  'metricsNamespace', 'log', 'maxDurationMs', 'resolveRetry',
]);

function positive(field: string, value: unknown, allowZero = false): number {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number; the typeof is for the type checker
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new OptionsError(field, `must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${show(value)}`);
  }
  return value;
}

/** Checks the options given to defineHook/codeDeployHook once, when the hook is defined. */
export function validateHookOptions(options: unknown): asserts options is HookOptions {
  if (typeof options !== 'object' || options === null) throw new OptionsError('options', 'must be an object with at least `checks`');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new OptionsError(key === '' ? '""' : key, `is not a hook option (known: ${[...KNOWN].join(', ')})`);
  }
  if (typeof o.checks === 'function') {
    // Resolved per invocation, validated then.
  } else {
    validateCheckSpecs(o.checks);
    if ((o.checks as unknown[]).length === 0) throw new OptionsError('checks', 'is empty: a hook needs at least one check to decide anything');
  }
  if (o.reserveMs !== undefined) positive('reserveMs', o.reserveMs, true);
  if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && (o.concurrency as number) >= 1)) {
    throw new OptionsError('concurrency', `must be an integer >= 1, got ${show(o.concurrency)}`);
  }
  if (o.inconclusive !== undefined && o.inconclusive !== 'fail' && o.inconclusive !== 'pass') {
    throw new OptionsError('inconclusive', `must be 'fail' or 'pass', got ${show(o.inconclusive)}`);
  }
  if (o.bypass !== undefined) {
    const reason = (o.bypass as { reason?: unknown } | null)?.reason;
    if (typeof reason !== 'string' || reason.trim() === '') throw new OptionsError('bypass.reason', 'is required: a bypass must say why');
  }
  if (o.maxDurationMs !== undefined) {
    positive('maxDurationMs', o.maxDurationMs);
    if ((o.maxDurationMs as number) > MAX_LAMBDA_MS) throw new OptionsError('maxDurationMs', `must be at most ${MAX_LAMBDA_MS} (Lambda's 15 minutes), got ${show(o.maxDurationMs)}`);
  }
  if (o.metricsNamespace !== undefined && (typeof o.metricsNamespace !== 'string' || o.metricsNamespace === '')) {
    throw new OptionsError('metricsNamespace', 'must be a non-empty string');
  }
  if (o.log !== undefined && typeof o.log !== 'function') throw new OptionsError('log', 'must be a function (line: string) => void');
  if (o.resolveRetry !== undefined) {
    const r = o.resolveRetry as { attempts?: unknown; delayMs?: unknown };
    if (!Number.isInteger(r?.attempts) || (r.attempts as number) < 1) throw new OptionsError('resolveRetry.attempts', 'must be an integer >= 1');
    positive('resolveRetry.delayMs', r.delayMs, true);
  }
}

/**
 * The options' own fields, in an object without a prototype: if anything in
 * the process ever pollutes Object.prototype (a parser fed hostile input),
 * that must not hand the hook a `bypass`, a `log` sink or `clients`.
 */
export function ownOptions(options: HookOptions): HookOptions {
  if (typeof options !== 'object' || options === null) return options; // validateHookOptions says what is wrong
  const own = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(options)) own[key] = (options as unknown as Record<string, unknown>)[key];
  return own as unknown as HookOptions;
}

/**
 * Options merged with the environment, read at each invocation so a bypass
 * set on the function's configuration takes effect without a redeploy of code.
 */
export function resolveSettings(options: HookOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const reserveEnv = env[ENV.reserveMs];
  const reserveMs =
    options.reserveMs ?? (reserveEnv !== undefined && reserveEnv.trim() !== '' ? positive(ENV.reserveMs, Number(reserveEnv), true) : DEFAULTS.reserveMs);
  const bypassEnv = env[ENV.bypassReason];
  let bypass = options.bypass;
  if (!bypass && bypassEnv !== undefined) {
    if (bypassEnv.trim() === '') throw new OptionsError(ENV.bypassReason, 'is set but empty: a bypass must say why');
    bypass = { reason: bypassEnv.trim() };
  }
  // No prototype: `settings.bypass` must be the one set here or nothing, whatever Object.prototype holds.
  return Object.assign(Object.create(null) as Settings, {
    reserveMs,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    inconclusive: options.inconclusive ?? DEFAULTS.inconclusive,
    ...(bypass ? { bypass } : {}),
    metricsNamespace: options.metricsNamespace ?? (env[ENV.metricsNamespace] || DEFAULTS.metricsNamespace),
    resolveRetry: options.resolveRetry ?? DEFAULTS.resolveRetry,
    debug: Boolean(env[ENV.debug]),
  });
}
