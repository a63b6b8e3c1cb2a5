/**
 * StopDeployment with autoRollbackEnabled creates the rollback deployment
 * (creator codeDeployRollback, linked both ways) in every mode: while the
 * engine drives the deployment (simulate, during a hook or during the shift)
 * and on a deployment nothing drives (the testing helpers, the plain emulator).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';
import { createWorld, type World } from '../../src/simulator/state/index.js';
import { startTestEnvironment, stageDeployment } from '../../src/testing/index.js';

const HOOKS = resolve(import.meta.dirname, '../../examples/hooks');
const scenario = (yaml: string) => parseScenario(yaml, { file: 'inline.yaml', baseDir: HOOKS });

function rollbackOf(world: World, deploymentId: string) {
  const id = world.codeDeploy.getDeployment(deploymentId).rollbackInfo?.rollbackDeploymentId;
  return id ? world.codeDeploy.getDeployment(id) : undefined;
}

describe('StopDeployment with autoRollbackEnabled, driven by the engine', () => {
  it('rolls back and records the rollback deployment even when the group has automatic rollback off', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaLinear10PercentEvery1Minute, timeScale: 1000, autoRollback: false }
`),
      { world, onEvent: (e) => e.type === 'traffic' && e.targetWeight === 20 && world.codeDeploy.requestStop([...world.codeDeploy.deployments.keys()][0], true) },
    );
    expect(r.status).toBe('Stopped');
    expect(r.rolledBack).toBe(true);
    const rollback = rollbackOf(world, r.deploymentId);
    expect(rollback).toMatchObject({ creator: 'codeDeployRollback', status: 'Succeeded', rollbackInfo: { rollbackTriggeringDeploymentId: r.deploymentId } });
    expect(world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('1');
  });

  it('does not roll back when the request says autoRollbackEnabled: false, though the group would', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaLinear10PercentEvery1Minute, timeScale: 1000 }
`),
      { world, onEvent: (e) => e.type === 'traffic' && e.targetWeight === 20 && world.codeDeploy.requestStop([...world.codeDeploy.deployments.keys()][0], false) },
    );
    expect(r.status).toBe('Stopped');
    expect(r.rolledBack).toBe(false);
    expect(rollbackOf(world, r.deploymentId)).toBeUndefined();
    expect(world.codeDeploy.deployments.size).toBe(1);
  });

  it('a stop while a hook waits rolls back an ECS deployment and records the rollback', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: ECS
deployment: { timeScale: 1000 }
hooks:
  AfterAllowTestTraffic: { module: ./never-reports.ts, timeoutSeconds: 5 }
`),
      { world, onEvent: (e) => e.type === 'hook-invoked' && world.codeDeploy.requestStop([...world.codeDeploy.deployments.keys()][0], true) },
    );
    expect(r.status).toBe('Stopped');
    expect(r.rolledBack).toBe(true);
    const rollback = rollbackOf(world, r.deploymentId)!;
    expect(rollback.creator).toBe('codeDeployRollback');
    expect(world.codeDeploy.targetOf(rollback.deploymentId).targetId).toBe('sample-app-cluster:sample-app-service');
  });
});

describe('StopDeployment with autoRollbackEnabled, on a deployment nothing drives', () => {
  it('Lambda: stops, records the rollback deployment and moves the alias back to the current version', async () => {
    const env = await startTestEnvironment('lambda-canary-healthy');
    try {
      const { deploymentId } = stageDeployment(env, 'AfterAllowTraffic');
      expect(env.world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('2');
      expect(env.world.codeDeploy.requestStop(deploymentId, true).status).toBe('Succeeded');
      expect(env.world.codeDeploy.getDeployment(deploymentId).status).toBe('Stopped');
      expect(rollbackOf(env.world, deploymentId)).toMatchObject({ creator: 'codeDeployRollback', status: 'Succeeded' });
      expect(env.world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('1');
    } finally {
      await env.close();
    }
  });

  it('ECS: the group listeners go back to the blue target group', async () => {
    const env = await startTestEnvironment('ecs-bluegreen-healthy');
    try {
      const { deploymentId } = stageDeployment(env, 'AfterAllowTraffic');
      env.world.codeDeploy.requestStop(deploymentId);
      expect(rollbackOf(env.world, deploymentId)?.creator).toBe('codeDeployRollback');
      const forward = env.world.elbv2.listeners.get(env.setup.ecs!.productionListenerArn)!.DefaultActions[0]!.ForwardConfig.TargetGroups;
      expect(forward).toEqual([{ TargetGroupArn: env.setup.ecs!.blueTargetGroupArn, Weight: 1 }]);
      const blue = env.world.codeDeploy.targetOf(deploymentId);
      expect('taskSetsInfo' in blue && blue.taskSetsInfo.find((t) => t.taskSetLabel === 'Blue')?.status).toBe('PRIMARY');
    } finally {
      await env.close();
    }
  });

  it('without rollback (autoRollbackEnabled: false) no rollback deployment is created and traffic stays', async () => {
    const env = await startTestEnvironment('lambda-canary-healthy');
    try {
      const { deploymentId } = stageDeployment(env, 'AfterAllowTraffic');
      env.world.codeDeploy.requestStop(deploymentId, false);
      expect(rollbackOf(env.world, deploymentId)).toBeUndefined();
      expect(env.world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('2');
    } finally {
      await env.close();
    }
  });
});
