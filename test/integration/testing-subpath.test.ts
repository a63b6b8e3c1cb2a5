/**
 * `codedeploy-hooks/testing`: a user's unit test runs one hook handler
 * against the in-process emulator, with the deployment standing at the
 * hook's lifecycle event, and sees what it returned and reported.
 */
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { defineHook } from '../../src/index.js';
import { lambdaErrorRate } from '../../src/checks/index.js';
import { codeDeployHook } from '../../src/middy/index.js';
import { runHook, startTestEnvironment } from '../../src/testing/index.js';
import { handler as reportStatus } from '../../examples/hooks/report-status.js';
import { handler as neverReports } from '../../examples/hooks/never-reports.js';
import { handler as preTraffic } from '../../hooks/pre-traffic.js';
import { handler as ecsTestTraffic } from '../../hooks/ecs-test-traffic.js';

describe('runHook', () => {
  it('runs a raw-SDK hook and records its report', async () => {
    const r = await runHook(reportStatus, { scenario: 'lambda-canary-healthy', lifecycleEvent: 'AfterAllowTraffic', env: { REPORT_STATUS: 'Failed' }, timeoutSeconds: 30 });
    expect(r.reportedStatus).toBe('Failed');
    expect(r.reportCalls).toBe(1);
    expect(r.returned).toMatchObject({ status: 'Failed' });
    // The context's remaining time counts down from the Lambda timeout.
    const remaining = (r.returned as { remainingMs: number }).remainingMs;
    expect(remaining).toBeGreaterThan(25_000);
    expect(remaining).toBeLessThanOrEqual(30_000);
    expect(r.world.codeDeploy.lifecycleEvent(r.deploymentId, 'AfterAllowTraffic').status).toBe('Failed');
    // AfterAllowTraffic comes after the shift: the alias is all on the new version.
    expect(r.world.lambda.getAlias('sample-app', 'live').FunctionVersion).toBe('2');
    // The environment is restored after the run.
    expect(process.env.REPORT_STATUS).toBeUndefined();
  });

  it('shows a hook that never reports', async () => {
    const r = await runHook(neverReports, { scenario: 'hook-never-reports' });
    expect(r.reportedStatus).toBeUndefined();
    expect(r.reportCalls).toBe(0);
    expect(r.returned).toEqual({ checked: 'InProgress' });
  });

  it('runs the repository pre-traffic hook against a broken version: Failed, with the failing check', async () => {
    const r = await runHook(preTraffic, { scenario: 'lambda-canary-broken-version' });
    expect(r.lifecycleEvent).toBe('BeforeAllowTraffic');
    expect(r.reportedStatus).toBe('Failed');
    expect(r.verdict?.status).toBe('Failed');
    expect(r.verdict?.checks.some((c) => c.state === 'failed' && c.reason.includes('function error'))).toBe(true);
  });

  it('runs the ECS test-traffic hook through the loopback test listener', async () => {
    const healthy = await runHook(ecsTestTraffic, { scenario: 'ecs-bluegreen-healthy', lifecycleEvent: 'AfterAllowTestTraffic' });
    expect(healthy.reportedStatus).toBe('Succeeded');
    const broken = await runHook(ecsTestTraffic, { scenario: 'ecs-bluegreen-broken-green' });
    expect(broken.reportedStatus).toBe('Failed');
    expect(broken.verdict?.reason).toContain('503');
  });

  it('rejects a lifecycle event the platform does not have', async () => {
    await expect(runHook(reportStatus, { scenario: 'lambda-canary-healthy', lifecycleEvent: 'AfterInstall' })).rejects.toThrow(
      'invalid option lifecycleEvent: expected one of BeforeAllowTraffic, AfterAllowTraffic',
    );
  });
});

/** The `Context` of @types/aws-lambda, as a user who has those types declares a handler: more fields than runHook's. */
interface AwsLambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: { cognitoIdentityId: string; cognitoIdentityPoolId: string };
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(messageOrObject: unknown): void;
}

describe('runHook drives production traffic as the simulator does', () => {
  const errorRateGate = defineHook({ checks: [lambdaErrorRate({ maxPercent: 1, lookbackMs: 120_000 })] });

  it('an AfterAllowTraffic metric gate sees the new version serving traffic and passes it', async () => {
    const r = await runHook(errorRateGate, { scenario: 'lambda-canary-healthy', lifecycleEvent: 'AfterAllowTraffic' });
    expect(r.verdict?.checks[0]?.reason).not.toMatch(/no data/i);
    expect(r.reportedStatus).toBe('Succeeded');
    // The scenario's 20 requests per second, all on version 2 after the shift.
    expect(r.traffic.byVersion['2']?.total).toBeGreaterThanOrEqual(20);
    expect(r.traffic.byVersion['1']).toBeUndefined();
  });

  it('the same gate fails a version that throws on every request', async () => {
    const r = await runHook(errorRateGate, { scenario: 'lambda-canary-broken-version', lifecycleEvent: 'AfterAllowTraffic' });
    expect(r.reportedStatus).toBe('Failed');
    expect(r.verdict?.checks[0]?.state).toBe('failed');
    expect(r.traffic.failed).toBeGreaterThan(0);
  });

  it('before AllowTraffic the traffic stays on the current version; requestsPerSecond: 0 sends none', async () => {
    const before = await runHook(reportStatus, { scenario: 'lambda-canary-healthy', lifecycleEvent: 'BeforeAllowTraffic', requestsPerSecond: 50, env: { REPORT_STATUS: 'Succeeded' } });
    expect(Object.keys(before.traffic.byVersion).every((v) => v === '1')).toBe(true);
    const none = await runHook(errorRateGate, { scenario: 'lambda-canary-healthy', lifecycleEvent: 'AfterAllowTraffic', requestsPerSecond: 0 });
    expect(none.traffic.total).toBe(0);
    // Without traffic the gate has nothing to measure: not a pass.
    expect(none.reportedStatus).toBe('Failed');
  });

  it('runs an ECS AfterAllowTraffic hook with production traffic on the green task set', async () => {
    const r = await runHook(reportStatus, { scenario: 'ecs-bluegreen-healthy', lifecycleEvent: 'AfterAllowTraffic', env: { REPORT_STATUS: 'Succeeded' } });
    expect(r.reportedStatus).toBe('Succeeded');
    expect(r.traffic.total).toBeGreaterThanOrEqual(20);
    expect(r.traffic.failed).toBe(0);
  });
});

describe('runHook accepts any Lambda handler and refuses options it cannot honour', () => {
  it('runs a middy-wrapped hook, its context typed as aws-lambda types it', async () => {
    const handler = middy<unknown, unknown, Error, AwsLambdaContext>()
      .use(codeDeployHook({ checks: [{ name: 'always', run: async () => ({ state: 'passed', reason: 'fine' }) }] }))
      .handler(async (_event, context) => ({ state: 'passed' as const, reason: `ran as ${context.functionName}` }));
    const r = await runHook(handler, { scenario: 'lambda-canary-healthy', lifecycleEvent: 'BeforeAllowTraffic' });
    expect(r.reportedStatus).toBe('Succeeded');
    expect(r.reportCalls).toBe(1);
    expect(r.verdict?.checks.map((c) => c.name).sort()).toEqual(['always', 'handler']);
    // The handler got a Lambda context with the hook function's name.
    expect(r.verdict?.checks.find((c) => c.name === 'handler')?.reason).toBe('ran as CodeDeployHook_sample-app-pre-traffic');
  });

  it('refuses timeoutSeconds 0 (and other non-Lambda timeouts) before starting anything', async () => {
    for (const timeoutSeconds of [0, -1, Number.NaN, 901]) {
      await expect(runHook(reportStatus, { scenario: 'lambda-canary-healthy', timeoutSeconds })).rejects.toThrow(
        'invalid option timeoutSeconds: must be more than 0 and at most 900',
      );
    }
  });

  it('refuses a negative requestsPerSecond', async () => {
    await expect(runHook(reportStatus, { scenario: 'lambda-canary-healthy', requestsPerSecond: -5 })).rejects.toThrow('invalid option requestsPerSecond');
  });
});

describe('startTestEnvironment', () => {
  it('serves the scenario world to real SDK clients until closed', async () => {
    const env = await startTestEnvironment('lambda-canary-healthy');
    try {
      const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
      const client = new LambdaClient({ endpoint: env.env.AWS_ENDPOINT_URL, region: env.env.AWS_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      const out = await client.send(new InvokeCommand({ FunctionName: 'sample-app', Qualifier: '2', Payload: JSON.stringify({ path: '/items/1' }) }));
      expect(out.ExecutedVersion).toBe('2');
      const body = JSON.parse(Buffer.from(out.Payload!).toString()) as { statusCode: number; body: string };
      expect(body.statusCode).toBe(200);
      expect(JSON.parse(body.body)).toMatchObject({ id: '1', name: 'canary' });
    } finally {
      await env.close();
    }
  });
});
