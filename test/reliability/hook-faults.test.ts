/**
 * Fault matrix, the hook itself: user checks that throw, return garbage,
 * never settle or ignore their abort signal; a real 3 s Lambda budget; and
 * duplicate and concurrent invocations of the same lifecycle event. Runs
 * against the emulator with real SDK clients, like the other matrix files.
 * (Long Lambda budgets, up to 900 s, are in lambda-budget.test.ts on a fake clock.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHook } from '../../src/index.js';
import type { Check, CheckOutcome } from '../../src/types.js';
import { sleep } from '../../src/util/abort.js';
import { acceptedReports, hookFor, ROOMY_BUDGET_MS, lambdaContext, Matrix, recordTo, runCell, warmUp, setupCell, verdictLine, type CellSpec } from './harness.js';

const matrix = new Matrix('Fault matrix — the hook itself');
recordTo(matrix);
beforeAll(warmUp, 30_000);
afterAll(() => matrix.print());

const userCheck = (run: Check['run'], extra: Partial<Check> = {}): Check => ({ name: 'user check', run, ...extra });
const withUser = (check: Check) => (standard: Check[]) => [...standard, check];

type UserCell = Pick<CellSpec, 'name' | 'cause' | 'checks' | 'watchAfterReturnMs'>;

/** A cell decided by the hook deadline runs into it, so it keeps a short budget; any other gets room for a busy host. */
function budgetFor(cause: RegExp): number {
  return /deadline/.test(cause.source) ? 3000 : ROOMY_BUDGET_MS;
}

// A user check misbehaving always fails the hook closed, and the reason says how.
const USER_CELLS: CellSpec[] = ([
  {
    name: 'user check throws an Error',
    cause: /user check error: check threw Error: disk quota exceeded/,
    checks: withUser(userCheck(async () => {
      throw new Error('disk quota exceeded');
    })),
  },
  {
    name: 'user check throws a string',
    cause: /user check error: check threw .*not an error object/,
    checks: withUser(userCheck(async () => {
      throw 'not an error object';
    })),
  },
  {
    name: 'user check throws synchronously (not async)',
    cause: /user check error: check threw TypeError: Cannot read properties of undefined/,
    checks: withUser(userCheck(((ctx: unknown) => (ctx as { nope: { deeper: string } }).nope.deeper) as unknown as Check['run'])),
  },
  {
    name: 'user check throws a null-prototype object',
    cause: /user check error: check threw/,
    checks: withUser(userCheck(async () => {
      throw Object.create(null) as object;
    })),
  },
  {
    name: 'user check throws an Error whose message getter throws',
    cause: /user check error: check threw/,
    checks: withUser(userCheck(async () => {
      const error = new Error('placeholder');
      Object.defineProperty(error, 'message', {
        get() {
          throw new Error('message getter exploded');
        },
      });
      throw error;
    })),
  },
  {
    name: 'user check throws an Error whose message getter rethrows the error',
    cause: /user check error: check threw/,
    checks: withUser(userCheck(async () => {
      const error = new Error('placeholder');
      Object.defineProperty(error, 'message', {
        get() {
          throw error;
        },
      });
      throw error;
    })),
  },
  {
    name: 'user check returns an outcome whose fields throw when read',
    cause: /user check error: /,
    checks: withUser(userCheck(async () => new Proxy({}, { get: () => { throw new Error('trap'); } }) as CheckOutcome)),
  },
  ...([
    ['null', null],
    ['a string', 'passed'],
    ['a number', 42],
    ['undefined', undefined],
    ['{state: "PASSED"} (wrong case)', { state: 'PASSED', reason: 'fine' }],
    ['{status: "passed"} (wrong key)', { status: 'passed' }],
    ['an array', [{ state: 'passed' }]],
  ] as const).map(
    ([label, value]): UserCell => ({
      name: `user check returns garbage: ${label}`,
      cause: /user check error: check returned an invalid outcome/,
      checks: withUser(userCheck(async () => value as unknown as CheckOutcome)),
    }),
  ),
  {
    name: 'user check never settles (honours its signal)',
    cause: /user check failed: deadline: the hook's time budget ran out/,
    checks: withUser(userCheck(async (ctx) => {
      await sleep(60_000, ctx.signal);
      return { state: 'passed', reason: 'too late' };
    })),
  },
  {
    name: 'user check never settles (ignores its signal)',
    cause: /user check failed: deadline: the hook's time budget ran out/,
    checks: withUser(userCheck(() => new Promise<CheckOutcome>(() => {}))),
  },
  {
    name: 'user check ignores abort, resolves "passed" after the deadline',
    watchAfterReturnMs: 1300,
    cause: /user check failed: deadline: the hook's time budget ran out/,
    checks: withUser(userCheck(() => new Promise<CheckOutcome>((resolve) => setTimeout(() => resolve({ state: 'passed', reason: 'late pass' }), 2500)))),
  },
  {
    name: 'user check with timeoutMs 200 hangs',
    cause: /user check failed: timeout: check timed out after 200 ms/,
    checks: withUser(userCheck(() => new Promise<CheckOutcome>(() => {}), { timeoutMs: 200 })),
  },
  {
    name: 'user check inconclusive',
    cause: /user check inconclusive: not enough traffic/,
    checks: withUser(userCheck(async () => ({ state: 'inconclusive', reason: 'not enough traffic' }))),
  },
  {
    name: 'checks() builder never settles',
    cause: /could not build the checks: Error: the checks function did not return before the hook deadline/,
    checks: () => () => new Promise<never>(() => {}),
  },
  {
    name: 'checks() builder throws',
    cause: /could not build the checks: Error: no SMOKE_URL configured/,
    checks: () => () => {
      throw new Error('no SMOKE_URL configured');
    },
  },
] as UserCell[]).map((c): CellSpec => ({ platform: 'Lambda', budgetMs: budgetFor(c.cause), truth: 'broken', expect: 'Failed', ...c }));

// Checks that misbehave but must not block a healthy deployment.
const HARMLESS_CELLS: CellSpec[] = [
  {
    name: 'dry-run (enforce: false) user check throws',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Succeeded',
    cause: /all 3 enforced checks passed \(1 dry-run check not enforced\)/,
    checks: withUser(userCheck(async () => {
      throw new Error('experimental check broke');
    }, { enforce: false })),
  },
  {
    name: 'user check returns circular details',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Succeeded',
    cause: /all 4 enforced checks passed/,
    checks: withUser(userCheck(async () => {
      const details: Record<string, unknown> = {};
      details.self = details;
      return { state: 'passed', reason: 'ok', details };
    })),
  },
  {
    name: 'user check fails once, passes on retry',
    platform: 'ECS',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Succeeded',
    cause: /all 3 enforced checks passed/,
    checks: (() => {
      let calls = 0;
      return withUser(userCheck(async () => (++calls === 1 ? { state: 'failed', reason: 'warming up' } : { state: 'passed', reason: 'warm' }), { retry: { attempts: 2, delayMs: 50 } }));
    })(),
  },
];

describe.concurrent('user checks misbehaving', () => {
  for (const spec of [...USER_CELLS, ...HARMLESS_CELLS]) {
    it(`${spec.platform} · ${spec.name} -> ${spec.expect}`, async () => {
      matrix.add(await runCell(spec));
    });
  }
});

describe.concurrent('a real 3 s Lambda budget', () => {
  it('Lambda · 3 s budget, a check that never settles -> Failed reported before the 3 s deadline', async () => {
    let deadlineSeen = 0;
    let startedAt = 0;
    const row = await runCell({
      name: '3 s budget (real time), check never settles',
      platform: 'Lambda',
      budgetMs: 3000,
      truth: 'broken',
      expect: 'Failed',
      cause: /stuck failed: deadline/,
      checks: (standard) => [
        ...standard,
        userCheck((ctx) => {
          deadlineSeen = ctx.deadline;
          startedAt = ctx.hookStartedAt;
          return new Promise<CheckOutcome>(() => {});
        }, { name: 'stuck' }),
      ],
    });
    // Reserve = min(5 s, half the time left when the checks start): the checks get about 1.5 s,
    // a little more when a busy host delayed their start (bounded by the loop lag the cell saw).
    expect(deadlineSeen - startedAt).toBeGreaterThanOrEqual(1400);
    expect(deadlineSeen - startedAt).toBeLessThanOrEqual(1510 + (row.lagMs ?? 0));
    matrix.add(row);
  });

  it('ECS · 6 s budget, check never settles and the report is throttled 3× -> Failed reported before the deadline', async () => {
    // 6 s, not 3 s: the three throttled round trips and their backoff must fit the 3 s reserve on a busy host too.
    matrix.add(
      await runCell({
        name: '6 s budget (real time), check never settles, report throttled ×3',
        platform: 'ECS',
        budgetMs: 6000,
        truth: 'broken',
        expect: 'Failed',
        faults: [{ service: 'codedeploy', operation: 'PutLifecycleEventHookExecutionStatus', kind: 'throttle', times: 3 }],
        cause: /stuck failed: deadline/,
        checks: (standard) => [...standard, userCheck(() => new Promise<CheckOutcome>(() => {}), { name: 'stuck' })],
      }),
    );
  });
});

/** Ten hooks at once on two cores shared with another test run: they finish in about a second when idle, this is room for a starved host. */
const BUSY_BUDGET_MS = 30_000;

describe.concurrent('duplicate and concurrent invocations', () => {
  for (const platform of ['Lambda', 'ECS'] as const) {
    it(`${platform} · the same handler called twice at once with the same event -> exactly one accepted report`, async () => {
      const env = await setupCell({ platform });
      try {
        const handler = hookFor({ platform }, env);
        const started = Date.now();
        const [a, b] = await Promise.all([handler(env.deployed.event, lambdaContext(BUSY_BUDGET_MS)), handler(env.deployed.event, lambdaContext(BUSY_BUDGET_MS))]);
        const why = `${a.reason} | ${b.reason}`;
        const accepted = acceptedReports(env.world);
        expect(accepted).toHaveLength(1);
        expect(env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length).toBeLessThanOrEqual(2);
        expect(env.sentReports.length).toBe(env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length);
        expect(a.status, why).toBe('Succeeded');
        expect(b.status, why).toBe('Succeeded');
        expect(a.reported && b.reported, why).toBe(true);
        expect(env.world.codeDeploy.hookExecutions.get(env.deployed.executionId)!.status).toBe('Succeeded');
        matrix.add({ cell: 'same handler, 2 concurrent calls', platform, status: a.status, reported: true, worldStatus: 'Succeeded', acceptedReports: accepted.length, ms: Date.now() - started, budgetMs: BUSY_BUDGET_MS, reason: why });
      } finally {
        await env.dispose();
      }
    });

    it(`${platform} · ten separate hook instances (ten Lambda containers) at once -> exactly one accepted report`, async () => {
      const env = await setupCell({ platform });
      try {
        const started = Date.now();
        const verdicts = await Promise.all(Array.from({ length: 10 }, () => hookFor({ platform }, env)(env.deployed.event, lambdaContext(BUSY_BUDGET_MS))));
        const accepted = acceptedReports(env.world);
        const why = verdicts.map((v) => v.reason).join(' | ');
        expect(accepted).toHaveLength(1);
        expect(verdicts.every((v) => v.status === 'Succeeded'), why).toBe(true);
        // Every invocation either reported, was refused as already completed, or saw a duplicate and stayed silent.
        expect(verdicts.every((v) => v.reported || v.duplicate), why).toBe(true);
        const lines = env.lines.map((l) => JSON.parse(l) as { message?: string });
        expect(lines.filter((l) => l.message?.startsWith('CodeDeploy hook verdict'))).toHaveLength(10);
        matrix.add({ cell: '10 hook instances at once', platform, status: 'Succeeded', reported: true, worldStatus: 'Succeeded', acceptedReports: accepted.length, ms: Date.now() - started, budgetMs: BUSY_BUDGET_MS, reason: `${verdicts.filter((v) => v.duplicate).length} saw a duplicate; ${env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length} report calls on the wire` });
      } finally {
        await env.dispose();
      }
    });

    it(`${platform} · a retry after the first invocation reported (Lambda async retry) -> checks skipped, second report refused`, async () => {
      const env = await setupCell({ platform });
      try {
        // A short wait for the event to show InProgress keeps the cell quick; the path is the same.
        const handler = hookFor({ platform, options: { resolveRetry: { attempts: 2, delayMs: 200 } } }, env);
        const first = await handler(env.deployed.event, lambdaContext(BUSY_BUDGET_MS));
        env.lines.length = 0;
        const started = Date.now();
        const second = await handler(env.deployed.event, lambdaContext(BUSY_BUDGET_MS));
        expect(first.status, first.reason).toBe('Succeeded');
        expect(second.duplicate, second.reason).toBe(true);
        expect(second.checks).toEqual([]);
        expect(acceptedReports(env.world)).toHaveLength(1);
        expect(env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus')).toHaveLength(2);
        // The first reported Succeeded; the duplicate sent Failed, which CodeDeploy refused.
        expect(env.sentReports.map((r) => r.status)).toEqual(['Succeeded', 'Failed']);
        expect(env.world.codeDeploy.hookExecutions.get(env.deployed.executionId)!.status).toBe('Succeeded');
        expect(String(verdictLine(env.lines).reason)).toMatch(/likely a duplicate invocation: checks skipped.*already had a status/);
        matrix.add({ cell: 'retry after a reported invocation', platform, status: second.status, reported: second.reported, worldStatus: 'Succeeded', acceptedReports: 1, ms: Date.now() - started, budgetMs: BUSY_BUDGET_MS, reason: second.reason });
      } finally {
        await env.dispose();
      }
    });
  }

  it('Lambda · an invocation after CodeDeploy gave up on the hook (execution expired) -> its report is refused', async () => {
    const env = await setupCell({ platform: 'Lambda' });
    try {
      env.world.codeDeploy.expireHookExecution(env.deployed.executionId);
      const started = Date.now();
      // A short wait for an InProgress event and a roomy budget: the path, not the clock, is under test.
      const verdict = await hookFor({ platform: 'Lambda', options: { resolveRetry: { attempts: 2, delayMs: 200 } } }, env)(env.deployed.event, lambdaContext(ROOMY_BUDGET_MS));
      expect(verdict.duplicate).toBe(true);
      expect(env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus')).toHaveLength(1);
      expect(env.sentReports.map((r) => r.status)).toEqual(['Failed']);
      expect(env.world.codeDeploy.hookExecutions.get(env.deployed.executionId)!.status).toBe('Failed');
      matrix.add({ cell: 'invocation after the execution expired', platform: 'Lambda', status: verdict.status, reported: verdict.reported, worldStatus: 'Failed', acceptedReports: 0, ms: Date.now() - started, budgetMs: ROOMY_BUDGET_MS, reason: verdict.reason });
    } finally {
      await env.dispose();
    }
  });

  it('Lambda · a log sink that throws does not stop the report', async () => {
    const env = await setupCell({ platform: 'Lambda' });
    try {
      const handler = defineHook({
        checks: [{ name: 'ok', run: async () => ({ state: 'passed', reason: 'ok' }) }],
        clients: env.clients,
        log: () => {
          throw new Error('log pipe closed');
        },
      });
      const verdict = await handler(env.deployed.event, lambdaContext(3000));
      expect(verdict).toMatchObject({ status: 'Succeeded', reported: true });
      expect(acceptedReports(env.world)).toHaveLength(1);
      matrix.add({ cell: 'log sink throws', platform: 'Lambda', status: verdict.status, reported: verdict.reported, worldStatus: 'Succeeded', acceptedReports: 1, ms: verdict.durationMs, budgetMs: 3000, reason: verdict.reason });
    } finally {
      await env.dispose();
    }
  });
});
