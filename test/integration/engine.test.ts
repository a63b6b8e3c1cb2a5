/**
 * The deployment engine's paths beyond the built-in scenarios, with tiny raw-SDK
 * hooks from examples/hooks: linear shifting, StopDeployment, an alarm set
 * through the API, a hook that crashes, one that hangs into its Lambda timeout.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';
import { createWorld } from '../../src/simulator/state/index.js';
import type { SimulationResult, TimelineEvent } from '../../src/simulator/index.js';

const HOOKS = resolve(import.meta.dirname, '../../examples/hooks');
const scenario = (yaml: string) => parseScenario(yaml, { file: 'inline.yaml', baseDir: HOOKS });
const weights = (r: SimulationResult) =>
  r.timeline.filter((e): e is Extract<TimelineEvent, { type: 'traffic' }> => e.type === 'traffic').map((e) => (e.rollback ? `rollback:${e.targetWeight}` : e.targetWeight));

describe('deployment engine', () => {
  it('linear configuration: weights move step by step and the world shows each step', async () => {
    const world = createWorld();
    const seen: number[] = [];
    // What GetDeploymentTarget would show at each shift.
    const weightInWorld = () => {
      const target = world.codeDeploy.targetOf([...world.codeDeploy.deployments.keys()][0]!);
      return 'lambdaFunctionInfo' in target ? target.lambdaFunctionInfo.targetVersionWeight : -1;
    };
    const r = await simulate(
      scenario(`
platform: Lambda
deployment:
  config: { type: TimeBasedLinear, timeBasedLinear: { linearPercentage: 25, linearInterval: 1 } }
  timeScale: 1000
hooks:
  BeforeAllowTraffic: { module: ./report-status.ts }
`),
      { world, onEvent: (e) => e.type === 'traffic' && seen.push(weightInWorld()) },
    );
    expect(r.status).toBe('Succeeded');
    expect(weights(r)).toEqual([25, 50, 75, 100]);
    expect(seen).toEqual([25, 50, 75, 100]);
    // 3 intervals of a minute, compressed 1000x.
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(180);
    expect(r.hooks[0]!.status).toBe('Succeeded');
  });

  it('StopDeployment through the API stops the deployment and rolls back', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaLinear10PercentEvery1Minute, timeScale: 1000 }
`),
      {
        world,
        onEvent: (e) => {
          if (e.type === 'traffic' && e.targetWeight === 30) world.codeDeploy.requestStop([...world.codeDeploy.deployments.keys()][0]);
        },
      },
    );
    expect(r.status).toBe('Stopped');
    expect(r.errorCode).toBe('MANUAL_STOP');
    expect(weights(r)).toEqual([10, 20, 30, 'rollback:0']);
    expect(world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('1');
  });

  it('an alarm set to ALARM through the API stops the deployment (ALARM_ACTIVE)', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaCanary10Percent5Minutes, timeScale: 300 }
alarms:
  - { name: manual, namespace: Custom, metricName: Anything, threshold: 1, treatMissingData: ignore }
`),
      {
        world,
        onEvent: (e) => {
          if (e.type === 'traffic' && e.targetWeight === 10) world.cloudWatch.setAlarmState({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'operator says no' });
        },
      },
    );
    expect(r.status).toBe('Stopped');
    expect(r.errorCode).toBe('ALARM_ACTIVE');
    expect(r.reason).toContain('alarm manual is in ALARM (operator says no)');
    expect(weights(r)).toEqual([10, 'rollback:0']);
  });

  it('a hook that throws before reporting leaves CodeDeploy waiting until the (scaled) hour passes', async () => {
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { timeScale: 1000, hookWaitSeconds: 600 }
hooks:
  BeforeAllowTraffic: { module: ./throws.ts }
`),
    );
    expect(r.status).toBe('Failed');
    expect(r.errorCode).toBe('TIMEOUT');
    expect(r.hooks[0]).toMatchObject({ status: 'NoReport', outcome: 'threw' });
    expect(r.reason).toContain("the function failed: TypeError: Cannot read properties of undefined (reading 'DeploymentId')");
  });

  it('a hook that hangs runs into its Lambda timeout (timeoutSeconds, simulated time)', async () => {
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { timeScale: 1000, hookWaitSeconds: 1800 }
hooks:
  BeforeAllowTraffic: { module: ./hangs.ts, timeoutSeconds: 1 }
`),
    );
    expect(r.status).toBe('Failed');
    expect(r.hooks[0]).toMatchObject({ status: 'NoReport', outcome: 'timed-out', error: 'Task timed out after 1.00 seconds' });
    // The invocation's duration is simulated time, as Lambda would report it: exactly its timeout.
    expect(r.hooks[0]!.durationMs).toBe(1000);
  });

  it('without autoRollback a failed deployment leaves traffic where it was', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaAllAtOnce, timeScale: 1000, autoRollback: false }
hooks:
  AfterAllowTraffic: { module: ./report-status.ts, env: { REPORT_STATUS: Failed } }
`),
      { world },
    );
    expect(r.status).toBe('Failed');
    expect(r.rolledBack).toBe(false);
    expect(r.reason).toContain('automatic rollback is disabled');
    expect(world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('2');
  });
});

describe('one simulation per process', () => {
  it('a second simulate() while one runs is a setup error, and the first still ends normally', async () => {
    const yaml = `
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaCanary10Percent5Minutes, timeScale: 1000 }
`;
    const first = simulate(scenario(yaml));
    // Let the first one start its clock.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
    await expect(simulate(scenario(yaml))).rejects.toThrow(/another simulation is running in this process/);
    const r = await first;
    expect(r.status).toBe('Succeeded');
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(300);
  });
});
