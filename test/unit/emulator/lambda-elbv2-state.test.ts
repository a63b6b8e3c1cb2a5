import { describe, expect, it } from 'vitest';
import { AwsServiceError, createWorld } from '../../../src/simulator/state/index.js';
import { LAMBDA_LOG, lambdaLogLines } from '../../conformance/lambda-log.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function lambdaWorld(randoms: number[]) {
  let i = 0;
  const world = createWorld({ now: () => T0, random: () => randoms[i++ % randoms.length]! });
  world.lambda.createFunction({ functionName: 'fn' });
  world.lambda.publishVersion('fn');
  world.lambda.publishVersion('fn');
  world.lambda.putAlias('fn', 'live', '1', { '2': 0.25 });
  return world;
}

function sum(world: ReturnType<typeof createWorld>, metricName: string, dims: Record<string, string>): number | undefined {
  const r = world.cloudWatch.getMetricData({
    StartTime: T0 - 60_000, EndTime: T0 + 60_000,
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: 120, Stat: 'Sum' } }],
  });
  return r.MetricDataResults[0]!.Values[0];
}

describe('Lambda world', () => {
  it('routes alias invocations by weight and records metrics per dimension set', async () => {
    // 0.1 < 0.25 -> version 2; 0.5 -> version 1
    const world = lambdaWorld([0.1, 0.5, 0.5, 0.5]);
    world.lambda.setVersionHandler('fn', '1', () => ({ ok: 1 }));
    world.lambda.setVersionHandler('fn', '2', () => { throw new Error('v2 is broken'); });
    const outcomes = [];
    for (let k = 0; k < 4; k++) outcomes.push(await world.lambda.invoke({ functionName: 'fn', qualifier: 'live', payload: '{}' }));
    expect(outcomes.map((o) => o.executedVersion)).toEqual(['2', '1', '1', '1']);
    expect(outcomes[0]!.functionError).toBe('Unhandled');
    expect(JSON.parse(outcomes[0]!.payload)).toMatchObject({ errorMessage: 'v2 is broken', errorType: 'Error' });
    expect(JSON.parse(outcomes[1]!.payload)).toEqual({ ok: 1 });

    expect(sum(world, 'Invocations', { FunctionName: 'fn' })).toBe(4);
    expect(sum(world, 'Errors', { FunctionName: 'fn' })).toBe(1);
    expect(sum(world, 'Invocations', { FunctionName: 'fn', Resource: 'fn:live' })).toBe(4);
    expect(sum(world, 'Errors', { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: '2' })).toBe(1);
    expect(sum(world, 'Invocations', { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: '1' })).toBe(3);
    expect(sum(world, 'Errors', { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: '1' })).toBe(0);
  });

  it('direct version invocations have no ExecutedVersion dimension; names may carry the qualifier', async () => {
    const world = lambdaWorld([0.9]);
    world.lambda.setInvoker(({ version }) => ({ payload: JSON.stringify({ version }) }));
    const r = await world.lambda.invoke({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn:2', payload: '{}', logType: 'Tail' });
    expect(r.executedVersion).toBe('2');
    expect(Buffer.from(r.logResult!, 'base64').toString()).toContain('Version: 2');
    expect(sum(world, 'Invocations', { FunctionName: 'fn', Resource: 'fn:2' })).toBe(1);
    expect(sum(world, 'Invocations', { FunctionName: 'fn', Resource: 'fn:2', ExecutedVersion: '2' })).toBeUndefined();
    await expect(world.lambda.invoke({ functionName: 'fn:9' })).rejects.toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
    await expect(world.lambda.invoke({ functionName: 'ghost' })).rejects.toBeInstanceOf(AwsServiceError);
  });

  it('the log tail: START, output, END, REPORT with one RequestId; only the last 4 KB, never cut inside a character', async () => {
    const world = lambdaWorld([0.9]);
    let seenId = '';
    world.lambda.setVersionHandler('fn', '1', (_payload, ctx) => { seenId = ctx.awsRequestId; return {}; });
    const r = await world.lambda.invoke({ functionName: 'fn', qualifier: '1', payload: '{}', logType: 'Tail' });
    const log = lambdaLogLines(Buffer.from(r.logResult!, 'base64').toString(), r.requestId);
    expect(log).toMatchObject({ version: '1', output: [] });
    expect(seenId).toBe(r.requestId);
    expect(log.report).toMatch(/\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t$/);
    expect(log.report).toMatch(/\tDuration: (\d+\.\d\d) ms\tBilled Duration: \d+ ms/);
    const [, duration, billed] = /Duration: ([\d.]+) ms\tBilled Duration: (\d+) ms/.exec(log.report)!;
    expect(Number(billed)).toBe(Math.max(1, Math.ceil(Number(duration))));

    world.lambda.setInvoker(() => ({ payload: '{}', logTail: `${'é'.repeat(3000)}\nlast line`, durationMs: 1500.2, maxMemoryUsedMb: 91 }));
    const long = await world.lambda.invoke({ functionName: 'fn', qualifier: '2', payload: '{}', logType: 'Tail' });
    const raw = Buffer.from(long.logResult!, 'base64');
    expect(raw.length).toBeLessThanOrEqual(4096);
    expect(raw.length).toBeGreaterThan(4090);
    const lines = raw.toString('utf8').replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^é+$/); // START and the beginning are cut off, not a broken character
    expect(lines.slice(1, 2)).toEqual(['last line']);
    expect(lines[2]).toMatch(LAMBDA_LOG.end);
    expect(lines[3]).toMatch(/^REPORT RequestId: \S+\tDuration: 1500\.20 ms\tBilled Duration: 1501 ms\tMemory Size: 128 MB\tMax Memory Used: 91 MB\t$/);
  });

  it('moves alias routing and validates weights', () => {
    const world = lambdaWorld([0]);
    world.lambda.updateAliasRouting('fn', 'live', '2');
    expect(world.lambda.getAlias('fn', 'live')).toMatchObject({ FunctionVersion: '2' });
    expect(world.lambda.getAlias('fn', 'live').RoutingConfig).toBeUndefined();
    expect(() => world.lambda.updateAliasRouting('fn', 'live', '1', { '2': 1.5 })).toThrow(/weight/);
    expect(() => world.lambda.putAlias('fn', 'x', '7')).toThrow(/not found/);
  });
});

describe('ELBv2 world', () => {
  it('keeps listeners, weighted forward actions and target groups', () => {
    const world = createWorld();
    const lb = world.elbv2.createLoadBalancer({ name: 'alb', dnsName: '127.0.0.1' });
    const blue = world.elbv2.createTargetGroup({ name: 'blue' });
    const green = world.elbv2.createTargetGroup({ name: 'green' });
    const l = world.elbv2.createListener({ loadBalancerArn: lb.LoadBalancerArn, port: 9000, targetGroups: [{ TargetGroupArn: blue.TargetGroupArn, Weight: 100 }] });
    world.elbv2.setListenerWeights(l.ListenerArn, [{ TargetGroupArn: blue.TargetGroupArn, Weight: 90 }, { TargetGroupArn: green.TargetGroupArn, Weight: 10 }]);
    const [listener] = world.elbv2.describeListeners({ LoadBalancerArn: lb.LoadBalancerArn });
    expect(listener!.DefaultActions[0]!.ForwardConfig.TargetGroups.map((t) => t.Weight)).toEqual([90, 10]);
    expect(world.elbv2.describeTargetGroups({ LoadBalancerArn: lb.LoadBalancerArn }).map((t) => t.TargetGroupName)).toEqual(['blue', 'green']);
    expect(() => world.elbv2.describeListeners({})).toThrow(/listener ARNs or a load balancer ARN/);
    expect(() => world.elbv2.describeTargetGroups({ Names: ['nope'] })).toThrow(AwsServiceError);
  });
});
