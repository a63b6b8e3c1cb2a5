import { describe, expect, it } from 'vitest';
import { AwsServiceError, createWorld } from '../../../src/simulator/state/index.js';

function lambdaWorld() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const world = createWorld({ now: () => now });
  world.codeDeploy.createApplication({ applicationName: 'app', computePlatform: 'Lambda' });
  world.codeDeploy.createDeploymentGroup({ applicationName: 'app', deploymentGroupName: 'dg' });
  const d = world.codeDeploy.createDeployment({
    applicationName: 'app', deploymentGroupName: 'dg',
    lambdaTarget: { functionName: 'fn', functionAlias: 'live', currentVersion: '1', targetVersion: '2' },
  });
  return { world, d, advance: (ms: number) => { now += ms; } };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AwsServiceError) return err.code;
    throw err;
  }
  return undefined;
}

describe('CodeDeploy world', () => {
  it('creates a Lambda deployment with one target and the Lambda lifecycle events', () => {
    const { world, d } = lambdaWorld();
    expect(d.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(d.deploymentConfigName).toBe('CodeDeployDefault.LambdaAllAtOnce');
    expect(world.codeDeploy.listDeploymentTargets(d.deploymentId)).toEqual(['fn:live']);
    const t = world.codeDeploy.getDeploymentTarget(d.deploymentId, 'fn:live');
    expect(t.deploymentTargetType).toBe('LambdaTarget');
    if (t.deploymentTargetType !== 'LambdaTarget') return;
    expect(t.lambdaTarget.lifecycleEvents.map((e) => [e.lifecycleEventName, e.status])).toEqual([
      ['BeforeAllowTraffic', 'Pending'], ['AllowTraffic', 'Pending'], ['AfterAllowTraffic', 'Pending'],
    ]);
    expect(t.lambdaTarget.lambdaFunctionInfo).toEqual({ functionName: 'fn', functionAlias: 'live', currentVersion: '1', targetVersion: '2', targetVersionWeight: 0 });
  });

  it('has every predefined Lambda and ECS configuration with its traffic routing', () => {
    const { world } = lambdaWorld();
    expect(world.codeDeploy.getDeploymentConfig('CodeDeployDefault.LambdaCanary10Percent5Minutes').trafficRoutingConfig)
      .toEqual({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } });
    expect(world.codeDeploy.getDeploymentConfig('CodeDeployDefault.ECSLinear10PercentEvery3Minutes').trafficRoutingConfig)
      .toEqual({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } });
    expect(world.codeDeploy.getDeploymentConfig('CodeDeployDefault.LambdaAllAtOnce').trafficRoutingConfig.type).toBe('AllAtOnce');
    expect(codeOf(() => world.codeDeploy.getDeploymentConfig('Nope'))).toBe('DeploymentConfigDoesNotExistException');
  });

  it('accepts exactly one report per hook execution and notifies subscribers once', () => {
    const { world, d, advance } = lambdaWorld();
    const exec = world.codeDeploy.createHookExecution(d.deploymentId, 'BeforeAllowTraffic');
    expect(world.codeDeploy.lifecycleEvent(d.deploymentId, 'BeforeAllowTraffic').status).toBe('InProgress');
    const seen: string[] = [];
    world.codeDeploy.onHookReport((r) => seen.push(`${r.lifecycleEventName}:${r.status}`));
    advance(1500);
    world.codeDeploy.reportHookExecution({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'Failed' });
    const ev = world.codeDeploy.lifecycleEvent(d.deploymentId, 'BeforeAllowTraffic');
    expect(ev.status).toBe('Failed');
    expect(ev.endTime!.getTime() - ev.startTime!.getTime()).toBe(1500);
    expect(codeOf(() => world.codeDeploy.reportHookExecution({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' })))
      .toBe('LifecycleEventAlreadyCompletedException');
    expect(world.codeDeploy.lifecycleEvent(d.deploymentId, 'BeforeAllowTraffic').status).toBe('Failed');
    expect(seen).toEqual(['BeforeAllowTraffic:Failed']);
  });

  it('rejects bad statuses, unknown ids and ids of other deployments with the real error codes', () => {
    const { world, d } = lambdaWorld();
    const other = world.codeDeploy.createDeployment({
      applicationName: 'app', deploymentGroupName: 'dg',
      lambdaTarget: { functionName: 'fn', functionAlias: 'live', currentVersion: '2', targetVersion: '3' },
    });
    const exec = world.codeDeploy.createHookExecution(d.deploymentId, 'BeforeAllowTraffic');
    const report = (input: Record<string, string | undefined>) => () => world.codeDeploy.reportHookExecution(input);
    expect(codeOf(report({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'SUCCEEDED' }))).toBe('InvalidLifecycleEventHookExecutionStatusException');
    expect(codeOf(report({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'InProgress' }))).toBe('InvalidLifecycleEventHookExecutionStatusException');
    expect(codeOf(report({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: 'nope', status: 'Succeeded' }))).toBe('InvalidLifecycleEventHookExecutionIdException');
    expect(codeOf(report({ deploymentId: other.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' }))).toBe('InvalidLifecycleEventHookExecutionIdException');
    expect(codeOf(report({ lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' }))).toBe('DeploymentIdRequiredException');
    expect(codeOf(report({ deploymentId: 'bogus', lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' }))).toBe('InvalidDeploymentIdException');
    expect(codeOf(report({ deploymentId: 'd-AAAAAAAAA', lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' }))).toBe('DeploymentDoesNotExistException');
    // none of those consumed the execution
    expect(world.codeDeploy.reportHookExecution({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' }).status).toBe('Succeeded');
  });

  it('waitForHookReport resolves on the report, on timeout, and rejects on abort', async () => {
    const { world, d } = lambdaWorld();
    const a = world.codeDeploy.createHookExecution(d.deploymentId, 'BeforeAllowTraffic');
    const waiting = world.codeDeploy.waitForHookReport(a.executionId, { timeoutMs: 5000 });
    world.codeDeploy.reportHookExecution({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: a.executionId, status: 'Succeeded' });
    await expect(waiting).resolves.toBe('Succeeded');
    await expect(world.codeDeploy.waitForHookReport(a.executionId)).resolves.toBe('Succeeded');

    const b = world.codeDeploy.createHookExecution(d.deploymentId, 'AfterAllowTraffic');
    await expect(world.codeDeploy.waitForHookReport(b.executionId, { timeoutMs: 10 })).resolves.toBe('timeout');
    const ac = new AbortController();
    const aborted = world.codeDeploy.waitForHookReport(b.executionId, { signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
  });

  it('an expired execution fails its event and later reports are already-completed', () => {
    const { world, d } = lambdaWorld();
    const exec = world.codeDeploy.createHookExecution(d.deploymentId, 'BeforeAllowTraffic');
    world.codeDeploy.expireHookExecution(exec.executionId);
    const ev = world.codeDeploy.lifecycleEvent(d.deploymentId, 'BeforeAllowTraffic');
    expect(ev.status).toBe('Failed');
    expect(ev.diagnostics?.errorCode).toBe('ScriptTimedOut');
    expect(codeOf(() => world.codeDeploy.reportHookExecution({ deploymentId: d.deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'Succeeded' })))
      .toBe('LifecycleEventAlreadyCompletedException');
  });

  it('StopDeployment notifies the engine when one listens, and stops the deployment itself otherwise', () => {
    const { world, d } = lambdaWorld();
    const requests: string[] = [];
    const off = world.codeDeploy.onStopRequest((r) => requests.push(r.deploymentId));
    expect(world.codeDeploy.requestStop(d.deploymentId).status).toBe('Pending');
    expect(requests).toEqual([d.deploymentId]);
    expect(world.codeDeploy.getDeployment(d.deploymentId).status).toBe('InProgress');
    off();
    expect(world.codeDeploy.requestStop(d.deploymentId).status).toBe('Succeeded');
    const stopped = world.codeDeploy.getDeployment(d.deploymentId);
    expect(stopped.status).toBe('Stopped');
    expect(stopped.completeTime).toBeInstanceOf(Date);
    expect(codeOf(() => world.codeDeploy.requestStop(d.deploymentId))).toBe('DeploymentAlreadyCompletedException');
  });

  it('tracks status, weights and ECS task sets as the engine moves them', () => {
    const { world, d } = lambdaWorld();
    world.codeDeploy.setLambdaTargetWeight(d.deploymentId, 10);
    const t = world.codeDeploy.targetOf(d.deploymentId);
    expect('lambdaFunctionInfo' in t && t.lambdaFunctionInfo.targetVersionWeight).toBe(10);
    world.codeDeploy.setDeploymentStatus(d.deploymentId, 'Failed', { code: 'HOOK_EXECUTION_FAILURE', message: 'hook failed' });
    expect(world.codeDeploy.getDeployment(d.deploymentId).errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(world.codeDeploy.getDeploymentGroup('app', 'dg').lastAttemptedDeployment?.status).toBe('Failed');
    expect(t.status).toBe('Failed');
  });
});

describe('request log', () => {
  it('keeps the newest requests when bounded', () => {
    const world = createWorld({ maxRecordedRequests: 10 });
    for (let i = 0; i < 25; i++) world.recordRequest({ service: 'lambda', operation: `Op${i}`, time: i });
    expect(world.requests.length).toBeLessThanOrEqual(10);
    expect(world.requests.at(-1)?.operation).toBe('Op24');
    expect(world.callsTo('lambda', 'Op24')).toHaveLength(1);
    expect(world.callsTo('lambda', 'Op0')).toHaveLength(0);
  });
});
