/**
 * The check engine's edges, on a fake clock: retry timing and policy, own
 * timeouts against the hook deadline, outcome validation case by case, and
 * the second wall (runCheckSafely) for check objects that throw when read.
 * The end-to-end side is in adapters.test.ts and the verdict fuzzer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClientRegistry } from '../../../src/clients.js';
import { validOutcome } from '../../../src/engine/outcome.js';
import { runCheck } from '../../../src/engine/run-check.js';
import type { CheckEnvironment } from '../../../src/engine/run-check.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { inSequence } from '../../../src/engine/validate.js';
import type { Check, CheckContext, CheckOutcome, CheckResult } from '../../../src/types.js';

const T0 = 1_800_000_000_000;
const env = { hook: {} as CheckContext['hook'], clients: createClientRegistry(), hookStartedAt: T0, log: { debug: () => {} } } satisfies CheckEnvironment;

/** A hook deadline `ms` from now whose signal aborts then, as the hook runner's does. */
function hookDeadline(ms: number) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('deadline')), ms);
  return { deadline: Date.now() + ms, signal: controller.signal };
}

async function settle<T>(pending: Promise<T>): Promise<T> {
  let done = false;
  void pending.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(10);
  return pending;
}

async function runOne(check: Check, budgetMs = 60_000): Promise<CheckResult> {
  const { deadline, signal } = hookDeadline(budgetMs);
  return settle(runCheck(check, env, deadline, signal));
}

/** A check answering `outcomes` in turn, recording when each attempt started. */
function scripted(outcomes: CheckOutcome[], extra: Partial<Check> = {}) {
  const starts: number[] = [];
  const check: Check = { name: 'c', ...extra, run: async () => (starts.push(Date.now() - T0), outcomes[Math.min(starts.length - 1, outcomes.length - 1)]!) };
  return { check, starts };
}

const failed: CheckOutcome = { state: 'failed', reason: 'no' };
const passed: CheckOutcome = { state: 'passed', reason: 'yes' };

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => vi.useRealTimers());

describe('Function: runCheck retries (fake clock)', () => {
  it('waits 1 s by default, doubling, and says how many attempts it took', async () => {
    const { check, starts } = scripted([failed, failed, passed], { retry: { attempts: 5 } });
    const r = await runOne(check);
    expect(starts).toEqual([0, 1000, 3000]);
    expect(r).toEqual({ name: 'c', state: 'passed', reason: 'yes (after 3 attempts)', enforced: true, durationMs: 3000, attempts: 3 });
    expect('details' in r).toBe(false);
  });

  it('uses the given delay and backoff', async () => {
    const { check, starts } = scripted([failed], { retry: { attempts: 4, delayMs: 100, backoff: 3 } });
    const r = await runOne(check);
    expect(starts).toEqual([0, 100, 400, 1300]);
    expect(r).toMatchObject({ state: 'failed', reason: 'no (after 4 attempts)', attempts: 4, durationMs: 1300 });
  });

  it('retries failed and error by default, never passed or inconclusive', async () => {
    const error = scripted([{ state: 'error', reason: 'boom' }, passed], { retry: { attempts: 3, delayMs: 10 } });
    expect(await runOne(error.check)).toMatchObject({ state: 'passed', attempts: 2 });
    const inconclusive = scripted([{ state: 'inconclusive', reason: 'few samples' }, passed], { retry: { attempts: 3, delayMs: 10 } });
    expect(await runOne(inconclusive.check)).toMatchObject({ state: 'inconclusive', attempts: 1 });
    const pass = scripted([passed, failed], { retry: { attempts: 3, delayMs: 10, retryIf: () => true } });
    expect(await runOne(pass.check)).toMatchObject({ state: 'passed', attempts: 1 });
  });

  it('stops retrying when retryIf throws', async () => {
    const { check, starts } = scripted([failed], { retry: { attempts: 3, delayMs: 10, retryIf: () => { throw new Error('bad predicate'); } } });
    expect(await runOne(check)).toMatchObject({ state: 'failed', attempts: 1 });
    expect(starts).toEqual([0]);
  });

  it('does not start a wait that would end at or past the hook deadline, and returns at once', async () => {
    const { check, starts } = scripted([failed], { retry: { attempts: 10, delayMs: 1000, backoff: 1 } });
    const r = await runOne(check, 3000);
    expect(starts).toEqual([0, 1000, 2000]);
    expect(r).toMatchObject({ state: 'failed', attempts: 3, durationMs: 2000 });
  });

  it('ends a wait when the hook deadline comes first', async () => {
    const controller = new AbortController();
    const { check, starts } = scripted([failed], { retry: { attempts: 3, delayMs: 1000 } });
    const pending = runCheck(check, env, T0 + 60_000, controller.signal);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(new Error('deadline'));
    const r = await settle(pending);
    expect(starts).toEqual([0]);
    expect(r).toMatchObject({ state: 'failed', attempts: 1, durationMs: 500 });
  });

  it('keeps the details of the last outcome, and adds none when it had none', async () => {
    const { check } = scripted([{ state: 'failed', reason: 'no', details: { p99: 2.1 } }]);
    expect((await runOne(check)).details).toEqual({ p99: 2.1 });
  });
});

describe('Function: runCheck timeouts (fake clock)', () => {
  it('gives a check its own deadline and passes it when it answers in time, leaving no timer', async () => {
    let seen = 0;
    const check: Check = { name: 't', timeoutMs: 1000, run: async (ctx) => ((seen = ctx.deadline), await new Promise((r) => setTimeout(r, 900)), passed) };
    const r = await runOne(check);
    expect(seen).toBe(T0 + 1000);
    expect(r).toMatchObject({ state: 'passed', durationMs: 900 });
    expect(vi.getTimerCount()).toBe(1); // only the hook deadline's own timer
  });

  it('a check that rejects because its own timeout fired has timed out, it did not throw', async () => {
    const check: Check = { name: 't', timeoutMs: 50, run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('AbortError')))) };
    expect(await runOne(check)).toMatchObject({ state: 'failed', reason: 'timeout: check timed out after 50 ms', durationMs: 50 });
  });

  it('a check that rejects because the hook deadline fired failed on the deadline', async () => {
    const check: Check = { name: 't', timeoutMs: 5000, run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('AbortError')))) };
    expect(await runOne(check, 100)).toMatchObject({ state: 'failed', reason: "deadline: the hook's time budget ran out before the check finished" });
  });

  it('a check with no time left is not run at all', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    const run = vi.fn(async () => passed);
    const [r] = await settle(runChecks([{ name: 'late', run }], env, { deadline: T0, signal: controller.signal, concurrency: 1 }));
    expect(run).not.toHaveBeenCalled();
    expect(r).toMatchObject({ state: 'failed', reason: "deadline: the hook's time budget ran out before the check finished" });
  });
});

describe('Function: runCheck own timeout (real clock, wide budget)', () => {
  it('a check answering well within its timeout passes', async () => {
    vi.useRealTimers();
    const { deadline, signal } = hookDeadline(30_000);
    const r = await runCheck({ name: 'quick', timeoutMs: 10_000, run: async () => (await new Promise((res) => setTimeout(res, 20)), passed) }, env, deadline, signal);
    expect(r.state).toBe('passed');
  });
});

describe('Function: runChecks sequences', () => {
  const step = (name: string, state: CheckOutcome['state'], enforce?: boolean): Check => ({ name, ...(enforce === undefined ? {} : { enforce }), run: async () => ({ state, reason: name }) });

  it('a skipped check keeps its enforce flag', async () => {
    const results = await settle(runChecks([inSequence([step('a', 'failed'), step('b', 'passed'), step('dry', 'passed', false)])], env, { ...hookDeadline(10_000), concurrency: 1 }));
    expect(results.map((r) => [r.name, r.state, r.enforced, r.attempts])).toEqual([['a', 'failed', true, 1], ['b', 'inconclusive', true, 0], ['dry', 'inconclusive', false, 0]]);
  });

  it("a failed check stops a sequence even when inconclusive counts as 'pass'", async () => {
    const results = await settle(runChecks([inSequence([step('a', 'failed'), step('b', 'passed')])], env, { ...hookDeadline(10_000), concurrency: 1, inconclusive: 'pass' }));
    expect(results.map((r) => r.state)).toEqual(['failed', 'inconclusive']);
  });

  it('a check whose fields throw when read costs only its own result', async () => {
    const badRetry = { name: 'bad-retry', run: async () => passed, get retry(): never { throw new Error('retry getter exploded'); } } as Check;
    const badName = { get name(): string { throw new Error('name getter exploded'); }, run: async () => passed } as Check;
    const numbered = { name: 42, run: async () => passed, get retry(): never { throw new Error('retry getter exploded'); } } as unknown as Check;
    const results = await settle(runChecks([step('a', 'passed'), badRetry, badName, numbered], env, { ...hookDeadline(10_000), concurrency: 1 }));
    expect(results).toEqual([
      expect.objectContaining({ name: 'a', state: 'passed' }),
      { name: 'bad-retry', state: 'error', reason: 'the engine could not run this check: Error: retry getter exploded', enforced: true, durationMs: 0, attempts: 0 },
      { name: 'unnamed check', state: 'error', reason: 'the engine could not run this check: Error: name getter exploded', enforced: true, durationMs: 0, attempts: 0 },
      { name: 'unnamed check', state: 'error', reason: 'the engine could not run this check: Error: retry getter exploded', enforced: true, durationMs: 0, attempts: 0 },
    ]);
  });
});

describe('Function: validOutcome', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'passed'],
    ['a number', 1],
  ])('turns %s into an error naming the subject', (_label, value) => {
    const o = validOutcome(value);
    expect(o.state).toBe('error');
    expect(o.reason.startsWith('check returned an invalid outcome (expected {state: passed|failed|inconclusive|error, reason}): ')).toBe(true);
    expect(validOutcome(value, 'handler').reason.startsWith('handler returned an invalid outcome')).toBe(true);
  });

  it('gives a missing or empty reason a default that names the state', () => {
    expect(validOutcome({ state: 'failed' })).toEqual({ state: 'failed', reason: 'check failed' });
    expect(validOutcome({ state: 'passed', reason: '' })).toEqual({ state: 'passed', reason: 'check passed' });
    expect(validOutcome({ state: 'error', reason: 7 }, 'handler')).toEqual({ state: 'error', reason: 'handler error' });
    expect(validOutcome({ state: 'passed', reason: 'fine' })).toEqual({ state: 'passed', reason: 'fine' });
  });

  it('keeps details only when they are an object', () => {
    expect(validOutcome({ state: 'passed', reason: 'r', details: { n: 1 } })).toEqual({ state: 'passed', reason: 'r', details: { n: 1 } });
    for (const details of [null, 'text', 3, undefined]) {
      expect('details' in validOutcome({ state: 'passed', reason: 'r', details })).toBe(false);
    }
  });

  it('reports a getter that throws something other than an Error generically', () => {
    const o = {} as Record<string, unknown>;
    Object.defineProperty(o, 'state', { get: () => { throw 'plain string'; } }); // eslint-disable-line no-throw-literal
    expect(validOutcome(o)).toEqual({ state: 'error', reason: 'check returned an outcome whose state cannot be read: a getter threw' });
  });
});
