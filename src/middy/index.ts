import { createHookRunner } from '../hook-runner.js';
import type { ExternalOutcome, HookInvocation } from '../hook-runner.js';
import { validOutcome } from '../engine/outcome.js';
import { describeError } from '../errors.js';
import type { CheckOutcome, HookOptions, HookVerdict, LambdaContextLike } from '../types.js';

/**
 * The middy request as far as this middleware reads it. Declared here, not
 * imported from @middy/core, so users compiling with tsc do not need middy's
 * types to use the rest of the package.
 */
interface MiddyRequestLike {
  event: unknown;
  context: LambdaContextLike;
  response: unknown;
  error: unknown;
}

export interface MiddlewareLike {
  before: (request: MiddyRequestLike) => Promise<void>;
  after: (request: MiddyRequestLike) => Promise<void>;
  onError: (request: MiddyRequestLike) => Promise<void>;
}

interface MiddyInvocation {
  hook: HookInvocation;
  handlerStartedAt: number;
  deadlineTimer?: NodeJS.Timeout;
}

/**
 * The same hook engine as defineHook, as a middy middleware. The wrapped
 * handler counts as one more enforced check named "handler": a throw fails
 * it; returning nothing (`undefined`) passes; anything else it returns must
 * be a CheckOutcome and is validated as a check's would be (so `{ state:
 * 'failed' }` fails and `{ ok: true }` is an error, never a pass).
 *
 * Once this middleware's `before` has run, every path reports exactly once:
 * `after`; `onError` (the handler or any middleware threw); the hook deadline
 * (a handler still running); and an early return by a middleware registered
 * after this one, from `before` or from `after`, which would otherwise skip
 * this middleware's `after`. The early return fails the hook (the handler
 * was skipped or its outcome never reached us) and the response becomes the
 * HookVerdict instead of the early value. Middy gives a middleware no hook
 * before its own `before`: a middleware registered before this one that
 * returns early means the hook never saw the event (right for warm-up
 * pings, wrong for a CodeDeploy event, which then gets no report). A
 * middleware registered before this one that throws from `before` still
 * gets the event reported Failed (from `onError`).
 *
 * Not covered (middy gives a middleware no way to wait): a middleware
 * registered after this one that throws from its own `onError` (middy then
 * rejects at once; only the deadline timer would report, in a frozen
 * sandbox), a `timeoutEarlyResponse` that returns instead of throwing
 * (middy's default throws), and `streamifyResponse`.
 *
 * @example
 * export const handler = middy().use(codeDeployHook({ checks: [alarms({ fromDeploymentGroup: true })] })).handler(async () => {});
 */
/** Requests a codeDeployHook has claimed: one per chain (a second one would shadow the first). */
const claimed = new WeakSet<object>();

export function codeDeployHook(options: HookOptions): MiddlewareLike {
  const runner = createHookRunner(options);
  // Per request, not request.internal: middy's `internal` plugin option shares that object across invocations.
  const state = new WeakMap<object, MiddyInvocation>();

  function finish(inv: MiddyInvocation, outcome: CheckOutcome): Promise<HookVerdict> {
    clearTimeout(inv.deadlineTimer);
    // complete() is memoized: the first caller's handler outcome decides, later ones get the same verdict.
    return runner.complete(inv.hook, { name: 'handler', outcome, durationMs: Date.now() - inv.handlerStartedAt } satisfies ExternalOutcome);
  }

  return {
    async before(request) {
      if (claimed.has(request)) throw new Error('codeDeployHook is registered twice in one middy chain: give one codeDeployHook all the checks');
      claimed.add(request);
      // A malformed event throws here: middy rethrows it, nothing is reported.
      const hook = runner.begin(request.event, request.context);
      // A handler still running at the hook deadline would leave no time to report: decide then.
      const deadlineTimer = setTimeout(
        () => void finish(inv, { state: 'failed', reason: "deadline: the handler did not finish before the hook's time budget ran out" }),
        Math.max(0, runner.deadlineOf(hook) - Date.now()),
      );
      // Stryker disable next-line OptionalChaining: Node timers always have unref; `?.` is for other runtimes
      deadlineTimer.unref?.();
      const inv: MiddyInvocation = { hook, handlerStartedAt: Date.now(), deadlineTimer };
      state.set(request, inv);
      reportOnEarlyReturn(request, inv, finish);
    },
    async after(request) {
      const inv = state.get(request);
      // Stryker disable next-line ConditionalExpression: middy runs `after` only when every `before`, ours included, returned normally
      if (!inv) return;
      request.response = await finish(inv, handlerOutcome(request.response));
    },
    async onError(request) {
      let inv = state.get(request);
      const { name, message } = describeError(request.error);
      if (!inv) {
        // Our before never ran: a middleware registered before this one threw. A CodeDeploy event still gets its Failed.
        if (claimed.has(request)) return;
        let hook: HookInvocation;
        try {
          hook = runner.begin(request.event, request.context);
        } catch {
          return; // not a CodeDeploy event (or malformed): let middy rethrow
        }
        claimed.add(request);
        inv = { hook, handlerStartedAt: Date.now() };
        state.set(request, inv);
        request.response = await finish(inv, { state: 'error', reason: `a middleware before codeDeployHook threw ${name}: ${message}` });
        return;
      }
      // If `after` already reported (a later middleware threw), this is the same verdict.
      request.response = await finish(inv, { state: 'error', reason: `the handler or a middleware threw ${name}: ${message}` });
    },
  };
}

/**
 * Middy marks an early return by setting `request.earlyResponse` and then
 * assigning it to `request.response`, and skips every middleware still to
 * come, this one's `after` included. An accessor on `response` sees that
 * assignment: if the hook has not been asked for its verdict yet, it starts
 * it (Failed: the handler's outcome is unknown), and `response` reads as the
 * verdict's promise, which the async middy handler returns, so Lambda waits
 * for the report.
 */
function reportOnEarlyReturn(
  request: MiddyRequestLike,
  inv: MiddyInvocation,
  finish: (inv: MiddyInvocation, outcome: CheckOutcome) => Promise<HookVerdict>,
): void {
  let value: unknown = request.response;
  let early: Promise<unknown> | undefined;
  // Once settled, `response` reads as a plain value again (for middy's requestEnd and others).
  const settleTo = (p: Promise<unknown>) => p.then((v) => ((value = v), (early = undefined), v));
  Object.defineProperty(request, 'response', {
    // Stryker disable next-line BooleanLiteral: middy never redefines request.response
    configurable: true,
    // Stryker disable next-line BooleanLiteral: middy never enumerates the request's keys
    enumerable: true,
    get: () => early ?? value,
    set(next: unknown) {
      value = next;
      if (early || !Object.hasOwn(request, 'earlyResponse')) return;
      // Already deciding (deadline timer, or after/onError ran): keep the early value, but only once the report is done.
      if (inv.hook.verdict) {
        // Stryker disable next-line ArrowFunction: complete() never rejects; the second handler is a guard
        early = settleTo(inv.hook.verdict.then(() => next, () => next));
        return;
      }
      early = settleTo(
        finish(inv, {
          state: 'failed',
          reason: 'a middleware registered after codeDeployHook returned early, so the handler was skipped or its outcome never reached the hook',
        }),
      );
    },
  });
}

function handlerOutcome(response: unknown): CheckOutcome {
  if (response === undefined) return { state: 'passed', reason: 'handler returned' };
  return validOutcome(response, 'handler');
}
