/**
 * A hook given no CodeDeploy client creates its own, once, with SDK retries
 * off (the runner's own retry is bounded by the Lambda deadline). The
 * endpoint is pointed at a loopback fake through the SDK's standard
 * AWS_ENDPOINT_URL_CODEDEPLOY, so nothing leaves 127.0.0.1.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHook } from '../../../src/index.js';
import { captureLog, lambdaContext } from '../../helpers/codedeploy-mock.js';
import { startFakeCodeDeploy } from '../../helpers/fake-codedeploy-server.js';

const EVENT = { DeploymentId: 'd-WIRE00001', LifecycleEventHookExecutionId: 'opaque-exec-id' };
let fake: Awaited<ReturnType<typeof startFakeCodeDeploy>> | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
  fake = undefined;
});

describe('Runner: the default CodeDeploy client', () => {
  it('is created when none is injected and reports through the configured endpoint, one attempt per try', async () => {
    let failures = 1;
    fake = await startFakeCodeDeploy((call) =>
      call.operation === 'PutLifecycleEventHookExecutionStatus' && failures-- > 0 ? { status: 503, body: { __type: 'ServiceUnavailableException', message: 'busy' } } : undefined,
    );
    vi.stubEnv('AWS_ENDPOINT_URL_CODEDEPLOY', fake.url);
    const { lines, log } = captureLog();
    const handler = defineHook({ checks: [{ name: 'ok', run: async () => ({ state: 'passed', reason: 'ok' }) }], log });
    const verdict = await handler(EVENT, lambdaContext(20_000));
    expect(verdict).toMatchObject({ status: 'Succeeded', reported: true });
    const reports = fake.calls.filter((c) => c.operation === 'PutLifecycleEventHookExecutionStatus');
    expect(reports.map((r) => r.body.status)).toEqual(['Succeeded', 'Succeeded']);
    // Two attempts of ours, not one SDK call retried inside: the SDK's own retry is off.
    expect(lines.at(-1)?.report).toEqual({ outcome: 'accepted', attempts: 2 });
  });
});
