/**
 * defineDurableHook: the CodeDeploy hook flow as a Lambda durable execution
 * (@aws/durable-execution-sdk-js). The same platform (CodeDeploy: parse,
 * resolve, report) and the same engine (decide) as defineHook; only the
 * timing differs. Every step's result is checkpointed, and replays read it
 * back instead of running it again:
 *
 *   start (clock, settings) -> resolve -> checks -> [wait] measurement-1 ->
 *   wait -> measurement-2 -> ... -> verdict -> report
 *
 * A bake can therefore span CodeDeploy's hour (less hourReserveMs) while
 * paying only for the measurements: a durable wait ends the invocation.
 * Code between steps runs again on every replay, so it reads only
 * checkpointed values (never the clock or the environment).
 */
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableContext, DurableLambdaHandler, RetryDecision } from '@aws/durable-execution-sdk-js';
import { createClientRegistry } from '../clients.js';
import { decide } from '../engine/decide.js';
import type { EngineInput } from '../engine/decide.js';
import { checksDeadlineOf, FINAL_MARGIN_MS, remainingTime } from '../engine/budget.js';
import { reasonsOf, recordMeasurement, summaryOf, worstState } from '../engine/bake-state.js';
import type { BakeState } from '../engine/bake-state.js';
import { verdictOf } from '../engine/verdict.js';
import type { Decision } from '../engine/verdict.js';
import { describeError } from '../errors.js';
import { codeDeployPlatform } from '../platforms/codedeploy.js';
import { DEFAULTS, ownOptions, resolveSettings } from '../settings.js';
import type { Settings } from '../settings.js';
import { timeoutSignal } from '../util/abort.js';
import { holdEventLoopUntil } from '../util/keep-alive.js';
import { stdoutSink, writeLine } from '../verdict-log.js';
import type { CheckResult, CodeDeployHookEvent, HookContext, HookOptions, HookVerdict } from '../types.js';
import { jsonSafe, restoreResolution, snapshotResolution } from './checkpoint-data.js';
import { parseOrLog } from './parse-event.js';
import type { ResolutionSnapshot } from './checkpoint-data.js';
import { HOOK_HOUR_MS, REPORT_WINDOW_MS, plannedSpanMs, validateDurableOptions } from './options.js';
import type { DurableBake, DurableHookOptions } from './options.js';

/** Longest report attempt window in one invocation; past it the report step retries durably (no compute while it waits). */
const REPORT_ATTEMPT_MS = 30_000;
/** Pause between durable retries of the report step. */
const REPORT_RETRY_DELAY_S = 10;
/** Attempts of a step whose body threw (a crash mid-step, a bug): then the hook fails closed. */
const STEP_ATTEMPTS = 3;

/** What the first step fixes for the whole execution. */
interface Start {
  /** Epoch ms the execution's clock starts; CodeDeploy's hour is counted from here (the reserve covers the start's delay). */
  startedAt: number;
  /** The report must be accepted by then. */
  reportBy: number;
  /** Measurements start no later than this. */
  measureBy: number;
  /** The settings (environment included) read once: a replay must not see a bypass that appeared later. */
  settings?: Settings;
  settingsError?: string;
}

type SettledStart = Start & { settings: Settings };

/** One measurement as checkpointed. */
interface MeasurementRecord {
  startedAt: number;
  durationMs: number;
  step: ReturnType<typeof recordMeasurement>;
  checks: CheckResult[];
}

/** Thrown inside the report step to have the SDK retry it later (durably). */
class ReportNotAccepted extends Error {
  override name = 'ReportNotAccepted';
}

export interface DurableHookInternals {
  /** Called first in every step body: tests throw here to crash a step mid-way. Not public API. */
  beforeStep?: (name: string) => void;
}

/**
 * Defines a durable CodeDeploy hook. Deploy it with `DurableConfig` and
 * start it with startDurableHook from the function CodeDeploy invokes (a
 * durable function needs a qualified ARN; CodeDeploy invokes by name).
 *
 * @example
 * export const handler = defineDurableHook({
 *   checks: [invokeTarget({ payload: { path: '/health' }, expect: { statusCode: 200 } })],
 *   bake: { checks: [alarms({ fromDeploymentGroup: true })], intervalMs: 60_000, durationMs: 30 * 60_000 },
 * });
 */
export function defineDurableHook(options: DurableHookOptions): DurableLambdaHandler {
  return withDurableExecution(createDurableHookHandler(options));
}

/** The durable handler before withDurableExecution wraps it (tests pass internals). */
export function createDurableHookHandler(given: DurableHookOptions, internals: DurableHookInternals = {}) {
  const options = validateDurableOptions(ownOptions(given as HookOptions) as DurableHookOptions);
  const { hook, bake } = options;
  const sink = hook.log ?? stdoutSink;
  const clients = createClientRegistry(hook.clients);
  const platform = codeDeployPlatform(clients);
  const stepConfig = { retryStrategy: (_: Error, attempt: number): RetryDecision => ({ shouldRetry: attempt < STEP_ATTEMPTS, delay: { seconds: 1 } }) };

  /** A step whose body is timed by the current invocation: its Lambda end, less the reserve, and never past `endBy`. */
  function step<T>(dctx: DurableContext, name: string, settings: Settings, endBy: () => number, body: (deadline: number, signal: AbortSignal) => Promise<T>) {
    return dctx.step(
      name,
      async () => {
        internals.beforeStep?.(name);
        const lambdaEnd = Date.now() + remainingTime(dctx.lambdaContext, hook.maxDurationMs ?? DEFAULTS.maxDurationMs);
        const deadline = Math.min(checksDeadlineOf(lambdaEnd, settings.reserveMs), endBy());
        const release = holdEventLoopUntil(lambdaEnd);
        const timer = timeoutSignal(deadline - Date.now(), 'deadline');
        try {
          return await body(deadline, timer.signal);
        } finally {
          timer.clear();
          release();
        }
      },
      stepConfig,
    );
  }

  function decideIn(input: EngineInput, checks: NonNullable<HookOptions['checks']>, start: SettledStart, deadline: number, signal: AbortSignal): Promise<Decision> {
    return decide(input, { checks, settings: start.settings, deadline, signal, clients, startedAt: start.startedAt, log: { debug: () => undefined } });
  }

  return async function durableHook(raw: unknown, dctx: DurableContext): Promise<HookVerdict> {
    // Pure, so the same on every replay.
    const event = parseOrLog(platform.parse, raw, sink);

    const start = await dctx.step('start', async (): Promise<Start> => {
      const startedAt = Date.now();
      const reportBy = startedAt + HOOK_HOUR_MS - options.hourReserveMs;
      const fixed = { startedAt, reportBy, measureBy: reportBy - REPORT_WINDOW_MS };
      try {
        return { ...fixed, settings: { ...resolveSettings(hook as HookOptions) } };
      } catch (error) {
        return { ...fixed, settingsError: `hook error: ${describeError(error).name}: ${describeError(error).message}` };
      }
    });
    const settings = start.settings ? restoreSettings(start.settings) : undefined;

    let decision: Decision;
    let snapshot: ResolutionSnapshot | undefined;
    try {
      if (!settings) {
        decision = { status: 'Failed', reason: start.settingsError ?? 'hook error: no settings', checks: [] };
      } else {
        const s = { ...start, settings };
        snapshot = await step(dctx, 'resolve', settings, () => start.measureBy, async (deadline, signal) => {
          let input: EngineInput;
          try {
            input = await platform.resolve(event, { settings, deadline, signal });
          } catch (error) {
            input = { kind: 'unresolved', error };
          }
          return snapshotResolution(input);
        });
        decision = await decideAndBake(dctx, s, restoreResolution(snapshot));
      }
    } catch (error) {
      // A step that kept failing (SDK StepError), or a bug here: fail closed.
      const { name, message } = describeError(error);
      decision = { status: 'Failed', reason: `hook error: ${name}: ${message}`, checks: [] };
    }

    // The verdict is computed once: a replay reads it back, so the report can only ever send this status.
    const verdict = await dctx.step('verdict', async () => jsonSafe(decision), stepConfig);
    const context = snapshot?.kind === 'running' ? restoreResolution(snapshot) : undefined;
    return report(dctx, event, verdict, start, settings, context?.kind === 'running' ? context.context : undefined);
  };

  async function decideAndBake(dctx: DurableContext, start: SettledStart, input: EngineInput): Promise<Decision> {
    const results: CheckResult[] = [];
    if (hook.checks !== undefined || input.kind !== 'running' || start.settings.bypass) {
      const first = await step(dctx, 'checks', start.settings, () => start.measureBy, async (deadline, signal) =>
        jsonSafe(await decideIn(input, hook.checks ?? [], start, deadline, signal)),
      );
      // A failed smoke test, a bypass, a duplicate or an unresolved deployment decide without a bake.
      if (first.status === 'Failed' || !bake || input.kind !== 'running' || start.settings.bypass) return first;
      results.push(...first.checks);
    }
    if (!bake) return { ...verdictOf(results, start.settings.inconclusive), checks: results };
    results.push(await runBake(dctx, start, input, bake));
    return { ...verdictOf(results, start.settings.inconclusive), checks: results };
  }

  /**
   * The bake as durable steps: one step per measurement (its checks through
   * the engine, its state recorded with engine/bake-state), a durable wait
   * until the next is due. The wait's length comes from the checkpointed
   * measurement, so a replay waits for nothing and measures nothing again.
   */
  async function runBake(dctx: DurableContext, start: SettledStart, input: EngineInput, plan: DurableBake): Promise<CheckResult> {
    if (plan.initialDelayMs > 0) await dctx.wait('bake-initial-delay', { seconds: Math.ceil(plan.initialDelayMs / 1000) });
    let state: BakeState | undefined;
    let last: MeasurementRecord | undefined;
    for (let index = 1; ; index++) {
      const previous = state;
      // A measurement must settle before the next is due (a check that never settles is an errored measurement).
      const endBy = () => Math.min(start.measureBy, Date.now() + plan.plan.intervalMs);
      const m: MeasurementRecord | 'late' = await step(dctx, `measurement-${index}`, start.settings, endBy, async (deadline, signal) => {
        const startedAt = Date.now();
        if (startedAt >= start.measureBy) return 'late' as const;
        const decision = await decideIn(input, plan.checks, start, deadline, signal);
        // No results means the engine could not run them (a throwing builder): an error, never a passed measurement.
        const mState = decision.checks.length > 0 ? worstState(decision.checks) : 'error';
        const why = decision.checks.length > 0 ? reasonsOf(decision.checks, mState) : decision.reason;
        // Recorded at its planned time (the first at its real start): the plan, not how punctually a wait
        // resumed, decides how many measurements a bake takes. The hour is guarded by the real clock above.
        const plannedAt = previous ? previous.nextAt : startedAt;
        const step = recordMeasurement(plan.plan, previous, mState, why, plannedAt);
        return jsonSafe({ startedAt, durationMs: Date.now() - startedAt, step, checks: decision.checks });
      });
      if (m === 'late') return bakeResult(plan, state, last, 'inconclusive', cutShort(plan, state, start));
      last = m;
      state = m.step.bake;
      if (m.step.kind === 'decided') return bakeResult(plan, state, last, m.step.state, m.step.reason);
      // The next measurement must be able to finish (assume it takes as long as this one) before measurements stop.
      if (state.nextAt + m.durationMs >= start.measureBy) return bakeResult(plan, state, last, 'inconclusive', cutShort(plan, state, start));
      await dctx.wait(`wait-${index}`, { seconds: Math.max(1, Math.ceil(m.step.waitMs / 1000)) });
    }
  }

  async function report(dctx: DurableContext, event: CodeDeployHookEvent, decision: Decision, start: Start, settings: Settings | undefined, context: HookContext | undefined): Promise<HookVerdict> {
    const deliver = (deliverBy: number) =>
      platform.deliver({ event, decision, ...(context ? { context } : {}), ...(settings ? { settings } : {}), startedAt: start.startedAt, deliverBy, sink });
    try {
      return await dctx.step(
        'report',
        async () => {
          internals.beforeStep?.('report');
          const lambdaEnd = Date.now() + remainingTime(dctx.lambdaContext, hook.maxDurationMs ?? DEFAULTS.maxDurationMs);
          const deliverBy = Math.min(start.reportBy, Date.now() + REPORT_ATTEMPT_MS, lambdaEnd - FINAL_MARGIN_MS);
          const verdict = await deliver(deliverBy);
          // Not accepted yet and the hour still has room: let the SDK retry this step later, without compute in between.
          if (!verdict.reported && Date.now() + REPORT_RETRY_DELAY_S * 1000 < start.reportBy) throw new ReportNotAccepted(verdict.reason);
          return jsonSafe(verdict);
        },
        {
          // Not accepted, or the step crashed mid-way: try again while the hour has room (a repeat of an accepted report is harmless: LifecycleEventAlreadyCompleted).
          retryStrategy: (): RetryDecision => ({ shouldRetry: Date.now() + REPORT_RETRY_DELAY_S * 1000 < start.reportBy, delay: { seconds: REPORT_RETRY_DELAY_S } }),
        },
      );
    } catch (error) {
      // The hour is (nearly) up and CodeDeploy has no status from us: say so; CodeDeploy fails the hook on its timeout.
      const { name, message } = describeError(error);
      const verdict = await dctx.step('report-gave-up', async () =>
        jsonSafe({
          status: decision.status,
          deploymentId: event.DeploymentId,
          lifecycleEvent: (context?.lifecycleEvent ?? 'unknown') as HookVerdict['lifecycleEvent'],
          checks: decision.checks,
          durationMs: Date.now() - start.startedAt,
          reported: false,
          reason: `${decision.reason}; REPORT FAILED before CodeDeploy's hour: ${name}: ${message}`,
        }),
      );
      writeLine(sink, { level: 'ERROR', message: 'codedeploy-hooks: durable hook could not report', ...verdict, timestamp: new Date().toISOString() });
      return verdict;
    }
  }
}

function restoreSettings(saved: Settings): Settings {
  // Like resolveSettings: no prototype, so `bypass` is the checkpointed one or nothing.
  return Object.assign(Object.create(null) as Settings, saved);
}

function cutShort(plan: DurableBake, state: BakeState | undefined, start: Start): string {
  const taken = state?.counts.total ?? 0;
  return (
    `bake cut short to report before CodeDeploy's hour: took ${taken} of the planned measurements ` +
    `(plan spans ${Math.round(plannedSpanMs(plan) / 1000)} s; measurements must start by ${new Date(start.measureBy).toISOString()})` +
    (state ? `; ${summaryOf(state.counts)}` : '')
  );
}

function bakeResult(plan: DurableBake, state: BakeState | undefined, last: MeasurementRecord | undefined, outcome: CheckResult['state'], reason: string): CheckResult {
  return {
    name: plan.name,
    state: outcome,
    reason,
    enforced: true,
    durationMs: state && last ? last.startedAt + last.durationMs - state.firstAt : 0,
    attempts: state?.counts.total ?? 0,
    details: { counts: state?.counts ?? null, intervalMs: plan.plan.intervalMs, lastMeasurement: last ? { startedAt: new Date(last.startedAt).toISOString(), checks: last.checks } : null },
  };
}
