import type { HookContext, HookVerdict } from './types.js';
import type { ReportResult } from './report.js';

/** Largest serialized `details` kept per check in the log line; bigger ones are cut. */
export const MAX_DETAILS_CHARS = 4096;

export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Writes a line, never throwing: a broken logger must not break reporting. */
export function writeLine(sink: LogSink, record: Record<string, unknown>): void {
  try {
    sink(JSON.stringify(record));
  } catch {
    try {
      process.stderr.write(`${JSON.stringify({ level: 'ERROR', message: 'codedeploy-hooks: log sink failed' })}\n`);
    } catch {
      // Nothing left to tell.
    }
  }
}

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
