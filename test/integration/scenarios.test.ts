/**
 * Every built-in scenario, run in-process end to end (real hooks from hooks/,
 * real SDK clients against the loopback emulator), reaches its expected
 * outcome for the reason the scenario is about.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulator/index.js';
import { createWorld } from '../../src/simulator/state/index.js';
import type { SimulationResult, TimelineEvent } from '../../src/simulator/index.js';

type Of<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
const events = <T extends TimelineEvent['type']>(r: SimulationResult, type: T): Of<T>[] => r.timeline.filter((e): e is Of<T> => e.type === type);
const lifecycle = (r: SimulationResult) => events(r, 'lifecycle').filter((e) => e.status !== 'InProgress').map((e) => `${e.lifecycleEvent}:${e.status}`);

describe('built-in scenarios', () => {
  it('lambda-canary-healthy: both hooks pass, the alias ends on version 2', async () => {
    const world = createWorld();
    const r = await simulate('lambda-canary-healthy', { world });
    expect(r.status).toBe('Succeeded');
    expect(r.status).toBe(r.expect);
    expect(r.rolledBack).toBe(false);
    expect(lifecycle(r)).toEqual(['BeforeAllowTraffic:Succeeded', 'AllowTraffic:Succeeded', 'AfterAllowTraffic:Succeeded']);
    // The canary moved 10% then 100%, and real traffic reached version 2 during it.
    expect(events(r, 'traffic').map((e) => e.targetWeight)).toEqual([10, 100]);
    expect(r.traffic.byVersion['2']?.total).toBeGreaterThan(0);
    expect(r.traffic.failed).toBe(0);
    // The hooks' verdicts are the ones they reported, check by check.
    const pre = r.hooks.find((h) => h.lifecycleEvent === 'BeforeAllowTraffic')!;
    expect(pre.status).toBe('Succeeded');
    expect(pre.verdict?.status).toBe('Succeeded');
    expect(pre.verdict?.checks.length).toBeGreaterThanOrEqual(2);
    expect(pre.verdict?.checks.every((c) => c.state === 'passed')).toBe(true);
    expect(r.hooks.find((h) => h.lifecycleEvent === 'AfterAllowTraffic')?.status).toBe('Succeeded');
    // The world agrees: deployment Succeeded, alias fully on version 2, exactly one report per hook.
    expect(world.codeDeploy.getDeployment(r.deploymentId).status).toBe('Succeeded');
    const alias = world.lambda.getAlias('sample-app', 'live');
    expect(alias.FunctionVersion).toBe('2');
    expect(alias.RoutingConfig).toBeUndefined();
    expect(world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus')).toHaveLength(2);
  });

  it('lambda-canary-broken-version: the pre-traffic hook fails it before any traffic moves', async () => {
    const world = createWorld();
    const r = await simulate('lambda-canary-broken-version', { world, timeScale: 300 });
    expect(r.status).toBe('Failed');
    expect(r.errorCode).toBe('HOOK_EXECUTION_FAILURE');
    expect(r.rolledBack).toBe(true);
    expect(lifecycle(r)).toEqual(['BeforeAllowTraffic:Failed']);
    expect(r.reason).toMatch(/BeforeAllowTraffic hook .* reported Failed: .*function error/);
    expect(r.traffic.byVersion['2']).toBeUndefined();
    const failed = r.hooks[0]!.verdict!.checks.filter((c) => c.state !== 'passed');
    expect(failed.length).toBeGreaterThan(0);
    expect(r.hooks[1]!.status).toBe('NotRun');
    const target = world.codeDeploy.targetOf(r.deploymentId);
    expect(target.lifecycleEvents.map((e) => e.status)).toEqual(['Failed', 'Skipped', 'Skipped']);
    // CodeDeploy's rollback is a deployment of its own, linked both ways.
    const info = world.codeDeploy.getDeployment(r.deploymentId).rollbackInfo;
    expect(info?.rollbackDeploymentId).toMatch(/^d-/);
    expect(world.codeDeploy.getDeployment(info!.rollbackDeploymentId!).creator).toBe('codeDeployRollback');
  });

  it('lambda-alarm-during-canary: the error alarm fires during the canary and CodeDeploy rolls back', async () => {
    const world = createWorld();
    const r = await simulate('lambda-alarm-during-canary', { world });
    expect(r.status).toBe('Stopped');
    expect(r.errorCode).toBe('ALARM_ACTIVE');
    expect(r.rolledBack).toBe(true);
    expect(r.reason).toContain('alarm sample-app-new-version-errors is in ALARM');
    // The pre-traffic hook passed: it only checked /health.
    expect(r.hooks[0]!.status).toBe('Succeeded');
    expect(lifecycle(r)).toEqual(['BeforeAllowTraffic:Succeeded', 'AllowTraffic:Failed']);
    // The alarm went to ALARM because version 2 really failed requests.
    expect(events(r, 'alarm').some((e) => e.alarmName === 'sample-app-new-version-errors' && e.state === 'ALARM')).toBe(true);
    expect(r.traffic.byVersion['2']!.failed).toBeGreaterThanOrEqual(2);
    // Traffic went 20% to version 2, then back to 0%.
    const shifts = events(r, 'traffic');
    expect(shifts.map((e) => [e.targetWeight, Boolean(e.rollback)])).toEqual([
      [20, false],
      [0, true],
    ]);
    expect(world.lambda.getAlias('sample-app', 'live')).toMatchObject({ FunctionVersion: '1' });
    expect(world.lambda.getAlias('sample-app', 'live').RoutingConfig).toBeUndefined();
  });

  it('hook-never-reports: CodeDeploy waits the (scaled) hour, then fails the deployment', async () => {
    const world = createWorld();
    const r = await simulate('hook-never-reports', { world, timeScale: 2000 });
    expect(r.status).toBe('Failed');
    expect(r.errorCode).toBe('TIMEOUT');
    expect(r.hooks[0]).toMatchObject({ status: 'NoReport', outcome: 'returned' });
    expect(r.reason).toContain('did not report a status within 1 h (simulated)');
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(3600);
    expect(r.durationMs).toBeLessThan(10_000);
    // The hook printed its log line; the simulator kept it instead of letting it reach stdout.
    expect(r.hooks[0]!.logs.join('')).toContain('forgot to report a status');
    expect(world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus')).toHaveLength(0);
    expect(world.codeDeploy.lifecycleEvent(r.deploymentId, 'BeforeAllowTraffic').diagnostics?.errorCode).toBe('ScriptTimedOut');
  });

  it('ecs-bluegreen-healthy: smoke test through the real test listener, bake, production ends on green', async () => {
    const world = createWorld();
    let listenerPorts: number[] = [];
    let dns: string | undefined;
    const r = await simulate('ecs-bluegreen-healthy', {
      world,
      onEvent: (e) => {
        // While the deployment runs, the ELBv2 API describes the loopback listeners as they are.
        if (e.type === 'lifecycle' && e.lifecycleEvent === 'AfterAllowTestTraffic' && e.status === 'InProgress') {
          const lb = [...world.elbv2.loadBalancers.values()][0]!;
          dns = lb.DNSName;
          listenerPorts = world.elbv2.describeListeners({ LoadBalancerArn: lb.LoadBalancerArn }).map((l) => l.Port);
        }
      },
    });
    expect(r.status).toBe('Succeeded');
    expect(lifecycle(r)).toEqual([
      'BeforeInstall:Skipped',
      'Install:Succeeded',
      'AfterInstall:Skipped',
      'AllowTestTraffic:Succeeded',
      'AfterAllowTestTraffic:Succeeded',
      'BeforeAllowTraffic:Skipped',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Succeeded',
    ]);
    expect(dns).toBe('127.0.0.1');
    expect(listenerPorts).toHaveLength(2);
    expect(listenerPorts.every((p) => p > 1024)).toBe(true);
    expect(events(r, 'traffic').map((e) => `${e.listener}:${e.targetWeight}`)).toEqual(['test:100', 'production:10', 'production:100']);
    expect(r.traffic.byVersion['2']?.total).toBeGreaterThan(0);
    expect(r.hooks.map((h) => h.status)).toEqual(['Succeeded', 'Succeeded']);
    // The test-traffic hook found the test listener through the real ELBv2 API.
    expect(world.callsTo('elbv2').length).toBeGreaterThan(0);
    const taskSets = world.codeDeploy.targetOf(r.deploymentId);
    expect('taskSetsInfo' in taskSets && taskSets.taskSetsInfo.find((t) => t.taskSetLabel === 'Green')).toMatchObject({ status: 'PRIMARY', trafficWeight: 100 });
    // The proxies recorded ALB target-group metrics with the real dimensions.
    const metrics = world.cloudWatch.metrics.metrics().filter((m) => m.Namespace === 'AWS/ApplicationELB' && m.MetricName === 'RequestCount');
    expect(metrics.some((m) => m.Dimensions?.some((d) => d.Name === 'TargetGroup' && d.Value.startsWith('targetgroup/sample-tg-green/')))).toBe(true);
  });

  it('ecs-bluegreen-broken-green: the smoke test through the test listener fails and the test listener returns to blue', async () => {
    const r = await simulate('ecs-bluegreen-broken-green', { timeScale: 300 });
    expect(r.status).toBe('Failed');
    expect(r.status).toBe(r.expect);
    expect(r.errorCode).toBe('HOOK_EXECUTION_FAILURE');
    expect(r.rolledBack).toBe(true);
    expect(r.reason).toContain('503');
    expect(events(r, 'traffic').map((e) => `${e.listener}:${e.targetWeight}${e.rollback ? ':rollback' : ''}`)).toEqual(['test:100', 'test:0:rollback']);
    // Production traffic never reached green.
    expect(r.traffic.byVersion['2']).toBeUndefined();
  });
});
