import { clip } from '../util/show.js';
import { MAX_REASON_CHARS } from './outcome.js';
import type { CheckOutcome, CheckResult } from '../types.js';

/** Longest verdict reason; each check's full (capped) reason stays in its result. */
export const MAX_VERDICT_REASON_CHARS = 8000;

/**
 * What the engine decided, before any platform delivers it. Platform-free:
 * a CodeDeploy report, an ECS hookStatus and a durable step all start here.
 */
export interface Decision {
  status: 'Succeeded' | 'Failed';
  reason: string;
  checks: CheckResult[];
  /** The platform found the lifecycle event already finished (a duplicate invocation). */
  duplicate?: boolean;
  bypass?: { reason: string };
  /** What the platform learned without a context (a duplicate's lifecycle event), for the verdict. */
  lifecycleEvent?: string;
  platform?: 'Lambda' | 'ECS';
}

/** An outcome computed outside the engine (the middy handler's), added as a check result. */
export interface ExternalOutcome {
  name: string;
  outcome: CheckOutcome;
  durationMs: number;
}

/** Succeeded only when every enforced check passed (fail closed). */
export function verdictOf(results: CheckResult[], inconclusive: 'fail' | 'pass'): { status: 'Succeeded' | 'Failed'; reason: string } {
  if (results.length === 0) return { status: 'Failed', reason: 'no checks ran: a hook with nothing to check does not pass' };
  const enforced = results.filter((r) => r.enforced);
  const bad = enforced.filter((r) => !(r.state === 'passed' || (r.state === 'inconclusive' && inconclusive === 'pass')));
  if (bad.length > 0) {
    const list = bad.map((r) => `${r.name} ${r.state}: ${r.reason}`).join('; ');
    return { status: 'Failed', reason: clip(`${bad.length} of ${enforced.length} enforced checks did not pass: ${list}`, MAX_VERDICT_REASON_CHARS) };
  }
  const dry = results.length - enforced.length;
  const dryNote = dry > 0 ? ` (${dry} dry-run check${dry > 1 ? 's' : ''} not enforced)` : '';
  if (enforced.length === 0) return { status: 'Succeeded', reason: `no enforced checks; ${dry} dry-run checks ran` };
  return { status: 'Succeeded', reason: `all ${enforced.length} enforced checks passed${dryNote}` };
}

export function externalResult(e: ExternalOutcome): CheckResult {
  return { name: e.name, state: e.outcome.state, reason: clip(e.outcome.reason, MAX_REASON_CHARS), enforced: true, durationMs: e.durationMs, attempts: 1, ...(e.outcome.details ? { details: e.outcome.details } : {}) };
}
