/**
 * A small load burst: N requests (cycling through the suite) at concurrency C,
 * one attempt each. Passes when the success ratio and the p95 latency hold.
 */
import type { CheckOutcome } from '../../types.js';
import { latencyFigures } from '../common.js';
import { runPool } from '../../util/pool.js';
import { buildOutgoing, evaluate } from './evaluate.js';
import type { Redact } from './redact.js';
import type { ResolvedHttpOptions, ResolvedRequest } from './options.js';
import { send, type SendConfig } from './send.js';

export async function runLoad(args: {
  load: NonNullable<ResolvedHttpOptions['load']>;
  requests: ResolvedRequest[];
  base: string | undefined;
  hostHeader?: string;
  cfg: SendConfig;
  redact: Redact;
}): Promise<CheckOutcome & { details: Record<string, unknown> }> {
  const { load } = args;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let succeeded = 0;
  let sent = 0;
  await runPool(load.requests, load.concurrency, async (i) => {
    if (args.cfg.signal.aborted) return;
    const req = args.requests[i % args.requests.length] as ResolvedRequest;
    sent++;
    const ex = await send(buildOutgoing(req, args.base, args.hostHeader), args.cfg);
    latencies.push(ex.latencyMs);
    const miss = await evaluate(ex, req.expect);
    if (miss === undefined) succeeded++;
    else {
      const key = args.redact(miss);
      failures.set(key, (failures.get(key) ?? 0) + 1);
    }
  });
  const successRatio = succeeded / load.requests;
  const latency = latencyFigures(latencies);
  const details = {
    requests: load.requests,
    sent,
    concurrency: load.concurrency,
    succeeded,
    successRatio,
    minSuccessRatio: load.minSuccessRatio,
    ...(load.maxP95Ms === undefined ? {} : { maxP95Ms: load.maxP95Ms }),
    latency,
    failures: [...failures].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([reason, count]) => ({ reason, count })),
  };
  const figures = `${succeeded}/${load.requests} succeeded (ratio ${successRatio.toFixed(2)}, required ${load.minSuccessRatio}), p95 ${latency.p95Ms} ms`;
  if (sent < load.requests) return { state: 'error', reason: `load stopped after ${sent} of ${load.requests} requests: the check was aborted`, details };
  if (successRatio < load.minSuccessRatio) {
    return { state: 'failed', reason: `load: ${figures}; most common failure: ${details.failures[0]?.reason ?? 'none'}`, details };
  }
  if (load.maxP95Ms !== undefined && latency.p95Ms > load.maxP95Ms) {
    return { state: 'failed', reason: `load: p95 latency ${latency.p95Ms} ms exceeds ${load.maxP95Ms} ms (${figures})`, details };
  }
  return { state: 'passed', reason: `load: ${figures}`, details };
}
