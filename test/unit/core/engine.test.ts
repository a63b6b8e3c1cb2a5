import { describe, expect, it, vi } from 'vitest';
import { createClientRegistry } from '../../../src/clients.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { inSequence } from '../../../src/engine/validate.js';
import { verdictOf } from '../../../src/hook-runner.js';
import type { Check, CheckContext, CheckResult } from '../../../src/types.js';
import type { CheckEnvironment } from '../../../src/engine/run-check.js';

const env = {
  hook: {} as CheckContext['hook'],
  clients: createClientRegistry(),
  hookStartedAt: Date.now(),
  log: { debug: () => {} },
} satisfies CheckEnvironment;

function run(checks: Parameters<typeof runChecks>[0], deadlineMs = 2000, concurrency = 8) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('deadline')), deadlineMs);
  return runChecks(checks, env, { deadline: Date.now() + deadlineMs, signal: controller.signal, concurrency }).finally(() => clearTimeout(timer));
}

const result = (state: CheckResult['state'], enforced = true): CheckResult => ({ name: state, state, reason: state, enforced, durationMs: 1, attempts: 1 });

describe('Function: runChecks', () => {
  it('retries per policy and reports the attempts', async () => {
    let calls = 0;
    const flaky: Check = {
      name: 'flaky',
      retry: { attempts: 3, delayMs: 5 },
      run: async (ctx) => (++calls < 2 ? { state: 'failed', reason: `attempt ${ctx.attempt} saw 503` } : { state: 'passed', reason: `attempt ${ctx.attempt} ok` }),
    };
    const [r] = await run([flaky]);
    expect(r).toMatchObject({ state: 'passed', attempts: 2, reason: 'attempt 2 ok (after 2 attempts)' });
  });

  it('does not retry outcomes excluded by retryIf', async () => {
    let calls = 0;
    const check: Check = { name: 'c', retry: { attempts: 5, delayMs: 1, retryIf: (o) => o.state === 'error' }, run: async () => (calls++, { state: 'failed', reason: 'real failure' }) };
    const [r] = await run([check]);
    expect(calls).toBe(1);
    expect(r).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('times a check out by its own timeout, even when it ignores the signal', async () => {
    const [r] = await run([{ name: 'slow', timeoutMs: 50, run: () => new Promise(() => {}) }]);
    expect(r?.state).toBe('failed');
    expect(r?.reason).toContain('timeout: check timed out after 50 ms');
  });

  it('passes an abort signal that fires at the check timeout', async () => {
    let aborted = false;
    await run([{ name: 's', timeoutMs: 30, run: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => ((aborted = true), resolve({ state: 'error', reason: 'x' })))) }]);
    expect(aborted).toBe(true);
  });

  it('turns malformed outcomes into errors', async () => {
    const results = await run([
      { name: 'undef', run: async () => undefined as never },
      { name: 'string', run: async () => 'passed' as never },
      { name: 'bad-state', run: async () => ({ state: 'ok', reason: 'x' }) as never },
      { name: 'sync-throw', run: () => { throw new Error('sync'); } },
    ]);
    expect(results.map((r) => r.state)).toEqual(['error', 'error', 'error', 'error']);
    expect(results[2]?.reason).toContain('invalid outcome');
    expect(results[3]?.reason).toBe('check threw Error: sync');
  });

  it('keeps the declared order and honours the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const slow = (name: string, ms: number): Check => ({
      name,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return { state: 'passed', reason: name };
      },
    });
    const results = await run([slow('a', 30), slow('b', 5), slow('c', 20), slow('d', 5)], 2000, 2);
    expect(results.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(peak).toBe(2);
  });

  it('runs a sequence in order and skips the rest after a failed enforced check', async () => {
    const order: string[] = [];
    const step = (name: string, state: 'passed' | 'failed', enforce = true): Check => ({ name, enforce, run: async () => (order.push(name), { state, reason: name }) });
    const results = await run([inSequence([step('warm', 'passed'), step('dry', 'failed', false), step('smoke', 'failed'), step('load', 'passed')])]);
    expect(order).toEqual(['warm', 'dry', 'smoke']);
    expect(results.map((r) => `${r.name}:${r.state}`)).toEqual(['warm:passed', 'dry:failed', 'smoke:failed', 'load:inconclusive']);
    expect(results[3]?.reason).toContain('skipped: smoke');
  });

  it('fails unfinished checks with reason "deadline" when the hook budget ends', async () => {
    const [r] = await run([{ name: 'forever', run: () => new Promise(() => {}) }], 50);
    expect(r).toMatchObject({ state: 'failed' });
    expect(r?.reason).toMatch(/^deadline/);
  });
});

describe('Function: verdictOf', () => {
  it('succeeds only when every enforced check passed', () => {
    expect(verdictOf([result('passed'), result('passed')], 'fail').status).toBe('Succeeded');
    expect(verdictOf([result('passed'), result('error')], 'fail').status).toBe('Failed');
    expect(verdictOf([result('passed'), result('failed', false)], 'fail').status).toBe('Succeeded');
    expect(verdictOf([], 'fail').status).toBe('Failed');
  });

  it('fails inconclusive by default and passes it when configured', () => {
    expect(verdictOf([result('inconclusive')], 'fail').status).toBe('Failed');
    expect(verdictOf([result('inconclusive')], 'pass').status).toBe('Succeeded');
    expect(verdictOf([result('error')], 'pass').status).toBe('Failed');
  });
});

describe('Function: createClientRegistry', () => {
  it('prefers an injected client and creates others once', () => {
    const injected = { name: 'injected' } as never;
    const registry = createClientRegistry({ lambda: injected });
    const create = vi.fn(() => ({ name: 'created' }) as never);
    expect(registry.get('lambda', create)).toBe(injected);
    const a = registry.get('cloudWatch', create);
    expect(registry.get('cloudWatch', create)).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe('Function: runChecks sequences and the inconclusive policy', () => {
  const step = (name: string, state: 'passed' | 'failed' | 'inconclusive'): Check => ({ name, run: async () => ({ state, reason: name }) });

  it("continues past an inconclusive check when inconclusive counts as 'pass', so the next check still decides", async () => {
    const controller = new AbortController();
    const results = await runChecks([inSequence([step('a', 'inconclusive'), step('b', 'failed')])], env, {
      deadline: Date.now() + 1000,
      signal: controller.signal,
      concurrency: 1,
      inconclusive: 'pass',
    });
    expect(results.map((r) => `${r.name}:${r.state}`)).toEqual(['a:inconclusive', 'b:failed']);
    expect(verdictOf(results, 'pass').status).toBe('Failed');
  });

  it("stops at an inconclusive check when inconclusive fails", async () => {
    const controller = new AbortController();
    const results = await runChecks([inSequence([step('a', 'inconclusive'), step('b', 'passed')])], env, {
      deadline: Date.now() + 1000,
      signal: controller.signal,
      concurrency: 1,
    });
    expect(results[1]?.reason).toContain('skipped');
    expect(verdictOf(results, 'fail').status).toBe('Failed');
  });
});
