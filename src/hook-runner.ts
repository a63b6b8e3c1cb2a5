import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { createClientRegistry } from './clients.js';
import { resolveHookContext } from './context/resolve.js';
import type { Resolution } from './context/resolve.js';
import { runChecks } from './engine/run-checks.js';
import { validateCheckSpecs } from './engine/validate.js';
import { describeError } from './errors.js';
import { parseHookEvent } from './event.js';
import { reportStatus } from './report.js';
import type { ReportResult } from './report.js';
import { DEFAULTS, MAX_LAMBDA_MS, ownOptions, resolveSettings, validateHookOptions } from './settings.js';
import type { Settings } from './settings.js';
import { timeoutSignal, untilAborted } from './util/abort.js';
import { holdEventLoopUntil } from './util/keep-alive.js';
import { clip } from './util/show.js';
import { MAX_REASON_CHARS } from './engine/outcome.js';
import { stdoutSink, verdictRecord, writeLine } from './verdict-log.js';
import type {
  CheckOutcome,
  CheckResult,
  CheckSpec,
  CodeDeployHookEvent,
  HookContext,
  HookOptions,
  HookVerdict,
  LambdaContextLike,
} from './types.js';

/** Left unused at the very end of the Lambda time so the last report attempt can finish. */
const FINAL_MARGIN_MS = 100;
/** The least time kept for reporting, whatever reserveMs says (0 would leave none). */
const MIN_RESERVE_MS = 500;
/** The least time kept for reporting even when half the time left is less. */
const REPORT_FLOOR_MS = 300;

/**
 * When checks must stop: the Lambda end minus the reserve. The reserve is at
 * least MIN_RESERVE_MS and at most half of the time left, so a 3 s Lambda
 * still runs its checks and a reserve of 0 still leaves time to report.
 */
function checksDeadlineOf(inv: HookInvocation, reserveMs: number): number {
  const left = inv.lambdaEnd - Date.now();
  const reserve = Math.min(Math.max(reserveMs, MIN_RESERVE_MS), left / 2);
  // With almost no time left, all of it goes to the report: half of 250 ms could not carry an attempt.
  return inv.lambdaEnd - Math.min(left, Math.max(reserve, REPORT_FLOOR_MS));
}

/** One invocation between parsing its event and reporting its verdict. */
export interface HookInvocation {
  event: CodeDeployHookEvent;
  startedAt: number;
  /** When Lambda will stop this invocation (epoch ms). */
  lambdaEnd: number;
  /** Set once complete() has run: a second call returns it instead of reporting again. */
  verdict?: Promise<HookVerdict>;
  /** Releases the event-loop hold taken in begin() (see util/keep-alive). */
  release: () => void;
}

/** An outcome computed outside the engine (the middy handler's), added as a check result. */
export interface ExternalOutcome {
  name: string;
  outcome: CheckOutcome;
  durationMs: number;
}

/**
 * The hook flow shared by every adapter: parse -> resolve -> run checks ->
 * report exactly once -> log -> verdict. Adapters only decide when
 * begin() and complete() are called.
 */
export function createHookRunner(given: HookOptions) {
  // Validate the snapshot that is used: a getter must not pass validation with one value and run with another.
  const options = ownOptions(given);
  validateHookOptions(options);
  const sink = options.log ?? stdoutSink;
  // One registry per hook definition: a warm Lambda reuses its clients.
  const clients = createClientRegistry(options.clients);
  // Retries are ours (bounded by the Lambda deadline), not the SDK's.
  const codeDeploy = () => clients.get('codeDeploy', () => new CodeDeployClient({ maxAttempts: 1 }));

  function begin(rawEvent: unknown, lambdaContext?: LambdaContextLike): HookInvocation {
    const startedAt = Date.now();
    let event: CodeDeployHookEvent;
    try {
      event = parseHookEvent(rawEvent);
    } catch (error) {
      const { name, message } = describeError(error);
      writeLine(sink, { level: 'ERROR', message, error: name, timestamp: new Date(startedAt).toISOString(), reported: false });
      throw error;
    }
    const lambdaEnd = startedAt + remainingTime(lambdaContext, options.maxDurationMs ?? DEFAULTS.maxDurationMs);
    return { event, startedAt, lambdaEnd, release: holdEventLoopUntil(lambdaEnd) };
  }

  function complete(invocation: HookInvocation, external?: ExternalOutcome): Promise<HookVerdict> {
    invocation.verdict ??= decideAndReport(invocation, external).finally(invocation.release);
    return invocation.verdict;
  }

  async function decideAndReport(inv: HookInvocation, external?: ExternalOutcome): Promise<HookVerdict> {
    const { event } = inv;
    let settings: Settings | undefined;
    let decision: Decision;
    let ctx: HookContext | undefined;
    try {
      settings = resolveSettings(options);
      const checksDeadline = checksDeadlineOf(inv, settings.reserveMs);
      // Stryker disable next-line StringLiteral: the reason of this signal never reaches a verdict (checks report "deadline" themselves)
      const timer = timeoutSignal(checksDeadline - Date.now(), 'deadline');
      try {
        const resolved = await resolve(event, settings, checksDeadline, timer.signal);
        // Stryker disable next-line ConditionalExpression: only a running resolution has a context
        ctx = resolved.kind === 'running' ? resolved.context : undefined;
        decision = await decide(resolved, settings, checksDeadline, timer.signal, inv, external);
      } finally {
        timer.clear();
      }
    } catch (error) {
      // Anything unexpected (a bug here, bad env settings) fails closed.
      const { name, message } = describeError(error);
      decision = { status: 'Failed', reason: `hook error: ${name}: ${message}`, checks: [] };
    }

    let report: ReportResult;
    try {
      report = await reportStatus(codeDeploy(), event, decision.status, inv.lambdaEnd - FINAL_MARGIN_MS);
    } catch (error) {
      // Only creating the client can throw here (reportStatus catches call errors); never reject after deciding.
      report = { outcome: 'failed', attempts: 0, error: describeError(error) };
    }
    const verdict: HookVerdict = {
      status: decision.status,
      deploymentId: event.DeploymentId,
      lifecycleEvent: decision.lifecycleEvent ?? ctx?.lifecycleEvent ?? 'unknown',
      // Stryker disable next-line OptionalChaining: reached only when ctx?.platform is set
      ...(decision.platform ?? ctx?.platform ? { platform: decision.platform ?? ctx?.platform } : {}),
      checks: decision.checks,
      durationMs: Date.now() - inv.startedAt,
      reported: report.outcome !== 'failed',
      reason: clip(reportNote(decision.reason, report), MAX_VERDICT_REASON_CHARS),
      ...(Object.hasOwn(decision, 'bypass') ? { bypass: decision.bypass } : {}),
      // A duplicate is confirmed when CodeDeploy says the event already had a status.
      ...(decision.duplicate && report.outcome === 'already-completed' ? { duplicate: true } : {}),
    };
    writeLine(
      sink,
      verdictRecord(verdict, ctx, report, settings?.metricsNamespace ?? 'CodeDeployHooks', event.LifecycleEventHookExecutionId),
    );
    return verdict;
  }

  async function resolve(event: CodeDeployHookEvent, settings: Settings, deadline: number, signal: AbortSignal) {
    try {
      return await resolveHookContext(event, codeDeploy(), { deadline, signal, retry: settings.resolveRetry });
    } catch (error) {
      return { kind: 'unresolved' as const, error };
    }
  }

  async function decide(
    resolved: Resolution | { kind: 'unresolved'; error: unknown },
    settings: Settings,
    deadline: number,
    signal: AbortSignal,
    inv: HookInvocation,
    external?: ExternalOutcome,
  ): Promise<Decision> {
    if (resolved.kind === 'completed') {
      // No event is InProgress, but one already finished: most likely a duplicate invocation.
      // It could also be CodeDeploy showing our event late, so report Failed rather than stay
      // silent: a true duplicate gets LifecycleEventAlreadyCompletedException (harmless), and a
      // lagging event fails closed instead of leaving CodeDeploy waiting an hour.
      return {
        status: 'Failed',
        reason: `no lifecycle event InProgress (last finished: ${resolved.lifecycleEvent} ${resolved.status}); likely a duplicate invocation: checks skipped, Failed sent in case it is not`,
        checks: [],
        duplicate: true,
        lifecycleEvent: resolved.lifecycleEvent,
        platform: resolved.platform,
      };
    }
    if (settings.bypass) {
      return { status: 'Succeeded', reason: `bypassed: ${settings.bypass.reason}`, checks: [], bypass: settings.bypass };
    }
    if (resolved.kind === 'unresolved') {
      const { message } = describeError(resolved.error);
      return { status: 'Failed', reason: `could not resolve the deployment: ${message}`, checks: [] };
    }
    const ctx = resolved.context;
    let specs: CheckSpec[];
    try {
      const build = options.checks;
      specs =
        typeof build === 'function'
          ? await untilAborted(Promise.resolve().then(() => build(ctx)), signal, () => new Error('the checks function did not return before the hook deadline'))
          : build;
      validateCheckSpecs(specs);
      // The same rule in every adapter: a middy handler alone is not a hook's checks.
      if (specs.length === 0) return { status: 'Failed', reason: 'no checks ran: the checks function returned none, and a hook with nothing to check does not pass', checks: external ? [externalResult(external)] : [] };
    } catch (error) {
      const { name, message } = describeError(error);
      return { status: 'Failed', reason: `could not build the checks: ${name}: ${message}`, checks: [] };
    }
    const results: CheckResult[] = external ? [externalResult(external)] : [];
    results.push(
      ...(await runChecks(
        specs,
        { hook: ctx, clients, hookStartedAt: inv.startedAt, log: debugLogger(settings.debug) },
        { deadline, signal, concurrency: settings.concurrency, inconclusive: settings.inconclusive },
      )),
    );
    return { ...verdictOf(results, settings.inconclusive), checks: results };
  }

  function debugLogger(enabled: boolean) {
    return {
      debug(message: string, fields?: Record<string, unknown>) {
        if (enabled) writeLine(sink, { level: 'DEBUG', message, ...fields, timestamp: new Date().toISOString() });
      },
    };
  }

  /** The checks deadline of an invocation, for adapters that must act on it (middy). */
  function deadlineOf(inv: HookInvocation): number {
    let reserveMs: number = DEFAULTS.reserveMs;
    try {
      reserveMs = resolveSettings(options).reserveMs;
    } catch {
      // Invalid settings fail the hook in complete(); the default reserve is fine for timing.
    }
    return checksDeadlineOf(inv, reserveMs);
  }

  return { begin, complete, deadlineOf, clients };
}

interface Decision {
  status: 'Succeeded' | 'Failed';
  reason: string;
  checks: CheckResult[];
  duplicate?: boolean;
  bypass?: { reason: string };
  lifecycleEvent?: HookVerdict['lifecycleEvent'];
  platform?: 'Lambda' | 'ECS';
}

/** Longest verdict reason; each check's full (capped) reason stays in its result. */
const MAX_VERDICT_REASON_CHARS = 8000;

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

function externalResult(e: ExternalOutcome): CheckResult {
  return { name: e.name, state: e.outcome.state, reason: clip(e.outcome.reason, MAX_REASON_CHARS), enforced: true, durationMs: e.durationMs, attempts: 1, ...(e.outcome.details ? { details: e.outcome.details } : {}) };
}

function reportNote(reason: string, report: ReportResult): string {
  // Stryker disable next-line OptionalChaining: a failed report always carries its error
  if (report.outcome === 'failed') return `${reason}; REPORT FAILED after ${report.attempts} attempt(s): ${report.error?.name}: ${report.error?.message}`;
  if (report.outcome === 'already-completed') return `${reason}; CodeDeploy already had a status for this lifecycle event`;
  return reason;
}

function remainingTime(context: LambdaContextLike | undefined, fallback: number): number {
  try {
    // Stryker disable next-line OptionalChaining: a TypeError here is caught below and gives the same fallback
    const ms = context?.getRemainingTimeInMillis?.();
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number; the typeof is for the type checker
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_LAMBDA_MS);
  } catch {
    // A broken context gets the fallback budget.
  }
  return fallback;
}
