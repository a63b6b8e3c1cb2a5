import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { compareVersions, loadBalancerDimension, targetGroupDimension } from '../../../src/checks/compare-versions.js';
import { OptionsError } from '../../../src/errors.js';
import { awsError, checkContext, ecsHook, lambdaHook } from './cw-helpers.js';

const cw = mockClient(CloudWatchClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => {
  cw.reset();
  elb.reset();
});

/** Spreads a total over `periods` whole-number datapoints. */
function spread(total: number, periods = 10): number[] {
  const out = Array.from({ length: periods }, () => Math.floor(total / periods));
  out[0]! += total - out.reduce((a, b) => a + b, 0);
  return out;
}

interface SideData {
  errors: number;
  requests: number;
  /** Per-period p50 latency; p99 is served as twice that. */
  latency: number[];
  /** 5xx answers counted by the function itself (responseErrors). */
  responses5xx?: number;
}

function serve(base: SideData, canary: SideData) {
  const values: Record<string, number[]> = {
    err_base: spread(base.errors),
    req_base: spread(base.requests),
    lat0_base: base.latency,
    lat1_base: base.latency.map((v) => 2 * v),
    err5xx_base: spread(base.responses5xx ?? 0),
    err_new: spread(canary.errors),
    req_new: spread(canary.requests),
    lat0_new: canary.latency,
    lat1_new: canary.latency.map((v) => 2 * v),
    err5xx_new: spread(canary.responses5xx ?? 0),
  };
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const v = values[q.Id as string] ?? [];
      return { Id: q.Id, Values: v, Timestamps: v.map((_, i) => new Date(1_700_000_000_000 + i * 60_000)), StatusCode: 'Complete' };
    }),
  }));
}

const steady = (level: number, n = 10) => Array.from({ length: n }, (_, i) => level + ((i * 7) % 5) - 2);
/** ALB latency is in seconds: steady(ms) / 1000. */
const seconds = (ms: number) => steady(ms).map((v) => v / 1000);

describe('compareVersions options', () => {
  it('validates eagerly, naming the field', () => {
    const field = (o: object) => {
      try {
        compareVersions(o as never);
      } catch (e) {
        expect(e).toBeInstanceOf(OptionsError);
        return (e as OptionsError).field;
      }
      return undefined;
    };
    expect(field({ confidence: 1.2 })).toBe('compareVersions.confidence');
    expect(field({ errorRateTolerance: 2 })).toBe('compareVersions.errorRateTolerance');
    expect(field({ latencyTolerance: -0.1 })).toBe('compareVersions.latencyTolerance');
    expect(field({ minSamples: { requests: 0 } })).toBe('compareVersions.minSamples.requests');
    expect(field({ compare: ['cpu'] })).toBe('compareVersions.compare');
    expect(field({ loadBalancer: 'my-alb' })).toBe('compareVersions.loadBalancer');
    expect(field({ targetGroups: { baseline: 'targetgroup/a/1', canary: 'b' } })).toBe('compareVersions.targetGroups.canary');
    expect(field({ periodSeconds: 61 })).toBe('compareVersions.periodSeconds');
    expect(field({ latencyStats: ['median'] })).toBe('compareVersions.latencyStats');
    expect(field({ insufficientSample: 'fail' })).toBe('compareVersions.insufficientSample');
    expect(field({ since: 'yesterday' })).toBe('compareVersions.since');
    expect(field({ responseErrors: { namespace: 'App' } })).toBe('compareVersions.responseErrors');
    expect(field({ latencyMinDeltaMs: -1 })).toBe('compareVersions.latencyMinDeltaMs');
    expect(compareVersions().name).toBe('compareVersions');
  });
});

describe('compareVersions on Lambda', () => {
  it('queries Errors, Invocations and Duration p50 and p99 by ExecutedVersion for both versions in one call', async () => {
    serve({ errors: 5, requests: 5000, latency: steady(100) }, { errors: 1, requests: 1000, latency: steady(100) });
    const ctx = checkContext();
    const out = await compareVersions().run(ctx);
    expect(out.state).toBe('passed');
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const queries = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    expect(queries.map((q) => q.Id)).toEqual(['err_base', 'req_base', 'lat0_base', 'lat1_base', 'err_new', 'req_new', 'lat0_new', 'lat1_new']);
    const byId = Object.fromEntries(queries.map((q) => [q.Id, q.MetricStat!]));
    expect(byId.err_new!.Metric!.MetricName).toBe('Errors');
    expect(byId.req_new!.Metric!.MetricName).toBe('Invocations');
    expect(byId.lat0_new!.Metric!.MetricName).toBe('Duration');
    expect([byId.lat0_new!.Stat, byId.lat1_new!.Stat]).toEqual(['p50', 'p99']);
    expect(byId.err_base!.Metric!.Dimensions).toEqual([
      { Name: 'FunctionName', Value: 'my-fn' },
      { Name: 'Resource', Value: 'my-fn:live' },
      { Name: 'ExecutedVersion', Value: '6' },
    ]);
    expect(byId.err_new!.Metric!.Dimensions).toContainEqual({ Name: 'ExecutedVersion', Value: '7' });
    expect(out.details).toMatchObject({
      platform: 'Lambda',
      alphaPerMetric: expect.closeTo(0.01 / 3, 10),
      baseline: { label: 'version 6', requests: 5000, errors: 5 },
      canary: { label: 'version 7', requests: 1000, errors: 1 },
      errors: { verdict: 'ok' },
      'latency p50': { verdict: 'ok' },
      'latency p99': { verdict: 'ok' },
    });
  });

  it('fails when the new version has a worse error rate beyond the tolerance', async () => {
    serve({ errors: 10, requests: 5000, latency: steady(100) }, { errors: 60, requests: 1000, latency: steady(100) });
    const out = await compareVersions().run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/version 7 error rate 6% \(60\/1000\) vs 0.2% \(10\/5000\) on version 6: worse by more than 0.1% \(always-valid p < 0.001, alpha 0.0033\)/);
    expect(out.details?.errors).toMatchObject({ verdict: 'worse' });
  });

  it('the confidence level decides a borderline case (always-valid p ≈ 0.013)', async () => {
    // Agresti–Caffo: 17/1002 vs 6/5002; the mixture ratio (τ = 0.03) gives p = 0.0130 against a 0.1-point margin.
    const data = () => serve({ errors: 5, requests: 5000, latency: steady(100) }, { errors: 16, requests: 1000, latency: steady(100) });
    data();
    expect((await compareVersions({ compare: ['errors'], confidence: 0.95 }).run(checkContext())).state).toBe('failed');
    cw.reset();
    data();
    expect((await compareVersions({ compare: ['errors'], confidence: 0.99 }).run(checkContext())).state).toBe('passed');
  });

  it('identical versions, with or without background errors, pass (no false rollback)', async () => {
    for (const errors of [0, 100, 500]) {
      cw.reset();
      serve({ errors: errors * 9, requests: 45_000, latency: steady(100) }, { errors, requests: 5000, latency: steady(100) });
      const out = await compareVersions().run(checkContext());
      expect(out.state).toBe('passed');
    }
  });

  it('zero errors on both sides pass', async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100) }, { errors: 0, requests: 1000, latency: steady(100) });
    const out = await compareVersions({ compare: ['errors'] }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/0% \(0\/1000\) vs 0% \(0\/5000\) on version 6: not worse beyond 0.1%/);
  });

  it('counts the 5xx answers the function reports (responseErrors) as errors', async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100), responses5xx: 0 }, { errors: 0, requests: 1000, latency: steady(100), responses5xx: 100 });
    const out = await compareVersions({ responseErrors: { namespace: 'App', metricName: 'Http5xx' } }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/error rate 10% \(100\/1000\)/);
    const q = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!.find((x) => x.Id === 'err5xx_new')!;
    expect(q.MetricStat!.Metric).toEqual({ Namespace: 'App', MetricName: 'Http5xx', Dimensions: [{ Name: 'FunctionName', Value: 'my-fn' }, { Name: 'ExecutedVersion', Value: '7' }] });
  });

  it('fails when the new version is slower beyond the latency tolerance', async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100) }, { errors: 0, requests: 1000, latency: steady(130) });
    const out = await compareVersions().run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/version 7 p50 latency 130 ms vs 100 ms on version 6 \(×1.30 over 10 periods\): slower by more than 10%/);
    expect(out.details?.['latency p50']).toMatchObject({ verdict: 'worse', pairs: 10 });
  });

  it('tolerates a slowdown within latencyTolerance, or smaller than latencyMinDeltaMs', async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100) }, { errors: 0, requests: 1000, latency: steady(108) });
    expect((await compareVersions().run(checkContext())).state).toBe('passed');
    cw.reset();
    serve({ errors: 0, requests: 5000, latency: steady(10) }, { errors: 0, requests: 1000, latency: steady(14) });
    const small = await compareVersions({ compare: ['latency'], latencyStats: ['p50'] }).run(checkContext());
    expect(small.state).toBe('passed');
    expect(small.reason).toMatch(/slower, but by no more than 10 ms/);
    cw.reset();
    serve({ errors: 0, requests: 5000, latency: steady(10) }, { errors: 0, requests: 1000, latency: steady(14) });
    expect((await compareVersions({ compare: ['latency'], latencyStats: ['p50'], latencyMinDeltaMs: 0 }).run(checkContext())).state).toBe('failed');
  });

  it('is inconclusive below the minimum sample sizes, saying what it had and needed', async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100) }, { errors: 3, requests: 20, latency: steady(100, 2) });
    const out = await compareVersions().run(checkContext());
    expect(out.state).toBe('inconclusive');
    expect(out.reason).toMatch(/too few requests to compare error rates: version 7 had 20, version 6 5000; 50 needed on each/);
    expect(out.reason).toMatch(/too few periods to compare p50 latency: 2 served by both versions, 3 needed/);
    expect(out.details?.errors).toMatchObject({ verdict: 'inconclusive', requests: { canary: 20, baseline: 5000 }, needed: 50 });
  });

  it("passes below the minimum sample with insufficientSample 'pass', saying so", async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100) }, { errors: 3, requests: 20, latency: steady(100, 2) });
    const out = await compareVersions({ insufficientSample: 'pass' }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/^not enough data to judge, passed by insufficientSample 'pass': too few requests/);
    expect(out.details).toMatchObject({ insufficientSample: true });
  });

  it('a decisive failure wins over an inconclusive part', async () => {
    serve({ errors: 0, requests: 5000, latency: steady(100, 2) }, { errors: 200, requests: 1000, latency: steady(100, 2) });
    expect((await compareVersions({ insufficientSample: 'pass' }).run(checkContext())).state).toBe('failed');
  });

  it('errors when the versions are the same or GetMetricData fails', async () => {
    const same = await compareVersions().run(checkContext({ hook: lambdaHook({ currentVersion: '7', targetVersion: '7' }) }));
    expect(same.state).toBe('error');
    expect(same.reason).toMatch(/both 7/);
    cw.on(GetMetricDataCommand).rejects(awsError('AccessDenied', 'no cloudwatch:GetMetricData'));
    const denied = await compareVersions().run(checkContext());
    expect(denied.state).toBe('error');
    expect(denied.reason).toMatch(/GetMetricData failed: AccessDenied/);
  });

  it("since: 'deployment' reads from the period the deployment was created in (the context's deploymentStartedAt)", async () => {
    const created = new Date(Date.now() - 7 * 60_000 - 15_000);
    serve({ errors: 0, requests: 5000, latency: steady(100) }, { errors: 0, requests: 1000, latency: steady(100) });
    const out = await compareVersions({ since: 'deployment', lookbackMs: 3_600_000 }).run(checkContext({ hook: { ...lambdaHook(), deploymentStartedAt: created.getTime() } }));
    expect(out.state).toBe('passed');
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(new Date(input.StartTime as Date).getTime()).toBe(Math.floor(created.getTime() / 60_000) * 60_000);
    // A context without a start time (a platform that gave none) is an error, not a window guessed.
    const { deploymentStartedAt: _drop, ...withoutStart } = { ...lambdaHook(), deploymentStartedAt: 0 };
    const unknown = await compareVersions({ since: 'deployment' }).run(checkContext({ hook: withoutStart }));
    expect(unknown).toMatchObject({ state: 'error', reason: expect.stringMatching(/start time is not known/) });
  });
});

describe('compareVersions overrides', () => {
  it('uses explicit versions and latencyStats', async () => {
    serve({ errors: 0, requests: 500, latency: steady(100) }, { errors: 0, requests: 500, latency: steady(100) });
    const out = await compareVersions({ baselineVersion: '3', canaryVersion: '5', latencyStats: ['p90'] }).run(checkContext());
    expect(out.state).toBe('passed');
    const queries = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    const version = (id: string) => queries.find((q) => q.Id === id)!.MetricStat!.Metric!.Dimensions!.find((d) => d.Name === 'ExecutedVersion')!.Value;
    expect(version('err_base')).toBe('3');
    expect(version('err_new')).toBe('5');
    expect(queries.find((q) => q.Id === 'lat0_new')!.MetricStat!.Stat).toBe('p90');
  });

  it('errors on ECS when the target group has no load balancer', async () => {
    elb.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [
        { TargetGroupName: 'tg-blue', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg-blue/1', LoadBalancerArns: [] },
        { TargetGroupName: 'tg-green', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg-green/2', LoadBalancerArns: [] },
      ],
    });
    const out = await compareVersions().run(checkContext({ hook: ecsHook() }));
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/tg-green is not attached to a load balancer; give the loadBalancer option/);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });
});

describe('compareVersions on ECS', () => {
  const blueArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-blue/aaa111';
  const greenArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-green/bbb222';
  const lbArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/ccc333';

  it('derives the dimension values from ARNs', () => {
    expect(targetGroupDimension(blueArn)).toBe('targetgroup/tg-blue/aaa111');
    expect(loadBalancerDimension(lbArn)).toBe('app/my-alb/ccc333');
  });

  it('resolves blue and green target groups and compares their ALB metrics', async () => {
    elb.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [
        { TargetGroupName: 'tg-green', TargetGroupArn: greenArn, LoadBalancerArns: [lbArn] },
        { TargetGroupName: 'tg-blue', TargetGroupArn: blueArn, LoadBalancerArns: [lbArn] },
      ],
    });
    serve({ errors: 0, requests: 4000, latency: seconds(100) }, { errors: 120, requests: 1000, latency: seconds(100) });
    const out = await compareVersions().run(checkContext({ hook: ecsHook() }));
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/green \(targetgroup\/tg-green\/bbb222\) error rate 12%/);
    expect(elb.commandCalls(DescribeTargetGroupsCommand)[0]!.args[0].input.Names).toEqual(['tg-blue', 'tg-green']);
    const queries = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    const byId = Object.fromEntries(queries.map((q) => [q.Id, q.MetricStat!.Metric!]));
    expect(byId.err_new).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count' });
    expect(byId.req_base!.MetricName).toBe('RequestCount');
    expect(byId.lat0_base!.MetricName).toBe('TargetResponseTime');
    expect(byId.err_new!.Dimensions).toEqual([
      { Name: 'TargetGroup', Value: 'targetgroup/tg-green/bbb222' },
      { Name: 'LoadBalancer', Value: 'app/my-alb/ccc333' },
    ]);
    expect(byId.err_base!.Dimensions![0]).toEqual({ Name: 'TargetGroup', Value: 'targetgroup/tg-blue/aaa111' });
  });

  it("prefers the task sets' target groups over list order", async () => {
    elb.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [
        { TargetGroupName: 'tg-green', TargetGroupArn: greenArn, LoadBalancerArns: [lbArn] },
        { TargetGroupName: 'tg-blue', TargetGroupArn: blueArn, LoadBalancerArns: [lbArn] },
      ],
    });
    serve({ errors: 0, requests: 4000, latency: seconds(100) }, { errors: 0, requests: 1000, latency: seconds(100) });
    const hook = ecsHook({
      targetGroups: ['tg-blue', 'tg-green'],
      blueTaskSet: { identifier: 'ts-1', targetGroupName: 'tg-green' },
      greenTaskSet: { identifier: 'ts-2', targetGroupName: 'tg-blue' },
    });
    const out = await compareVersions().run(checkContext({ hook }));
    expect(out.details?.canary).toMatchObject({ label: 'green (targetgroup/tg-blue/aaa111)' });
  });

  it('uses explicit dimension values without calling ELBv2', async () => {
    serve({ errors: 0, requests: 4000, latency: seconds(100) }, { errors: 0, requests: 1000, latency: seconds(100) });
    const out = await compareVersions({
      loadBalancer: 'app/other/999',
      targetGroups: { baseline: 'targetgroup/b/1', canary: 'targetgroup/g/2' },
    }).run(checkContext({ hook: ecsHook() }));
    expect(out.state).toBe('passed');
    expect(elb.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(0);
    const q = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!.find((x) => x.Id === 'req_new')!;
    expect(q.MetricStat!.Metric!.Dimensions).toEqual([
      { Name: 'TargetGroup', Value: 'targetgroup/g/2' },
      { Name: 'LoadBalancer', Value: 'app/other/999' },
    ]);
  });

  it('errors with an actionable reason when target groups cannot be resolved', async () => {
    elb.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFoundException', 'One or more target groups not found'));
    const out = await compareVersions().run(checkContext({ hook: ecsHook() }));
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/DescribeTargetGroups for tg-blue, tg-green failed: TargetGroupNotFoundException/);

    const single = await compareVersions().run(checkContext({ hook: ecsHook({ targetGroups: ['only-one'] }) }));
    expect(single.state).toBe('error');
    expect(single.reason).toMatch(/fewer than two target groups/);
  });
});
