/**
 * Fail-open and leak paths found by an adversarial review of the public API.
 * Each case here once let a hook report Succeeded without its checks passing,
 * report nothing, or write a log line CloudWatch Logs cannot take.
 */
import middy from '@middy/core';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHook } from '../../../src/index.js';
import { codeDeployHook } from '../../../src/middy/index.js';
import { callWithRetry } from '../../../src/aws-call.js';
import { MAX_LINE_BYTES } from '../../../src/verdict-log.js';
import type { Check, HookOptions, HookVerdict, LambdaContextLike } from '../../../src/types.js';
import { captureLog, EVENT, lambdaContext, mockCodeDeploy } from '../../helpers/codedeploy-mock.js';

type Handler = (event: unknown, context?: LambdaContextLike) => Promise<HookVerdict>;
const FAST = { resolveRetry: { attempts: 2, delayMs: 10 } };
const pass = (name = 'ok'): Check => ({ name, run: async () => ({ state: 'passed', reason: 'fine' }) });
const reportsOf = (cd: ReturnType<typeof mockCodeDeploy>) =>
  cd.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input.status);

function withMiddy(options: Partial<HookOptions>, handler: () => Promise<unknown>, ...more: object[]): Handler {
  let m = middy({ timeoutEarlyInMillis: 0 }).use(codeDeployHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST, ...options }));
  for (const mw of more) m = m.use(mw as never);
  return m.handler(handler) as unknown as Handler;
}

describe('Adapter: middy judges what the handler returns like a check outcome', () => {
  it.each([
    ['{ state: failed } without a reason', { state: 'failed' }, 'failed'],
    ['{ state: error } without a reason', { state: 'error' }, 'error'],
    ['a failed state with a numeric reason', { state: 'failed', reason: 42 }, 'failed'],
    ['an inconclusive state with reason null', { state: 'inconclusive', reason: null }, 'inconclusive'],
    ['an object that is not an outcome', { ok: true }, 'error'],
    ['a string', 'all good', 'error'],
    ['an unknown state', { state: 'PASSED', reason: 'shouting' }, 'error'],
  ])('%s fails the hook', async (_label, returned, state) => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const verdict = await withMiddy({}, async () => returned)(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state, enforced: true });
    expect(reportsOf(cd)).toEqual(['Failed']);
    cd.restore();
  });

  it('a handler that returns nothing passes (the documented convention)', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const verdict = await withMiddy({}, async () => undefined)(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Succeeded');
    expect(reportsOf(cd)).toEqual(['Succeeded']);
    cd.restore();
  });
});

describe('Adapter: middy reports when a later middleware returns early', () => {
  const early = (phase: 'before' | 'after') => ({ [phase]: async () => ({ statusCode: 204 }) });

  it.each(['before', 'after'] as const)('from %s: Failed is reported once and the response is the verdict', async (phase) => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    let handlerRan = false;
    const handler = withMiddy({}, async () => void (handlerRan = true), early(phase));
    const response = await handler(EVENT, lambdaContext(10_000));
    expect(handlerRan).toBe(phase === 'after');
    expect(response.status).toBe('Failed');
    expect(response.checks[0]).toMatchObject({ name: 'handler', state: 'failed' });
    expect(response.checks[0]!.reason).toMatch(/returned early/);
    expect(reportsOf(cd)).toEqual(['Failed']);
    cd.restore();
  });

  it('an early return by a middleware registered before it leaves its own verdict alone', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    // Registered first, so its `after` runs last: the hook has reported by then.
    const outer = { after: async () => ({ statusCode: 200 }) };
    const handler = middy({ timeoutEarlyInMillis: 0 })
      .use(outer)
      .use(codeDeployHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST }))
      .handler(async () => undefined) as unknown as Handler;
    const response = (await handler(EVENT, lambdaContext(10_000))) as unknown;
    expect(response).toEqual({ statusCode: 200 });
    expect(reportsOf(cd)).toEqual(['Succeeded']);
    cd.restore();
  });
});

describe('Engine: hostile outcomes and checks cost only their own result', () => {
  const throwingGetter = (key: 'state' | 'reason' | 'details'): Check => ({
    name: `getter-${key}`,
    run: async () => {
      const o: Record<string, unknown> = { state: 'passed', reason: 'fine' };
      Object.defineProperty(o, key, { enumerable: true, get: () => { throw new Error(`${key} getter exploded`); } });
      return o as never;
    },
  });

  it.each(['state', 'reason', 'details'] as const)('an outcome whose %s getter throws is an error; the other checks stay in the verdict', async (key) => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const verdict = await defineHook({ checks: [pass('a'), throwingGetter(key), pass('b')], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks.map((c) => [c.name, c.state])).toEqual([['a', 'passed'], [`getter-${key}`, 'error'], ['b', 'passed']]);
    expect(verdict.checks[1]!.reason).toContain(`${key} getter exploded`);
    expect(reportsOf(cd)).toEqual(['Failed']);
    cd.restore();
  });

  it('a check cannot replace ctx.clients.get to swallow the report', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const hijack: Check = {
      name: 'hijack',
      run: async (ctx) => {
        try {
          (ctx.clients as { get: unknown }).get = () => ({ send: async () => ({}) });
        } catch {
          // Frozen registry: strict-mode assignment throws, which is the point.
        }
        return { state: 'failed', reason: 'tried to hide the report' };
      },
    };
    const verdict = await defineHook({ checks: [hijack], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict).toMatchObject({ status: 'Failed', reported: true });
    expect(reportsOf(cd)).toEqual(['Failed']);
    cd.restore();
  });
});

describe('Function: callWithRetry bounds a client that ignores abortSignal', () => {
  // Fake timers: the verdict depends on the retry loop, not on how busy the host is.
  afterEach(() => vi.useRealTimers());

  it('gives up on the attempt at its own timeout and stops at the deadline', async () => {
    vi.useFakeTimers();
    const started = Date.now();
    let calls = 0;
    let settledAt: number | undefined;
    const pending = callWithRetry(
      () => {
        calls += 1;
        return new Promise<never>(() => {}); // never settles, never looks at the signal
      },
      { deadline: started + 600, attemptTimeoutMs: 200 },
    ).then((r) => ((settledAt = Date.now()), r));
    await vi.advanceTimersByTimeAsync(5000);
    const result = await pending;
    expect(result.ok).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
    // Settles at the deadline (the old loop awaited the call itself, forever).
    expect(settledAt! - started).toBeLessThanOrEqual(600);
  });

  it('a hook whose CodeDeploy client ignores abortSignal still returns before the Lambda deadline', async () => {
    vi.useFakeTimers();
    const hanging = { send: () => new Promise<never>(() => {}), destroy() {} } as unknown as CodeDeployClient;
    const context = lambdaContext(3000);
    let returnedWithMs: number | undefined;
    const pending = defineHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: hanging }, ...FAST })(EVENT, context).then((v) => {
      returnedWithMs = context.getRemainingTimeInMillis();
      return v;
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await pending).toMatchObject({ status: 'Failed', reported: false });
    expect(returnedWithMs).toBeGreaterThan(0);
  });
});

describe('Verdict log: sizes stay within what CloudWatch Logs takes', () => {
  it('a 20 MB reason and 1,000 checks still make one line under the limit, with the status and the failing check', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const raw: string[] = [];
    const huge: Check = { name: 'huge', run: async () => ({ state: 'failed', reason: `boom ${'x'.repeat(20 * 1024 * 1024)}`, details: { body: 'y'.repeat(1024 * 1024) } }) };
    const many = Array.from({ length: 1000 }, (_, i): Check => ({ name: `c${i}`, run: async () => ({ state: 'failed', reason: `reason ${i} ${'z'.repeat(1500)}` }) }));
    const verdict = await defineHook({ checks: [huge, ...many], log: (l) => raw.push(l), clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST, concurrency: 64 })(EVENT, lambdaContext(20_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason.length).toBeLessThan(10_000);
    expect(verdict.checks[0]!.reason.length).toBeLessThan(2100);
    const lines = raw.filter((l) => l.includes('CodeDeploy hook verdict'));
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const record = JSON.parse(lines[0]!) as { status: string; lineTruncated?: boolean; checks: { name: string }[]; checksOmitted?: number };
    expect(record.status).toBe('Failed');
    expect(record.lineTruncated).toBe(true);
    expect(record.checks[0]!.name).toBe('huge');
    expect(record.checks.length + (record.checksOmitted ?? 0)).toBe(1001);
    expect(reportsOf(cd)).toEqual(['Failed']);
    cd.restore();
  });

  it('an ordinary verdict line is left whole', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const { lines, log } = captureLog();
    await defineHook({ checks: [pass()], log, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    const line = lines.find((l) => l.message === 'CodeDeploy hook verdict: Succeeded')!;
    expect(line.lineTruncated).toBeUndefined();
    cd.restore();
  });
});

describe('Options: only the hook options given count, never Object.prototype', () => {
  it.each(['bypass', 'inconclusive'] as const)('a polluted Object.prototype.%s does not let a failing hook succeed', async (key) => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto[key] = key === 'bypass' ? { reason: 'polluted' } : 'pass';
      const inconclusive: Check = { name: 'thin', run: async () => ({ state: 'inconclusive', reason: 'too few requests' }) };
      const verdict = await defineHook({ checks: [inconclusive], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
      expect(verdict.status).toBe('Failed');
      expect(Object.hasOwn(verdict, 'bypass')).toBe(false);
    } finally {
      delete proto[key];
      cd.restore();
    }
    expect(reportsOf(cd)).toEqual(['Failed']);
  });
});
