/**
 * The ECS-native ready hooks end to end against mocked AWS clients: the real
 * hook modules and checks, the ECS API answering for the service deployment,
 * and the example application behind the test listener.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as app } from '../../../examples/app/handler.js';
import { ecsNativeProductionConfig } from '../../../hooks/ecs-native-production-bake.js';
import { OptionsError } from '../../../src/errors.js';
import { BLUE, GREEN, TG_GREEN, ecsEvent, mockEcs } from '../../helpers/ecs-native-mock.js';
import { lambdaContext } from '../../helpers/codedeploy-mock.js';

const cloudWatch = mockClient(CloudWatchClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
let ecs: ReturnType<typeof mockEcs>;
let lines: Record<string, unknown>[];

const LOAD = {
  test: () => import('../../../hooks/ecs-native-test-traffic.js'),
  production: () => import('../../../hooks/ecs-native-production-bake.js'),
};

function alarmsIn(state: 'OK' | 'ALARM'): void {
  cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: state, StateReason: `${state} for test` }], CompositeAlarms: [] });
  cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
}

function targetGroupMetrics(fiveXx: number): void {
  elbv2.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [{ TargetGroupName: 'web-green', TargetGroupArn: TG_GREEN, LoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188'] }],
  });
  cloudWatch.on(GetMetricDataCommand).callsFake(async (input: { MetricDataQueries?: { Id?: string }[] }) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({ Id: q.Id, Timestamps: [new Date()], Values: [q.Id === 'target5xx' ? fiveXx : 0], StatusCode: 'Complete' })),
  }));
}

const verdictLine = () => lines.filter((l) => typeof l.hookStatus === 'string').at(-1);

beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
    return true;
  });
  ecs = mockEcs({ alarms: ['web-5xx'] });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.useRealTimers();
  cloudWatch.reset();
  elbv2.reset();
  ecs.restore();
});

describe('hooks/ecs-native-test-traffic.ts', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
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
    elbv2.on(DescribeListenersCommand).callsFake(async (input: { ListenerArns?: string[] }) => ({
      Listeners: [{ ListenerArn: input.ListenerArns?.[0], LoadBalancerArn: 'arn:lb', Port: port, Protocol: 'HTTP' }],
    }));
    elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: 'arn:lb', DNSName: '127.0.0.1' }] });
  }

  it('returns SUCCEEDED when the smoke suite passes through the listener of the test listener rule', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_REQUESTS', '[{"path":"/health"},{"path":"/items","bodyContains":"canary"}]');
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', '0');
    testListener();
    alarmsIn('OK');
    const { handler } = await LOAD.test();
    expect(await handler(ecsEvent('POST_TEST_TRAFFIC_SHIFT'), lambdaContext(60_000)), JSON.stringify(verdictLine())).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(elbv2.commandCalls(DescribeListenersCommand)[0]!.args[0].input.ListenerArns).toEqual([
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web-alb/50dc6c495c0c9188/aaaabbbbccccdddd',
    ]);
    // The alarms of the deployment's alarm configuration were the ones read.
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input.AlarmNames).toEqual(['web-5xx']);
  });

  it('returns FAILED when a request gets the wrong status', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_REQUESTS', '[{"path":"/missing"}]');
    vi.stubEnv('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', '0');
    vi.stubEnv('CODEDEPLOY_HOOKS_CHECK_ALARMS', 'false');
    testListener();
    const { handler } = await LOAD.test();
    expect(await handler(ecsEvent('POST_TEST_TRAFFIC_SHIFT'), lambdaContext(60_000))).toEqual({ hookStatus: 'FAILED' });
    expect(verdictLine()?.reason).toMatch(/404/);
  });

  it('returns FAILED, saying how to fix it, at a stage it was not written for', async () => {
    const { handler } = await LOAD.test();
    expect(await handler(ecsEvent('PRE_SCALE_UP'), lambdaContext(60_000))).toEqual({ hookStatus: 'FAILED' });
    expect(verdictLine()?.reason).toMatch(/runs at POST_TEST_TRAFFIC_SHIFT, but ECS invoked it at PRE_SCALE_UP.*LifecycleStages/);
  });
});

describe('hooks/ecs-native-production-bake.ts', () => {
  const T0 = Date.parse('2026-04-01T00:00:00Z');

  it.each([
    [2, ['IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED']],
    [9, ['FAILED']],
  ])('with %i target 5xx per minute on green bakes across invocations: %j', async (fiveXx, statuses) => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '120000');
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS', '60000');
    // The absolute 5xx gate is off by default (the comparison judges error rates); this test opts in.
    vi.stubEnv('CODEDEPLOY_HOOKS_MAX_5XX_PER_MINUTE', '5');
    alarmsIn('OK');
    targetGroupMetrics(fiveXx);
    const { handler } = await LOAD.production();
    const seen: string[] = [];
    let details: Record<string, unknown> | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', details ? { hookDetails: details } : {}), lambdaContext(60_000));
      seen.push(r.hookStatus);
      if (r.hookStatus !== 'IN_PROGRESS') break;
      expect(r.callBackDelay).toBe(60);
      details = r.hookDetails;
      vi.setSystemTime(Date.now() + 60_000);
    }
    expect(seen, JSON.stringify(verdictLine())).toEqual(statuses);
    // Alarm history of a later measurement starts at the previous one.
    const since = cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input.StartDate?.getTime());
    if (statuses.length > 1) expect(since[1]).toBe(T0);
  });

  it('compares green with blue by target group at a canary step', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_DURATION_MS', '0');
    alarmsIn('OK');
    targetGroupMetrics(0);
    const { handler } = await LOAD.production();
    const step = { executionDetails: { ...(ecsEvent().executionDetails as object), productionTrafficWeights: { [GREEN]: 10, [BLUE]: 90 } } };
    await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', step), lambdaContext(60_000));
    const checks = verdictLine()?.checks as { name: string; enforced: boolean }[];
    expect(checks.map((c) => c.name)).toEqual(['service deployment alarms', 'green target group health', 'green vs blue target group']);
    // Enforced by default, as in the CodeDeploy post-traffic hooks.
    expect(checks[2]!.enforced).toBe(true);
    const dims = cloudWatch
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries ?? [])
      .flatMap((q) => q.MetricStat?.Metric?.Dimensions ?? [])
      .filter((d) => d.Name === 'TargetGroup')
      .map((d) => d.Value);
    expect(dims).toEqual(expect.arrayContaining(['targetgroup/web-blue/0123456789abcdef', 'targetgroup/web-green/fedcba9876543210']));
  });

  it('lets a rollback through without holding it back, saying so', async () => {
    const flipped = { executionDetails: { ...(ecsEvent().executionDetails as object), productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } } };
    const { handler } = await LOAD.production();
    expect(await handler(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', flipped), lambdaContext(60_000))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(verdictLine()?.checks).toEqual([expect.objectContaining({ name: 'rollback in progress', state: 'passed', reason: expect.stringContaining('rolling back') })]);
  });

  it('rejects configuration that cannot work, naming the variable', () => {
    const field = (env: Record<string, string>) => {
      try {
        ecsNativeProductionConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(OptionsError);
        return (e as OptionsError).field;
      }
      return 'accepted';
    };
    expect(field({ CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS: '1500' })).toBe('CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS');
    expect(field({ CODEDEPLOY_HOOKS_BAKE_DURATION_MS: '90000000' })).toBe('CODEDEPLOY_HOOKS_BAKE_DURATION_MS');
    expect(field({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false', CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP: 'false', CODEDEPLOY_HOOKS_COMPARE: 'observe' })).toBe('CODEDEPLOY_HOOKS_CHECK_ALARMS');
    // The comparison is enforced by default, so alarms and target-group health off still leave a gate.
    expect(field({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false', CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP: 'false' })).toBe('accepted');
    expect(ecsNativeProductionConfig({}).compare.mode).toBe('enforce');
    expect(ecsNativeProductionConfig({}).targetGroup.max5xxPerMinute).toBeUndefined();
    expect(field({ CODEDEPLOY_HOOKS_BAKE_DURATION_MS: '3600000' })).toBe('accepted');
  });

  it('returns FAILED when a variable turns bad after load', async () => {
    const { handler } = await LOAD.production();
    vi.stubEnv('CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS', 'soon');
    expect(await handler(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT'), lambdaContext(60_000))).toEqual({ hookStatus: 'FAILED' });
    expect(lines.at(-1)).toMatchObject({ level: 'ERROR', message: expect.stringContaining('CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS') });
  });
});
