/**
 * The single-invocation adapter core, shared by defineHook and the middy
 * middleware: parse -> resolve -> decide (engine) -> deliver, all within
 * one Lambda invocation. The platform (platforms/*) owns the event, the
 * context and the delivery; the engine (engine/decide.ts) owns the verdict;
 * this file owns the timing: the deadline, the reserve, the event-loop hold
 * and "deliver exactly once".
 */
import { createClientRegistry } from './clients.js';
import { decide } from './engine/decide.js';
import type { ChecksOption, EngineInput } from './engine/decide.js';
import { checksDeadlineOf, FINAL_MARGIN_MS, remainingTime } from './engine/budget.js';
import type { Decision, ExternalOutcome } from './engine/verdict.js';
import { describeError } from './errors.js';
import { codeDeployPlatform } from './platforms/codedeploy.js';
import type { PlatformFactory } from './platforms/platform.js';
import { DEFAULTS, ownOptions, resolveSettings, validateHookOptions } from './settings.js';
import type { Settings } from './settings.js';
import { timeoutSignal } from './util/abort.js';
import { holdEventLoopUntil } from './util/keep-alive.js';
import { stdoutSink, writeLine } from './verdict-log.js';
import type { LogSink } from './verdict-log.js';
import type { CodeDeployHookEvent, HookContext, HookOptions, HookVerdict, LambdaContextLike } from './types.js';

export { verdictOf } from './engine/verdict.js';
export type { ExternalOutcome } from './engine/verdict.js';

/** One invocation between parsing its event and delivering its verdict. */
export interface Invocation<E, V> {
  event: E;
  startedAt: number;
  /** When Lambda will stop this invocation (epoch ms). */
  lambdaEnd: number;
  /** Set once complete() has run: a second call returns it instead of delivering again. */
  verdict?: Promise<V>;
  /** Releases the event-loop hold taken in begin() (see util/keep-alive). */
  release: () => void;
}

/** A CodeDeploy invocation (the middy middleware keeps one per request). */
export type HookInvocation = Invocation<CodeDeployHookEvent, HookVerdict>;

/** Hook options with the checks typed for the platform's context. */
export type PlatformHookOptions<C extends HookContext> = Omit<HookOptions, 'checks'> & { checks: ChecksOption<C> };

/**
 * The hook flow on one platform. Adapters only decide when begin() and
 * complete() are called. `options` are validated here, once.
 */
export function createRunner<E, C extends HookContext, V>(platformOf: PlatformFactory<E, C, V>, given: PlatformHookOptions<C>) {
  // Validate the snapshot that is used: a getter must not pass validation with one value and run with another.
  const options = ownOptions(given as HookOptions) as unknown as PlatformHookOptions<C>;
  validateHookOptions(options);
  const sink: LogSink = options.log ?? stdoutSink;
  // One registry per hook definition: a warm Lambda reuses its clients.
  const clients = createClientRegistry(options.clients);
  const platform = platformOf(clients);

  function begin(rawEvent: unknown, lambdaContext?: LambdaContextLike): Invocation<E, V> {
    const startedAt = Date.now();
    let event: E;
    try {
      event = platform.parse(rawEvent);
    } catch (error) {
      const { name, message } = describeError(error);
      writeLine(sink, { level: 'ERROR', message, error: name, timestamp: new Date(startedAt).toISOString(), reported: false });
      throw error;
    }
    const lambdaEnd = startedAt + remainingTime(lambdaContext, options.maxDurationMs ?? DEFAULTS.maxDurationMs);
    return { event, startedAt, lambdaEnd, release: holdEventLoopUntil(lambdaEnd) };
  }

  function complete(invocation: Invocation<E, V>, external?: ExternalOutcome): Promise<V> {
    invocation.verdict ??= decideAndDeliver(invocation, external).finally(invocation.release);
    return invocation.verdict;
  }

  async function decideAndDeliver(inv: Invocation<E, V>, external?: ExternalOutcome): Promise<V> {
    const { event } = inv;
    let settings: Settings | undefined;
    let decision: Decision;
    let ctx: C | undefined;
    try {
      settings = resolveSettings(options as HookOptions);
      const checksDeadline = checksDeadlineOf(inv.lambdaEnd, settings.reserveMs);
      // Stryker disable next-line StringLiteral: the reason of this signal never reaches a verdict (checks report "deadline" themselves)
      const timer = timeoutSignal(checksDeadline - Date.now(), 'deadline');
      try {
        const input = await resolve(event, settings, checksDeadline, timer.signal);
        // Stryker disable next-line ConditionalExpression: only a running resolution has a context
        ctx = input.kind === 'running' ? input.context : undefined;
        decision = await decide(input, {
          checks: options.checks,
          settings,
          deadline: checksDeadline,
          signal: timer.signal,
          clients,
          startedAt: inv.startedAt,
          log: debugLogger(settings.debug),
          ...(external ? { external } : {}),
        });
      } finally {
        timer.clear();
      }
    } catch (error) {
      // Anything unexpected (a bug here, bad env settings) fails closed.
      const { name, message } = describeError(error);
      decision = { status: 'Failed', reason: `hook error: ${name}: ${message}`, checks: [] };
    }
    return platform.deliver({
      event,
      decision,
      ...(ctx ? { context: ctx } : {}),
      ...(settings ? { settings } : {}),
      startedAt: inv.startedAt,
      deliverBy: inv.lambdaEnd - FINAL_MARGIN_MS,
      sink,
    });
  }

  async function resolve(event: E, settings: Settings, deadline: number, signal: AbortSignal): Promise<EngineInput<C>> {
    try {
      return await platform.resolve(event, { settings, deadline, signal });
    } catch (error) {
      return { kind: 'unresolved', error };
    }
  }

  function debugLogger(enabled: boolean) {
    return {
      debug(message: string, fields?: Record<string, unknown>) {
        if (enabled) writeLine(sink, { level: 'DEBUG', message, ...fields, timestamp: new Date().toISOString() });
      },
    };
  }

  /** The checks deadline of an invocation, for adapters that must act on it (middy). */
  function deadlineOf(inv: Invocation<E, V>): number {
    let reserveMs: number = DEFAULTS.reserveMs;
    try {
      reserveMs = resolveSettings(options as HookOptions).reserveMs;
    } catch {
      // Invalid settings fail the hook in complete(); the default reserve is fine for timing.
    }
    return checksDeadlineOf(inv.lambdaEnd, reserveMs);
  }

  return { begin, complete, deadlineOf, clients, sink };
}

/** The CodeDeploy hook flow (defineHook, codeDeployHook). */
export function createHookRunner(options: HookOptions) {
  return createRunner(codeDeployPlatform, options);
}
