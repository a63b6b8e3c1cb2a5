/**
 * The ECS-native stage player end to end, with hand-written hooks (fixtures/ecs-native/hooks.ts)
 * that answer each way ECS knows: stages in order with the documented payload weights,
 * IN_PROGRESS re-invocations after callBackDelay in simulated time with hookDetails carried,
 * a hook that never decides (its timeoutInMinutes, then ROLLBACK or CONTINUE), a malformed
 * answer, an alarm during a canary bake, and the rollback re-invoking the traffic-shift hooks.
 */
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';
import { createWorld } from '../../src/simulator/state/index.js';
import type { SimulationResult, TimelineEvent } from '../../src/simulator/index.js';
import { calls } from './fixtures/ecs-native/hooks.js';

const HOOKS = fileURLToPath(new URL('./fixtures/ecs-native/hooks.ts', import.meta.url));

function scenario(parts: { deployment: string; hooks: string; extra?: string }) {
  return parseScenario(`
name: ecs-native-test
platform: ECS-native
ecs: { cluster: shop, service: web }
deployment:
  timeScale: 600
${parts.deployment}
hooks:
${parts.hooks}
traffic: { requestsPerSecond: 10, path: /items }
${parts.extra ?? ''}
`, { file: 'inline.yaml' });
}

const hook = (stage: string, exp: string, more = '') =>
  `  ${stage}:\n    module: ${HOOKS}\n    export: ${exp}\n    functionName: hook-${stage.toLowerCase()}\n    timeoutSeconds: 30\n    env: { TEST_URL: "{{testUrl}}" }\n${more}`;

type Of<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
const events = <T extends TimelineEvent['type']>(r: SimulationResult, type: T): Of<T>[] => r.timeline.filter((e): e is Of<T> => e.type === type);
const stagesRun = (r: SimulationResult) => events(r, 'lifecycle').filter((e) => e.status !== 'InProgress').map((e) => `${e.lifecycleEvent}:${e.status}${e.message === 'rollback' ? ':rollback' : ''}`);

beforeEach(() => {
  calls.length = 0;
});

describe('ECS-native deployments in the simulator', () => {
  it('blue/green: every stage in order, the payload weights per stage, the service deployment SUCCESSFUL', async () => {
    const world = createWorld();
    const r = await simulate(scenario({
      deployment: '  strategy: BLUE_GREEN\n  bakeTimeInMinutes: 2',
      hooks: ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT']
        .map((s) => hook(s, s === 'POST_TEST_TRAFFIC_SHIFT' ? 'smoke' : 'record')).join(''),
    }), { world });
    expect(r.status).toBe('Succeeded');
    expect(r.platform).toBe('ECS-native');
    expect(stagesRun(r)).toEqual([
      'PRE_SCALE_UP:Succeeded', 'SCALE_UP:Succeeded', 'POST_SCALE_UP:Succeeded', 'TEST_TRAFFIC_SHIFT:Succeeded', 'POST_TEST_TRAFFIC_SHIFT:Succeeded',
      'PRE_PRODUCTION_TRAFFIC_SHIFT:Succeeded', 'PRODUCTION_TRAFFIC_SHIFT:Succeeded', 'POST_PRODUCTION_TRAFFIC_SHIFT:Succeeded', 'BAKE_TIME:Succeeded', 'CLEAN_UP:Succeeded',
    ]);
    const d = world.ecs.deployment(r.deploymentId);
    const green = d.targetServiceRevision.arn;
    const blue = d.sourceServiceRevisions[0]!.arn;
    const byStage = Object.fromEntries(calls.map((c) => [c.lifecycleStage, c]));
    expect(byStage.PRE_SCALE_UP!.executionDetails).toMatchObject({ productionTrafficWeights: {}, testTrafficWeights: {} });
    expect(byStage.PRE_PRODUCTION_TRAFFIC_SHIFT!.executionDetails.productionTrafficWeights).toEqual({ [green]: 0, [blue]: 100 });
    expect(byStage.PRODUCTION_TRAFFIC_SHIFT!.executionDetails.productionTrafficWeights).toEqual({ [green]: 100, [blue]: 0 });
    expect(byStage.PRODUCTION_TRAFFIC_SHIFT!.resourceArn).toBe(r.deploymentId);
    expect(d).toMatchObject({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' });
    expect(world.ecs.service(d.serviceArn).currentServiceRevisionArn).toBe(green);
    // The bake really waited its 2 simulated minutes.
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(120);
    expect(r.traffic.byVersion['2']?.total).toBeGreaterThan(0);
  });

  it('IN_PROGRESS: re-invoked after callBackDelay (simulated), with the returned hookDetails merged into the configured ones', async () => {
    const r = await simulate(scenario({
      deployment: '  strategy: BLUE_GREEN',
      hooks: hook('POST_TEST_TRAFFIC_SHIFT', 'twoLooks', '    hookDetails: { team: shop }\n'),
    }));
    expect(r.status).toBe('Succeeded');
    expect(calls.map((c) => c.hookDetails)).toEqual([{ team: 'shop' }, { team: 'shop', looks: 1 }]);
    expect(calls[0]!.executionId).toBe(calls[1]!.executionId);
    const invoked = events(r, 'hook-invoked');
    expect(invoked[1]!.simSeconds - invoked[0]!.simSeconds).toBeGreaterThanOrEqual(60);
  });

  it('a hook that stays IN_PROGRESS past its timeoutInMinutes rolls back (ROLLBACK), or lets the deployment go on (CONTINUE)', async () => {
    const stuck = await simulate(scenario({ deployment: '  strategy: BLUE_GREEN', hooks: hook('POST_TEST_TRAFFIC_SHIFT', 'forever', '    timeoutInMinutes: 10\n') }));
    expect(stuck).toMatchObject({ status: 'Failed', errorCode: 'TIMEOUT', rolledBack: true });
    expect(stuck.reason).toMatch(/POST_TEST_TRAFFIC_SHIFT hook .* timed out: .*IN_PROGRESS after 10 min/);
    // Every 120 s for 10 minutes: 5 invocations, and the rollback re-invoked nothing (the hook is not at a shift stage).
    expect(calls).toHaveLength(5);
    expect(stuck.simulatedSeconds).toBeGreaterThanOrEqual(600);
    calls.length = 0;
    const cont = await simulate(scenario({ deployment: '  strategy: BLUE_GREEN', hooks: hook('POST_TEST_TRAFFIC_SHIFT', 'forever', '    timeoutInMinutes: 4\n    timeoutAction: CONTINUE\n') }));
    expect(cont.status).toBe('Succeeded');
  });

  it('a malformed answer or a throw fails the stage and rolls back, naming what was returned', async () => {
    const r = await simulate(scenario({ deployment: '  strategy: BLUE_GREEN', hooks: hook('POST_SCALE_UP', 'malformed') }));
    expect(r).toMatchObject({ status: 'Failed', errorCode: 'HOOK_EXECUTION_FAILURE', rolledBack: true });
    expect(r.reason).toMatch(/POST_SCALE_UP hook hook-post_scale_up failed: the function returned hookStatus undefined/);
    expect(r.traffic.byVersion['2']).toBeUndefined();
  });

  it('canary: an alarm during the canary bake rolls back with green at the canary share; the rollback re-invokes the shift hooks with green at 0', async () => {
    const world = createWorld();
    const r = await simulate(scenario({
      deployment: '  strategy: CANARY\n  canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 10 }',
      hooks: hook('PRODUCTION_TRAFFIC_SHIFT', 'record') + hook('TEST_TRAFFIC_SHIFT', 'record'),
      extra: `versions: { target: { version: 2, errorRate: 1 } }
alarms:
  - name: green-5xx
    namespace: AWS/ApplicationELB
    metricName: HTTPCode_Target_5XX_Count
    dimensions: { LoadBalancer: "{{loadBalancer}}", TargetGroup: "{{greenTargetGroup}}" }
    period: 60
    threshold: 1`,
    }), { world });
    expect(r).toMatchObject({ status: 'Failed', errorCode: 'ALARM_ACTIVE', rolledBack: true });
    expect(r.reason).toMatch(/alarm green-5xx is in ALARM/);
    const d = world.ecs.deployment(r.deploymentId);
    const green = d.targetServiceRevision.arn;
    expect(d).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: expect.stringMatching(/green-5xx/) }, alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['green-5xx'] } });
    const prod = calls.filter((c) => c.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT').map((c) => c.executionDetails.productionTrafficWeights[green]);
    expect(prod).toEqual([20, 0]);
    expect(calls.filter((c) => c.lifecycleStage === 'TEST_TRAFFIC_SHIFT').map((c) => c.executionDetails.testTrafficWeights[green])).toEqual([100, 0]);
    expect(stagesRun(r).slice(-2)).toEqual(['PRODUCTION_TRAFFIC_SHIFT:Succeeded:rollback', 'TEST_TRAFFIC_SHIFT:Succeeded:rollback']);
    // Green never got more than the canary share before the rollback.
    expect(events(r, 'traffic').filter((e) => e.listener === 'production').map((e) => e.targetWeight)).toEqual([20, 0]);
  });

  it('linear: one PRE_PRODUCTION and PRODUCTION invocation per step', async () => {
    const r = await simulate(scenario({
      deployment: '  strategy: LINEAR\n  linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 }',
      hooks: hook('PRE_PRODUCTION_TRAFFIC_SHIFT', 'record') + hook('PRODUCTION_TRAFFIC_SHIFT', 'record'),
    }));
    expect(r.status).toBe('Succeeded');
    expect(calls.map((c) => `${c.lifecycleStage}:${Object.values(c.executionDetails.productionTrafficWeights).join('/')}`)).toEqual([
      'PRE_PRODUCTION_TRAFFIC_SHIFT:0/100', 'PRODUCTION_TRAFFIC_SHIFT:50/50', 'PRE_PRODUCTION_TRAFFIC_SHIFT:50/50', 'PRODUCTION_TRAFFIC_SHIFT:100/0',
    ]);
  });
});
