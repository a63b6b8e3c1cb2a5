import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { defineHook } from '../../src/index.js';
import { startFakeCodeDeploy } from '../helpers/fake-codedeploy-server.js';
import { lambdaContext } from '../helpers/codedeploy-mock.js';

const EVENT = { DeploymentId: 'd-WIRE00001', LifecycleEventHookExecutionId: 'opaque-exec-id' };
let fake: Awaited<ReturnType<typeof startFakeCodeDeploy>> | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function client(url: string) {
  return new CodeDeployClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

describe('Integration: real CodeDeploy client over loopback HTTP', () => {
  it('puts exactly one status report on the wire, camelCase, with the event ids', async () => {
    fake = await startFakeCodeDeploy();
    const handler = defineHook({
      checks: [{ name: 'ok', run: async () => ({ state: 'passed', reason: 'ok' }) }],
      clients: { codeDeploy: client(fake.url) },
      log: () => {},
    });
    const verdict = await handler(EVENT, lambdaContext(10_000));
    const reports = fake.calls.filter((c) => c.operation === 'PutLifecycleEventHookExecutionStatus');
    expect(verdict).toMatchObject({ status: 'Succeeded', reported: true, lifecycleEvent: 'BeforeAllowTraffic' });
    expect(reports).toEqual([
      { operation: 'PutLifecycleEventHookExecutionStatus', body: { deploymentId: 'd-WIRE00001', lifecycleEventHookExecutionId: 'opaque-exec-id', status: 'Succeeded' } },
    ]);
    expect(fake.calls.map((c) => c.operation)).toEqual(['GetDeployment', 'ListDeploymentTargets', 'GetDeploymentTarget', 'PutLifecycleEventHookExecutionStatus']);
  });

  it('retries a 503 on the report and lands exactly one accepted report', async () => {
    let failures = 1;
    fake = await startFakeCodeDeploy((call) =>
      call.operation === 'PutLifecycleEventHookExecutionStatus' && failures-- > 0 ? { status: 503, body: { __type: 'ServiceUnavailableException', message: 'busy' } } : undefined,
    );
    const handler = defineHook({
      checks: [{ name: 'bad', run: async () => ({ state: 'failed', reason: 'p99 2.1 s > 1 s' }) }],
      clients: { codeDeploy: client(fake.url) },
      log: () => {},
    });
    const verdict = await handler(EVENT, lambdaContext(10_000));
    const reports = fake.calls.filter((c) => c.operation === 'PutLifecycleEventHookExecutionStatus');
    expect(reports).toHaveLength(2);
    expect(reports.every((r) => r.body.status === 'Failed')).toBe(true);
    expect(verdict).toMatchObject({ status: 'Failed', reported: true });
  });
});
