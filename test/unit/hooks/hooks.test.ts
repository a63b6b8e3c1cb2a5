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
  it('runs the alarm bake, then the comparison, in sequence', () => {
    const [spec] = postTrafficChecks(postTrafficConfig({}));
    expect(spec && 'sequence' in spec ? spec.sequence.map((c) => [c.name, c.enforce ?? true]) : spec).toEqual([
      ['bake on alarms', true],
      ['new version vs old version', false],
    ]);
    const [enforced] = postTrafficChecks(postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE: 'enforce' }));
    expect(enforced && 'sequence' in enforced ? enforced.sequence[1]!.enforce : undefined).toBe(true);
    expect(postTrafficChecks(postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE: 'disabled' }))).toHaveLength(1);
    // What YAML 1.1 makes of an unquoted `off`, and the old name: both leave the comparison out as well.
    expect(postTrafficChecks(postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE: 'false' }))).toHaveLength(1);
    expect(postTrafficChecks(postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE: 'off' }))).toHaveLength(1);
  });

  it('bakes on the group alarms (with history) and does not fail on an observed comparison without data', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
    codeDeploy = mockCodeDeploy({ platform: 'Lambda', events: { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'InProgress' } });
    alarmsIn('OK');
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { handler } = await LOAD.post();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status, verdict.reason).toBe('Succeeded');
    expect(reported()).toBe('Succeeded');
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand).length).toBeGreaterThan(0);
    expect(verdict.checks.find((c) => c.name === 'new version vs old version')?.enforced).toBe(false);
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
  beforeAll(async () => {
    // The example app served over HTTP plays the green task set behind the test listener.
    server = createServer((req, res) => {
      void app({ method: req.method, path: req.url?.split('?')[0] }).then((r) => {
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

  it('ecs-test-traffic fails when a request of the suite gets the wrong status', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_REQUESTS', '[{"path":"/missing"}]');
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', '0');
    vi.stubEnv('CODEDEPLOY_HOOKS_CHECK_ALARMS', 'false');
    codeDeploy = mockCodeDeploy({ platform: 'ECS', events: { AfterAllowTestTraffic: 'InProgress' } });
    testListener();
    const { handler } = await LOAD.ecsTest();
    const verdict = await handler(EVENT, lambdaContext(60_000));
    expect(verdict.status).toBe('Failed');
    expect(verdict.checks[0]?.reason).toMatch(/404/);
  });

  it.each([
    [2, 'Succeeded'],
    [9, 'Failed'],
  ])('ecs-post-traffic with %i target 5xx per minute on the green target group reports %s', async (fiveXx, status) => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
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
