import { OptionsError } from '../errors.js';
import type { Check, CheckSpec } from '../types.js';
import { show } from '../util/show.js';

/** Throws OptionsError naming `field` when a check or sequence is malformed. */
export function validateCheckSpecs(specs: unknown, field = 'checks'): asserts specs is CheckSpec[] {
  if (!Array.isArray(specs)) throw new OptionsError(field, `must be an array of checks or a function returning one, got ${typeof specs}`);
  specs.forEach((spec, i) => {
    const at = `${field}[${i}]`;
    if (typeof spec === 'object' && spec !== null && 'sequence' in spec) {
      const seq = (spec as { sequence: unknown }).sequence;
      if (!Array.isArray(seq) || seq.length === 0) throw new OptionsError(`${at}.sequence`, 'must be a non-empty array of checks');
      seq.forEach((c, j) => validateCheck(c, `${at}.sequence[${j}]`));
    } else {
      validateCheck(spec, at);
    }
  });
}

function validateCheck(check: unknown, at: string): asserts check is Check {
  if (typeof check !== 'object' || check === null) throw new OptionsError(at, `must be a check {name, run}, got ${check === null ? 'null' : typeof check}`);
  const c = check as Partial<Check>;
  if (typeof c.name !== 'string' || c.name === '') throw new OptionsError(`${at}.name`, 'must be a non-empty string');
  if (typeof c.run !== 'function') throw new OptionsError(`${at}.run`, `must be a function (check "${c.name}")`);
  validateCheckCommon(c, at);
}

/**
 * The optional fields every check carries (timeoutMs, enforce, retry): one
 * validator for checks handed to the engine and for check factories' options.
 */
export function validateCheckCommon(c: Partial<Pick<Check, 'timeoutMs' | 'enforce' | 'retry'>>, at: string): void {
  if (c.timeoutMs !== undefined && !(Number.isFinite(c.timeoutMs) && c.timeoutMs > 0)) {
    throw new OptionsError(`${at}.timeoutMs`, `must be a positive number of ms, got ${show(c.timeoutMs)}`);
  }
  if (c.enforce !== undefined && typeof c.enforce !== 'boolean') throw new OptionsError(`${at}.enforce`, 'must be a boolean');
  if (c.retry !== undefined) {
    const r = c.retry;
    if (typeof r !== 'object' || r === null || !Number.isInteger(r.attempts) || r.attempts < 1) {
      throw new OptionsError(`${at}.retry.attempts`, 'must be an integer >= 1');
    }
    if (r.delayMs !== undefined && !(Number.isFinite(r.delayMs) && r.delayMs >= 0)) throw new OptionsError(`${at}.retry.delayMs`, 'must be a number >= 0');
    if (r.backoff !== undefined && !(Number.isFinite(r.backoff) && r.backoff >= 1)) throw new OptionsError(`${at}.retry.backoff`, 'must be a number >= 1');
    if (r.retryIf !== undefined && typeof r.retryIf !== 'function') throw new OptionsError(`${at}.retry.retryIf`, 'must be a function');
  }
}

/** Groups checks to run one after another (a failed enforced check skips the rest). */
export function inSequence(checks: Check[], name?: string): CheckSpec {
  const spec = { sequence: checks, ...(name ? { name } : {}) };
  validateCheckSpecs([spec], 'inSequence');
  return spec;
}
