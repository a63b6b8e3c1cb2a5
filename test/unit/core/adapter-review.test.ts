/**
 * Cases from an adversarial review of the adapters (finding ids R3–R15 kept
 * in the names). Each test asserts the promise; each failed before its fix.
 */
import middy from '@middy/core';
import { CodeDeployClient, GetDeploymentCommand, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHook } from '../../../src/index.js';
import { codeDeployHook } from '../../../src/middy/index.js';
import { MAX_LINE_BYTES } from '../../../src/verdict-log.js';
import type { Check, HookOptions, HookVerdict, LambdaContextLike } from '../../../src/types.js';
import { awsError, EVENT, lambdaContext, mockCodeDeploy } from '../../helpers/codedeploy-mock.js';

type Handler = (event: unknown, context?: LambdaContextLike) => Promise<HookVerdict>;
const FAST = { resolveRetry: { attempts: 2, delayMs: 10 } };
const pass = (name = 'ok'): Check => ({ name, run: async () => ({ state: 'passed', reason: 'fine' }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hook = (o: Partial<HookOptions> = {}) =>
  codeDeployHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST, ...o });
const statuses = (cd: ReturnType<typeof mockCodeDeploy>) =>
  cd.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input.status);

/** Settles a promise into {ok, value|error} so a rejection is observable, not fatal. */
const settle = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

describe('R3: a middleware registered before codeDeployHook throws from before (e.g. @middy/ssm)', () => {
  it('a valid CodeDeploy event still gets a Failed report (onError of the hook does run)', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const ssm = { before: async () => { throw new Error('SSM GetParameters timed out'); } };
    const handler = middy({ timeoutEarlyInMillis: 0 }).use(ssm).use(hook()).handler(async () => undefined) as unknown as Handler;
    const result = await settle(handler(EVENT, lambdaContext(2000)));
    expect({ resolved: result.ok, reports: statuses(cd) }).toEqual({ resolved: true, reports: ['Failed'] });
    const verdict = (result as { value: HookVerdict }).value;
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state: 'error', reason: 'a middleware before codeDeployHook threw Error: SSM GetParameters timed out' });
    cd.restore();
  });

  it('a malformed event is rethrown as the middleware\'s error and reports nothing', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const ssm = { before: async () => { throw new Error('SSM GetParameters timed out'); } };
    const handler = middy({ timeoutEarlyInMillis: 0 }).use(ssm).use(hook()).handler(async () => undefined) as unknown as Handler;
    await expect(handler({ source: 'aws.events' }, lambdaContext(2000))).rejects.toThrow('SSM GetParameters timed out');
    expect(statuses(cd)).toEqual([]);
    cd.restore();
  });
});

describe('R4: early return after the deadline timer fired', () => {
  it('the middy handler must not settle while the deadline report is still in flight', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    let reportDone = false;
    cd.on(PutLifecycleEventHookExecutionStatusCommand).callsFake(async () => {
      await sleep(300);
      reportDone = true;
      return {};
    });
    // 2 s Lambda: hook deadline at ~1 s; the later middleware returns early at 1.1 s (a cache hit, a warm-up...).
    const late = { before: async () => { await sleep(1100); return { statusCode: 204 }; } };
    const handler = middy({ timeoutEarlyInMillis: 0 }).use(hook()).use(late).handler(async () => undefined) as unknown as Handler;
    await handler(EVENT, lambdaContext(2000));
    const doneWhenSettled = reportDone;
    await sleep(400);
    expect(statuses(cd)).toEqual(['Failed']);
    expect(doneWhenSettled).toBe(true);
    cd.restore();
  });
});

describe('R5: middy with a shared plugin `internal` object', () => {
  it('two overlapping invocations each report before they settle', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const handler = middy({ timeoutEarlyInMillis: 0, internal: {} })
      .use(hook())
      .handler(async () => { await sleep(50); }) as unknown as Handler;
    const e2 = { ...EVENT, LifecycleEventHookExecutionId: 'exec-token-2' };
    await Promise.all([handler(EVENT, lambdaContext(2000)), handler(e2, lambdaContext(2000))]);
    const ids = cd.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input.lifecycleEventHookExecutionId);
    await sleep(1200);
    expect(ids.sort()).toEqual(['exec-token-1', 'exec-token-2']);
    cd.restore();
  });

  it('an invocation whose earlier middleware threw must not return the previous invocation\'s Succeeded verdict', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    let n = 0;
    const flaky = { before: async () => { if (++n === 2) throw new Error('config fetch failed'); } };
    const handler = middy({ timeoutEarlyInMillis: 0, internal: {} }).use(flaky).use(hook()).handler(async () => undefined) as unknown as Handler;
    expect((await handler(EVENT, lambdaContext(2000))).status).toBe('Succeeded');
    const second = await settle(handler({ ...EVENT, DeploymentId: 'd-SECOND0001', LifecycleEventHookExecutionId: 'exec-2' }, lambdaContext(2000)));
    // Expected: either rejects, or (better) reports Failed for d-SECOND0001. Never a Succeeded verdict of d-ABCDEFGH1.
    expect(second.ok ? (second.value as HookVerdict).deploymentId : 'rejected').not.toBe(EVENT.DeploymentId);
    cd.restore();
  });
});

describe('R6: size caps', () => {
  it('a middy handler that throws a 1 MB message gets its reason capped like a check\'s', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const handler = middy({ timeoutEarlyInMillis: 0 }).use(hook()).handler(async () => { throw new Error('x'.repeat(1_000_000)); }) as unknown as Handler;
    const verdict = await handler(EVENT, lambdaContext(5000));
    expect(verdict.checks[0]!.reason.length).toBeLessThan(2100);
    cd.restore();
  });

  it('a report error with a 300 KB message keeps the verdict line under MAX_LINE_BYTES', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    cd.on(PutLifecycleEventHookExecutionStatusCommand).rejects(Object.assign(awsError('ValidationException', 400), { message: 'y'.repeat(300_000) }));
    const lines: string[] = [];
    await defineHook({ checks: [pass()], log: (l) => lines.push(l), clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(5000));
    const verdictLine = lines.find((l) => l.includes('CodeDeploy hook verdict'))!;
    expect(Buffer.byteLength(verdictLine)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    cd.restore();
  });
});

describe('R9: two codeDeployHook instances in one chain', () => {
  it('are refused: one Failed report naming the mistake, no second one from a shadowed deadline timer', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const handler = middy({ timeoutEarlyInMillis: 0 }).use(hook()).use(hook()).handler(async () => undefined) as unknown as Handler;
    const verdict = await handler(EVENT, lambdaContext(2000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]!.reason).toMatch(/registered twice/);
    await sleep(1300); // a shadowed instance's deadline timer (~1 s) would report again here
    expect(statuses(cd)).toEqual(['Failed']);
    cd.restore();
  });
});

describe('R10: a truncated verdict line keeps the failing check', () => {
  it('with 2,000 passing checks and one failing at the end, the failing check stays in `checks`', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const many: Check[] = Array.from({ length: 2000 }, (_, i) => ({ name: `p${i}`, run: async () => ({ state: 'passed', reason: 'r'.repeat(1500) }) }));
    many.push({ name: 'the-broken-one', run: async () => ({ state: 'failed', reason: 'error rate 40%' }) });
    const lines: string[] = [];
    await defineHook({ checks: many, concurrency: 50, log: (l) => lines.push(l), clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(20_000));
    const rec = JSON.parse(lines.find((l) => l.includes('CodeDeploy hook verdict'))!) as { lineTruncated?: boolean; checks: { name: string }[] };
    expect(rec.lineTruncated).toBe(true);
    expect(rec.checks.map((c) => c.name)).toContain('the-broken-one');
    cd.restore();
  });
});

describe('R9b: two codeDeployHook instances, the outer one with a failing alarm gate', () => {
  it('the first (accepted) report is not Succeeded while an enforced check of the outer hook fails', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const alarmGate: Check = { name: 'alarms', run: async () => ({ state: 'failed', reason: 'alarm errors in ALARM' }) };
    const handler = middy({ timeoutEarlyInMillis: 0 })
      .use(hook({ checks: [alarmGate] })) // e.g. a team-wide base middleware
      .use(hook({ checks: [pass('smoke')] }))
      .handler(async () => undefined) as unknown as Handler;
    const verdict = await handler(EVENT, lambdaContext(2000));
    await sleep(1300);
    expect({ returned: verdict.status, firstReport: statuses(cd)[0] }).toEqual({ returned: 'Failed', firstReport: 'Failed' });
    cd.restore();
  });
});

describe('R11: options validated on one read, used from another (getter TOCTOU)', () => {
  it('an options getter that changes after validation cannot make the engine skip every check', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    let reads = 0;
    const alarmGate: Check = { name: 'alarms', run: async () => ({ state: 'failed', reason: 'alarm errors in ALARM' }) };
    const options = {
      checks: [alarmGate], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST,
      get concurrency() { return ++reads <= 3 ? 4 : 0; }, // validation reads it 3 times; ownOptions once more
    } as unknown as HookOptions;
    const verdict = await (middy({ timeoutEarlyInMillis: 0 }).use(codeDeployHook(options)).handler(async () => undefined) as unknown as Handler)(EVENT, lambdaContext(3000));
    expect({ returned: verdict.status, reports: statuses(cd), checks: verdict.checks.map((c) => c.name) })
      .toEqual({ returned: 'Failed', reports: ['Failed'], checks: ['handler', 'alarms'] });
    cd.restore();
  });
});

describe('R12: middy with a checks builder that returns no checks', () => {
  it('the README handler (returns nothing) plus zero engine checks does not pass: nothing was checked', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    // e.g. (ctx) => ctx.platform === 'ECS' ? [http(...)] : []
    const handler = middy({ timeoutEarlyInMillis: 0 }).use(hook({ checks: () => [] })).handler(async () => {}) as unknown as Handler;
    const verdict = await handler(EVENT, lambdaContext(3000));
    const viaDefineHook = await defineHook({ checks: () => [], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(3000));
    expect({ middy: verdict.status, defineHook: viaDefineHook.status }).toEqual({ middy: 'Failed', defineHook: 'Failed' });
    expect(verdict.reason).toMatch(/^no checks ran: the checks function returned none/);
    expect(verdict.checks.map((c) => c.name)).toEqual(['handler']);
    expect(viaDefineHook.checks).toEqual([]);
    cd.restore();
  });
});

describe('R13: budgets beyond setTimeout range', () => {
  it('maxDurationMs over Lambda\'s 15 minutes is refused when the hook is defined', () => {
    expect(() => defineHook({ checks: [pass()], maxDurationMs: 3e9 })).toThrow(/maxDurationMs: must be at most 900000/);
  });

  it('a remaining time beyond 15 minutes is read as 15 minutes (timers stay in range)', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const slowPass: Check = { name: 'slow', run: async () => { await sleep(30); return { state: 'passed', reason: 'fine' }; } };
    const verdict = await defineHook({ checks: [slowPass], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, { getRemainingTimeInMillis: () => 3e9 });
    expect(verdict.status).toBe('Succeeded');
    cd.restore();
  });
});

describe('R14: the response accessor as seen by others', () => {
  it('after an early return, plugin.requestEnd (and anything reading request.response) sees the verdict, not a Promise', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    let seen: unknown;
    const handler = middy({ timeoutEarlyInMillis: 0, requestEnd: (req: { response: unknown }) => { seen = req.response; } } as never)
      .use(hook())
      .use({ before: async () => ({ statusCode: 204 }) })
      .handler(async () => undefined) as unknown as Handler;
    await handler(EVENT, lambdaContext(3000));
    expect(seen instanceof Promise).toBe(false);
    cd.restore();
  });
});

describe('R15: little time left when the hook begins (earlier middlewares or init used the budget)', () => {
  // Fake clock: the promise is about the runtime's arithmetic, not about how fast this host answers.
  afterEach(() => vi.useRealTimers());

  it.each([180, 250])('with %i ms left and GetDeployment hanging, a working report API still gets a (Failed) report', async (ms) => {
    vi.useFakeTimers();
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    cd.on(GetDeploymentCommand).callsFake(() => new Promise(() => {}));
    const pending = defineHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(ms));
    await vi.advanceTimersByTimeAsync(ms + 1000);
    const verdict = await pending;
    expect({ reports: statuses(cd).length, reported: verdict.reported }).toEqual({ reports: 1, reported: true });
    cd.restore();
  });
});
