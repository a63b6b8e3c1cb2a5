import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../../src/simulator/emulator/index.js';

describe('Function: startEmulator evaluateAlarmsEveryMs', () => {
  it.each([
    [50, 'ALARM'],
    [undefined, 'INSUFFICIENT_DATA'],
  ])('with %s ms, an alarm follows the metrics put to it (state %s)', async (every, expected) => {
    const emu = await startEmulator({ port: 0, ...(every ? { evaluateAlarmsEveryMs: every } : {}) });
    try {
      const cw = new CloudWatchClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
      await cw.send(new PutMetricAlarmCommand({ AlarmName: 'errors', Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
      await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 5, Timestamp: new Date(Date.now() - 10_000) }] }));
      const state = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }))).MetricAlarms?.[0]?.StateValue;
      if (expected === 'ALARM') await vi.waitFor(async () => expect(await state()).toBe('ALARM'), { timeout: 2000, interval: 50 });
      else {
        await new Promise((r) => setTimeout(r, 200));
        expect(await state()).toBe('INSUFFICIENT_DATA');
      }
    } finally {
      await emu.close();
    }
  });
});
