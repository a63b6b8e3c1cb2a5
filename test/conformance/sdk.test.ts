import {
  BatchGetDeploymentTargetsCommand, CodeDeployClient, GetApplicationCommand, GetDeploymentCommand,
  GetDeploymentConfigCommand, GetDeploymentGroupCommand, GetDeploymentTargetCommand, ListApplicationsCommand,
  ListDeploymentGroupsCommand, ListDeploymentsCommand, ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand, StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand,
  PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../src/simulator/emulator/index.js';
import type { Emulator } from '../../src/simulator/emulator/index.js';
import { buildFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import { lambdaLogLines } from './lambda-log.js';
import { PREDEFINED_CONFIGS } from './predefined-configs.js';

let emu: Emulator;
let f: Fixture;
let cd: CodeDeployClient;
let cw: CloudWatchClient;
let lambda: LambdaClient;
let elb: ElasticLoadBalancingV2Client;

beforeAll(async () => {
  f = buildFixture();
  emu = await startEmulator({ world: f.world });
  const config = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  cd = new CodeDeployClient(config);
  cw = new CloudWatchClient(config);
  lambda = new LambdaClient(config);
  elb = new ElasticLoadBalancingV2Client(config);
});

afterAll(async () => {
  await emu.close();
});

afterEach(() => emu.faults.clear());

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('clients configured only by the environment (how hooks reach the emulator)', () => {
  it('default clients follow AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', emu.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const before = emu.calls.length;
    const [apps, alarms, alias, lbs] = await Promise.all([
      new CodeDeployClient({}).send(new ListApplicationsCommand({})),
      new CloudWatchClient({}).send(new DescribeAlarmsCommand({ AlarmNames: ['shop-api-errors'] })),
      new LambdaClient({}).send(new GetAliasCommand({ FunctionName: 'shop-api', Name: 'live' })),
      new ElasticLoadBalancingV2Client({}).send(new DescribeLoadBalancersCommand({})),
    ]);
    expect(apps.applications).toContain('shop-api');
    expect(alarms.MetricAlarms?.[0]?.AlarmName).toBe('shop-api-errors');
    expect(alias.Name).toBe('live');
    expect(lbs.LoadBalancers?.[0]?.LoadBalancerArn).toBe(f.lbArn);
    expect(emu.calls.slice(before).map((c) => c.service).sort()).toEqual(['cloudwatch', 'codedeploy', 'elbv2', 'lambda']);
  });
});

describe('CodeDeploy (awsJson1_1) with @aws-sdk/client-codedeploy', () => {
  it('lists and gets applications, groups and configs', async () => {
    expect((await cd.send(new ListApplicationsCommand({}))).applications).toEqual(['shop-api', 'web']);
    const app = await cd.send(new GetApplicationCommand({ applicationName: 'web' }));
    expect(app.application).toMatchObject({ applicationName: 'web', computePlatform: 'ECS' });
    expect(app.application?.createTime).toBeInstanceOf(Date);
    expect((await cd.send(new ListDeploymentGroupsCommand({ applicationName: 'shop-api' }))).deploymentGroups).toEqual(['shop-api-dg']);
    const group = (await cd.send(new GetDeploymentGroupCommand({ applicationName: 'web', deploymentGroupName: 'web-dg' }))).deploymentGroupInfo!;
    expect(group.ecsServices).toEqual([{ clusterName: 'main', serviceName: 'web' }]);
    expect(group.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.testTrafficRoute?.listenerArns).toEqual([f.testListenerArn]);
    const lambdaGroup = (await cd.send(new GetDeploymentGroupCommand({ applicationName: 'shop-api', deploymentGroupName: 'shop-api-dg' }))).deploymentGroupInfo!;
    expect(lambdaGroup.alarmConfiguration).toEqual({ enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'shop-api-errors' }] });
    const cfg = (await cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' }))).deploymentConfigInfo!;
    expect(cfg.trafficRoutingConfig).toEqual({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } });
    expect(cfg.computePlatform).toBe('Lambda');
  });

  it('returns the real exception classes for missing resources', async () => {
    expect(await errorOf(cd.send(new GetApplicationCommand({ applicationName: 'ghost' })))).toMatchObject({ name: 'ApplicationDoesNotExistException', status: 400 });
    expect((await errorOf(cd.send(new GetDeploymentGroupCommand({ applicationName: 'web', deploymentGroupName: 'ghost' })))).name).toBe('DeploymentGroupDoesNotExistException');
    expect((await errorOf(cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'ghost' })))).name).toBe('DeploymentConfigDoesNotExistException');
    expect((await errorOf(cd.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })))).name).toBe('DeploymentDoesNotExistException');
    expect((await errorOf(cd.send(new GetDeploymentCommand({ deploymentId: 'nope' })))).name).toBe('InvalidDeploymentIdException');
    expect((await errorOf(cd.send(new GetDeploymentTargetCommand({ deploymentId: f.ecsDeploymentId, targetId: 'main:other' })))).name).toBe('DeploymentTargetDoesNotExistException');
  });

  it('resolves a deployment, its single target and lifecycle events with dates as Date', async () => {
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId: f.lambdaDeploymentId }))).deploymentInfo!;
    expect(info).toMatchObject({ applicationName: 'shop-api', deploymentGroupName: 'shop-api-dg', computePlatform: 'Lambda', status: 'InProgress', creator: 'user' });
    expect(info.createTime).toBeInstanceOf(Date);
    expect(Math.abs(info.createTime!.getTime() - Date.now())).toBeLessThan(60_000);
    expect((await cd.send(new ListDeploymentsCommand({ applicationName: 'shop-api', deploymentGroupName: 'shop-api-dg' }))).deployments).toEqual([f.lambdaDeploymentId]);

    const { targetIds } = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: f.lambdaDeploymentId }));
    expect(targetIds).toHaveLength(1);
    const target = (await cd.send(new GetDeploymentTargetCommand({ deploymentId: f.lambdaDeploymentId, targetId: targetIds![0] }))).deploymentTarget!;
    expect(target.deploymentTargetType).toBe('LambdaTarget');
    expect(target.lambdaTarget?.lambdaFunctionInfo).toEqual({ functionName: 'shop-api', functionAlias: 'live', currentVersion: '1', targetVersion: '2', targetVersionWeight: 0 });
    const inProgress = target.lambdaTarget?.lifecycleEvents?.find((e) => e.status === 'InProgress');
    expect(inProgress?.startTime).toBeInstanceOf(Date);

    const ecsIds = (await cd.send(new ListDeploymentTargetsCommand({ deploymentId: f.ecsDeploymentId }))).targetIds!;
    expect(ecsIds).toEqual(['main:web']);
    const batch = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: f.ecsDeploymentId, targetIds: ecsIds }));
    const sets = batch.deploymentTargets![0]!.ecsTarget!.taskSetsInfo!;
    expect(sets.map((s) => [s.identifer, s.taskSetLabel, s.trafficWeight, s.targetGroup?.name])).toEqual([
      ['ecs-svc/1', 'Blue', 100, 'web-blue'], ['ecs-svc/2', 'Green', 0, 'web-green'],
    ]);
    expect((await errorOf(cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: f.ecsDeploymentId, targetIds: Array.from({ length: 26 }, (_, i) => `t${i}`) })))).name)
      .toBe('DeploymentTargetListSizeExceededException');
  });

  it('PutLifecycleEventHookExecutionStatus: once, then already-completed; bad id and bad status', async () => {
    const put = (status: string, id = f.secondExecutionId) => cd.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: f.lambdaDeploymentId, lifecycleEventHookExecutionId: id, status: status as 'Succeeded' }));
    expect(await errorOf(put('SUCCEEDED'))).toMatchObject({ name: 'InvalidLifecycleEventHookExecutionStatusException', status: 400 });
    expect((await errorOf(put('Pending'))).name).toBe('InvalidLifecycleEventHookExecutionStatusException');
    expect((await errorOf(put('Succeeded', 'not-an-execution'))).name).toBe('InvalidLifecycleEventHookExecutionIdException');
    const reported = f.world.codeDeploy.waitForHookReport(f.secondExecutionId, { timeoutMs: 5000 });
    expect((await put('Succeeded')).lifecycleEventHookExecutionId).toBe(f.secondExecutionId);
    await expect(reported).resolves.toBe('Succeeded');
    expect((await errorOf(put('Failed'))).name).toBe('LifecycleEventAlreadyCompletedException');
    expect(f.world.codeDeploy.lifecycleEvent(f.lambdaDeploymentId, 'AfterAllowTraffic').status).toBe('Succeeded');
    expect(emu.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus')).toHaveLength(5);
  });

  it('answers GetDeploymentConfig for every predefined configuration', async () => {
    const infos = await Promise.all(PREDEFINED_CONFIGS.map(async ({ name }) =>
      (await cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }))).deploymentConfigInfo!));
    expect(infos.map((i) => [i.deploymentConfigName, i.computePlatform])).toEqual(PREDEFINED_CONFIGS.map((c) => [c.name, c.platform]));
    expect(infos.find((i) => i.deploymentConfigName === 'CodeDeployDefault.HalfAtATime')?.minimumHealthyHosts).toEqual({ type: 'FLEET_PERCENT', value: 50 });
    expect(infos.find((i) => i.deploymentConfigName === 'CodeDeployDefault.ECSCanary10Percent15Minutes')?.trafficRoutingConfig)
      .toEqual({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } });
  });

  it('rejects a nextToken it never issued with InvalidNextTokenException', async () => {
    expect(await errorOf(cd.send(new ListDeploymentsCommand({ nextToken: 'bogus' })))).toMatchObject({ name: 'InvalidNextTokenException', status: 400 });
    expect((await errorOf(cd.send(new ListDeploymentsCommand({ applicationName: 'web', deploymentGroupName: 'web-dg', nextToken: 'x' })))).name).toBe('InvalidNextTokenException');
    expect((await errorOf(cd.send(new ListDeploymentGroupsCommand({ applicationName: 'web', nextToken: 'x' })))).name).toBe('InvalidNextTokenException');
    expect((await cd.send(new ListDeploymentsCommand({}))).deployments).toContain(f.ecsDeploymentId);
  });

  it('StopDeployment stops a running deployment and rejects a finished one', async () => {
    const d = f.world.codeDeploy.createDeployment({ applicationName: 'shop-api', deploymentGroupName: 'shop-api-dg', lambdaTarget: { functionName: 'shop-api', functionAlias: 'live', currentVersion: '1', targetVersion: '2' } });
    const out = await cd.send(new StopDeploymentCommand({ deploymentId: d.deploymentId }));
    expect(out.status).toBe('Succeeded');
    expect((await cd.send(new GetDeploymentCommand({ deploymentId: d.deploymentId }))).deploymentInfo?.status).toBe('Stopped');
    expect((await errorOf(cd.send(new StopDeploymentCommand({ deploymentId: d.deploymentId })))).name).toBe('DeploymentAlreadyCompletedException');
  });
});

describe('CloudWatch (awsJson1_0, query-compatible) with @aws-sdk/client-cloudwatch', () => {
  it('puts data and an alarm, evaluates it, describes it with history', async () => {
    const now = new Date();
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'Failures', Dimensions: [{ Name: 'Api', Value: 'orders' }], Value: 7, Timestamp: new Date(now.getTime() - 10_000), Unit: 'Count' }] }));
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: 'orders-failures', Namespace: 'Shop', MetricName: 'Failures', Dimensions: [{ Name: 'Api', Value: 'orders' }],
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    f.world.cloudWatch.evaluateAlarms();
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-failures'] }));
    const alarm = out.MetricAlarms![0]!;
    expect(alarm).toMatchObject({ AlarmName: 'orders-failures', StateValue: 'ALARM', Threshold: 5, Period: 60, Dimensions: [{ Name: 'Api', Value: 'orders' }] });
    expect(alarm.StateUpdatedTimestamp).toBeInstanceOf(Date);
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'orders-failures', HistoryItemType: 'StateUpdate' }));
    expect(history.AlarmHistoryItems?.[0]).toMatchObject({ AlarmName: 'orders-failures', HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from INSUFFICIENT_DATA to ALARM' });
    expect(history.AlarmHistoryItems?.[0]?.Timestamp).toBeInstanceOf(Date);
  });

  it('SetAlarmState is visible to DescribeAlarms and the composite alarm', async () => {
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'shop-api-errors', StateValue: 'ALARM', StateReason: 'scenario' }));
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['shop-api-errors', 'shop-api-any'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    expect(out.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.StateReason])).toEqual([['shop-api-errors', 'ALARM', 'scenario']]);
    expect(out.CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['shop-api-any', 'ALARM']]);
    const onlyMetric = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['shop-api-any'] }));
    expect(onlyMetric.MetricAlarms).toEqual([]);
    expect(onlyMetric.CompositeAlarms ?? []).toEqual([]);
  });

  it('paginates DescribeAlarms with MaxRecords/NextToken', async () => {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1, AlarmNamePrefix: 'shop-api-', NextToken }));
      names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(names).toEqual(['shop-api-errors', 'shop-api-latency']);
  });

  it('maps validation and token errors to the SDK exception classes with legacy codes', async () => {
    const tooMany = await errorOf(cw.send(new DescribeAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.message).toMatch(/length less than or equal to 100/);
    const badRecords = cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 })).catch((e: unknown) => e as { name: string; Code?: string });
    expect(await badRecords).toMatchObject({ name: 'ValidationException', Code: 'ValidationError' });
    expect(await cw.send(new DescribeAlarmsCommand({ NextToken: 'bad' })).catch((e: unknown) => e)).toMatchObject({ name: 'InvalidNextToken', Code: 'InvalidNextToken' });
    expect((await errorOf(cw.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'x' })))).name).toBe('ResourceNotFound');
    expect((await errorOf(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'x', Value: 1 }] })))).name).toBe('InvalidParameterValueException');
    expect((await errorOf(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })))).name).toBe('InvalidParameterCombinationException');
  });

  it('accepts PutMetricData over 10 KB, which the SDK sends gzip-compressed', async () => {
    const client = new CloudWatchClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const sent: Array<string | undefined> = [];
    client.middlewareStack.add((next) => async (args) => {
      sent.push((args.request as { headers?: Record<string, string> }).headers?.['content-encoding']);
      return next(args);
    }, { step: 'finalizeRequest', name: 'recordContentEncoding' });
    const timestamp = new Date(Date.now() - 20_000);
    const MetricData = Array.from({ length: 200 }, (_, i) => ({
      MetricName: 'BulkLatency', Dimensions: [{ Name: 'Api', Value: `endpoint-${i}` }], Values: [i, i + 1, i + 2], Counts: [1, 1, 2], Timestamp: timestamp, Unit: 'Milliseconds' as const,
    }));
    expect(JSON.stringify(MetricData).length).toBeGreaterThan(10_240);
    await client.send(new PutMetricDataCommand({ Namespace: 'Bulk', MetricData }));
    expect(sent).toEqual(['gzip']);
    const out = f.world.cloudWatch.getMetricData({
      StartTime: timestamp.getTime() - 60_000, EndTime: timestamp.getTime() + 60_000,
      MetricDataQueries: [{ Id: 's', MetricStat: { Metric: { Namespace: 'Bulk', MetricName: 'BulkLatency', Dimensions: [{ Name: 'Api', Value: 'endpoint-199' }] }, Period: 300, Stat: 'Sum' } }],
    });
    expect(out.MetricDataResults[0]!.Values).toEqual([199 + 200 + 2 * 201]);
    client.destroy();
  });

  it('GetMetricData: percentiles and math over Lambda metrics', async () => {
    const metric = { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'shop-api' }] };
    const out = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(f.metricTime.getTime() - 30_000), EndTime: new Date(f.metricTime.getTime() + 30_000),
      MetricDataQueries: [
        { Id: 'p50', MetricStat: { Metric: metric, Period: 60, Stat: 'p50' } },
        { Id: 'avg', MetricStat: { Metric: metric, Period: 60, Stat: 'Average' }, ReturnData: false },
        { Id: 'doubled', Expression: 'avg * 2', Label: 'twice' },
      ],
    }));
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Label, r.Values, r.StatusCode])).toEqual([
      ['p50', 'Duration', [3], 'Complete'], ['doubled', 'twice', [44], 'Complete'],
    ]);
    expect(out.MetricDataResults?.[0]?.Timestamps?.[0]).toBeInstanceOf(Date);
    const bad = await errorOf(cw.send(new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(), MetricDataQueries: [{ Id: 'x', Expression: 'STDDEV(y)' }] })));
    expect(bad.message).toMatch(/Unsupported function STDDEV/);
  });
});

describe('Lambda (restJson1) with @aws-sdk/client-lambda', () => {
  it('invokes an alias, reports the executed version, function errors and the log tail', async () => {
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'shop-api', Qualifier: 'live', Payload: JSON.stringify({}) }));
    expect(ok.StatusCode).toBe(200);
    expect(ok.ExecutedVersion).toBe('2'); // fixture random 0.05 < weight 0.1
    expect(ok.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(ok.Payload!).toString())).toEqual({ statusCode: 200, version: '2' });

    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'shop-api:1', Payload: JSON.stringify({ fail: true }), LogType: 'Tail' }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(failed.ExecutedVersion).toBe('1');
    expect(Buffer.from(failed.LogResult!, 'base64').toString()).toContain('ERROR boom');
    const invocations = f.world.cloudWatch.getMetricData({
      StartTime: Date.now() - 60_000, EndTime: Date.now() + 60_000,
      MetricDataQueries: [{ Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'shop-api' }, { Name: 'Resource', Value: 'shop-api:1' }] }, Period: 120, Stat: 'Sum' } }],
    });
    expect(invocations.MetricDataResults[0]!.Values).toEqual([1]);
  });

  it('LogType Tail: the last 4 KB of the log in Lambda\'s START / output / END / REPORT format', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'shop-api', Qualifier: '1', Payload: JSON.stringify({}), LogType: 'Tail' }));
    const log = lambdaLogLines(Buffer.from(out.LogResult!, 'base64').toString(), out.$metadata.requestId);
    expect(log.version).toBe('1');
    expect(log.output).toEqual(['hello from 1']);
    expect(log.report).toMatch(/\tMemory Size: 128 MB\t/);
    const quiet = await lambda.send(new InvokeCommand({ FunctionName: 'shop-api', Qualifier: '1', Payload: JSON.stringify({}) }));
    expect(quiet.LogResult).toBeUndefined();
  });

  it('GetAlias and GetFunction; ResourceNotFoundException (404) for unknown names', async () => {
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'shop-api', Name: 'live' }));
    expect(alias).toMatchObject({ Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'shop-api', Qualifier: '2' }));
    expect(fn.Configuration).toMatchObject({ FunctionName: 'shop-api', Version: '2', State: 'Active' });
    expect(await errorOf(lambda.send(new GetAliasCommand({ FunctionName: 'shop-api', Name: 'ghost' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await errorOf(lambda.send(new GetFunctionCommand({ FunctionName: 'ghost' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect((await errorOf(lambda.send(new InvokeCommand({ FunctionName: 'ghost' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('ELBv2 (awsQuery) with @aws-sdk/client-elastic-load-balancing-v2', () => {
  it('describes load balancers, listeners with weighted forwards, and target groups', async () => {
    const lbs = await elb.send(new DescribeLoadBalancersCommand({ Names: ['web-alb'] }));
    expect(lbs.LoadBalancers?.map((l) => [l.LoadBalancerArn, l.DNSName, l.State?.Code])).toEqual([[f.lbArn, '127.0.0.1', 'active']]);
    expect(lbs.LoadBalancers?.[0]?.CreatedTime).toBeInstanceOf(Date);
    const listeners = await elb.send(new DescribeListenersCommand({ ListenerArns: [f.testListenerArn] }));
    const l = listeners.Listeners![0]!;
    expect(l.Port).toBe(18081);
    expect(l.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.[0]?.Weight).toBe(100);
    const tgs = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: f.lbArn }));
    expect(tgs.TargetGroups?.map((t) => t.TargetGroupName).sort()).toEqual(['web-blue', 'web-green']);
    expect((await errorOf(elb.send(new DescribeLoadBalancersCommand({ Names: ['ghost'] })))).name).toBe('LoadBalancerNotFoundException');
    expect((await errorOf(elb.send(new DescribeListenersCommand({ ListenerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2'] })))).name).toBe('ListenerNotFoundException');
    expect((await errorOf(elb.send(new DescribeTargetGroupsCommand({ Names: ['ghost'] })))).name).toBe('TargetGroupNotFoundException');
  });
});

describe('faults, unknown operations and malformed requests', () => {
  it('throttles with each service\'s own code', async () => {
    emu.faults.add({ service: 'codedeploy', operation: 'GetDeployment', kind: 'throttle', times: 1 });
    emu.faults.add({ service: 'cloudwatch', kind: 'throttle', times: 1 });
    emu.faults.add({ service: 'lambda', operation: 'GetAlias', kind: 'throttle', times: 1 });
    emu.faults.add({ service: 'elbv2', kind: 'throttle', times: 1 });
    expect((await errorOf(cd.send(new GetDeploymentCommand({ deploymentId: f.lambdaDeploymentId })))).name).toBe('ThrottlingException');
    expect((await cd.send(new GetDeploymentCommand({ deploymentId: f.lambdaDeploymentId }))).deploymentInfo?.deploymentId).toBe(f.lambdaDeploymentId);
    const cwErr = (await cw.send(new DescribeAlarmsCommand({})).catch((e: unknown) => e)) as { name: string; Code: string };
    expect(cwErr.Code).toBe('Throttling');
    expect(await errorOf(lambda.send(new GetAliasCommand({ FunctionName: 'shop-api', Name: 'live' })))).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    expect((await errorOf(elb.send(new DescribeLoadBalancersCommand({}))))).toMatchObject({ status: 400, message: 'Rate exceeded' });
  });

  it('is retried by the SDK on 500/503/reset when retries are on, and counts every call', async () => {
    const retrying = new CodeDeployClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 4 });
    const before = emu.world.callsTo('codedeploy', 'GetApplication').length;
    emu.faults.add({ service: 'codedeploy', operation: 'GetApplication', kind: '500', times: 1 });
    emu.faults.add({ service: 'codedeploy', operation: 'GetApplication', kind: '503', times: 1 });
    const handle = emu.faults.add({ service: 'codedeploy', operation: 'GetApplication', kind: 'reset', times: 1 });
    const out = await retrying.send(new GetApplicationCommand({ applicationName: 'web' }));
    expect(out.application?.applicationName).toBe('web');
    expect(handle.hits).toBe(1);
    expect(emu.world.callsTo('codedeploy', 'GetApplication').length - before).toBe(4);
    retrying.destroy();
  }, 20_000);

  it('delays, and hangs until the caller aborts', async () => {
    emu.faults.add({ service: 'cloudwatch', operation: 'DescribeAlarms', kind: 'delay', delayMs: 150, times: 1 });
    const t0 = Date.now();
    await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['shop-api-errors'] }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    emu.faults.add({ service: 'lambda', kind: 'hang', times: 1 });
    const err = await errorOf(lambda.send(new GetAliasCommand({ FunctionName: 'shop-api', Name: 'live' }), { abortSignal: AbortSignal.timeout(200) }));
    expect(err.name).toMatch(/Abort|Timeout/);
  });

  it('answers unknown operations and malformed bodies with errors, never a crash', async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(emu.url, { method: 'POST', headers, body });
    const unknownCd = await post({ 'x-amz-target': 'CodeDeploy_20141006.CreateDeployment', 'content-type': 'application/x-amz-json-1.1' }, '{}');
    expect(unknownCd.status).toBe(400);
    expect(await unknownCd.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const badJson = await post({ 'x-amz-target': 'CodeDeploy_20141006.GetDeployment', 'content-type': 'application/x-amz-json-1.1' }, '{not json');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ __type: 'SerializationException' });
    const unknownCw = await post({ 'x-amz-target': 'GraniteServiceVersion20100801.DeleteDashboards', 'content-type': 'application/x-amz-json-1.0' }, '{}');
    expect(unknownCw.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender');
    const unknownQuery = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'Action=DeleteRule&Version=2015-12-01');
    expect(unknownQuery.status).toBe(400);
    expect(await unknownQuery.text()).toContain('<Code>InvalidAction</Code>');
    const nowhere = await fetch(`${emu.url}/nothing/here`);
    expect(nowhere.status).toBe(404);
    // and the server is still up
    expect((await cd.send(new ListApplicationsCommand({}))).applications).toContain('web');
  });

  it('refuses a port in use with a clear error', async () => {
    await expect(startEmulator({ port: emu.port })).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringContaining(String(emu.port)) });
  });
});
