/**
 * Differential testing for ECS blue/green: the same requests go to the
 * production (blue) and test (green) listeners; status and bodies must agree,
 * except for the volatile fields the user lists (dot paths, `*` for any key
 * or array index). Green can then be judged before it takes production traffic.
 */
import type { CheckOutcome } from '../../types.js';
import { safeJson } from '../common.js';
import { buildOutgoing, evaluate, exchangeDetails } from './evaluate.js';
import { looksSecret, type Redact } from './redact.js';
import type { ResolvedRequest } from './options.js';
import { send, type Exchange, type SendConfig } from './send.js';

const MAX_DIFFERENCES = 10;

/** Differences between two JSON values, as "path: blue X, green Y", at most `limit`. */
export function jsonDifferences(blue: unknown, green: unknown, ignoreFields: string[], limit = MAX_DIFFERENCES): string[] {
  const ignore = ignoreFields.map((p) => p.split('.'));
  const out: string[] = [];
  const ignored = (path: string[]) =>
    ignore.some((pattern) => pattern.length === path.length && pattern.every((seg, i) => seg === '*' || seg === path[i]));
  const show = (path: string[]) => (path.length === 0 ? '$' : `$.${path.join('.')}`);
  const walk = (b: unknown, g: unknown, path: string[]) => {
    if (out.length >= limit || ignored(path)) return;
    if (Array.isArray(b) && Array.isArray(g)) {
      if (b.length !== g.length) out.push(`${show(path)}: blue has ${b.length} items, green ${g.length}`);
      for (let i = 0; i < Math.min(b.length, g.length); i++) walk(b[i], g[i], [...path, String(i)]);
      return;
    }
    if (isObject(b) && isObject(g)) {
      for (const key of new Set([...Object.keys(b), ...Object.keys(g)])) {
        if (ignored([...path, key])) continue;
        if (!(key in g)) out.push(`${show([...path, key])}: only in blue`);
        else if (!(key in b)) out.push(`${show([...path, key])}: only in green`);
        else walk(b[key], g[key], [...path, key]);
        if (out.length >= limit) return;
      }
      return;
    }
    if (Object.is(b, g) || JSON.stringify(b) === JSON.stringify(g)) return;
    // Two listeners hand out different tokens and session ids: say that they differ, not what they are.
    if (looksSecret(path[path.length - 1] ?? '')) out.push(`${show(path)}: blue and green differ (values hidden: the name looks secret)`);
    else out.push(`${show(path)}: blue ${safeJson(b)}, green ${safeJson(g)}`);
  };
  walk(blue, green, []);
  return out.slice(0, limit);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(body: string | undefined): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body ?? '') as unknown };
  } catch {
    return { ok: false };
  }
}

/** Differences between two exchanges of the same request. */
export function exchangeDifferences(blue: Exchange, green: Exchange, ignoreFields: string[]): string[] {
  if (blue.error !== undefined || green.error !== undefined) {
    if (blue.error !== undefined && green.error !== undefined) return [];
    return [`blue ${blue.error ?? `status ${blue.status}`}, green ${green.error ?? `status ${green.status}`}`];
  }
  const diffs: string[] = [];
  if (blue.status !== green.status) diffs.push(`status: blue ${blue.status}, green ${green.status}`);
  const b = parse(blue.body);
  const g = parse(green.body);
  if (b.ok && g.ok) diffs.push(...jsonDifferences(b.value, g.value, ignoreFields, MAX_DIFFERENCES - diffs.length));
  else if (b.ok !== g.ok) diffs.push(`body: ${b.ok ? 'blue is JSON, green is not' : 'green is JSON, blue is not'}`);
  else if (blue.body !== green.body) diffs.push('body: the text bodies differ');
  return diffs;
}

/** Sends every request to both listeners and compares. */
export async function runCompare(args: {
  requests: ResolvedRequest[];
  blueBase: string;
  greenBase: string;
  hostHeader?: string;
  ignoreFields: string[];
  cfg: SendConfig;
  redact: Redact;
  listeners: Record<string, unknown>;
}): Promise<CheckOutcome> {
  const results: Record<string, unknown>[] = [];
  let firstFailure: string | undefined;
  let failing = 0;
  for (const req of args.requests) {
    if (args.cfg.signal.aborted) break;
    const [blue, green] = await Promise.all([
      send(buildOutgoing(req, args.blueBase, args.hostHeader), args.cfg),
      send(buildOutgoing(req, args.greenBase, args.hostHeader), args.cfg),
    ]);
    const differences = exchangeDifferences(blue, green, args.ignoreFields).map(args.redact);
    // Agreement is not enough when the user stated what green must return.
    const miss = req.explicitExpect ? await evaluate(green, req.expect) : green.error;
    const ok = differences.length === 0 && miss === undefined;
    if (!ok) {
      failing++;
      firstFailure ??= args.redact(
        differences.length > 0 ? `green differs from blue on ${req.name}: ${differences.slice(0, 3).join('; ')}` : `green failed ${req.name}: ${miss}`,
      );
    }
    results.push({
      name: req.name,
      state: ok ? 'passed' : 'failed',
      ...(miss ? { reason: args.redact(miss) } : {}),
      blue: exchangeDetails(blue, args.redact, !ok),
      green: exchangeDetails(green, args.redact, !ok),
      differences,
    });
  }
  const details = { mode: 'compare', listeners: args.listeners, ignoreFields: args.ignoreFields, requests: results };
  if (results.length < args.requests.length) {
    return { state: 'error', reason: `compare stopped after ${results.length} of ${args.requests.length} requests: the check was aborted`, details };
  }
  if (firstFailure) return { state: 'failed', reason: `${failing} of ${args.requests.length} requests: ${firstFailure}`, details };
  return { state: 'passed', reason: `green matches blue on ${args.requests.length} request(s)`, details };
}
