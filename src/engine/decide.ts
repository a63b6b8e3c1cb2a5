/**
 * The platform-free engine: a resolved context and the hook's checks in, a
 * Decision out. It knows nothing of where the event came from or how the
 * decision leaves (a CodeDeploy report, an ECS hookStatus, a durable step).
 */
import { describeError } from '../errors.js';
import { runChecks } from './run-checks.js';
import { validateCheckSpecs } from './validate.js';
import { externalResult, verdictOf } from './verdict.js';
import type { Decision, ExternalOutcome } from './verdict.js';
import { untilAborted } from '../util/abort.js';
import type { Settings } from '../settings.js';
import type { CheckLogger, CheckResult, CheckSpec, ClientRegistry, HookContext } from '../types.js';

/**
 * What a platform's resolution gave: a context to run the checks on, a
 * decision it took without checks (a duplicate invocation), or an error.
 */
export type EngineInput<C extends HookContext = HookContext> =
  | { kind: 'running'; context: C }
  | { kind: 'decided'; decision: Decision }
  | { kind: 'unresolved'; error: unknown };

export type ChecksOption<C extends HookContext = HookContext> = CheckSpec[] | ((ctx: C) => CheckSpec[] | Promise<CheckSpec[]>);

export interface DecideEnvironment<C extends HookContext = HookContext> {
  checks: ChecksOption<C>;
  settings: Settings;
  /** When checks must have settled (epoch ms), and the signal aborted then. */
  deadline: number;
  signal: AbortSignal;
  clients: ClientRegistry;
  /** When the invocation started: the start of a check's "hook window". */
  startedAt: number;
  log: CheckLogger;
  /** An outcome decided outside the engine (the middy handler), enforced like a check. */
  external?: ExternalOutcome;
}

/** Decides: a platform decision stands, then a bypass, then an unresolved context fails, else the checks decide. */
export async function decide<C extends HookContext>(input: EngineInput<C>, env: DecideEnvironment<C>): Promise<Decision> {
  if (input.kind === 'decided') return input.decision;
  const { settings, external } = env;
  if (settings.bypass) {
    return { status: 'Succeeded', reason: `bypassed: ${settings.bypass.reason}`, checks: [], bypass: settings.bypass };
  }
  if (input.kind === 'unresolved') {
    const { message } = describeError(input.error);
    return { status: 'Failed', reason: `could not resolve the deployment: ${message}`, checks: [] };
  }
  const ctx = input.context;
  let specs: CheckSpec[];
  try {
    const build = env.checks;
    specs =
      typeof build === 'function'
        ? await untilAborted(Promise.resolve().then(() => build(ctx)), env.signal, () => new Error('the checks function did not return before the hook deadline'))
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
      { hook: ctx, clients: env.clients, hookStartedAt: env.startedAt, log: env.log },
      { deadline: env.deadline, signal: env.signal, concurrency: settings.concurrency, inconclusive: settings.inconclusive },
    )),
  );
  return { ...verdictOf(results, settings.inconclusive), checks: results };
}
