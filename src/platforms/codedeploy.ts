/**
 * CodeDeploy as a platform: the `{DeploymentId, LifecycleEventHookExecutionId}`
 * event, the context from the CodeDeploy API, and the verdict delivered with
 * PutLifecycleEventHookExecutionStatus (exactly one accepted report).
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { resolveHookContext } from '../context/resolve.js';
import { describeError } from '../errors.js';
import { parseHookEvent } from '../event.js';
import { reportStatus } from '../report.js';
import type { ReportResult } from '../report.js';
import { MAX_VERDICT_REASON_CHARS } from '../engine/verdict.js';
import { clip } from '../util/show.js';
import { verdictRecord, writeLine } from '../verdict-log.js';
import type { CodeDeployHookEvent, HookContext, HookVerdict } from '../types.js';
import type { Platform, PlatformFactory } from './platform.js';

export const codeDeployPlatform: PlatformFactory<CodeDeployHookEvent, HookContext, HookVerdict> = (clients) => {
  // Retries are ours (bounded by the Lambda deadline), not the SDK's.
  const codeDeploy = () => clients.get('codeDeploy', () => new CodeDeployClient({ maxAttempts: 1 }));

  const platform: Platform<CodeDeployHookEvent, HookContext, HookVerdict> = {
    parse: parseHookEvent,

    async resolve(event, { settings, deadline, signal }) {
      const resolved = await resolveHookContext(event, codeDeploy(), { deadline, signal, retry: settings.resolveRetry });
      if (resolved.kind === 'running') return resolved;
      // No event is InProgress, but one already finished: most likely a duplicate invocation.
      // It could also be CodeDeploy showing our event late, so report Failed rather than stay
      // silent: a true duplicate gets LifecycleEventAlreadyCompletedException (harmless), and a
      // lagging event fails closed instead of leaving CodeDeploy waiting an hour.
      return {
        kind: 'decided',
        decision: {
          status: 'Failed',
          reason: `no lifecycle event InProgress (last finished: ${resolved.lifecycleEvent} ${resolved.status}); likely a duplicate invocation: checks skipped, Failed sent in case it is not`,
          checks: [],
          duplicate: true,
          lifecycleEvent: resolved.lifecycleEvent,
          platform: resolved.platform,
        },
      };
    },

    async deliver({ event, decision, context: ctx, settings, startedAt, deliverBy, sink }) {
      let report: ReportResult;
      try {
        report = await reportStatus(codeDeploy(), event, decision.status, deliverBy);
      } catch (error) {
        // Only creating the client can throw here (reportStatus catches call errors); never reject after deciding.
        report = { outcome: 'failed', attempts: 0, error: describeError(error) };
      }
      const platformName = decision.platform ?? ctx?.platform;
      const verdict: HookVerdict = {
        status: decision.status,
        deploymentId: event.DeploymentId,
        lifecycleEvent: (decision.lifecycleEvent as HookVerdict['lifecycleEvent'] | undefined) ?? ctx?.lifecycleEvent ?? 'unknown',
        // Stryker disable next-line ConditionalExpression: reached only when a platform is known
        ...(platformName ? { platform: platformName } : {}),
        checks: decision.checks,
        durationMs: Date.now() - startedAt,
        reported: report.outcome !== 'failed',
        reason: clip(reportNote(decision.reason, report), MAX_VERDICT_REASON_CHARS),
        ...(Object.hasOwn(decision, 'bypass') ? { bypass: decision.bypass } : {}),
        // A duplicate is confirmed when CodeDeploy says the event already had a status.
        ...(decision.duplicate && report.outcome === 'already-completed' ? { duplicate: true } : {}),
      };
      writeLine(sink, verdictRecord(verdict, ctx, report, settings?.metricsNamespace ?? 'CodeDeployHooks', event.LifecycleEventHookExecutionId));
      return verdict;
    },
  };
  return platform;
};

function reportNote(reason: string, report: ReportResult): string {
  // Stryker disable next-line OptionalChaining: a failed report always carries its error
  if (report.outcome === 'failed') return `${reason}; REPORT FAILED after ${report.attempts} attempt(s): ${report.error?.name}: ${report.error?.message}`;
  if (report.outcome === 'already-completed') return `${reason}; CodeDeploy already had a status for this lifecycle event`;
  return reason;
}
