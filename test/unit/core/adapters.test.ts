import middy from '@middy/core';
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineHook, HookEventError } from '../../../src/index.js';
import { codeDeployHook } from '../../../src/middy/index.js';
import type { Check, HookOptions, HookVerdict, LambdaContextLike } from '../../../src/types.js';
import { awsError, captureLog, ecsTarget, EVENT, lambdaContext, lambdaTarget, mockCodeDeploy } from '../../helpers/codedeploy-mock.js';

type Handler = (event: unknown, context?: LambdaContextLike) => Promise<HookVerdict>;

const adapters: { name: string; make: (o: HookOptions) => Handler }[] = [
  { name: 'defineHook', make: (o) => defineHook(o) },
  {
    name: 'middy',
    // timeoutEarlyInMillis 0: middy's own early timeout would race the hook's deadline handling.
    make: (o) => middy({ timeoutEarlyInMillis: 0 }).use(codeDeployHook(o)).handler(async () => undefined) as unknown as Handler,
  },
];

const pass = (name = 'ok'): Check => ({ name, run: async () => ({ state: 'passed', reason: 'fine' }) });
const fail = (name = 'bad'): Check => ({ name, run: async () => ({ state: 'failed', reason: 'error rate 12% > 1%' }) });
const reports = (cd: ReturnType<typeof mockCodeDeploy>) => cd.commandCalls(PutLifecycleEventHookExecutionStatusCommand);
const FAST = { resolveRetry: { attempts: 2, delayMs: 10 } };

afterEach(() => {
  vi.useRealTimers();
});

describe.each(adapters)('Adapter: $name', ({ make }) => {
  it('reports Succeeded once, with the ids from the event, when every check passes', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const { lines, log } = captureLog();
    const client = new CodeDeployClient({});
    const verdict = await make({ checks: [pass('a'), pass('b')], log, clients: { codeDeploy: client }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Succeeded');
    expect(verdict.reported).toBe(true);
    expect(verdict.lifecycleEvent).toBe('BeforeAllowTraffic');
    expect(cd).toHaveReceivedCommandTimes(PutLifecycleEventHookExecutionStatusCommand, 1);
    expect(cd).toHaveReceivedCommandWith(PutLifecycleEventHookExecutionStatusCommand, {
      deploymentId: EVENT.DeploymentId,
      lifecycleEventHookExecutionId: EVENT.LifecycleEventHookExecutionId,
      status: 'Succeeded',
    });
    const verdictLine = lines.find((l) => l.message === 'CodeDeploy hook verdict: Succeeded');
    expect(verdictLine).toMatchObject({ deploymentId: EVENT.DeploymentId, lifecycleEvent: 'BeforeAllowTraffic', platform: 'Lambda', HookVerdict: 1 });
    expect(verdictLine?.target).toEqual({ functionName: 'my-fn', alias: 'live', currentVersion: '3', targetVersion: '4' });
    cd.restore();
  });

  it('reports Failed when an enforced check fails, naming it in the reason', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const { log } = captureLog();
    const verdict = await make({ checks: [pass(), fail('error-rate')], log, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('error-rate failed: error rate 12% > 1%');
    expect(reports(cd)).toHaveLength(1);
    expect(reports(cd)[0]!.args[0].input.status).toBe('Failed');
    cd.restore();
  });

  it('fails closed when a check throws, and returns normally', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const boom: Check = { name: 'boom', run: async () => { throw new TypeError('cannot read x of undefined'); } };
    const verdict = await make({ checks: [boom], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[verdict.checks.length - 1]).toMatchObject({ name: 'boom', state: 'error', reason: 'check threw TypeError: cannot read x of undefined' });
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });

  it('aborts a check that hangs past the deadline and still reports before Lambda ends', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const hang: Check = { name: 'hang', run: () => new Promise(() => {}) };
    const started = Date.now();
    const verdict = await make({ checks: [hang, pass()], reserveMs: 300, log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(1000));
    const elapsed = Date.now() - started;
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks.find((c) => c.name === 'hang')?.reason).toMatch(/^deadline/);
    expect(reports(cd)).toHaveLength(1);
    expect(elapsed).toBeLessThan(1000);
    cd.restore();
  });

  it('retries a throttled report and then succeeds', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    cd.on(PutLifecycleEventHookExecutionStatusCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .resolves({ lifecycleEventHookExecutionId: EVENT.LifecycleEventHookExecutionId });
    const { lines, log } = captureLog();
    const verdict = await make({ checks: [pass()], log, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.reported).toBe(true);
    expect(reports(cd)).toHaveLength(2);
    expect(lines.at(-1)?.report).toEqual({ outcome: 'accepted', attempts: 2 });
    cd.restore();
  });

  it('treats LifecycleEventAlreadyCompletedException as reported and returns normally', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    cd.on(PutLifecycleEventHookExecutionStatusCommand).rejects(awsError('LifecycleEventAlreadyCompletedException', 400));
    const verdict = await make({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.reported).toBe(true);
    expect(verdict.reason).toContain('already had a status');
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });

  it('logs a non-retryable report error with its code and does not throw', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    cd.on(PutLifecycleEventHookExecutionStatusCommand).rejects(awsError('AccessDeniedException', 400));
    const { lines, log } = captureLog();
    const verdict = await make({ checks: [pass()], log, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.reported).toBe(false);
    expect(reports(cd)).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ level: 'WARN', report: { outcome: 'failed', error: { name: 'AccessDeniedException' } } });
    cd.restore();
  });

  it.each([
    [null, 'event'],
    [[EVENT], 'event'],
    ['d-1', 'event'],
    [{ LifecycleEventHookExecutionId: 'x' }, 'DeploymentId'],
    [{ DeploymentId: '', LifecycleEventHookExecutionId: 'x' }, 'DeploymentId'],
    [{ DeploymentId: { id: 'd-1' }, LifecycleEventHookExecutionId: 'x' }, 'DeploymentId'],
    [{ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'x'.repeat(5000) }, 'LifecycleEventHookExecutionId'],
    [{ deploymentId: 'd-1', lifecycleEventHookExecutionId: 'x' }, 'DeploymentId'],
  ])('rejects malformed event %j naming %s, reporting nothing', async (event, field) => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const { lines, log } = captureLog();
    const error = await make({ checks: [pass()], log, clients: { codeDeploy: new CodeDeployClient({}) } })(event, lambdaContext(10_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookEventError);
    expect((error as HookEventError).field).toBe(field);
    expect((error as HookEventError).message).toContain(field);
    expect(cd.calls()).toHaveLength(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'ERROR', error: 'HookEventError' });
    cd.restore();
  });

  it('skips checks on a duplicate invocation; the Failed it sends is refused as already completed', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'Pending' } });
    cd.on(PutLifecycleEventHookExecutionStatusCommand).rejects(awsError('LifecycleEventAlreadyCompletedException', 400));
    const run = vi.fn(async () => ({ state: 'passed' as const, reason: 'ran' }));
    const verdict = await make({ checks: [{ name: 'x', run }], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(run).not.toHaveBeenCalled();
    expect(verdict).toMatchObject({ duplicate: true, reported: true, lifecycleEvent: 'BeforeAllowTraffic' });
    expect(verdict.reason).toContain('already had a status');
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });

  it('fails closed, not silent, when CodeDeploy shows the running event too late', async () => {
    // Our event (AfterAllowTraffic) is still Pending after the resolve retry: the Failed report is accepted.
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'Succeeded', AllowTraffic: 'Succeeded', AfterAllowTraffic: 'Pending' } });
    const verdict = await make({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict).toMatchObject({ status: 'Failed', reported: true });
    expect(verdict.duplicate).toBeUndefined();
    expect(reports(cd)[0]!.args[0].input.status).toBe('Failed');
    cd.restore();
  });

  it('keeps time to report even with reserveMs 0 (or an empty CODEDEPLOY_HOOKS_RESERVE_MS)', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    vi.stubEnv('CODEDEPLOY_HOOKS_RESERVE_MS', '');
    const hang: Check = { name: 'hang', run: () => new Promise(() => {}) };
    for (const reserveMs of [0, undefined]) {
      const verdict = await make({ checks: [hang], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST, ...(reserveMs === undefined ? {} : { reserveMs }) })(EVENT, lambdaContext(1500));
      expect(verdict).toMatchObject({ status: 'Failed', reported: true });
    }
    cd.restore();
  });

  it('bypass reports Succeeded without running enforced checks and logs the reason loudly', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const run = vi.fn(async () => ({ state: 'failed' as const, reason: 'would fail' }));
    const { lines, log } = captureLog();
    const verdict = await make({ checks: [{ name: 'x', run }], bypass: { reason: 'INC-42 hotfix, approved by on-call' }, log, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(run).not.toHaveBeenCalled();
    expect(verdict).toMatchObject({ status: 'Succeeded', bypass: { reason: 'INC-42 hotfix, approved by on-call' } });
    expect(lines.at(-1)).toMatchObject({ level: 'WARN', bypass: { reason: 'INC-42 hotfix, approved by on-call' } });
    expect(String(lines.at(-1)?.message)).toContain('BYPASSED');
    expect(reports(cd)[0]!.args[0].input.status).toBe('Succeeded');
    cd.restore();
  });

  it('bypass from the environment needs a reason: an empty one fails closed', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    vi.stubEnv('CODEDEPLOY_HOOKS_BYPASS_REASON', '  ');
    const verdict = await make({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('CODEDEPLOY_HOOKS_BYPASS_REASON');
    expect(reports(cd)[0]!.args[0].input.status).toBe('Failed');
    vi.stubEnv('CODEDEPLOY_HOOKS_BYPASS_REASON', 'sev1 rollback of a rollback');
    const bypassed = await make({ checks: [fail()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(bypassed).toMatchObject({ status: 'Succeeded', bypass: { reason: 'sev1 rollback of a rollback' } });
    cd.restore();
  });

  it('runs dry-run checks without letting them decide', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    const verdict = await make({ checks: [pass(), { ...fail('shadow'), enforce: false }], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Succeeded');
    expect(verdict.checks.find((c) => c.name === 'shadow')).toMatchObject({ state: 'failed', enforced: false });
    cd.restore();
  });

  it('resolves an ECS blue/green context for the checks', async () => {
    const cd = mockCodeDeploy({ platform: 'ECS', events: { BeforeInstall: 'Succeeded', AfterInstall: 'Succeeded', AfterAllowTestTraffic: 'InProgress' } });
    let seen: unknown;
    const spy: Check = { name: 'spy', run: async (ctx) => ((seen = ctx.hook), { state: 'passed', reason: 'saw it' }) };
    const verdict = await make({ checks: [spy], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict).toMatchObject({ status: 'Succeeded', platform: 'ECS', lifecycleEvent: 'AfterAllowTestTraffic' });
    expect(seen).toMatchObject({
      platform: 'ECS',
      cluster: 'prod-cluster',
      service: 'web',
      blueTaskSet: { identifier: 'ecs-svc/blue1', targetGroupName: 'tg-blue' },
      greenTaskSet: { identifier: 'ecs-svc/green1', trafficWeight: 0 },
      targetGroups: ['tg-blue', 'tg-green'],
      productionListenerArns: ['arn:listener/prod'],
      testListenerArns: ['arn:listener/test'],
    });
    cd.restore();
  });

  it('fails closed and reports when the deployment cannot be resolved', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    cd.on(GetDeploymentCommand).rejects(awsError('AccessDeniedException', 400));
    const verdict = await make({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('could not resolve the deployment: GetDeployment failed');
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });
});

describe('Adapter: middy specifics', () => {
  const make = (o: HookOptions, handler: () => Promise<unknown>) =>
    middy({ timeoutEarlyInMillis: 0 }).use(codeDeployHook(o)).handler(handler) as unknown as Handler;

  it('counts a throwing handler as a failed enforced check and reports once', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const verdict = await make({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST }, async () => {
      throw new Error('smoke test exploded');
    })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state: 'error', reason: 'the handler or a middleware threw Error: smoke test exploded' });
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });

  it('uses a CheckOutcome returned by the handler', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const verdict = await make({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST }, async () => ({
      state: 'inconclusive',
      reason: 'only 3 requests seen',
    }))(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state: 'inconclusive' });
    cd.restore();
  });

  it('composes with a logger middleware and reports once even when a later after-middleware throws', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const seen: string[] = [];
    const logger = {
      before: async () => void seen.push('logger.before'),
      after: async () => {
        seen.push('logger.after');
        throw new Error('logger flush failed');
      },
      onError: async () => void seen.push('logger.onError'),
    };
    // middy runs `after` in reverse order of use(): the logger's after runs first here.
    const handler = middy({ timeoutEarlyInMillis: 0 })
      .use(codeDeployHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST }))
      .use(logger)
      .handler(async () => undefined) as unknown as Handler;
    const verdict = await handler(EVENT, lambdaContext(10_000));
    expect(seen).toEqual(['logger.before', 'logger.after', 'logger.onError']);
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]?.reason).toContain('logger flush failed');
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });
});

describe('Function: defineHook context resolution', () => {
  it('waits briefly for CodeDeploy to show the running event InProgress', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'Pending' } });
    cd.on(GetDeploymentTargetCommand)
      .resolvesOnce({ deploymentTarget: lambdaTarget({ BeforeAllowTraffic: 'Pending' }) })
      .resolves({ deploymentTarget: lambdaTarget({ BeforeAllowTraffic: 'InProgress' }) });
    const verdict = await defineHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, resolveRetry: { attempts: 3, delayMs: 10 } })(EVENT, lambdaContext(10_000));
    expect(verdict).toMatchObject({ status: 'Succeeded', lifecycleEvent: 'BeforeAllowTraffic' });
    expect(cd).toHaveReceivedCommandTimes(GetDeploymentTargetCommand, 2);
    cd.restore();
  });

  it('fails closed when no event ever shows InProgress and none completed', async () => {
    const cd = mockCodeDeploy({ platform: 'ECS', events: { BeforeInstall: 'Pending' } });
    cd.on(GetDeploymentTargetCommand).resolves({ deploymentTarget: ecsTarget({ BeforeInstall: 'Pending' }) });
    const verdict = await defineHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, resolveRetry: { attempts: 2, delayMs: 10 } })(EVENT, lambdaContext(10_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.reason).toContain('no hookable lifecycle event');
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });

  it('calls GetDeploymentGroup once, and only when a check asks for it', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' }, alarms: ['a1', 'a2'] });
    const names: string[][] = [];
    const groupCheck = (n: string): Check => ({ name: n, run: async (ctx) => (names.push((await ctx.hook.deploymentGroup()).alarms.names), { state: 'passed', reason: 'ok' }) });
    await defineHook({ checks: [groupCheck('g1'), groupCheck('g2')], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(names).toEqual([['a1', 'a2'], ['a1', 'a2']]);
    expect(cd).toHaveReceivedCommandTimes(GetDeploymentGroupCommand, 1);
    cd.reset();
    const cd2 = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    await defineHook({ checks: [pass()], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(cd2).toHaveReceivedCommandTimes(GetDeploymentGroupCommand, 0);
    cd2.restore();
  });

  it('marks rollback deployments in the context', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' }, creator: 'codeDeployRollback' });
    let rollback: boolean | undefined;
    await defineHook({ checks: [{ name: 'r', run: async (ctx) => ((rollback = ctx.hook.isRollback), { state: 'passed', reason: 'ok' }) }], log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST })(EVENT, lambdaContext(10_000));
    expect(rollback).toBe(true);
    cd.restore();
  });
});

describe('Adapter: middy handler past the deadline', () => {
  it('reports at the hook deadline while the handler is still running', async () => {
    const cd = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    const handler = middy({ timeoutEarlyInMillis: 0 })
      .use(codeDeployHook({ checks: [pass()], reserveMs: 500, log: () => {}, clients: { codeDeploy: new CodeDeployClient({}) }, ...FAST }))
      .handler(() => new Promise((resolve) => setTimeout(resolve, 2500))) as unknown as Handler;
    const started = Date.now();
    const pending = handler(EVENT, lambdaContext(1500));
    await vi.waitFor(() => expect(reports(cd)).toHaveLength(1), { timeout: 1500, interval: 20 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(reports(cd)[0]!.args[0].input.status).toBe('Failed');
    const verdict = await pending;
    expect(verdict.checks[0]).toMatchObject({ name: 'handler', state: 'failed' });
    expect(reports(cd)).toHaveLength(1);
    cd.restore();
  });
});

describe('Function: defineHook when the CodeDeploy client cannot be used', () => {
  it('returns a Failed-to-report verdict instead of rejecting', async () => {
    const broken = { send: () => { throw new TypeError('client misconfigured'); } } as unknown as CodeDeployClient;
    const { lines, log } = captureLog();
    const verdict = await defineHook({ checks: [pass()], log, clients: { codeDeploy: broken }, ...FAST })(EVENT, lambdaContext(2000));
    expect(verdict).toMatchObject({ status: 'Failed', reported: false });
    expect(verdict.reason).toContain('REPORT FAILED');
    expect(lines.at(-1)).toMatchObject({ level: 'WARN', reported: false });
  });
});
