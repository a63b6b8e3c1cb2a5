import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/simulator/emulator/index.js';
import type { Emulator } from '../../src/simulator/emulator/index.js';
import { buildFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

/**
 * CloudWatch over the form-encoded query protocol with XML responses (what
 * CloudWatch clients sent before the JSON switch), checked with botocore's
 * own query serializer and parser (tools/botocore-query.py).
 */

const INSTALL = 'install python3 with botocore (pip install awscli)';
const SCRIPT = fileURLToPath(new URL('./tools/botocore-query.py', import.meta.url));

function hasBotocore(): boolean {
  try {
    execFileSync('python3', ['-c', 'import botocore.serialize, botocore.parsers'], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

const available = hasBotocore();

interface Call { service: 'cloudwatch' | 'elbv2'; operation: string; params?: Record<string, unknown> }
interface Result { status: number; body: any; contentEncoding: string | null } // botocore's parsed XML, untyped; assertions check its shape

let emu: Emulator;
let f: Fixture;

function run(calls: Call[]): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', [SCRIPT], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`botocore driver failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as Result[]);
    });
    child.stdin!.end(JSON.stringify({ endpoint: emu.url, calls }));
  });
}

if (!available && process.env.CI === 'true') {
  describe('query protocol conformance', () => {
    it('requires python3 + botocore under CI=true', () => {
      throw new Error(`botocore is missing: ${INSTALL}`);
    });
  });
}

describe.skipIf(!available)(`CloudWatch and ELBv2 query protocol with botocore (skipped when missing: ${INSTALL})`, () => {
  beforeAll(async () => {
    f = buildFixture();
    emu = await startEmulator({ world: f.world });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('serves every CloudWatch operation in XML and query errors in the ErrorResponse form', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const metric = { Namespace: 'Shop', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }] };
    const [putData, putAlarm, setState, alarms, history, data, page1, tooMany, badToken, reserved] = await run([
      { service: 'cloudwatch', operation: 'PutMetricData', params: { Namespace: 'Shop', MetricData: [{ MetricName: 'Latency', Dimensions: metric.Dimensions, Values: [10, 20, 900], Counts: [1, 1, 1], Timestamp: iso(now - 5000), Unit: 'Milliseconds' }] } },
      { service: 'cloudwatch', operation: 'PutMetricAlarm', params: { AlarmName: 'orders-latency', ...metric, ExtendedStatistic: 'p90', Period: 60, EvaluationPeriods: 1, Threshold: 500, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' } },
      { service: 'cloudwatch', operation: 'SetAlarmState', params: { AlarmName: 'shop-api-errors', StateValue: 'ALARM', StateReason: 'via query', StateReasonData: '{"x":1}' } },
      { service: 'cloudwatch', operation: 'DescribeAlarms', params: { AlarmNames: ['orders-latency', 'shop-api-errors', 'shop-api-any'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] } },
      { service: 'cloudwatch', operation: 'DescribeAlarmHistory', params: { AlarmName: 'shop-api-errors', HistoryItemType: 'StateUpdate' } },
      { service: 'cloudwatch', operation: 'GetMetricData', params: { StartTime: iso(now - 60_000), EndTime: iso(now + 60_000), ScanBy: 'TimestampAscending', MetricDataQueries: [
        { Id: 'p', MetricStat: { Metric: metric, Period: 120, Stat: 'p50' }, ReturnData: false },
        { Id: 'e', Expression: 'p / 10', Label: 'tenth' },
      ] } },
      { service: 'cloudwatch', operation: 'DescribeAlarms', params: { AlarmNamePrefix: 'shop-api-', MaxRecords: 1 } },
      { service: 'cloudwatch', operation: 'DescribeAlarms', params: { AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) } },
      { service: 'cloudwatch', operation: 'DescribeAlarms', params: { NextToken: 'nope' } },
      { service: 'cloudwatch', operation: 'PutMetricData', params: { Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'x', Value: 1 }] } },
    ]);
    for (const ok of [putData, putAlarm, setState]) expect(ok).toMatchObject({ status: 200, body: {} });
    expect(f.world.cloudWatch.metricAlarms.get('orders-latency')).toMatchObject({ ExtendedStatistic: 'p90', Period: 60, Threshold: 500 });
    expect(alarms!.body.MetricAlarms.map((a: { AlarmName: string; StateValue: string }) => [a.AlarmName, a.StateValue])).toEqual([
      ['orders-latency', 'INSUFFICIENT_DATA'], ['shop-api-errors', 'ALARM'],
    ]);
    expect(alarms!.body.MetricAlarms[0]).toMatchObject({ Dimensions: [{ Name: 'Api', Value: 'orders' }], EvaluationPeriods: 1, Threshold: 500 });
    expect(alarms!.body.MetricAlarms[1]).toMatchObject({ StateReason: 'via query', StateReasonData: '{"x":1}', ActionsEnabled: true });
    expect(alarms!.body.CompositeAlarms.map((a: { AlarmName: string; StateValue: string }) => [a.AlarmName, a.StateValue])).toEqual([['shop-api-any', 'ALARM']]);
    expect(Date.parse(alarms!.body.MetricAlarms[1].StateUpdatedTimestamp)).toBeGreaterThan(now - 60_000);
    expect(history!.body.AlarmHistoryItems[0]).toMatchObject({ AlarmName: 'shop-api-errors', HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from INSUFFICIENT_DATA to ALARM' });
    expect(data!.body.MetricDataResults).toEqual([expect.objectContaining({ Id: 'e', Label: 'tenth', Values: [2], StatusCode: 'Complete' })]);
    expect(page1!.body.MetricAlarms).toHaveLength(1);
    expect(typeof page1!.body.NextToken).toBe('string');
    expect(tooMany).toMatchObject({ status: 400, body: { Error: { Code: 'ValidationError', Type: 'Sender' } } });
    expect(badToken).toMatchObject({ status: 400, body: { Error: { Code: 'InvalidNextToken' } } });
    expect(reserved).toMatchObject({ status: 400, body: { Error: { Code: 'InvalidParameterValue' } } });
  });

  it('decodes a PutMetricData over 10 KB that botocore sends gzip-compressed', async () => {
    const timestamp = new Date(Date.now() - 20_000).toISOString();
    const MetricData = Array.from({ length: 150 }, (_, i) => ({ MetricName: 'QueryBulk', Dimensions: [{ Name: 'Api', Value: `endpoint-${i}` }], Values: [i], Counts: [2], Timestamp: timestamp }));
    const [put, data] = await run([
      { service: 'cloudwatch', operation: 'PutMetricData', params: { Namespace: 'QueryBulk', MetricData } },
      { service: 'cloudwatch', operation: 'GetMetricData', params: {
        StartTime: new Date(Date.now() - 120_000).toISOString(), EndTime: new Date(Date.now() + 60_000).toISOString(),
        MetricDataQueries: [{ Id: 's', MetricStat: { Metric: { Namespace: 'QueryBulk', MetricName: 'QueryBulk', Dimensions: [{ Name: 'Api', Value: 'endpoint-149' }] }, Period: 300, Stat: 'Sum' } }],
      } },
    ]);
    expect(put).toEqual({ status: 200, body: {}, contentEncoding: 'gzip' });
    expect(data!.body.MetricDataResults[0].Values).toEqual([298]);
  });

  it('serves ELBv2 in XML and its errors', async () => {
    const [lbs, listeners, tgs, missing] = await run([
      { service: 'elbv2', operation: 'DescribeLoadBalancers', params: { LoadBalancerArns: [f.lbArn] } },
      { service: 'elbv2', operation: 'DescribeListeners', params: { ListenerArns: [f.prodListenerArn] } },
      { service: 'elbv2', operation: 'DescribeTargetGroups', params: { Names: ['web-green'] } },
      { service: 'elbv2', operation: 'DescribeTargetGroups', params: { Names: ['ghost'] } },
    ]);
    expect(lbs!.body.LoadBalancers[0]).toMatchObject({ LoadBalancerName: 'web-alb', DNSName: '127.0.0.1', Type: 'application' });
    expect(listeners!.body.Listeners[0]).toMatchObject({ Port: 18080, Protocol: 'HTTP' });
    expect(listeners!.body.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[0]).toMatchObject({ Weight: 100 });
    expect(tgs!.body.TargetGroups[0]).toMatchObject({ TargetGroupName: 'web-green', Port: 8080, Matcher: { HttpCode: '200' } });
    expect(missing).toMatchObject({ status: 400, body: { Error: { Code: 'TargetGroupNotFound' } } });
  });
});
