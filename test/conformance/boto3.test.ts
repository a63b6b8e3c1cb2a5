import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/simulator/emulator/index.js';
import type { Emulator } from '../../src/simulator/emulator/index.js';
import { BOTO3_INSTALL, hasBoto3 } from '../helpers/boto3.js';
import { buildFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import { runBoto3 } from './boto3-driver.js';
import type { Boto3Call } from './boto3-driver.js';
import { lambdaLogLines } from './lambda-log.js';
import { PREDEFINED_CONFIGS } from './predefined-configs.js';

/**
 * boto3, as a hook written in Python uses it (tools/boto3-calls.py): its own
 * protocol choice, request compression and error parsing, against the emulator.
 */

const INSTALL = BOTO3_INSTALL;
const available = hasBoto3();

let emu: Emulator;
let f: Fixture;
let dir: string;

const run = (calls: Boto3Call[]) => runBoto3(emu.url, dir, calls);

if (!available && process.env.CI === 'true') {
  describe('boto3 conformance', () => {
    it('requires python3 + boto3 under CI=true', () => {
      throw new Error(`boto3 is missing: ${INSTALL}`);
    });
  });
}

describe.skipIf(!available)(`boto3 against the emulator (skipped when missing: ${INSTALL})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdh-boto3-'));
    f = buildFixture();
    emu = await startEmulator({ world: f.world });
  });
  afterAll(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('PutMetricData over 10 KB goes out gzip-compressed and its data is stored', async () => {
    const timestamp = new Date(Date.now() - 20_000).toISOString();
    const MetricData = Array.from({ length: 200 }, (_, i) => ({ MetricName: 'PyLatency', Dimensions: [{ Name: 'Api', Value: `endpoint-${i}` }], Values: [i, 1], Counts: [1, 3], Timestamp: timestamp }));
    expect(JSON.stringify(MetricData).length).toBeGreaterThan(10_240);
    const [put, small, data] = await run([
      { service: 'cloudwatch', operation: 'PutMetricData', params: { Namespace: 'Py', MetricData } },
      { service: 'cloudwatch', operation: 'PutMetricData', params: { Namespace: 'Py', MetricData: [{ MetricName: 'PySmall', Value: 1 }] } },
      { service: 'cloudwatch', operation: 'GetMetricData', params: {
        StartTime: new Date(Date.now() - 120_000).toISOString(), EndTime: new Date(Date.now() + 60_000).toISOString(),
        MetricDataQueries: [{ Id: 's', MetricStat: { Metric: { Namespace: 'Py', MetricName: 'PyLatency', Dimensions: [{ Name: 'Api', Value: 'endpoint-150' }] }, Period: 300, Stat: 'Sum' } }],
      } },
    ]);
    expect(put).toMatchObject({ status: 200, contentEncoding: 'gzip' });
    expect(small).toMatchObject({ status: 200, contentEncoding: null });
    expect(data!.result.MetricDataResults[0].Values).toEqual([150 + 3]);
  });

  it('CodeDeploy: every predefined configuration answers, a nextToken it never issued does not', async () => {
    const results = await run([
      ...PREDEFINED_CONFIGS.map(({ name }) => ({ service: 'codedeploy', operation: 'GetDeploymentConfig', params: { deploymentConfigName: name } })),
      { service: 'codedeploy', operation: 'ListDeployments', params: { nextToken: 'bogus' } },
    ]);
    const badToken = results.pop()!;
    expect(results.map((r) => [r.result?.deploymentConfigInfo?.deploymentConfigName, r.result?.deploymentConfigInfo?.computePlatform]))
      .toEqual(PREDEFINED_CONFIGS.map((c) => [c.name, c.platform]));
    expect(badToken).toMatchObject({ status: 400, error: { Code: 'InvalidNextTokenException' } });
  });

  it('query clients get XML errors botocore parses: another service, a wrong Version, a body over the limit', async () => {
    const huge = 'x'.repeat(7 * 1024 * 1024);
    const [sns, wrongVersion, tooLarge, jsonTooLarge, ok] = await run([
      { service: 'sns', operation: 'ListTopics' },
      { service: 'elbv2', operation: 'DescribeLoadBalancers', version: '2099-01-01' },
      { service: 'elbv2', operation: 'DescribeLoadBalancers', params: { Names: [huge] } },
      { service: 'cloudwatch', operation: 'DescribeAlarms', params: { AlarmNamePrefix: huge } },
      { service: 'elbv2', operation: 'DescribeLoadBalancers' },
    ]);
    expect(sns).toMatchObject({ status: 400, error: { Code: 'InvalidAction', Message: expect.stringMatching(/Version=2010-08-01/) } });
    expect(wrongVersion).toMatchObject({ status: 400, error: { Code: 'InvalidAction', Message: expect.stringMatching(/got 2099-01-01/) } });
    expect(tooLarge).toMatchObject({ status: 413, error: { Code: 'RequestEntityTooLargeException' } });
    expect(jsonTooLarge).toMatchObject({ status: 413, error: { Code: 'RequestEntityTooLargeException' } });
    expect(ok!.result.LoadBalancers[0].LoadBalancerArn).toBe(f.lbArn);
  });

  it('Lambda Invoke with LogType Tail: a log tail in the runtime\'s format, with the response\'s RequestId', async () => {
    const [out] = await run([{ service: 'lambda', operation: 'Invoke', params: { FunctionName: 'shop-api', Qualifier: '1', Payload: '{"fail":true}', LogType: 'Tail' } }]);
    expect(out).toMatchObject({ status: 200, result: { FunctionError: 'Unhandled', ExecutedVersion: '1' } });
    const log = lambdaLogLines(Buffer.from(out!.result.LogResult, 'base64').toString(), out!.requestId);
    expect(log).toMatchObject({ version: '1', output: ['ERROR boom'] });
    expect(JSON.parse(out!.result.Payload)).toEqual({ errorMessage: 'boom', errorType: 'Error' });
  });
});
