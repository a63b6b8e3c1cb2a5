/**
 * Fuzzing that reaches the verdict, not only the parser: random checks
 * (outcomes valid and not, hostile objects, thrown values, checks that never
 * settle or settle late), random CodeDeploy faults (throttling, 5xx, answers
 * that never come, a status already recorded), random budgets, both adapters.
 * On a fake clock, so a case's verdict does not depend on the host's speed.
 *
 * The properties, for every case:
 *  - the handler settles, before the Lambda deadline;
 *  - at most one report is accepted, and every report call says the same status;
 *  - Succeeded (returned or accepted) only when every enforced check was one
 *    that truly passes, and every enforced result in the verdict is `passed`;
 *  - a report that was accepted says what the verdict says.
 */
import middy from '@middy/core';
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHook } from '../../src/index.js';
import { codeDeployHook } from '../../src/middy/index.js';
import type { Check, CheckOutcome, HookVerdict } from '../../src/types.js';
import { EVENT, lambdaTarget } from '../helpers/codedeploy-mock.js';
import { FUZZ_RUNS } from './runs.js';

afterEach(() => vi.useRealTimers());

/** What a generated check does. `passes` is the ground truth: only these may let a hook succeed. */
type Behaviour =
  | { kind: 'outcome'; state: CheckOutcome['state']; reason: unknown; delayMs: number }
  | { kind: 'garbage'; value: unknown }
  | { kind: 'hostile'; key: 'state' | 'reason' | 'details' }
  | { kind: 'throws'; value: unknown }
  | { kind: 'never' }
  | { kind: 'late-pass'; afterMs: number };

interface CheckCase {
  behaviour: Behaviour;
  enforce: boolean | undefined;
  timeoutMs: number | undefined;
}

/** Only a passed outcome within the check's own timeout can pass; whether it also beat the hook deadline is checked from `Timing`. */
function canPass(c: CheckCase): boolean {
  const b = c.behaviour;
  if (b.kind === 'outcome') return b.state === 'passed' && (c.timeoutMs === undefined || b.delayMs < c.timeoutMs);
  return b.kind === 'late-pass' && (c.timeoutMs === undefined || b.afterMs < c.timeoutMs);
}

/** When each check's passing answer came, against the deadline its context gave it. */
type Timing = Map<string, { deadline: number; answeredAt?: number }>;

const anyValue = fc.oneof(fc.anything(), fc.constant(null), fc.constant(undefined), fc.constant(Object.create(null)), fc.string());
const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.record({
    kind: fc.constant('outcome' as const),
    state: fc.constantFrom('passed', 'failed', 'inconclusive', 'error'),
    reason: fc.oneof(fc.string(), anyValue),
    delayMs: fc.integer({ min: 0, max: 3000 }),
  }),
  fc.record({ kind: fc.constant('garbage' as const), value: anyValue }),
  fc.record({ kind: fc.constant('hostile' as const), key: fc.constantFrom('state', 'reason', 'details') }),
  fc.record({ kind: fc.constant('throws' as const), value: anyValue }),
  fc.constant({ kind: 'never' as const }),
  fc.record({ kind: fc.constant('late-pass' as const), afterMs: fc.integer({ min: 1000, max: 30_000 }) }),
);
const checkCase: fc.Arbitrary<CheckCase> = fc.record({
  behaviour,
  enforce: fc.option(fc.boolean(), { nil: undefined }),
  timeoutMs: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
});

function makeCheck(c: CheckCase, i: number, timing: Timing): Check {
  const b = c.behaviour;
  const name = `c${i}`;
  const answer = (resolve: (o: CheckOutcome) => void, o: CheckOutcome) => {
    timing.get(name)!.answeredAt = Date.now();
    resolve(o);
  };
  const run = (ctx: { deadline: number }): Promise<CheckOutcome> => {
    timing.set(name, { deadline: ctx.deadline });
    switch (b.kind) {
      case 'outcome':
        return new Promise((resolve) => setTimeout(() => answer(resolve, { state: b.state, reason: b.reason } as CheckOutcome), b.delayMs));
      case 'garbage':
        return Promise.resolve(b.value as CheckOutcome);
      case 'hostile': {
        const o: Record<string, unknown> = { state: 'passed', reason: 'looks fine' };
        Object.defineProperty(o, b.key, { enumerable: true, get: () => { throw new Error('getter'); } });
        return Promise.resolve(o as unknown as CheckOutcome);
      }
      case 'throws':
        return Promise.reject(b.value);
      case 'never':
        return new Promise(() => {});
      case 'late-pass':
        // Ignores its signal and claims a pass, possibly after its deadline: then it must not count.
        return new Promise((resolve) => setTimeout(() => answer(resolve, { state: 'passed', reason: 'late' }), b.afterMs));
    }
  };
  return { name, run, ...(c.enforce !== undefined ? { enforce: c.enforce } : {}), ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}) };
}

/** How one CodeDeploy call goes. */
type Fault = 'ok' | 'throttle' | '500' | 'hang' | 'slow' | 'already-completed';
const fault = fc.constantFrom<Fault>('ok', 'ok', 'ok', 'throttle', '500', 'hang', 'slow', 'already-completed');

/** An in-process CodeDeploy: answers resolve calls, records every report call and accepts at most one. */
function fakeCodeDeploy(faults: Fault[]) {
  let n = 0;
  const calls: { status?: string; at: number; accepted: boolean }[] = [];
  let recorded: string | undefined;
  const error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  const send = (command: unknown): Promise<unknown> => {
    const f = faults[n++ % faults.length] ?? 'ok';
    // A report call counts when it is sent (its answer may come after the hook gave up on it).
    const call = command instanceof PutLifecycleEventHookExecutionStatusCommand ? { status: command.input.status, at: Date.now(), accepted: false } : undefined;
    if (call) calls.push(call);
    const answer = (): unknown => {
      if (call) {
        if (f === 'throttle') throw error('ThrottlingException', 400);
        if (f === '500') throw error('InternalFailure', 500);
        if (f === 'already-completed' || recorded !== undefined) throw error('LifecycleEventAlreadyCompletedException', 400);
        recorded = call.status;
        call.accepted = true;
        return {};
      }
      if (f === 'throttle') throw error('ThrottlingException', 400);
      if (f === '500') throw error('InternalFailure', 500);
      if (command instanceof GetDeploymentCommand) {
        return { deploymentInfo: { deploymentId: EVENT.DeploymentId, applicationName: 'app', deploymentGroupName: 'group', deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes', computePlatform: 'Lambda', status: 'InProgress', creator: 'user' } };
      }
      if (command instanceof ListDeploymentTargetsCommand) return { targetIds: ['my-fn:live'] };
      if (command instanceof GetDeploymentTargetCommand) return { deploymentTarget: lambdaTarget({ BeforeAllowTraffic: 'InProgress', AllowTraffic: 'Pending' }) };
      if (command instanceof GetDeploymentGroupCommand) return { deploymentGroupInfo: { deploymentGroupName: 'group', alarmConfiguration: { enabled: false } } };
      throw new Error(`unexpected command ${(command as object).constructor.name}`);
    };
    // 'hang' ignores the abort signal on purpose: the runtime must not depend on it.
    if (f === 'hang') return new Promise(() => {});
    return new Promise((resolve, reject) => setTimeout(() => { try { resolve(answer()); } catch (e) { reject(e); } }, f === 'slow' ? 700 : 5));
  };
  return { client: { send, destroy() {} } as unknown as CodeDeployClient, calls };
}

const caseArb = fc.record({
  checks: fc.array(checkCase, { minLength: 0, maxLength: 6 }),
  faults: fc.array(fault, { minLength: 1, maxLength: 12 }),
  budgetMs: fc.integer({ min: 1000, max: 20_000 }),
  adapter: fc.constantFrom('defineHook', 'middy'),
  handlerReturns: fc.oneof(fc.constant(undefined), anyValue, fc.record({ state: fc.constantFrom('passed', 'failed', 'error'), reason: fc.option(fc.string()) })),
  handlerThrows: fc.boolean(),
  handlerDelayMs: fc.integer({ min: 0, max: 20_000 }),
  /** Another middleware in the chain (middy only), and where. */
  extra: fc.constantFrom('none', 'after:before-returns', 'after:after-returns', 'after:before-throws', 'before:before-throws', 'after:after-throws'),
});

type Extra = 'none' | 'after:before-returns' | 'after:after-returns' | 'after:before-throws' | 'before:before-throws' | 'after:after-throws';

function middleware(extra: Extra): object | undefined {
  if (extra === 'none') return undefined;
  const phase = extra.split(':')[1]!;
  const act = phase.endsWith('returns') ? async () => ({ statusCode: 204 }) : async () => { throw new Error('middleware exploded'); };
  return phase.startsWith('before') ? { before: act } : { after: act };
}

describe('Fuzz: verdicts under random checks, faults and budgets (fake clock)', () => {
  it('never a wrong Succeeded, at most one accepted report, a verdict before the deadline', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ checks, faults, budgetMs, adapter, handlerReturns, handlerThrows, handlerDelayMs, extra }) => {
        vi.useFakeTimers({ now: 1_800_000_000_000 });
        try {
          const { client, calls } = fakeCodeDeploy(faults);
          // An empty static list is refused when the hook is defined; a builder returning none must fail the run.
          const timing: Timing = new Map();
          const options = { checks: checks.length > 0 ? checks.map((c, i) => makeCheck(c, i, timing)) : () => [], clients: { codeDeploy: client }, log: () => {}, resolveRetry: { attempts: 3, delayMs: 200 } };
          const userHandler = async () => {
            await new Promise((r) => setTimeout(r, handlerDelayMs));
            if (handlerThrows) throw new Error('handler exploded');
            return handlerReturns;
          };
          const other = middleware(extra);
          let chain = middy({ timeoutEarlyInMillis: 0 });
          if (other && extra.startsWith('before:')) chain = chain.use(other as never);
          chain = chain.use(codeDeployHook(options));
          if (other && extra.startsWith('after:')) chain = chain.use(other as never);
          const handler = adapter === 'middy' ? (chain.handler(userHandler) as unknown as (e: unknown, c: unknown) => Promise<HookVerdict>) : defineHook(options);
          const end = Date.now() + budgetMs;
          let verdict: HookVerdict | undefined;
          let settledAt: number | undefined;
          const running = handler(EVENT, { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) }).then((v) => {
            verdict = v;
            settledAt = Date.now();
          });
          // A middy handler still running at the deadline keeps middy's promise open (the report went out at the
          // deadline; Lambda then ends the invocation): wait for it, and hold middy to "before the end" only when it finished early.
          const handlerEnd = Date.now() + (adapter === 'middy' ? handlerDelayMs : 0);
          while (settledAt === undefined && Date.now() < Math.max(end, handlerEnd) + 1000) await vi.advanceTimersByTimeAsync(50);
          expect(settledAt, 'the handler settled').toBeDefined();
          await running;
          const finishedEarly = adapter === 'defineHook' || handlerDelayMs < budgetMs / 4;
          for (const call of calls) expect(call.at, 'every report call before the end').toBeLessThan(end);
          // A middy chain may answer with another middleware's value; the verdict is then read from the report.
          verdict = typeof verdict === 'object' && verdict !== null && 'status' in verdict ? verdict : ({ status: calls[0]?.status ?? 'Failed', checks: [] } as unknown as HookVerdict);
          if (finishedEarly) expect(settledAt!).toBeLessThan(end);

          const accepted = calls.filter((c) => c.accepted);
          expect(accepted.length).toBeLessThanOrEqual(1);
          expect(new Set(calls.map((c) => c.status)).size).toBeLessThanOrEqual(1);
          if (accepted[0]) expect(accepted[0].status).toBe(verdict!.status);

          const enforced = checks.filter((c) => c.enforce !== false);
          const returnsPass = handlerReturns === undefined || (typeof handlerReturns === 'object' && handlerReturns !== null && (handlerReturns as { state?: unknown }).state === 'passed');
          const handlerPasses = adapter === 'defineHook' || (returnsPass && !handlerThrows && extra === 'none');
          if (verdict!.status === 'Succeeded' || accepted[0]?.status === 'Succeeded') {
            expect(enforced.every(canPass), 'every enforced check truly passes').toBe(true);
            expect(handlerPasses, 'the middy handler passed').toBe(true);
            expect(verdict!.checks.filter((c) => c.enforced).every((c) => c.state === 'passed')).toBe(true);
            expect(checks.length + (adapter === 'middy' ? 1 : 0)).toBeGreaterThan(0);
          }
          // A check the verdict counts as passed answered in time.
          for (const r of verdict!.checks.filter((c) => c.state === 'passed' && c.name !== 'handler')) {
            const t = timing.get(r.name);
            expect(t?.answeredAt, `${r.name} answered`).toBeDefined();
            expect(t!.answeredAt!, `${r.name} answered before its deadline`).toBeLessThanOrEqual(t!.deadline);
          }
        } finally {
          vi.useRealTimers();
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  }, 120_000);
});
