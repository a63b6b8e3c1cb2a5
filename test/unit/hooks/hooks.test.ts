/**
 * The ready hooks end to end against mocked AWS clients: the real hook
 * modules, the real checks, and the example application answering the
 * invokes and HTTP requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as app } from '../../../examples/app/handler.js';
import { preTrafficChecks, toPayload } from '../../../hooks/checks/pre-traffic.js';
import { postTrafficChecks } from '../../../hooks/checks/post-traffic.js';
import { EVENT_FORMATS } from '../../../hooks/config.js';
import { preTrafficConfig } from '../../../hooks/pre-traffic.js';
import { postTrafficConfig } from '../../../hooks/post-traffic.js';
import { EVENT, lambdaContext, mockCodeDeploy } from '../../helpers/codedeploy-mock.js';

const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
let codeDeploy: ReturnType<typeof mockCodeDeploy>;

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined): unknown => JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));

/** Lambda Invoke answered by the example application, as the target version would. */
function appBehindInvoke(): void {
  lambda.on(InvokeCommand).callsFake(async (input: { Payload?: Uint8Array; Qualifier?: string }) => ({
    StatusCode: 200,
    ExecutedVersion: input.Qualifier,
    Payload: encode(await app(decode(input.Payload) as never)),
  }));
}

function alarmsIn(state: 'OK' | 'ALARM', name = 'errors'): void {
  cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: name, StateValue: state, StateReason: `${state} for test` }], CompositeAlarms: [] });
  cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
}

function reported(): string | undefined {
  const calls = codeDeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input.status;
}

const LOAD = {
  pre: () => import('../../../hooks/pre-traffic.js'),
  post: () => import('../../../hooks/post-traffic.js'),
  ecsTest: () => import('../../../hooks/ecs-test-traffic.js'),
  ecsPost: () => import('../../../hooks/ecs-post-traffic.js'),
};

beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  lambda.reset();
  cloudWatch.reset();
  elbv2.reset();
  codeDeploy?.restore();
});

describe('pre-traffic checks', () => {
  it.each(EVENT_FORMATS)('builds a %s payload that the example app answers with 200 on /health', async (format) => {
    const payload = toPayload({ method: 'GET', path: '/health', expectStatus: 200 }, format);
    expect((await app(payload as never)).statusCode).toBe(200);
  });

  it('invokes once per configured request and adds the alarm gate unless disabled', () => {
    const names = (env: Record<string, string>) => preTrafficChecks(preTrafficConfig(env)).map((c) => ('name' in c ? c.name : ''));
    expect(names({})).toEqual(['invoke GET /health', 'deployment-group alarms not firing']);
    expect(names({ CODEDEPLOY_HOOKS_PAYLOADS: '[{"path":"/health"},{"path":"/items/1","bodyContains":"canary"}]', CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false' })).toEqual([
      'invoke GET /health',
      'invoke GET /items/1',
    ]);
  });
});

describe('hooks/pre-traffic.ts', () => {
  // One attempt per invoke keeps the failing cases fast (the default retries cold starts).
  beforeEach(() => {
    vi.stubEnv('CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS', '1');
  });

  it('reports Succeeded when the new version answers 200 and no alarm fires', async () => {
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    appBehindInvoke();
    alarmsIn('OK');
    const { handler } = await LOAD.pre();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status, verdict.reason).toBe('Succeeded');
    expect(reported()).toBe('Succeeded');
    const invoke = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: 'my-fn', Qualifier: '4' });
    expect(decode(invoke.Payload as Uint8Array)).toMatchObject({ httpMethod: 'GET', path: '/health' });
  });

  it('a flaky version that answers after a retry is judged on the follow-up invocations and fails', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS', '3');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    alarmsIn('OK');
    let calls = 0;
    // Fails the first call (a cold start, retried) and then one in two: the retry loop alone would pass it.
    lambda.on(InvokeCommand).callsFake(async (input: { Payload?: Uint8Array; Qualifier?: string }) => {
      calls++;
      const result = await app(decode(input.Payload) as never);
      return { StatusCode: 200, ExecutedVersion: input.Qualifier, Payload: encode(calls === 1 || (calls > 2 && calls % 2 === 0) ? { ...result, statusCode: 502 } : result) };
    });
    const { handler } = await LOAD.pre();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks.find((c) => c.name === 'invoke GET /health')).toMatchObject({ state: 'passed', attempts: 2 });
    expect(verdict.checks.find((c) => c.name === 'invoke GET /health × 30 after healthy')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^15\/30 invocations of .* succeeded \(ratio 0.50, required 0.8\)/),
    });
    expect(calls).toBe(32);
  });

  it('reports Failed, naming the alarm, when a deployment-group alarm is already firing', async () => {
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    appBehindInvoke();
    alarmsIn('ALARM');
    const { handler } = await LOAD.pre();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(reported()).toBe('Failed');
    const gate = verdict.checks.find((c) => c.name === 'deployment-group alarms not firing');
    expect(gate?.state).toBe('failed');
    expect(gate?.reason).toContain('errors');
  });

  it('reports Failed when the new version answers something else than configured', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_PAYLOADS', '[{"path":"/items/9"}]');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'InProgress' } });
    appBehindInvoke();
    alarmsIn('OK');
    const { handler } = await LOAD.pre();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    const invoke = verdict.checks.find((c) => c.name === 'invoke GET /items/9');
    expect(invoke?.state).toBe('failed');
    expect(invoke?.reason).toMatch(/404/);
  });
});

describe('hooks/post-traffic.ts', () => {
  it('bakes on the alarms and the enforced comparison at every measurement', () => {
    const [spec] = postTrafficChecks(postTrafficConfig({}));
    expect(spec && 'name' in spec ? spec.name : spec).toBe('bake on alarms and new vs old version');
    const names = (env: Record<string, string>) => postTrafficChecks(postTrafficConfig(env)).map((c) => ('name' in c ? c.name : ''));
    expect(names({ CODEDEPLOY_HOOKS_COMPARE: 'disabled' })).toEqual(['bake on alarms']);
    // What YAML 1.1 makes of an unquoted `off`, and the old name: both leave the comparison out as well.
    expect(names({ CODEDEPLOY_HOOKS_COMPARE: 'false' })).toEqual(['bake on alarms']);
    expect(names({ CODEDEPLOY_HOOKS_COMPARE: 'off' })).toEqual(['bake on alarms']);
    expect(names({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false' })).toEqual(['bake on new vs old version']);
  });

  it('fails when the new version is worse than the old one (enforced by default)', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'InProgress' } });
    alarmsIn('OK');
    const series: Record<string, number[]> = { err_base: [5, 5, 5], req_base: [3000, 3000, 3000], err_new: [60, 60, 60], req_new: [300, 300, 300] };
    cloudWatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: { Id: string }[] }) => ({
      MetricDataResults: input.MetricDataQueries.map((q) => {
        const v = series[q.Id] ?? (q.Id.startsWith('lat') ? [100, 100, 100] : []);
        return { Id: q.Id, Values: v, Timestamps: v.map((_, i) => new Date(Date.now() - (3 - i) * 60_000)), StatusCode: 'Complete' };
      }),
    }));
    const { handler } = await LOAD.post();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(reported()).toBe('Failed');
    expect(verdict.reason).toMatch(/new version vs old version: version 4 error rate 20% \(180\/900\) vs 0.17% \(15\/9000\) on version 3: worse/);
  });

  it('bakes on the group alarms (with history) and does not fail on an observed comparison without data', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_COMPARE', 'observe');
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'InProgress' } });
    alarmsIn('OK');
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { handler } = await LOAD.post();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status, verdict.reason).toBe('Succeeded');
    expect(reported()).toBe('Succeeded');
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand).length).toBeGreaterThan(0);
    const bake = verdict.checks[0]!.details as { measurements: { checks: { name: string; enforced: boolean }[] }[] };
    expect(bake.measurements[0]!.checks.find((c) => c.name === 'new version vs old version')?.enforced).toBe(false);
  });

  it('fails when an alarm fires during the bake', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
    vi.stubEnv('CODEDEPLOY_HOOKS_COMPARE', 'disabled');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    alarmsIn('ALARM');
    const { handler } = await LOAD.post();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(reported()).toBe('Failed');
  });
  it('fails, saying how far the bake got, when the bake does not fit in the Lambda time left', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '60000');
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS', '1000');
    vi.stubEnv('CODEDEPLOY_HOOKS_COMPARE', 'disabled');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { AfterAllowTraffic: 'InProgress' } });
    alarmsIn('OK');
    const { handler } = await LOAD.post();
    // 4 s left: the checks must end 2 s in (the reserve), so a 60 s bake is cut short at about 1 s.
    const verdict = await handler(EVENT, lambdaContext(4000));
    expect(verdict.status).toBe('Failed');
    expect(reported()).toBe('Failed');
    const bakeResult = verdict.checks.find((c) => c.name === 'bake on alarms');
    expect(bakeResult?.state).toBe('inconclusive');
    expect(bakeResult?.reason).toMatch(/^bake cut short to finish before the hook deadline: ran .* of the 1 min planned and took \d+ of 61 planned measurements/);
  });
});

describe('ECS hooks', () => {
  let server: Server;
  let port: number;
  let flaky = false;
  afterEach(() => {
    flaky = false;
  });
  beforeAll(async () => {
    // The example app served over HTTP plays the green task set behind the test listener;
    // with `flaky` set, every other request after the first answers 503.
    let served = 0;
    server = createServer((req, res) => {
      void app({ method: req.method, path: req.url?.split('?')[0] }).then((r) => {
        served++;
        if (flaky && served % 2 === 0) {
          res.writeHead(503);
          res.end();
          return;
        }
        res.writeHead(r.statusCode, r.headers);
        res.end(r.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function testListener(): void {
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: 'arn:listener/test', LoadBalancerArn: 'arn:lb', Port: port, Protocol: 'HTTP' }] });
    elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: 'arn:lb', DNSName: '127.0.0.1' }] });
  }

  it('ecs-test-traffic runs the smoke suite through the test listener', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_REQUESTS', '[{"path":"/health"},{"path":"/items","bodyContains":"canary"}]');
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', '0');
    codeDeploy = mockCodeDeploy({ platform: 'ECS', events: { AfterAllowTestTraffic: 'InProgress' } });
    testListener();
    alarmsIn('OK');
    const { handler } = await LOAD.ecsTest();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status, JSON.stringify(verdict.checks)).toBe('Succeeded');
    expect(reported()).toBe('Succeeded');
    expect(elbv2.commandCalls(DescribeListenersCommand)[0]!.args[0].input.ListenerArns).toEqual(['arn:listener/test']);
  });

  it('ecs-test-traffic fails a flaky green on the requests that follow its first success', async () => {
    flaky = true;
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', '0');
    vi.stubEnv('CODEDEPLOY_HOOKS_CHECK_ALARMS', 'false');
    codeDeploy = mockCodeDeploy({ platform: 'ECS', events: { AfterAllowTestTraffic: 'InProgress' } });
    testListener();
    const { handler } = await LOAD.ecsTest();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks.find((c) => c.name === 'smoke suite through the test listener')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^load: 25\/50 succeeded \(ratio 0.50, required 0.8\)/),
    });
  });

  it('ecs-test-traffic fails when a request of the suite gets the wrong status', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_REQUESTS', '[{"path":"/missing"}]');
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', '0');
    vi.stubEnv('CODEDEPLOY_HOOKS_CHECK_ALARMS', 'false');
    codeDeploy = mockCodeDeploy({ platform: 'ECS', events: { AfterAllowTestTraffic: 'InProgress' } });
    testListener();
    const { handler } = await LOAD.ecsTest();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks.find((c) => c.state === 'failed')?.reason).toMatch(/404/);
  });

  it.each(['AfterInstall', 'AfterAllowTraffic'])('ecs-test-traffic at %s fails rather than test what the test listener serves there', async (event) => {
    vi.stubEnv('CODEDEPLOY_HOOKS_CHECK_ALARMS', 'false');
    codeDeploy = mockCodeDeploy({ platform: 'ECS', events: { [event]: 'InProgress' } });
    testListener();
    const { handler } = await LOAD.ecsTest();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]).toMatchObject({ name: 'test listener serves the new task set', state: 'failed', reason: expect.stringMatching(new RegExp(`runs at ${event}, where the test listener does not route to the replacement task set`)) });
  });

  it.each([
    [2, 'Succeeded'],
    [9, 'Failed'],
  ])('ecs-post-traffic with a 5-per-minute limit and %i target 5xx per minute on the green target group reports %s', async (fiveXx, status) => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
    vi.stubEnv('CODEDEPLOY_HOOKS_MAX_5XX_PER_MINUTE', '5');
    vi.stubEnv('CODEDEPLOY_HOOKS_COMPARE', 'disabled');
    codeDeploy = mockCodeDeploy({ platform: 'ECS', events: { AfterAllowTraffic: 'InProgress' } });
    alarmsIn('OK');
    elbv2.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [{ TargetGroupName: 'tg-green', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg-green/abc', LoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/def'] }],
    });
    const now = new Date();
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'target5xx', Timestamps: [now], Values: [fiveXx], StatusCode: 'Complete' },
        { Id: 'unhealthy', Timestamps: [now], Values: [0], StatusCode: 'Complete' },
      ],
    });
    const { handler } = await LOAD.ecsPost();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status, JSON.stringify(verdict.checks)).toBe(status);
    expect(reported()).toBe(status);
    expect(elbv2.commandCalls(DescribeTargetGroupsCommand)[0]!.args[0].input.Names).toEqual(['tg-green']);
    const query = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries?.[0];
    expect(query?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'TargetGroup', Value: 'targetgroup/tg-green/abc' },
      { Name: 'LoadBalancer', Value: 'app/alb/def' },
    ]);
  });
});
