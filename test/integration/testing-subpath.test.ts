/**
 * `codedeploy-hooks/testing`: a user's unit test runs one hook handler
 * against the in-process emulator, with the deployment standing at the
 * hook's lifecycle event, and sees what it returned and reported.
 */
import { describe, expect, it } from 'vitest';
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
