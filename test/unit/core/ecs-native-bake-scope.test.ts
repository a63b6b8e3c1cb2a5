/**
 * The bake state in hookDetails names the bake it measures (deployment,
 * stage, step, plan): another bake's state is set aside (a fresh bake), a
 * state of this very bake that it could not have left is a HookEventError.
 */
import { DescribeServiceDeploymentsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BAKE_STATE_KEY, defineEcsNativeHook } from '../../../src/ecs-native/index.js';
import type { EcsNativeBakeOptions, EcsNativeHookResponse } from '../../../src/ecs-native/index.js';
import type { Check } from '../../../src/types.js';
import { BLUE, DEPLOYMENT_ARN, ecsEvent, GREEN, mockEcs } from '../../helpers/ecs-native-mock.js';

const T0 = Date.parse('2026-04-01T00:00:00Z');
const STAGE = 'POST_PRODUCTION_TRAFFIC_SHIFT';
const PLAN: EcsNativeBakeOptions = { intervalMs: 60_000, durationMs: 600_000, count: 5, failureLimit: 1 };

let ecs: ReturnType<typeof mockEcs>;
let runs: number;
let lines: Record<string, unknown>[];
const probe: Check = { name: 'probe', run: async () => (runs++, { state: 'passed', reason: 'ok' }) };

function hook(bake: EcsNativeBakeOptions = PLAN) {
  return defineEcsNativeHook({ clients: { ecs: new ECSClient({ region: 'us-east-1' }) }, maxDurationMs: 30_000, log: (l) => void lines.push(JSON.parse(l) as Record<string, unknown>), checks: [probe], bake });
}
type State = Record<string, unknown> & { firstAt: number; counts: Record<string, number>; scope: Record<string, string> };
const stateOf = (r: EcsNativeHookResponse) => r.hookDetails![BAKE_STATE_KEY] as State;

/** A genuine state: the first measurement at T0 - 60 s, the next one due now (T0). */
async function genuine(event = ecsEvent(STAGE), bake = PLAN): Promise<State> {
  vi.setSystemTime(T0 - 60_000);
  const first = await hook(bake)(event);
  vi.setSystemTime(T0);
  runs = 0;
  lines = [];
  return stateOf(first);
}
const withState = (state: unknown, event = ecsEvent(STAGE)) => ({ ...event, hookDetails: { path: '/health', [BAKE_STATE_KEY]: state } });

beforeEach(() => {
  ecs = mockEcs({ alarms: ['web-5xx'] });
  runs = 0;
  lines = [];
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
});
afterEach(() => {
  ecs.restore();
  vi.useRealTimers();
});

describe('a bake state names its bake', () => {
  it('returns the scope with the state and carries a genuine state on (measurement 2)', async () => {
    const state = await genuine();
    expect(state.scope).toEqual({ deployment: expect.stringMatching(/^[0-9a-f]{16}$/), stage: STAGE, step: expect.stringMatching(/^[0-9a-f]{16}$/), plan: expect.stringContaining('interval 60000') });
    const r = await hook()(withState(state));
    expect(r.hookStatus).toBe('IN_PROGRESS');
    expect(stateOf(r).counts.total).toBe(2);
    expect(stateOf(r).firstAt).toBe(T0 - 60_000);
  });

  it('keeps the same scope for the same weights in another key order', async () => {
    const details = (w: Record<string, number>) => ({ executionDetails: { ...(ecsEvent().executionDetails as object), productionTrafficWeights: w } });
    const state = await genuine(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', details({ [GREEN]: 10, [BLUE]: 90 })));
    const r = await hook()(withState(state, ecsEvent('PRODUCTION_TRAFFIC_SHIFT', details({ [BLUE]: 90, [GREEN]: 10 }))));
    expect(stateOf(r).counts.total).toBe(2);
  });
});

describe('another bake\'s state is set aside: this bake starts afresh', () => {
  const cases: [string, () => Promise<Record<string, unknown>>][] = [
    ['another stage', async () => withState(await genuine(ecsEvent('PRODUCTION_TRAFFIC_SHIFT')))],
    [
      'another canary step (other production weights)',
      async () => {
        const at = (green: number) => ecsEvent('PRODUCTION_TRAFFIC_SHIFT', { executionDetails: { ...(ecsEvent().executionDetails as object), productionTrafficWeights: { [GREEN]: green, [BLUE]: 100 - green } } });
        return withState(await genuine(at(10)), at(50));
      },
    ],
    ['another plan', async () => withState(await genuine(ecsEvent(STAGE), { ...PLAN, count: 3 }))],
    ['another service deployment', async () => withState(await genuine(ecsEvent(STAGE, { resourceArn: DEPLOYMENT_ARN.replace(/[^/]+$/, 'Other') })))],
  ];
  for (const [name, event] of cases) {
    it(name, async () => {
      const r = await hook()(await event());
      expect(r.hookStatus).toBe('IN_PROGRESS');
      expect(runs).toBe(1);
      expect(stateOf(r)).toMatchObject({ firstAt: T0, lastAt: T0, counts: { total: 1, passed: 1 } });
      expect(lines.at(-1)?.reason).toMatch(/the bake state in hookDetails is of another .*; this bake starts afresh/);
    });
  }

  it('a state of PRODUCTION_TRAFFIC_SHIFT does not shorten the POST_PRODUCTION_TRAFFIC_SHIFT bake: it takes all its measurements', async () => {
    const handler = hook({ intervalMs: 60_000, count: 3 });
    let details: Record<string, unknown> = {};
    for (const stage of ['PRODUCTION_TRAFFIC_SHIFT', STAGE]) {
      runs = 0;
      for (let i = 0; i < 10; i++) {
        const r = await handler(ecsEvent(stage, { hookDetails: details }));
        if (r.hookStatus !== 'IN_PROGRESS') {
          expect(r.hookStatus).toBe('SUCCEEDED');
          break;
        }
        details = { ...details, ...r.hookDetails };
        vi.setSystemTime(Date.now() + r.callBackDelay! * 1000);
      }
      expect(runs).toBe(3);
    }
  });
});

describe('a state of this very bake that it could not have left is a HookEventError → FAILED', () => {
  const cases: [string, (s: State) => unknown, RegExp][] = [
    ['no scope (written by hand or an older version)', ({ scope: _, ...s }) => s, /codedeployHooksBake\.scope is missing/],
    ['a malformed scope', (s) => ({ ...s, scope: { ...s.scope, step: 7 } }), /codedeployHooksBake\.scope\.step must be a string/],
    ['counts at the planned count', (s) => ({ ...s, counts: { total: 5, passed: 5, failed: 0, error: 0, inconclusive: 0 } }), /counts\.total is 5, but the plan takes 5/],
    ['failed measurements over failureLimit', (s) => ({ ...s, counts: { total: 2, passed: 0, failed: 2, error: 0, inconclusive: 0 } }), /counts\.failed is 2, over failureLimit 1/],
    ['more measurements than fit between firstAt and lastAt', (s) => ({ ...s, counts: { total: 4, passed: 4, failed: 0, error: 0, inconclusive: 0 } }), /more measurements than fit/],
    ['nextAt days away', (s) => ({ ...s, nextAt: T0 + 30 * 86_400_000 }), /nextAt must be lastAt \+ intervalMs/],
    ['firstAt a year ahead', (s) => ({ ...s, firstAt: T0 + 365 * 86_400_000 }), /firstAt is \d+ ms in the future/],
    ['lastAt in the future, nextAt one interval later', (s) => ({ ...s, lastAt: T0 + 3_600_000, nextAt: T0 + 3_660_000 }), /lastAt is \d+ ms in the future/],
    ['lastAt before firstAt', (s) => ({ ...s, lastAt: s.firstAt - 60_000, nextAt: s.firstAt }), /lastAt is before firstAt/],
    ['firstAt two days ago', (s) => ({ ...s, firstAt: T0 - 2 * 86_400_000 }), /firstAt is more than 24 h ago/],
    ['a bake past its duration', (s) => ({ ...s, firstAt: T0 - 600_001, counts: { total: 2, passed: 2, failed: 0, error: 0, inconclusive: 0 } }), /past the bake's end/],
  ];
  for (const [name, tamper, because] of cases) {
    it(name, async () => {
      const state = tamper(await genuine());
      const r = await hook()(withState(state));
      expect(r).toEqual({ hookStatus: 'FAILED' });
      expect(runs).toBe(0);
      expect(lines.map((l) => l.message).join('\n')).toMatch(because);
    });
  }

  it('is FAILED too when the state is not due yet (the check comes before the duplicate path)', async () => {
    const state = await genuine();
    vi.setSystemTime(T0 - 30_000);
    expect(await hook()(withState({ ...state, counts: { total: 9, passed: 9, failed: 0, error: 0, inconclusive: 0 } }))).toEqual({ hookStatus: 'FAILED' });
  });
});

describe('DescribeServiceDeployments about another deployment', () => {
  it('is FAILED naming the requested ARN, never read as this deployment', async () => {
    const older = DEPLOYMENT_ARN.replace(/[^/]+$/, 'Older');
    ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: older, status: 'ROLLBACK_SUCCESSFUL' }], failures: [] });
    let checked = false;
    const handler = defineEcsNativeHook({ clients: { ecs: new ECSClient({ region: 'us-east-1' }) }, maxDurationMs: 30_000, log: (l) => void lines.push(JSON.parse(l) as Record<string, unknown>), checks: () => ((checked = true), [probe]) });
    expect(await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT'))).toEqual({ hookStatus: 'FAILED' });
    expect(checked).toBe(false);
    expect(lines.at(-1)?.reason).toEqual(expect.stringContaining(`found no deployment ${DEPLOYMENT_ARN}: it answered about ${older} instead`));
  });
});
