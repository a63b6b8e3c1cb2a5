/**
 * Review: the bake state that comes back in hookDetails is trusted as long as
 * it is well-formed. It names no deployment, stage or plan, so a state from
 * elsewhere (another stage of the same hook, another deployment), or one whose
 * times or counts do not fit the plan, is counted as this bake's history.
 */
import { DescribeServiceDeploymentsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BAKE_STATE_KEY, defineEcsNativeHook } from '../../../src/ecs-native/index.js';
import type { EcsNativeHookOptions } from '../../../src/ecs-native/index.js';
import type { Check } from '../../../src/types.js';
import { DEPLOYMENT_ARN, ecsEvent, mockEcs, SERVICE_ARN } from '../../helpers/ecs-native-mock.js';

const T0 = Date.parse('2026-04-01T00:00:00Z');
const passing = (): Check & { runs: number } => {
  const c = { name: 'probe', runs: 0, async run() { c.runs++; return { state: 'passed' as const, reason: 'ok' }; } };
  return c;
};
function hook(options: Pick<EcsNativeHookOptions, 'checks' | 'bake'>) {
  return defineEcsNativeHook({ clients: { ecs: new ECSClient({ region: 'us-east-1' }) }, maxDurationMs: 30_000, log: () => {}, ...options });
}
const state = (over: Record<string, unknown> = {}) => ({
  v: 1, firstAt: T0 - 60_000, lastAt: T0 - 60_000, nextAt: T0, counts: { total: 1, passed: 1, failed: 0, error: 0, inconclusive: 0 },
  consecutiveErrors: 0, last: { state: 'passed', reason: 'ok' }, ...over,
});

let ecs: ReturnType<typeof mockEcs>;
beforeEach(() => {
  ecs = mockEcs({ alarms: ['web-5xx'] });
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
});
afterEach(() => {
  ecs.restore();
  vi.useRealTimers();
});

describe('review: ECS-native bake state from hookDetails', () => {
  it('a state left by the same hook at PRODUCTION_TRAFFIC_SHIFT does not cut the POST_PRODUCTION_TRAFFIC_SHIFT bake to one look', async () => {
    // The ready production bake hook is registered at both stages; ECS keeps a hook's hookDetails "within a single deployment".
    const probe = passing();
    const handler = hook({ checks: [probe], bake: { intervalMs: 60_000, durationMs: 600_000 } });
    let details: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) {
      const r = await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', { hookDetails: details }));
      if (r.hookStatus !== 'IN_PROGRESS') break;
      details = { ...details, ...r.hookDetails }; // SUCCEEDED carries no hookDetails: the last IN_PROGRESS state stays merged
      vi.setSystemTime(Date.now() + r.callBackDelay! * 1000);
    }
    const runsAtShift = probe.runs;
    expect(runsAtShift).toBe(11);
    vi.setSystemTime(Date.now() + 30_000);
    const post = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { executionId: 'another-execution', hookDetails: details }));
    // A 10-minute bake at this stage has taken one measurement: it must go on (or fail as foreign), not pass.
    expect(probe.runs - runsAtShift).toBe(1);
    expect(post.hookStatus).not.toBe('SUCCEEDED');
  });

  it('a state returned for another service deployment is not counted for this one', async () => {
    const other = DEPLOYMENT_ARN.replace(/[^/]+$/, 'OtherDeploymentId0000');
    const handler = hook({ checks: [passing()], bake: { intervalMs: 60_000, count: 3 } });
    const foreign = { [BAKE_STATE_KEY]: state({ counts: { total: 2, passed: 2, failed: 0, error: 0, inconclusive: 0 } }) };
    // The README: "A tampered or foreign state is a HookEventError → FAILED".
    const r = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { resourceArn: other, hookDetails: foreign }));
    expect(r.hookStatus).not.toBe('SUCCEEDED');
  });

  it('a state whose counts already exceed the plan is rejected, not passed after one measurement', async () => {
    const handler = hook({ checks: [passing()], bake: { intervalMs: 60_000, count: 3 } });
    const r = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: { [BAKE_STATE_KEY]: state({ counts: { total: 500, passed: 500, failed: 0, error: 0, inconclusive: 0 } }) } }));
    expect(r.hookStatus).toBe('FAILED');
  });

  it('a state whose next measurement is days away is rejected, not held IN_PROGRESS until ECS times the hook out', async () => {
    // With timeoutConfiguration.action CONTINUE, ECS then moves on with nothing measured.
    const probe = passing();
    const handler = hook({ checks: [probe], bake: { intervalMs: 60_000, durationMs: 600_000 } });
    const r = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: { [BAKE_STATE_KEY]: state({ nextAt: T0 + 30 * 86_400_000 }) } }));
    expect(r.hookStatus === 'IN_PROGRESS' && r.callBackDelay! > 60).toBe(false);
  });

  it('a state whose first measurement is a year ahead is rejected, not measured for ever', async () => {
    // durationMs counts from firstAt: with firstAt in the future the bake's end never comes.
    const handler = hook({ checks: [passing()], bake: { intervalMs: 60_000, durationMs: 600_000 } });
    const r = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: { [BAKE_STATE_KEY]: state({ firstAt: T0 + 365 * 86_400_000, lastAt: T0 - 60_000 }) } }));
    expect(r.hookStatus).toBe('FAILED');
  });

  it('a DescribeServiceDeployments answer about another deployment is not read as this one (its rollback status passes the production bake)', async () => {
    ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: DEPLOYMENT_ARN.replace(/[^/]+$/, 'Older'), serviceArn: SERVICE_ARN, status: 'ROLLBACK_SUCCESSFUL' }],
      failures: [],
    });
    let rollback: boolean | undefined;
    const handler = hook({ checks: (ctx) => ((rollback = ctx.isRollback), [passing()]) });
    await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT'));
    expect(rollback).not.toBe(true);
  });
});
