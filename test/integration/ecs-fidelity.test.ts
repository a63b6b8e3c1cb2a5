/**
 * ECS blue/green behaviour that changes outcomes: target health behind the
 * unhealthy-host gate, the termination wait (alarms still watched), the ready
 * wait (deploymentReadyOption, ContinueDeployment), a group without a test
 * listener, and a version serving its own response body.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';
import type { SimulationResult, TimelineEvent } from '../../src/simulator/index.js';
import { createWorld } from '../../src/simulator/state/index.js';
import { startTestEnvironment, stageDeployment } from '../../src/testing/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const scenario = (yaml: string) => parseScenario(yaml, { file: 'inline.yaml', baseDir: ROOT });
const productionWeights = (r: SimulationResult) =>
  r.timeline
    .filter((e): e is Extract<TimelineEvent, { type: 'traffic' }> => e.type === 'traffic' && e.listener === 'production')
    .map((e) => (e.rollback ? `rollback:${e.targetWeight}` : e.targetWeight));
const infos = (r: SimulationResult) => r.timeline.flatMap((e) => (e.type === 'info' ? [e.message] : []));

const POST_TRAFFIC_HOOK = `
  AfterAllowTraffic:
    module: hooks/ecs-post-traffic.ts
    timeoutSeconds: 30
    env: { CODEDEPLOY_HOOKS_BAKE_DURATION_MS: "600", CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS: "300" }
`;

describe('ECS target health', () => {
  it('a green task that never becomes healthy is unhealthy in DescribeTargetHealth and fails the ready hook\'s unhealthy-host gate', async () => {
    const world = createWorld();
    let greenHealth: unknown;
    const r = await simulate(
      scenario(`
platform: ECS
versions: { target: { version: 2, healthyAfterSeconds: 36000 } }
deployment: { timeScale: 100 }
hooks:${POST_TRAFFIC_HOOK}
`),
      {
        world,
        onEvent: (e) => {
          if (e.type !== 'hook-invoked') return;
          const green = world.elbv2.targetGroupByName('sample-app-service-green')!;
          greenHealth = world.elbv2.describeTargetHealth({ TargetGroupArn: green.TargetGroupArn });
        },
      },
    );
    expect(greenHealth).toEqual([
      expect.objectContaining({ TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [503]' } }),
    ]);
    expect(r.status).toBe('Failed');
    expect(r.rolledBack).toBe(true);
    const gate = r.hooks[0]!.verdict!.checks[0]!;
    expect(gate.state).toBe('failed');
    expect(gate.reason).toContain('UnHealthyHostCount');
  });

  it('a healthy green passes the same gate on host-count data, not on "no data"', async () => {
    const world = createWorld();
    const r = await simulate(scenario(`
platform: ECS
deployment: { timeScale: 100 }
hooks:${POST_TRAFFIC_HOOK}
`), { world });
    expect(r.status).toBe('Succeeded');
    const gate = r.hooks[0]!.verdict!.checks[0]!;
    expect(gate.state).toBe('passed');
    expect(gate.reason).not.toContain('noData');
    expect(gate.details?.noData).toBeUndefined();
    // The host counts as the ALB publishes them: per target group and load balancer, green healthy.
    const green = world.elbv2.targetGroupByName('sample-app-service-green')!;
    const lb = [...world.elbv2.loadBalancers.values()][0]!;
    const dims = [
      { Name: 'TargetGroup', Value: green.TargetGroupArn.split(':').slice(5).join(':') },
      { Name: 'LoadBalancer', Value: lb.LoadBalancerArn.split(':loadbalancer/')[1]! },
    ];
    const out = world.cloudWatch.getMetricData({
      MetricDataQueries: ['HealthyHostCount', 'UnHealthyHostCount'].map((MetricName, i) => ({ Id: `m${i}`, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName, Dimensions: dims }, Period: 60, Stat: 'Maximum' } })),
      StartTime: Date.now() - 600_000,
      EndTime: Date.now() + 60_000,
    });
    expect(out.MetricDataResults.map((m) => Math.max(...m.Values))).toEqual([1, 0]);
  });

  it('a green that starts within the smoke test\'s health wait (60 s) passes it: the test listener answers 503 until then', async () => {
    const smokeTest = (healthyAfterSeconds: number) =>
      simulate(scenario(`
platform: ECS
versions: { target: { version: 2, healthyAfterSeconds: ${healthyAfterSeconds} } }
deployment: { timeScale: 100 }
hooks:
  AfterAllowTestTraffic:
    module: hooks/ecs-test-traffic.ts
    env: { CODEDEPLOY_HOOKS_HTTP_REQUESTS: '[{"path":"/health","expectStatus":200}]', CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS: "60000" }
`));
    expect((await smokeTest(20)).status).toBe('Succeeded');
    const never = await smokeTest(36000);
    expect(never.status).toBe('Failed');
    expect(never.hooks[0]!.verdict!.reason).toContain('503');
  });
});

describe('ECS termination wait (terminationWaitTimeInMinutes)', () => {
  it('production traffic on a green task still starting is 503s: its 5xx alarm fires during the wait and the deployment rolls back', async () => {
    const r = await simulate(scenario(`
platform: ECS
versions: { target: { version: 2, healthyAfterSeconds: 36000 } }
deployment: { timeScale: 1000, terminationWaitTimeInMinutes: 10 }
alarms:
  - name: green-5xx
    namespace: AWS/ApplicationELB
    metricName: HTTPCode_Target_5XX_Count
    dimensions: { LoadBalancer: "{{loadBalancer}}", TargetGroup: "{{greenTargetGroup}}" }
    threshold: 5
traffic: { requestsPerSecond: 10 }
`));
    expect(r.status).toBe('Stopped');
    expect(r.errorCode).toBe('ALARM_ACTIVE');
    expect(r.reason).toContain('green-5xx');
    expect(r.traffic.byVersion['2']!.failed).toBe(r.traffic.byVersion['2']!.total);
    expect(productionWeights(r)).toEqual([100, 'rollback:0']);
  });

  it('keeps blue running for the wait; an alarm during it stops the deployment and production returns to blue', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: ECS
deployment: { timeScale: 1000, terminationWaitTimeInMinutes: 5 }
alarms:
  - { name: late, namespace: Custom, metricName: Anything, threshold: 1, treatMissingData: ignore }
`),
      {
        world,
        onEvent: (e) => {
          if (e.type === 'info' && e.message.startsWith('waiting')) world.cloudWatch.setAlarmState({ AlarmName: 'late', StateValue: 'ALARM', StateReason: 'errors after the shift' });
        },
      },
    );
    expect(r.status).toBe('Stopped');
    expect(r.errorCode).toBe('ALARM_ACTIVE');
    expect(r.rolledBack).toBe(true);
    expect(productionWeights(r)).toEqual([100, 'rollback:0']);
    expect(world.codeDeploy.getDeployment(r.deploymentId).instanceTerminationWaitTimeStarted).toBe(true);
  });

  it('without an alarm the deployment succeeds after the whole wait, and the group shows the setting', async () => {
    const world = createWorld();
    const r = await simulate(scenario(`
platform: ECS
deployment: { timeScale: 1000, terminationWaitTimeInMinutes: 5 }
`), { world });
    expect(r.status).toBe('Succeeded');
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(300);
    expect(infos(r)).toContain('termination wait over: terminating the original task set');
    const group = world.codeDeploy.getDeploymentGroup('sample-app', 'sample-app-group');
    expect(group.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess).toEqual({ action: 'TERMINATE', terminationWaitTimeInMinutes: 5 });
  });

  it('ContinueDeployment(TERMINATION_WAIT) ends the wait early', async () => {
    const world = createWorld();
    const r = await simulate(
      scenario(`
platform: ECS
deployment: { timeScale: 1000, terminationWaitTimeInMinutes: 60 }
`),
      { world, onEvent: (e) => e.type === 'info' && e.message.startsWith('waiting') && world.codeDeploy.continueDeployment(world.codeDeploy.listDeployments()[0], 'TERMINATION_WAIT') },
    );
    expect(r.status).toBe('Succeeded');
    expect(r.simulatedSeconds).toBeLessThan(3600);
    expect(infos(r)).toContain('ContinueDeployment (TERMINATION_WAIT): terminating the original task set now');
  });
});

describe('ECS ready wait (deploymentReadyOption)', () => {
  const READY = `
platform: ECS
deployment:
  timeScale: 1000
  deploymentReadyOption: { actionOnTimeout: STOP_DEPLOYMENT, waitTimeInMinutes: 10 }
`;

  it('STOP_DEPLOYMENT: the deployment is Ready, and without ContinueDeployment it is Stopped before production traffic moves', async () => {
    const world = createWorld();
    let statusDuringWait = '';
    const r = await simulate(scenario(READY), {
      world,
      onEvent: (e) => {
        if (e.type === 'info' && e.message.startsWith('status Ready')) statusDuringWait = world.codeDeploy.getDeployment(world.codeDeploy.listDeployments()[0]).status;
      },
    });
    expect(statusDuringWait).toBe('Ready');
    expect(r.status).toBe('Stopped');
    expect(r.errorCode).toBe('TIMEOUT');
    expect(r.reason).toContain('no ContinueDeployment within the ready wait (10 min (simulated)');
    expect(productionWeights(r)).toEqual([]);
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(600);
  });

  it('ContinueDeployment(READY_WAIT) reroutes production traffic and the deployment succeeds', async () => {
    const world = createWorld();
    const r = await simulate(scenario(READY), {
      world,
      onEvent: (e) => e.type === 'info' && e.message.startsWith('status Ready') && world.codeDeploy.continueDeployment(world.codeDeploy.listDeployments()[0], undefined),
    });
    expect(r.status).toBe('Succeeded');
    expect(productionWeights(r)).toEqual([100]);
    expect(r.simulatedSeconds).toBeLessThan(600);
  });
});

describe('a deployment group without a test listener', () => {
  it('has no AllowTestTraffic events, no test route and one listener; the deployment still runs its hooks', async () => {
    const world = createWorld();
    const r = await simulate(
      parseScenario(`
platform: ECS
ecs: { testListener: false }
deployment: { timeScale: 1000 }
hooks:
  AfterInstall: { module: ./report-status.ts }
  BeforeAllowTraffic: { module: ./report-status.ts }
`, { file: 'inline.yaml', baseDir: resolve(ROOT, 'examples/hooks') }),
      { world },
    );
    expect(r.status).toBe('Succeeded');
    expect(r.hooks.map((h) => h.status)).toEqual(['Succeeded', 'Succeeded']);
    const events = world.codeDeploy.targetOf(r.deploymentId).lifecycleEvents.map((e) => e.lifecycleEventName);
    expect(events).toEqual(['BeforeInstall', 'Install', 'AfterInstall', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);
    expect(r.timeline.some((e) => e.type === 'lifecycle' && e.lifecycleEvent.includes('TestTraffic'))).toBe(false);
    const pair = world.codeDeploy.getDeploymentGroup('sample-app', 'sample-app-group').loadBalancerInfo!.targetGroupPairInfoList![0]!;
    expect(pair.testTrafficRoute).toBeUndefined();
    expect(world.elbv2.listeners.size).toBe(1);
  });

  it('refuses an AfterAllowTestTraffic hook, a testPort and {{testUrl}} with an error naming the field', () => {
    expect(() => scenario(`
platform: ECS
ecs: { testListener: false }
hooks: { AfterAllowTestTraffic: { module: hooks/ecs-test-traffic.ts } }
`)).toThrow(/hooks\.AfterAllowTestTraffic: needs a test listener/);
    expect(() => scenario('platform: ECS\necs: { testListener: false, testPort: 9000 }\n')).toThrow(/ecs\.testPort: is only allowed when the group has a test listener/);
    expect(() => scenario(`
platform: ECS
ecs: { testListener: false }
hooks: { AfterInstall: { module: hooks/ecs-test-traffic.ts, env: { URL: "{{testUrl}}/health" } } }
`)).toThrow(/hooks\.AfterInstall\.env\.URL: \{\{testUrl\}\} needs a test listener/);
  });
});

describe('a version with its own response body', () => {
  it('ECS: green answers the body through the test listener while blue answers the application\'s', async () => {
    const env = await startTestEnvironment(scenario(`
platform: ECS
versions: { target: { version: 2, body: '{"greeting":"hello from v2"}' } }
`));
    try {
      stageDeployment(env, 'AfterAllowTestTraffic');
      const test = await fetch(`http://127.0.0.1:${env.net!.test.port}/items`).then((res) => res.text());
      const production = await fetch(`http://127.0.0.1:${env.net!.production.port}/items`).then((res) => res.text());
      expect(test).toBe('{"greeting":"hello from v2"}');
      expect(production).not.toBe(test);
      expect(production.length).toBeGreaterThan(0);
    } finally {
      await env.close();
    }
  });

  it('Lambda: the version invoked returns the body in its web result', async () => {
    const env = await startTestEnvironment(scenario(`
platform: Lambda
versions: { target: { version: 2, body: changed } }
`));
    try {
      const invoke = (qualifier: string) => env.world.lambda.invoke({ functionName: 'sample-app', qualifier, payload: JSON.stringify({ rawPath: '/items' }) });
      expect(JSON.parse((await invoke('2')).payload)).toMatchObject({ statusCode: 200, body: 'changed' });
      expect(JSON.parse((await invoke('1')).payload).body).not.toBe('changed');
    } finally {
      await env.close();
    }
  });

  it('refuses healthyAfterSeconds outside ECS and a non-string body', () => {
    expect(() => scenario('platform: Lambda\nversions: { target: { version: 2, healthyAfterSeconds: 5 } }\n')).toThrow(/versions\.target\.healthyAfterSeconds: is only allowed when platform is ECS/);
    expect(() => scenario('platform: Lambda\nversions: { target: { version: 2, body: { a: 1 } } }\n')).toThrow(/versions\.target\.body: expected a string, got a mapping/);
    expect(() => scenario('platform: Lambda\ndeployment: { terminationWaitTimeInMinutes: 5 }\n')).toThrow(/deployment\.terminationWaitTimeInMinutes: is only allowed when platform is ECS/);
    expect(() => scenario('platform: ECS\ndeployment: { deploymentReadyOption: { actionOnTimeout: STOP_DEPLOYMENT } }\n')).toThrow(/deploymentReadyOption\.waitTimeInMinutes: is required/);
  });
});
