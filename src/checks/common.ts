/**
 * What every check factory shares: the common options (name, timeoutMs,
 * retry, enforce) and their eager validation, small option validators whose
 * errors name the field, and formatting helpers for reasons.
 */
import { OptionsError, describeError } from '../errors.js';
import { validateCheckCommon } from '../engine/validate.js';
import type { Check, RetryPolicy } from '../types.js';
import { show } from '../util/show.js';


export interface CommonCheckOptions {
  /** The check's name in the verdict. */
  name?: string;
  /** Per-check timeout in ms (capped by the hook deadline). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** When false the check runs but never decides the verdict. @default true */
  enforce?: boolean;
}

export const COMMON_KEYS = ['name', 'timeoutMs', 'retry', 'enforce'] as const;

/** Validates the common options and returns them as Check fields (only those given). */
export function commonCheckFields(options: CommonCheckOptions, prefix: string): Partial<Pick<Check, 'name' | 'timeoutMs' | 'retry' | 'enforce'>> {
  const out: Partial<Pick<Check, 'name' | 'timeoutMs' | 'retry' | 'enforce'>> = {};
  if (options.name !== undefined) {
    if (typeof options.name !== 'string' || options.name.trim() === '') throw new OptionsError(`${prefix}.name`, 'must be a non-empty string');
    out.name = options.name;
  }
  validateCheckCommon(options, prefix);
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options.retry !== undefined) out.retry = options.retry;
  if (options.enforce !== undefined) out.enforce = options.enforce;
  return out;
}

// ---------------------------------------------------------------------------
// Small validation and formatting helpers.

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new OptionsError(`${field}.${key}`, `unknown option; allowed: ${allowed.join(', ')}`);
  }
}

export function positiveNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new OptionsError(field, `must be a positive number, got ${safeJson(value)}`);
  return value;
}

export function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new OptionsError(field, `must be an integer >= 1, got ${safeJson(value)}`);
  return value;
}

export function ratio(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new OptionsError(field, `must be a number between 0 and 1, got ${safeJson(value)}`);
  return value;
}

/** Latency figures for bursts: nearest-rank percentiles, rounded to 0.1 ms. */
export function latencyFigures(samples: number[]): { p50Ms: number; p95Ms: number; maxMs: number } {
  if (samples.length === 0) return { p50Ms: 0, p95Ms: 0, maxMs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const r = (n: number) => Math.round(n * 10) / 10;
  return { p50Ms: r(rank(50)), p95Ms: r(rank(95)), maxMs: r(sorted[sorted.length - 1] ?? 0) };
}


export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A short JSON-ish rendering of any value for messages; never throws. */
export function safeJson(value: unknown): string {
  return show(value);
}

export function requirePositive(value: unknown, field: string, { integer = false, allowZero = false } = {}): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok || (integer && !Number.isInteger(value))) {
    throw new OptionsError(field, `must be a ${integer ? 'whole ' : ''}number ${allowZero ? '>= 0' : '> 0'}, got ${show(value)}`);
  }
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): void {
  if (!allowed.includes(value as T)) {
    throw new OptionsError(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`);
  }
}

/** "ThrottlingException: Rate exceeded" — for reasons. */
export function errorText(error: unknown): string {
  const { name, message } = describeError(error);
  return message && message !== name ? `${name}: ${message}` : name;
}

/** Human duration for reasons: 300000 -> "5 min", 90000 -> "90 s". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms} ms`;
}

/** An optional boolean option; a string such as 'false' is an error, not truthy. */
export function requireBoolean(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new OptionsError(field, `must be true or false, got ${show(value)}`);
}
