import { createHookRunner } from '../hook-runner.js';
import type { HookInvocation } from '../hook-runner.js';
import { CHECK_STATES } from '../types.js';
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
  internal: Record<string, unknown>;
}

export interface MiddlewareLike {
  before: (request: MiddyRequestLike) => Promise<void>;
  after: (request: MiddyRequestLike) => Promise<void>;
  onError: (request: MiddyRequestLike) => Promise<void>;
}

const KEY = 'codedeploy-hooks.invocation';
const STARTED = 'codedeploy-hooks.handlerStartedAt';
const TIMER = 'codedeploy-hooks.deadlineTimer';

/**
 * The same hook engine as defineHook, as a middy middleware. The wrapped
 * handler counts as one more enforced check named "handler": a throw fails
 * it, a returned CheckOutcome is used as is, any other return passes. The
 * status is reported in `after` (or in `onError` when the handler or a later
 * middleware threw), exactly once, and the response becomes the HookVerdict.
 *
 * Needs the `after` stack to run: a middleware that returns early from
 * `before` skips it, so register this one first.
 *
 * @example
 * export const handler = middy().use(codeDeployHook({ checks: [alarms({ fromDeploymentGroup: true })] })).handler(async () => {});
 */
export function codeDeployHook(options: HookOptions): MiddlewareLike {
  const runner = createHookRunner(options);
  return {
    async before(request) {
      // A malformed event throws here: middy rethrows it, nothing is reported.
      const invocation = runner.begin(request.event, request.context);
      const started = Date.now();
      request.internal[KEY] = invocation;
      request.internal[STARTED] = started;
      // A handler still running at the hook deadline would leave no time to report:
      // decide then (complete() is memoized, so after/onError later get the same verdict).
      const timer = setTimeout(() => {
        void runner.complete(invocation, {
          name: 'handler',
          outcome: { state: 'failed', reason: "deadline: the handler did not finish before the hook's time budget ran out" },
          durationMs: Date.now() - started,
        });
      }, Math.max(0, runner.deadlineOf(invocation) - Date.now()));
      timer.unref?.();
      request.internal[TIMER] = timer;
    },
    async after(request) {
      const invocation = request.internal[KEY] as HookInvocation | undefined;
      if (!invocation) return;
      clearTimeout(request.internal[TIMER] as NodeJS.Timeout);
      request.response = await runner.complete(invocation, {
        name: 'handler',
        outcome: handlerOutcome(request.response),
        durationMs: Date.now() - (request.internal[STARTED] as number),
      });
    },
    async onError(request) {
      const invocation = request.internal[KEY] as HookInvocation | undefined;
      if (!invocation) return; // the event never parsed: let middy rethrow
      clearTimeout(request.internal[TIMER] as NodeJS.Timeout);
      const message = request.error instanceof Error ? `${request.error.name}: ${request.error.message}` : String(request.error);
      // If `after` already reported (a later middleware threw), complete() returns that verdict.
      const verdict: HookVerdict = await runner.complete(invocation, {
        name: 'handler',
        outcome: { state: 'error', reason: `handler threw ${message}` },
        durationMs: Date.now() - (request.internal[STARTED] as number),
      });
      request.response = verdict;
    },
  };
}

function handlerOutcome(response: unknown): CheckOutcome {
  const r = response as Partial<CheckOutcome> | null | undefined;
  if (r && typeof r === 'object' && (CHECK_STATES as readonly string[]).includes(r.state as string) && typeof r.reason === 'string') {
    return { state: r.state!, reason: r.reason, ...(r.details ? { details: r.details } : {}) };
  }
  return { state: 'passed', reason: 'handler returned' };
}
