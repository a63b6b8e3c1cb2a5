import type { HookContext, HookVerdict } from './types.js';
import type { ReportResult } from './report.js';
import { clip } from './util/show.js';

/** Largest serialized `details` kept per check in the log line; bigger ones are cut. */
export const MAX_DETAILS_CHARS = 4096;

export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Largest line written, in bytes. CloudWatch Logs takes at most 256 KB per
 * event (less its 26-byte overhead); Lambda adds nothing to a JSON line, but
 * a margin keeps a line whole when a logging library wraps it.
 */
export const MAX_LINE_BYTES = 200_000;

/** Writes a line, never throwing: a broken logger must not break reporting. */
export function writeLine(sink: LogSink, record: Record<string, unknown>): void {
  try {
    sink(fitLine(record));
  } catch {
    try {
      process.stderr.write(`${JSON.stringify({ level: 'ERROR', message: 'codedeploy-hooks: log sink failed' })}\n`);
    } catch {
      // Nothing left to tell.
    }
  }
}

/**
 * The record as one JSON line of at most MAX_LINE_BYTES: first the checks'
 * details and reasons (and the report error, the bypass reason) shrink, the
 * checks that did not pass move first, then trailing checks are counted
 * instead of listed; if even that does not fit, a minimal record. The status
 * always stays.
 */
export function fitLine(record: Record<string, unknown>): string {
  const whole = JSON.stringify(record);
  if (Buffer.byteLength(whole) <= MAX_LINE_BYTES) return whole;
  const checks = Array.isArray(record.checks) ? (record.checks as Record<string, unknown>[]) : [];
  // Checks that did not pass first: when the list is cut, the ones that explain a Failed stay.
  const ordered = [...checks.filter((c) => c.state !== 'passed'), ...checks.filter((c) => c.state === 'passed')];
  const shrunk = ordered.map((c) => ({
    ...c,
    reason: typeof c.reason === 'string' ? clip(c.reason, 500) : c.reason,
    // Stryker disable next-line StringLiteral: JSON.stringify of an object is never undefined; `?? ''` is for the type checker
    details: c.details === undefined ? undefined : { truncated: true, preview: clip(JSON.stringify(c.details) ?? '', 300) },
  }));
  const base = {
    ...record,
    reason: clipped(record.reason, 4000),
    message: clipped(record.message, 1000),
    ...(isObject(record.report) ? { report: { ...record.report, error: clipError(record.report.error) } } : {}),
    ...(isObject(record.bypass) ? { bypass: { reason: clipped(record.bypass.reason, 1000) } } : {}),
    lineTruncated: true,
  };
  for (let kept = shrunk.length; ; kept = Math.floor(kept / 2)) {
    const omitted = shrunk.length - kept;
    const line = JSON.stringify({ ...base, checks: shrunk.slice(0, kept), ...(omitted > 0 ? { checksOmitted: omitted } : {}) });
    if (Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
    if (kept === 0) break;
  }
  // Whatever else was too large, these fields are small by construction.
  return JSON.stringify({
    level: record.level, message: clipped(record.message, 200), timestamp: record.timestamp, deploymentId: clipped(record.deploymentId, 200),
    lifecycleEvent: record.lifecycleEvent, status: record.status, reason: clipped(record.reason, 2000), reported: record.reported,
    lineTruncated: true, checksOmitted: checks.length,
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const clipped = (v: unknown, max: number): unknown => (typeof v === 'string' ? clip(v, max) : v);
const clipError = (e: unknown): unknown => (isObject(e) ? { name: clipped(e.name, 200), message: clipped(e.message, 1000) } : e);

function target(ctx: HookContext | undefined): Record<string, unknown> | undefined {
  if (!ctx) return undefined;
  if (ctx.platform === 'Lambda') {
    return { functionName: ctx.functionName, alias: ctx.alias, currentVersion: ctx.currentVersion, targetVersion: ctx.targetVersion };
  }
  return {
    cluster: ctx.cluster,
    service: ctx.service,
    blueTaskSet: ctx.blueTaskSet?.identifier,
    greenTaskSet: ctx.greenTaskSet?.identifier,
    targetGroups: ctx.targetGroups,
  };
}

function capDetails(details: Record<string, unknown> | undefined): unknown {
  if (details === undefined) return undefined;
  let text: string;
  try {
    text = JSON.stringify(details);
  } catch {
    return { unserializable: true };
  }
  return text.length <= MAX_DETAILS_CHARS ? details : { truncated: true, preview: text.slice(0, MAX_DETAILS_CHARS) };
}

/**
 * The one verdict line: where a person learns why a deployment rolled back
 * (the status API has no reason field). It doubles as an Embedded Metric
 * Format record, so CloudWatch counts HookVerdict by lifecycle event and status.
 */
export function verdictRecord(
  verdict: HookVerdict,
  ctx: HookContext | undefined,
  report: ReportResult | undefined,
  namespace: string,
  executionId: string,
): Record<string, unknown> {
  const loud = verdict.bypass !== undefined || verdict.status === 'Failed' || report?.outcome === 'failed';
  return {
    level: loud ? 'WARN' : 'INFO',
    message: verdict.bypass
      ? `CodeDeploy hook BYPASSED: reported Succeeded without running checks (${verdict.bypass.reason})`
      : `CodeDeploy hook verdict: ${verdict.status}`,
    timestamp: new Date().toISOString(),
    deploymentId: verdict.deploymentId,
    lifecycleEventHookExecutionId: executionId,
    lifecycleEvent: verdict.lifecycleEvent,
    platform: verdict.platform,
    isRollback: ctx?.isRollback,
    target: target(ctx),
    status: verdict.status,
    reason: verdict.reason,
    reported: verdict.reported,
    report,
    bypass: verdict.bypass,
    duplicate: verdict.duplicate,
    durationMs: verdict.durationMs,
    checks: verdict.checks.map((c) => ({ ...c, details: capDetails(c.details) })),
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [['LifecycleEvent', 'Status']],
          Metrics: [{ Name: 'HookVerdict', Unit: 'Count' }],
        },
      ],
    },
    LifecycleEvent: verdict.lifecycleEvent,
    Status: verdict.status,
    HookVerdict: 1,
  };
}
