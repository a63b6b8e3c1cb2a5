import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { durableExecutionName, startDurableHook } from '../../../src/durable/index.js';
import { durableTargetProblem } from '../../../src/durable/target.js';
import { EVENT, awsError, captureLog } from '../../helpers/codedeploy-mock.js';
import { codeDeployWorld } from '../../helpers/durable-world.js';

const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:bake-hook:live';

function lambdaMock() {
  const client = new LambdaClient({ region: 'us-east-1' });
  return { client, mock: mockClient(client) };
}

describe('durableExecutionName', () => {
  it('is the same for the same lifecycle event, differs between events, and fits Lambda\'s name rules', () => {
    const id = 'eyJkZXBsb3ltZW50SWQiOiJkLUFCQyIsImFjdGl2aXR5SWQiOiJhcm46YXdzOnN0YXRlcyJ9+/=' + 'x'.repeat(300);
    expect(durableExecutionName(id)).toBe(durableExecutionName(id));
    expect(durableExecutionName(id)).not.toBe(durableExecutionName(`${id}2`));
    expect(durableExecutionName(id)).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });
});

describe('durable target', () => {
  it.each(['bake-hook:live', 'bake-hook:7', '123456789012:function:bake-hook:live', TARGET, 'arn:aws-cn:lambda:cn-north-1:123456789012:function:h:$LATEST'])('%s is qualified', (t) => {
    expect(durableTargetProblem(t)).toBeUndefined();
  });
  it.each(['bake-hook', 'arn:aws:lambda:us-east-1:123456789012:function:bake-hook', '123456789012:function:bake-hook', '', 'a:b:c:d:e', 'bad name:live', 'bake-hook:al!as'])('%j is refused with a reason', (t) => {
    expect(durableTargetProblem(t)).toMatch(/unqualified|not a Lambda|invalid|valid function name|must name/);
  });
  it('an unqualified target option fails at definition, naming the field', () => {
    expect(() => startDurableHook({ target: 'bake-hook' })).toThrow(expect.objectContaining({ field: 'target' }));
  });
});

describe('startDurableHook', () => {
  it('starts the execution asynchronously on the qualified target, named after the lifecycle event, with the event as payload', async () => {
    const { client, mock } = lambdaMock();
    mock.on(InvokeCommand).resolves({ StatusCode: 202, DurableExecutionArn: `${TARGET}/durable-execution/x/y` });
    const { lines, log } = captureLog();
    const result = await startDurableHook({ target: TARGET, clients: { lambda: client }, log })(EVENT);
    expect(result).toMatchObject({ started: true, alreadyStarted: false, executionName: durableExecutionName(EVENT.LifecycleEventHookExecutionId) });
    const input = mock.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: TARGET, InvocationType: 'Event', DurableExecutionName: durableExecutionName(EVENT.LifecycleEventHookExecutionId) });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual(EVENT);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'durable hook started' });
  });

  it('a duplicate invocation sends the same name and payload (Lambda returns the existing execution); AlreadyStarted counts as started', async () => {
    const { client, mock } = lambdaMock();
    mock.on(InvokeCommand).resolvesOnce({ StatusCode: 202 }).rejects(awsError('DurableExecutionAlreadyStartedException', 409));
    const world = codeDeployWorld();
    const start = startDurableHook({ target: TARGET, clients: { lambda: client }, log: () => undefined });
    const first = await start(EVENT);
    const second = await start({ ...EVENT });
    expect(first).toMatchObject({ started: true, alreadyStarted: false });
    expect(second).toMatchObject({ started: true, alreadyStarted: true });
    const [a, b] = mock.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(b!.DurableExecutionName).toBe(a!.DurableExecutionName);
    expect(b!.Payload).toEqual(a!.Payload);
    expect(world.reports).toHaveLength(0);
  });

  it('retries a throttled start, then starts', async () => {
    const { client, mock } = lambdaMock();
    mock.on(InvokeCommand).rejectsOnce(awsError('TooManyRequestsException', 429)).resolves({ StatusCode: 202 });
    const result = await startDurableHook({ target: TARGET, clients: { lambda: client }, log: () => undefined })(EVENT);
    expect(result.started).toBe(true);
    expect(mock.commandCalls(InvokeCommand)).toHaveLength(2);
  });

  it('a start refused for good (an unqualified ARN, a missing permission) reports Failed itself: CodeDeploy does not wait its hour', async () => {
    const { client, mock } = lambdaMock();
    mock.on(InvokeCommand).rejects(awsError('InvalidParameterValueException', 400));
    const world = codeDeployWorld();
    const result = await startDurableHook({ target: TARGET, clients: { lambda: client }, log: () => undefined })(EVENT);
    expect(result).toMatchObject({ started: false, verdict: { status: 'Failed', reported: true } });
    expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Failed' })]);
  });

  it('no target configured (or an unqualified one in the environment) reports Failed, naming the variable', async () => {
    const world = codeDeployWorld();
    process.env.CODEDEPLOY_HOOKS_DURABLE_FUNCTION = 'bake-hook';
    try {
      const result = await startDurableHook({ log: () => undefined })(EVENT);
      expect(result.started).toBe(false);
      if (!result.started) expect(result.verdict.reason).toMatch(/CODEDEPLOY_HOOKS_DURABLE_FUNCTION .*unqualified/);
      expect(world.accepted()).toEqual([expect.objectContaining({ status: 'Failed' })]);
    } finally {
      delete process.env.CODEDEPLOY_HOOKS_DURABLE_FUNCTION;
    }
  });

  it('a malformed event is rethrown naming the field; nothing is started or reported', async () => {
    const { client, mock } = lambdaMock();
    await expect(startDurableHook({ target: TARGET, clients: { lambda: client }, log: () => undefined })({ deploymentId: 'x' })).rejects.toThrow(/DeploymentId/);
    expect(mock.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
