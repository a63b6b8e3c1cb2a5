/**
 * The blue/green APIs the engine now serves, through the real SDK clients:
 * ContinueDeployment (with each of its errors) and ELBv2 DescribeTargetHealth
 * (all targets, named ones, unknown groups), on a staged ECS deployment.
 */
import { ContinueDeploymentCommand, CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, startTestEnvironment, stageDeployment, type TestEnvironment } from '../../src/testing/index.js';

let env: TestEnvironment;
let cd: CodeDeployClient;
let elb: ElasticLoadBalancingV2Client;

beforeAll(async () => {
  env = await startTestEnvironment(parseScenario('platform: ECS\nversions: { target: { version: 2, healthyAfterSeconds: 36000 } }\n', { file: 'inline.yaml' }));
  const config = { endpoint: env.emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  cd = new CodeDeployClient(config);
  elb = new ElasticLoadBalancingV2Client(config);
});

afterAll(async () => {
  await env.close();
});

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

describe('ContinueDeployment', () => {
  it('ends an open ready wait: the deployment leaves status Ready', async () => {
    const { deploymentId } = stageDeployment(env, 'BeforeAllowTraffic');
    const wait = env.world.codeDeploy.openWait(deploymentId, 'READY_WAIT');
    expect((await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status).toBe('Ready');
    let continued = false;
    void wait.continued.then(() => (continued = true));
    await cd.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }));
    await Promise.resolve();
    expect(continued).toBe(true);
    wait.close();
    expect((await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status).toBe('InProgress');
  });

  it('answers the API\'s errors: not waiting, wrong wait type, invalid type, finished, unknown', async () => {
    const { deploymentId } = stageDeployment(env, 'BeforeAllowTraffic');
    expect(await errorName(cd.send(new ContinueDeploymentCommand({ deploymentId })))).toBe('DeploymentIsNotInReadyStateException');
    const wait = env.world.codeDeploy.openWait(deploymentId, 'TERMINATION_WAIT');
    expect(await errorName(cd.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' })))).toBe('DeploymentIsNotInReadyStateException');
    expect(await errorName(cd.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'SOON' as 'READY_WAIT' })))).toBe('InvalidDeploymentWaitTypeException');
    wait.close();
    env.world.codeDeploy.setDeploymentStatus(deploymentId, 'Succeeded');
    expect(await errorName(cd.send(new ContinueDeploymentCommand({ deploymentId })))).toBe('DeploymentAlreadyCompletedException');
    expect(await errorName(cd.send(new ContinueDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })))).toBe('DeploymentDoesNotExistException');
    expect(await errorName(cd.send(new ContinueDeploymentCommand({})))).toBe('DeploymentIdRequiredException');
  });

  it('is not supported for a Lambda deployment', async () => {
    const lambda = await startTestEnvironment('lambda-canary-healthy');
    try {
      const { deploymentId } = stageDeployment(lambda, 'BeforeAllowTraffic');
      expect(() => lambda.world.codeDeploy.continueDeployment(deploymentId, 'READY_WAIT')).toThrow(expect.objectContaining({ code: 'UnsupportedActionForDeploymentTypeException' }));
    } finally {
      await lambda.close();
    }
  });
});

describe('DescribeTargetHealth', () => {
  it('lists each task set\'s target: blue healthy, a green still starting unhealthy with its reason', async () => {
    const res = env.setup.ecs!;
    const blue = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: res.blueTargetGroupArn }));
    expect(blue.TargetHealthDescriptions).toEqual([
      { Target: { Id: '127.0.0.1', Port: expect.any(Number), AvailabilityZone: 'us-east-1a' }, HealthCheckPort: expect.stringMatching(/^\d+$/), TargetHealth: { State: 'healthy' } },
    ]);
    const green = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: res.greenTargetGroupArn }));
    expect(green.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [503]' });
  });

  it('names a target that is not registered as unused (Target.NotRegistered), and an unknown group as TargetGroupNotFound', async () => {
    const res = env.setup.ecs!;
    const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: res.blueTargetGroupArn, Targets: [{ Id: '10.0.0.9', Port: 8080 }] }));
    expect(out.TargetHealthDescriptions).toEqual([
      { Target: { Id: '10.0.0.9', Port: 8080 }, HealthCheckPort: '8080', TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' } },
    ]);
    const ghost = res.blueTargetGroupArn.replace(/targetgroup\/[^/]+/, 'targetgroup/ghost');
    expect(await errorName(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ghost })))).toMatch(/TargetGroupNotFound/);
  });
});
