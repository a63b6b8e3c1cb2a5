/**
 * The alarms and metric checks against two CloudWatch implementations: the
 * project's emulator and moto_server, which nobody here wrote. The same suite
 * runs against both, through the real SDK client, so a check that only works
 * against our own emulator's reading of the protocol fails here.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alarms } from '../../src/checks/alarms.js';
import { metric } from '../../src/checks/metric.js';
import type { Check, CheckContext } from '../../src/types.js';
import { checkContext, deploymentGroup, lambdaHook } from '../unit/checks/cw-helpers.js';
import { emulatorBackend, motoBackend, skipWhenMissing, type Backend } from './backends.js';

function client(url: string) {
  return new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 2 });
}

/** moto runs the same tests when installed; elsewhere each of them skips naming what to install (required under CI=true). */
const backends: Backend[] = [emulatorBackend, motoBackend((url) => client(url).send(new DescribeAlarmsCommand({})))];

describe.each(backends)('CloudWatch checks against $name', (backend) => {
  let server: { url: string; stop(): Promise<void> };
  let cw: CloudWatchClient;
  const now = Date.now();

  const run = (check: Check, ctx: Partial<Parameters<typeof checkContext>[0]> = {}) =>
    check.run(checkContext({ clients: { cloudWatch: cw }, ...ctx }) as CheckContext);

  async function alarm(name: string, state?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA') {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'Conformance',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    if (state) await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: `set to ${state} by the test` }));
  }

  beforeEach((ctx) => skipWhenMissing(backend, ctx));

  beforeAll(async () => {
    if (backend.missing) return;
    server = await backend.start();
    cw = client(server.url);
    await alarm('cdh-ok', 'OK');
    await alarm('cdh-firing', 'ALARM');
    // Set explicitly: moto starts new alarms in OK where CloudWatch starts them in INSUFFICIENT_DATA.
    await alarm('cdh-new', 'INSUFFICIENT_DATA');
    for (let i = 0; i < 120; i++) await alarm(`bulk-${String(i).padStart(3, '0')}`, 'OK');
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Conformance',
        MetricData: [3, 5, 2].map((value, i) => ({
          MetricName: 'Errors',
          Value: value,
          Unit: 'Count',
          Timestamp: new Date(now - (i + 2) * 60_000),
          Dimensions: [{ Name: 'FunctionName', Value: 'shop-api' }],
        })),
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('passes when the alarms are OK or have insufficient data', async () => {
    const outcome = await run(alarms({ names: ['cdh-ok', 'cdh-new'] }));
    expect(outcome.state).toBe('passed');
    expect(JSON.stringify(outcome.details)).toContain('INSUFFICIENT_DATA');
  });

  it('fails on an alarm in ALARM, naming it', async () => {
    const outcome = await run(alarms({ names: ['cdh-ok', 'cdh-firing'] }));
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toContain('cdh-firing');
  });

  it('is an error, not a pass, when a named alarm does not exist', async () => {
    const outcome = await run(alarms({ names: ['cdh-ok', 'cdh-missing'] }));
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain('cdh-missing');
  });

  it("reads the deployment group's alarms", async () => {
    const hook = lambdaHook({}, deploymentGroup({ alarms: { enabled: true, ignorePollAlarmFailure: false, names: ['cdh-firing'] } }));
    expect((await run(alarms({ fromDeploymentGroup: true }), { hook })).state).toBe('failed');
  });

  it('fails on a flap into ALARM that recovered before the poll, when history is read', async () => {
    await alarm('cdh-flap', 'ALARM');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'cdh-flap', StateValue: 'OK', StateReason: 'recovered' }));
    expect((await run(alarms({ names: ['cdh-flap'] }))).state).toBe('passed');
    const outcome = await run(alarms({ names: ['cdh-flap'], history: true, since: now - 60_000 }));
    if (backend.name === 'moto_server') {
      // moto 5.2 does not implement DescribeAlarmHistory: the check must not pass blind.
      expect(outcome.state).toBe('error');
      expect(outcome.reason).toMatch(/history/i);
    } else {
      expect(outcome.state).toBe('failed');
      expect(outcome.reason).toContain('cdh-flap');
    }
  });

  it('pages through 120 alarms found by prefix', async () => {
    const outcome = await run(alarms({ prefix: 'bulk-' }));
    expect(outcome.state).toBe('passed');
    expect(JSON.stringify(outcome.details)).toContain('bulk-119');
  });

  it('fails a metric over its threshold and passes it under', async () => {
    const queries = [
      {
        Id: 'errors',
        MetricStat: {
          Metric: { Namespace: 'Conformance', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'shop-api' }] },
          Period: 60,
          Stat: 'Sum',
        },
      },
    ];
    const over = await run(metric({ queries, lookbackMs: 10 * 60_000, failWhen: { stat: 'max', op: '>', threshold: 4 } }));
    expect(over.state).toBe('failed');
    expect(over.reason).toContain('5');
    const under = await run(metric({ queries, lookbackMs: 10 * 60_000, failWhen: { stat: 'max', op: '>', threshold: 10 } }));
    expect(under.state).toBe('passed');
  });

  it('treats a metric without datapoints by the noData policy', async () => {
    const queries = [
      {
        Id: 'errors',
        MetricStat: {
          Metric: { Namespace: 'Conformance', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'no-such-function' }] },
          Period: 60,
          Stat: 'Sum',
        },
      },
    ];
    expect((await run(metric({ queries, failWhen: { stat: 'max', op: '>', threshold: 0 } }))).state).toBe('inconclusive');
    expect((await run(metric({ queries, noData: 'fail', failWhen: { stat: 'max', op: '>', threshold: 0 } }))).state).toBe('failed');
  });
});
