/**
 * http: HTTP smoke tests with undici — a single request or a suite, retried
 * until healthy within a budget, an optional load burst, and for ECS blue/green
 * the test or production listener as the default target (or both, compared).
 */
import type { Check, CheckContext, CheckOutcome } from '../types.js';
import { abortReason, sleep } from '../util/abort.js';
import { commonCheckFields } from './common.js';
import { runCompare } from './http/compare.js';
import { buildOutgoing, evaluate, exchangeDetails, shownHeaders } from './http/evaluate.js';
import { runLoad } from './http/load.js';
import { validateHttpOptions, type HttpOptions, type ResolvedHttpOptions, type ResolvedRequest } from './http/options.js';
import { knownSecrets, makeRedactor, safeUrl, type Redact } from './http/redact.js';
import { send, type SendConfig } from './http/send.js';
import { insecureDispatcherRefusal, verifyingAgent } from './http/tls.js';
import { defaultListenerRole, ListenerResolutionError, resolveListener, type ResolvedListener } from './listeners.js';

export type { HttpOptions, HttpRequestSpec, HttpResponse, HeaderValue } from './http/options.js';

/**
 * Creates the http check. Options are validated now; nothing is sent until run.
 *
 * @example
 * http({ url: 'https://api.example.com/health', expect: { status: 200 }, waitUntilHealthyMs: 30_000 });
 * // ECS: no url -> the test listener during AfterAllowTestTraffic
 * http({ path: '/health', hostHeader: 'shop.example.com' });
 */
export function http(options: HttpOptions = {}): Check {
  const opts = validateHttpOptions(options);
  const common = commonCheckFields(options, 'http');
  const first = opts.requests[0] as ResolvedRequest;
  const name = opts.requests.length === 1 ? `http ${first.name}` : `http suite (${opts.requests.length} requests)`;
  return { name, ...common, run: (ctx) => runHttp(ctx, opts) };
}

async function runHttp(ctx: CheckContext, opts: ResolvedHttpOptions): Promise<CheckOutcome> {
  const refusal = insecureDispatcherRefusal(opts);
  if (refusal) return { state: 'error', reason: refusal };
  const redact = makeRedactor(knownSecrets(opts));
  // Without a user dispatcher the run gets its own verifying agent, closed afterwards so no socket outlives the check.
  const dispatcher = opts.dispatcher ?? verifyingAgent(opts.ca);
  const own = dispatcher === opts.dispatcher ? undefined : dispatcher;
  const cfg: SendConfig = {
    dispatcher,
    requestTimeoutMs: opts.requestTimeoutMs,
    maxBodyBytes: opts.maxBodyBytes,
    followRedirects: opts.followRedirects,
    secretNames: opts.secretNames,
    signal: ctx.signal,
  };
  try {
    if (opts.compare) return await compareListeners(ctx, opts, cfg, redact);
    let base = opts.base;
    let listener: ResolvedListener | undefined;
    const needsBase = opts.requests.some((r) => !('url' in r.target));
    if (base === undefined && needsBase) {
      if (ctx.hook.platform === 'Lambda') {
        return { state: 'error', reason: 'http: no url given and a Lambda deployment has no listener; set url or baseUrl' };
      }
      try {
        listener = await resolveListener(ctx, defaultListenerRole(ctx.hook, opts.listener));
      } catch (error) {
        return resolutionFailure(error, ctx);
      }
      base = listener.baseUrl;
    }
    const listenerDetails = listener ? { listener: listenerSummary(listener) } : {};
    const smoke = await runSmoke(ctx, opts, base, cfg, redact);
    if (smoke.state !== 'passed' || !opts.load) return { ...smoke, details: { ...listenerDetails, ...smoke.details } };
    const load = await runLoad({ load: opts.load, requests: opts.requests, base, hostHeader: opts.hostHeader, cfg, redact });
    return {
      state: load.state,
      reason: load.state === 'passed' ? `${smoke.reason}; ${load.reason}` : load.reason,
      details: { ...listenerDetails, ...smoke.details, load: load.details },
    };
  } finally {
    await own?.destroy();
  }
}

/** Runs the request(s) in order, each retried until healthy while the wait budget lasts. */
async function runSmoke(ctx: CheckContext, opts: ResolvedHttpOptions, base: string | undefined, cfg: SendConfig, redact: Redact): Promise<CheckOutcome & { details: Record<string, unknown> }> {
  const budgetEnd = Date.now() + opts.waitUntilHealthyMs;
  const results: Record<string, unknown>[] = [];
  const failures: string[] = [];
  for (const req of opts.requests) {
    const out = buildOutgoing(req, base, opts.hostHeader);
    let attempts = 0;
    let miss: string | undefined;
    let last;
    for (;;) {
      attempts++;
      last = await send(out, cfg);
      miss = await evaluate(last, req.expect);
      if (miss === undefined || ctx.signal.aborted) break;
      const nextAt = Date.now() + opts.retryIntervalMs;
      if (nextAt > budgetEnd || nextAt >= ctx.deadline) break;
      try {
        await sleep(opts.retryIntervalMs, ctx.signal);
      } catch {
        break;
      }
    }
    const suffix = attempts > 1 ? ` after ${attempts} attempts` : '';
    const where = `${out.method} ${safeUrl(out.url)}`;
    const reason = miss === undefined ? undefined : redact(last.error !== undefined ? `${where}: ${miss}${suffix}` : `${miss} from ${where}${suffix}`);
    if (reason) failures.push(reason);
    results.push({
      name: req.name,
      state: reason ? 'failed' : 'passed',
      ...(reason ? { reason } : {}),
      attempts,
      requestHeaders: shownHeaders(out.headers, opts.secretNames, redact),
      ...exchangeDetails(last, redact, reason !== undefined),
    });
    if (ctx.signal.aborted) break;
  }
  const single = opts.requests.length === 1;
  const details: Record<string, unknown> = single ? { ...results[0] } : { requests: results };
  if (failures.length > 0) {
    const reason = single ? (failures[0] as string) : `${failures.length} of ${opts.requests.length} requests failed; first: ${failures[0]}`;
    return { state: 'failed', reason, details };
  }
  if (results.length < opts.requests.length) {
    return { state: 'error', reason: `suite stopped after ${results.length} of ${opts.requests.length} requests: ${abortReason(ctx.signal)}`, details };
  }
  const r0 = results[0] as { status?: number; latencyMs?: number; attempts: number };
  const reason = single
    ? `${opts.requests[0]?.name} returned ${r0.status} in ${r0.latencyMs} ms${r0.attempts > 1 ? ` (healthy after ${r0.attempts} attempts)` : ''}`
    : `all ${opts.requests.length} requests passed`;
  return { state: 'passed', reason, details };
}

async function compareListeners(ctx: CheckContext, opts: ResolvedHttpOptions, cfg: SendConfig, redact: Redact): Promise<CheckOutcome> {
  if (ctx.hook.platform !== 'ECS') {
    return { state: 'error', reason: 'http compare: a Lambda deployment has no production and test listeners to compare' };
  }
  let blue: ResolvedListener;
  let green: ResolvedListener;
  try {
    [blue, green] = await Promise.all([resolveListener(ctx, 'production'), resolveListener(ctx, 'test')]);
  } catch (error) {
    return resolutionFailure(error, ctx);
  }
  return runCompare({
    requests: opts.requests,
    blueBase: blue.baseUrl,
    greenBase: green.baseUrl,
    ...(opts.hostHeader ? { hostHeader: opts.hostHeader } : {}),
    ignoreFields: opts.compare?.ignoreFields ?? [],
    cfg,
    redact,
    listeners: { blue: listenerSummary(blue), green: listenerSummary(green) },
  });
}

function resolutionFailure(error: unknown, ctx: CheckContext): CheckOutcome {
  if (ctx.signal.aborted) return { state: 'error', reason: `http: resolving the listener did not finish: ${abortReason(ctx.signal)}` };
  const message = error instanceof ListenerResolutionError ? error.message : String(error);
  return { state: 'error', reason: `http: cannot resolve the base URL: ${message}` };
}

function listenerSummary(l: ResolvedListener): Record<string, unknown> {
  return { role: l.role, baseUrl: l.baseUrl, listenerArn: l.listenerArn, protocol: l.protocol, port: l.port };
}
