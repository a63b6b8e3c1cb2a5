import { CHECK_STATES } from '../types.js';
import type { CheckOutcome, CheckState } from '../types.js';
import { clip, show } from '../util/show.js';

/**
 * Longest reason kept for one check. CloudWatch Logs takes 256 KB per event
 * and the verdict line carries every check's reason, so one runaway reason
 * (a 20 MB error body) must not take the line, or the log event, with it.
 */
export const MAX_REASON_CHARS = 2000;

/**
 * What a check (or a middy handler, or a bake's child check) returned, as an
 * outcome the verdict can trust. Anything malformed is an `error`, never a
 * pass; reading the value never throws, even when its getters do.
 */
export function validOutcome(value: unknown, subject = 'check'): CheckOutcome {
  const state = read(value, 'state');
  if (!state.ok) return { state: 'error', reason: `${subject} returned an outcome whose state cannot be read: ${state.error}` };
  if (!(CHECK_STATES as readonly unknown[]).includes(state.value)) {
    return { state: 'error', reason: `${subject} returned an invalid outcome (expected {state: passed|failed|inconclusive|error, reason}): ${show(value, 200)}` };
  }
  const reason = read(value, 'reason');
  const details = read(value, 'details');
  // A passed outcome we cannot fully read is not a pass we can vouch for.
  if (!reason.ok) return { state: 'error', reason: `${subject} returned an outcome whose reason cannot be read: ${reason.error}` };
  if (!details.ok) return { state: 'error', reason: `${subject} returned an outcome whose details cannot be read: ${details.error}` };
  const text = typeof reason.value === 'string' && reason.value !== '' ? clip(reason.value, MAX_REASON_CHARS) : `${subject} ${String(state.value)}`;
  const out: CheckOutcome = { state: state.value as CheckState, reason: text };
  if (typeof details.value === 'object' && details.value !== null) out.details = details.value as Record<string, unknown>;
  return out;
}

type Read = { ok: true; value: unknown } | { ok: false; error: string };

function read(value: unknown, key: string): Read {
  if (typeof value !== 'object' || value === null) return { ok: true, value: undefined };
  try {
    return { ok: true, value: (value as Record<string, unknown>)[key] };
  } catch (error) {
    let message = 'a getter threw';
    try {
      if (error instanceof Error) message = `a getter threw ${error.name}: ${error.message}`;
    } catch {
      // keep the generic text
    }
    return { ok: false, error: clip(message, 200) };
  }
}
