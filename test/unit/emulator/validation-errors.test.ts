import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/simulator/emulator/index.js';

const config = (url: string) => ({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

const nameOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.name);

describe('Emulator: validation errors the real APIs return', () => {
  it('ListDeployments needs the group with the application, and known statuses', async () => {
    const cd = new CodeDeployClient(config(emu.url));
    expect(await nameOf(cd.send(new ListDeploymentsCommand({ applicationName: 'app' })))).toBe('DeploymentGroupNameRequiredException');
    expect(await nameOf(cd.send(new ListDeploymentsCommand({ includeOnlyStatuses: ['Bogus' as never] })))).toBe('InvalidDeploymentStatusException');
    expect(await nameOf(cd.send(new ListDeploymentsCommand({})))).toBe('no error');
  });

  it('GetMetricData accepts only CloudWatch periods', async () => {
    const cw = new CloudWatchClient(config(emu.url));
    const query = (Period: number) =>
      cw.send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(), MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period, Stat: 'Sum' } }] }));
    expect(await nameOf(query(45))).not.toBe('no error');
    expect(await nameOf(query(60))).toBe('no error');
    expect(await nameOf(query(10))).toBe('no error');
  });
});
