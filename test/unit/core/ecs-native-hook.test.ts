import { ECSClient, DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BAKE_STATE_KEY, defineEcsNativeHook } from '../../../src/ecs-native/index.js';
import type { EcsNativeHookContext, EcsNativeHookOptions } from '../../../src/ecs-native/index.js';
import { OptionsError } from '../../../src/errors.js';
import type { Check, CheckState, HookContext } from '../../../src/types.js';
import { BLUE, DEPLOYMENT_ARN, GREEN, ecsEvent, mockEcs } from '../../helpers/ecs-native-mock.js';

const T0 = Date.parse('2026-04-01T00:00:00Z');

function sinkLines() {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}

function scripted(states: CheckState[]) {
  let runs = 0;
  const check: Check = {
    name: 'scripted',
    async run() {
      const state = states[Math.min(runs, states.length - 1)]!;
      runs++;
      return { state, reason: `run ${runs}: ${state}` };
    },
  };
  return { check, runs: () => runs };
}

function hook(options: Partial<EcsNativeHookOptions> & Pick<EcsNativeHookOptions, 'checks'>) {
  const sink = sinkLines();
  const handler = defineEcsNativeHook({ clients: { ecs: new ECSClient({ region: 'us-east-1' }) }, maxDurationMs: 30_000, log: sink.log, ...options });
  return { handler, ...sink };
}

let ecs: ReturnType<typeof mockEcs>;
beforeEach(() => {
  ecs = mockEcs({ alarms: ['web-5xx'] });
});
afterEach(() => {
  ecs.restore();
  vi.useRealTimers();
});

describe('defineEcsNativeHook', () => {
  it('returns SUCCEEDED when every enforced check passed, with a typed context from the ECS API', async () => {
    let seen: HookContext | undefined;
    const { handler, lines } = hook({ checks: (ctx) => ((seen = ctx), [scripted(['passed']).check]) });
    expect(await handler(ecsEvent('POST_TEST_TRAFFIC_SHIFT'))).toEqual({ hookStatus: 'SUCCEEDED' });
    const ctx = seen as EcsNativeHookContext;
    expect(ctx).toMatchObject({
      platform: 'ECS',
      lifecycleEvent: 'AfterAllowTestTraffic',
      deploymentId: DEPLOYMENT_ARN,
      cluster: 'prod',
      service: 'web',
      isRollback: false,
      greenTaskSet: { identifier: GREEN, targetGroupName: 'web-green' },
      blueTaskSet: { identifier: BLUE, targetGroupName: 'web-blue' },
      targetGroups: ['web-blue', 'web-green'],
      testListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web-alb/50dc6c495c0c9188/aaaabbbbccccdddd'],
      productionListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2'],
    });
    expect(ctx.ecsNative).toMatchObject({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      status: 'IN_PROGRESS',
      strategy: 'BLUE_GREEN',
      targetRevision: { arn: GREEN, taskDefinition: expect.stringContaining('task-definition/web:8'), images: [{ containerName: 'app', image: 'web:v2' }] },
      alarms: { enabled: true, rollback: true, names: ['web-5xx'] },
    });
    // The alarms check reads the "deployment group": for ECS native, the deployment's alarm configuration.
    expect((await ctx.deploymentGroup()).alarms).toEqual({ enabled: true, ignorePollAlarmFailure: false, names: ['web-5xx'] });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    expect(lines.at(-1)).toMatchObject({ hookStatus: 'SUCCEEDED', status: 'Succeeded', lifecycleEvent: 'POST_TEST_TRAFFIC_SHIFT', executionId: 'f4fcae0f-9bec-41c6-ba87-0eaa0cef8af5' });
  });

  it('falls back to DescribeServices for alarms when the deployment carries none', async () => {
    ecs.restore();
    ecs = mockEcs();
    let group;
    const { handler } = hook({ checks: async (ctx) => ((group = await ctx.deploymentGroup()), [scripted(['passed']).check]) });
    await handler(ecsEvent());
    expect(group).toMatchObject({ alarms: { enabled: true, names: ['svc-5xx'] } });
  });

  it('returns FAILED, with the reason in the verdict line, when a check fails', async () => {
    const { handler, lines } = hook({ checks: [scripted(['failed']).check] });
    expect(await handler(ecsEvent())).toEqual({ hookStatus: 'FAILED' });
    expect(lines.at(-1)).toMatchObject({ hookStatus: 'FAILED', level: 'WARN', reason: expect.stringContaining('scripted failed: run 1: failed') });
  });

  it('returns FAILED, never throws, for a malformed event, logging the field', async () => {
    const { handler, lines } = hook({ checks: [scripted(['passed']).check] });
    expect(await handler({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'x' })).toEqual({ hookStatus: 'FAILED' });
    expect(await handler(undefined)).toEqual({ hookStatus: 'FAILED' });
    expect(lines[0]).toMatchObject({ level: 'ERROR', error: 'HookEventError', message: expect.stringContaining('executionId') });
    expect(ecs.calls()).toHaveLength(0);
  });

  it('returns FAILED when the deployment cannot be found', async () => {
    ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [], failures: [{ arn: DEPLOYMENT_ARN, reason: 'MISSING' }] });
    const { handler, lines } = hook({ checks: [scripted(['passed']).check] });
    expect(await handler(ecsEvent())).toEqual({ hookStatus: 'FAILED' });
    expect(lines.at(-1)?.reason).toMatch(/could not resolve the deployment: .*MISSING/);
  });

  it('tells a rollback by the stage and the deployment status, not the weights alone', async () => {
    const flipped = { executionDetails: { ...(ecsEvent().executionDetails as object), productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } } };
    const seen: boolean[] = [];
    const { handler } = hook({ checks: (ctx) => (seen.push(ctx.isRollback), [scripted(['passed']).check]) });
    await handler(ecsEvent('PRE_PRODUCTION_TRAFFIC_SHIFT', flipped));
    // AWS's documented rule for the stages it re-invokes on a rollback.
    await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', flipped));
    ecs.restore();
    ecs = mockEcs({ status: 'ROLLBACK_IN_PROGRESS', rollback: { reason: 'alarm web-5xx' } });
    await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', flipped));
    expect(seen).toEqual([false, true, true]);
  });

  it('passes a bypass with its reason', async () => {
    const { handler, lines } = hook({ checks: [scripted(['failed']).check], bypass: { reason: 'incident 42' } });
    expect(await handler(ecsEvent())).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(lines.at(-1)).toMatchObject({ bypass: { reason: 'incident 42' } });
  });

  it('validates its options when defined, naming the field', () => {
    const field = (o: object) => {
      try {
        defineEcsNativeHook({ checks: [scripted(['passed']).check], ...o });
      } catch (e) {
        expect(e).toBeInstanceOf(OptionsError);
        return (e as OptionsError).field;
      }
      return 'accepted';
    };
    expect(field({ bake: { intervalMs: 1500, count: 2 } })).toBe('bake.intervalMs');
    expect(field({ bake: { intervalMs: 60_000 } })).toBe('bake');
    expect(field({ bake: { intervalMs: 60_000, count: 2, failureLimit: -2 } })).toBe('bake.failureLimit');
    expect(field({ bake: { intervalMs: 60_000, durationMs: 90_000_000 } })).toBe('bake.durationMs');
    expect(field({ bake: { intervalMs: 60_000, count: 2, every: 1 } })).toBe('bake.every');
    expect(field({ resolveRetry: { attempts: 1, delayMs: 0 } })).toBe('resolveRetry');
    expect(field({ concurrency: 0 })).toBe('concurrency');
    expect(field({ bake: { intervalMs: 60_000, count: 2 } })).toBe('accepted');
  });
});

describe('bakes across invocations', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  });

  /** Invokes as ECS would: the hookDetails of each IN_PROGRESS response come back merged into the next event. */
  async function invokeUntilDone(handler: ReturnType<typeof hook>['handler'], stage = 'POST_PRODUCTION_TRAFFIC_SHIFT', max = 20) {
    const responses = [];
    let details: Record<string, unknown> = { path: '/health' };
    for (let i = 0; i < max; i++) {
      const response = await handler(ecsEvent(stage, { hookDetails: details }));
      responses.push(response);
      if (response.hookStatus !== 'IN_PROGRESS') break;
      details = { ...details, ...response.hookDetails };
      vi.setSystemTime(Date.now() + response.callBackDelay! * 1000);
    }
    return responses;
  }

  it('returns IN_PROGRESS with callBackDelay and the state in hookDetails until the bake passes', async () => {
    const probe = scripted(['passed']);
    const { handler, lines } = hook({ checks: [probe.check], bake: { intervalMs: 60_000, durationMs: 120_000 } });
    const responses = await invokeUntilDone(handler);
    expect(responses.map((r) => r.hookStatus)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED']);
    expect(responses[0]).toMatchObject({ callBackDelay: 60, hookDetails: { [BAKE_STATE_KEY]: { v: 1, counts: { total: 1, passed: 1 } } } });
    expect(Buffer.byteLength(JSON.stringify(responses[1]!.hookDetails))).toBeLessThan(1000);
    expect(probe.runs()).toBe(3);
    expect(lines.at(-1)).toMatchObject({ hookStatus: 'SUCCEEDED', reason: expect.stringContaining('3 measurements: 3 passed') });
    expect(lines[0]).toMatchObject({ hookStatus: 'IN_PROGRESS', status: 'InProgress', level: 'INFO' });
  });

  it('keeps failureLimit across invocations', async () => {
    const probe = scripted(['failed', 'passed', 'failed', 'passed']);
    const { handler, lines } = hook({ checks: [probe.check], bake: { intervalMs: 30_000, count: 10, failureLimit: 1 } });
    const responses = await invokeUntilDone(handler);
    expect(responses.map((r) => r.hookStatus)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'FAILED']);
    expect(lines.at(-1)?.reason).toMatch(/2 failed > failureLimit 1/);
  });

  it('measures nothing when invoked again before the next measurement is due (a duplicate)', async () => {
    const probe = scripted(['passed']);
    const { handler } = hook({ checks: [probe.check], bake: { intervalMs: 60_000, count: 3 } });
    const first = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT'));
    vi.setSystemTime(T0 + 5_000);
    const again = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: first.hookDetails }));
    expect(again).toEqual({ hookStatus: 'IN_PROGRESS', callBackDelay: 55, hookDetails: first.hookDetails });
    expect(probe.runs()).toBe(1);
  });

  it('does not bake a rollback: its checks run once and decide', async () => {
    const flipped = { executionDetails: { ...(ecsEvent().executionDetails as object), productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } } };
    const { handler } = hook({ checks: [scripted(['passed']).check], bake: { intervalMs: 60_000, count: 3 } });
    expect(await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', flipped))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect((await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT'))).hookStatus).toBe('IN_PROGRESS');
  });

  it('fails closed on a tampered bake state', async () => {
    const { handler } = hook({ checks: [scripted(['passed']).check], bake: { intervalMs: 60_000, count: 3 } });
    expect(await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: { [BAKE_STATE_KEY]: { v: 1, counts: 'all passed' } } }))).toEqual({ hookStatus: 'FAILED' });
  });

  it('fails at once, without a bake step, when the settings are invalid', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BYPASS_REASON', ' ');
    try {
      const { handler } = hook({ checks: [scripted(['passed']).check], bake: { intervalMs: 60_000, count: 3 } });
      expect(await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT'))).toEqual({ hookStatus: 'FAILED' });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
