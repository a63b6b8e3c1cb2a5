/**
 * Fault matrix for ECS-native hooks (defineEcsNativeHook), over HTTP against a
 * fake ECS on 127.0.0.1 with the real SDK client. Every cell checks the same
 * promises as the CodeDeploy matrix, in their ECS-native form:
 *
 *  1. the handler never rejects and returns a valid response: hookStatus
 *     SUCCEEDED | FAILED | IN_PROGRESS, callBackDelay (whole seconds >= 1)
 *     and hookDetails only with IN_PROGRESS;
 *  2. SUCCEEDED only when ECS answered and every enforced check passed;
 *  3. the response comes before the Lambda deadline (plus the event-loop
 *     lag measured during the cell: a timer cannot fire while the process
 *     does not run);
 *  4. one log line whose reason names the cause.
 *
 * Budgets are real milliseconds: roomy where the hook should finish early,
 * short (3 s) where it must run into its deadline.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BAKE_STATE_KEY, defineEcsNativeHook } from '../../src/ecs-native/index.js';
import type { EcsNativeBakeOptions, EcsNativeHookResponse } from '../../src/ecs-native/index.js';
import type { Check, CheckOutcome } from '../../src/types.js';
import { BLUE, DEPLOYMENT_ARN, GREEN, ecsEvent } from '../helpers/ecs-native-mock.js';
import { startFakeEcs, type EcsFault, type FakeEcs } from '../helpers/fake-ecs-server.js';

const ROOMY_BUDGET_MS = 20_000;
const SHORT_BUDGET_MS = 3000;

const rows: string[] = [];
afterAll(() => console.log(`\nFault matrix — ECS-native hooks (${rows.length} cells)\n${rows.sort().join('\n')}\n`));

const passing: Check = { name: 'green answers', run: async () => ({ state: 'passed', reason: 'ok' }) };
const failing: Check = { name: 'green answers', run: async () => ({ state: 'failed', reason: 'green answered 503' }) };
const hanging: Check = { name: 'hangs', run: () => new Promise<CheckOutcome>(() => {}) };
const throwing: Check = {
  name: 'throws',
  run: async () => {
    throw new TypeError('boom');
  },
};

interface Cell {
  name: string;
  budgetMs: number;
  checks: Check[];
  faults?: [string, EcsFault][];
  event?: unknown;
  bake?: EcsNativeBakeOptions;
  expected: EcsNativeHookResponse['hookStatus'];
  /** What the verdict line's reason (or message) must say. */
  because: RegExp;
}

let ecs: FakeEcs;
beforeEach(async () => {
  ecs = await startFakeEcs();
});
afterEach(async () => {
  await ecs.close();
});

/** Runs one invocation and checks the four promises; returns the response and the log lines. */
async function invoke(cell: Pick<Cell, 'budgetMs' | 'checks' | 'bake'>, event: unknown, label: string) {
  const lines: Record<string, unknown>[] = [];
  const handler = defineEcsNativeHook({
    checks: cell.checks,
    clients: { ecs: ecs.client },
    log: (l) => void lines.push(JSON.parse(l) as Record<string, unknown>),
    ...(cell.bake ? { bake: cell.bake } : {}),
  });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const start = Date.now();
  const end = start + cell.budgetMs;
  let response: EcsNativeHookResponse;
  try {
    response = await handler(event, { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) });
  } catch (error) {
    throw new Error(`${label}: the handler rejected (${String(error)}); an ECS-native hook must return FAILED`);
  } finally {
    lag.disable();
  }
  const ms = Date.now() - start;
  const lagMs = Math.round(lag.max / 1e6);
  // 1. a valid response
  expect(['SUCCEEDED', 'FAILED', 'IN_PROGRESS']).toContain(response.hookStatus);
  if (response.hookStatus === 'IN_PROGRESS') {
    expect(Number.isInteger(response.callBackDelay) && response.callBackDelay! >= 1, label).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(response.hookDetails))).toBeLessThanOrEqual(4096);
  } else {
    expect(Object.keys(response), label).toEqual(['hookStatus']);
  }
  // 3. before the deadline
  expect(Date.now(), `${label}: returned ${ms} ms into a ${cell.budgetMs} ms budget`).toBeLessThanOrEqual(end + lagMs);
  return { response, lines, ms, lagMs };
}

const CELLS: Cell[] = [
  { name: 'healthy', budgetMs: ROOMY_BUDGET_MS, checks: [passing], expected: 'SUCCEEDED', because: /all 1 enforced checks passed/ },
  { name: 'check fails', budgetMs: ROOMY_BUDGET_MS, checks: [failing], expected: 'FAILED', because: /green answered 503/ },
  { name: 'check throws', budgetMs: ROOMY_BUDGET_MS, checks: [throwing], expected: 'FAILED', because: /TypeError: boom/ },
  { name: 'check hangs (ignores its signal)', budgetMs: SHORT_BUDGET_MS, checks: [hanging, passing], expected: 'FAILED', because: /hangs failed: deadline/ },
  { name: 'DescribeServiceDeployments throttled ×2', budgetMs: ROOMY_BUDGET_MS, checks: [passing], faults: [['DescribeServiceDeployments', { kind: 'throttle', times: 2 }]], expected: 'SUCCEEDED', because: /passed/ },
  { name: 'DescribeServiceRevisions 500 ×1', budgetMs: ROOMY_BUDGET_MS, checks: [passing], faults: [['DescribeServiceRevisions', { kind: 'error500', times: 1 }]], expected: 'SUCCEEDED', because: /passed/ },
  { name: 'DescribeServiceDeployments always throttled', budgetMs: SHORT_BUDGET_MS, checks: [passing], faults: [['DescribeServiceDeployments', { kind: 'throttle', times: 1000 }]], expected: 'FAILED', because: /could not resolve the deployment: DescribeServiceDeployments failed after \d+ attempt\(s\): ThrottlingException/ },
  { name: 'DescribeServiceDeployments never answers', budgetMs: SHORT_BUDGET_MS, checks: [passing], faults: [['DescribeServiceDeployments', { kind: 'hang', times: 1000 }]], expected: 'FAILED', because: /could not resolve the deployment: DescribeServiceDeployments failed/ },
  { name: 'DescribeServiceRevisions never answers', budgetMs: SHORT_BUDGET_MS, checks: [passing], faults: [['DescribeServiceRevisions', { kind: 'hang', times: 1000 }]], expected: 'FAILED', because: /DescribeServiceRevisions failed/ },
  { name: 'malformed: CodeDeploy event', budgetMs: ROOMY_BUDGET_MS, checks: [passing], event: { DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'x' }, expected: 'FAILED', because: /executionId is missing.*CodeDeploy event/ },
  { name: 'malformed: weights not numbers', budgetMs: ROOMY_BUDGET_MS, checks: [passing], event: ecsEvent('PRODUCTION_TRAFFIC_SHIFT', { executionDetails: { serviceArn: 'arn:aws:ecs:us-east-1:1:service/prod/web', targetServiceRevisionArn: GREEN, productionTrafficWeights: { [GREEN]: 'all' } } }), expected: 'FAILED', because: /productionTrafficWeights/ },
  { name: 'malformed: tampered bake state', budgetMs: ROOMY_BUDGET_MS, checks: [passing], bake: { intervalMs: 60_000, count: 3 }, event: ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: { [BAKE_STATE_KEY]: { v: 1, counts: { total: -1 } } } }), expected: 'FAILED', because: /hookDetails\.codedeployHooksBake/ },
  { name: 'malformed: null', budgetMs: ROOMY_BUDGET_MS, checks: [passing], event: null, expected: 'FAILED', because: /event must be an object/ },
];

describe('ECS-native fault matrix', () => {
  it.each(CELLS.map((c) => [c.name, c] as const))('%s', async (_name, cell) => {
    for (const [operation, fault] of cell.faults ?? []) ecs.fault(operation, fault);
    const malformed = 'event' in cell;
    const { response, lines, ms, lagMs } = await invoke(cell, malformed ? cell.event : ecsEvent('POST_TEST_TRAFFIC_SHIFT'), cell.name);
    expect(response.hookStatus, JSON.stringify(lines.at(-1))).toBe(cell.expected);
    // 2. SUCCEEDED only when ECS answered and every enforced check passed
    const verdict = lines.find((l) => typeof l.hookStatus === 'string' || l.level === 'ERROR');
    if (response.hookStatus === 'SUCCEEDED') {
      expect((verdict?.checks as { state: string }[]).every((c) => c.state === 'passed')).toBe(true);
      expect(ecs.calls).toContain('DescribeServiceRevisions');
    }
    // 4. one line that says why: the verdict line, or for a malformed event the error line (and no ECS call)
    const verdicts = lines.filter((l) => String(l.message ?? '').startsWith('ECS lifecycle hook verdict'));
    if (malformed) {
      expect(ecs.calls).toEqual([]);
      expect(lines.filter((l) => l.level === 'ERROR')).toHaveLength(1);
    } else {
      expect(verdicts).toHaveLength(1);
    }
    expect(`${String(verdict?.reason ?? '')} ${String(verdict?.message ?? '')}`).toMatch(cell.because);
    rows.push(`${cell.name.padEnd(44)} -> ${response.hookStatus.padEnd(11)} ${`${ms} ms of ${cell.budgetMs} ms`.padEnd(20)}${lagMs >= 50 ? ` (loop lag ${lagMs} ms)` : ''} ${String(verdict?.reason ?? verdict?.message ?? '').slice(0, 100)}`);
  }, 60_000);
});

describe('duplicate invocations of the same executionId', () => {
  const bake = { intervalMs: 60_000, count: 5 };

  it('two at once without a bake: the same verdict, and never SUCCEEDED from a failing check', async () => {
    const [a, b] = await Promise.all([invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [failing] }, ecsEvent(), 'dup a'), invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [failing] }, ecsEvent(), 'dup b')]);
    expect([a.response.hookStatus, b.response.hookStatus]).toEqual(['FAILED', 'FAILED']);
    rows.push(`${'duplicate ×2 at once, failing check'.padEnd(44)} -> FAILED ×2`);
  });

  it('two at once with the same bake state: the same next state, so no measurement counts twice', async () => {
    const first = await invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [passing], bake }, ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT'), 'first');
    const details = first.response.hookDetails!;
    // Due: move the state's clock back instead of waiting a minute.
    const state = details[BAKE_STATE_KEY] as { nextAt: number; lastAt: number; firstAt: number };
    // One reading of the clock: a state must have nextAt = lastAt + interval exactly (bake-scope.ts), and two
    // Date.now() calls a millisecond apart on a busy host would make it an impossible, FAILED state.
    const now = Date.now();
    const due = { [BAKE_STATE_KEY]: { ...state, nextAt: now - 1, lastAt: now - 60_001, firstAt: now - 60_001 } };
    const event = ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: due });
    const [a, b] = await Promise.all([invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [passing], bake }, event, 'dup a'), invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [passing], bake }, event, 'dup b')]);
    const counts = (r: EcsNativeHookResponse) => (r.hookDetails?.[BAKE_STATE_KEY] as { counts: { total: number } }).counts.total;
    expect([counts(a.response), counts(b.response)]).toEqual([2, 2]);
    rows.push(`${'duplicate ×2 at once, same bake state'.padEnd(44)} -> IN_PROGRESS ×2, both at measurement 2`);
  });

  it('again before the next measurement is due: nothing measured, the state returned unchanged', async () => {
    let runs = 0;
    const counting: Check = { name: 'counts', run: async () => (runs++, { state: 'passed', reason: 'ok' }) };
    const first = await invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [counting], bake }, ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT'), 'first');
    const again = await invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [counting], bake }, ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: first.response.hookDetails }), 'again');
    expect(runs).toBe(1);
    expect(again.response).toMatchObject({ hookStatus: 'IN_PROGRESS', hookDetails: first.response.hookDetails });
    expect(ecs.calls.filter((c) => c === 'DescribeServiceDeployments')).toHaveLength(1);
    rows.push(`${'duplicate before due'.padEnd(44)} -> IN_PROGRESS, not measured, same state`);
  });

  it('a throttled ECS during a bake counts as an errored measurement, not a FAILED rollback', async () => {
    ecs.fault('DescribeServiceDeployments', { kind: 'throttle', times: 1000 });
    const r = await invoke({ budgetMs: SHORT_BUDGET_MS, checks: [passing], bake }, ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT'), 'throttled bake');
    expect(r.response.hookStatus).toBe('IN_PROGRESS');
    expect(r.response.hookDetails?.[BAKE_STATE_KEY]).toMatchObject({ counts: { total: 1, error: 1 }, consecutiveErrors: 1 });
    rows.push(`${'bake, ECS always throttled'.padEnd(44)} -> IN_PROGRESS, measurement 1 errored (consecutiveErrorLimit decides)`);
  }, 30_000);
});

it('uses the documented ids only: the deployment looked up is the event resourceArn', async () => {
  await invoke({ budgetMs: ROOMY_BUDGET_MS, checks: [passing] }, ecsEvent('POST_TEST_TRAFFIC_SHIFT', { executionDetails: { serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', targetServiceRevisionArn: GREEN, productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } } }), 'ids');
  expect(ecs.calls.slice(0, 2)).toEqual(['DescribeServiceDeployments', 'DescribeServiceRevisions']);
  expect(DEPLOYMENT_ARN).toContain('service-deployment/');
});
