import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/simulator/emulator/index.js';
import type { Emulator } from '../../src/simulator/emulator/index.js';
import { buildFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import { lambdaLogLines } from './lambda-log.js';
import { PREDEFINED_CONFIGS } from './predefined-configs.js';

/**
 * The AWS CLI (v1, botocore) is a client nobody here wrote: its serializers
 * and parsers check the emulator's wire formats independently of the JS SDK.
 * Debian's `awscli` package (v2.9, at /usr/bin/aws) is checked too where it is
 * installed: its older botocore speaks the query protocol (XML) to CloudWatch.
 * The CLIs must run asynchronously (execFile) so the in-process emulator can answer.
 */

const INSTALL = 'install the AWS CLI (pip install awscli)';
const DEBIAN_AWS = '/usr/bin/aws';
const DEBIAN_INSTALL = "install Debian's awscli package (apt-get install awscli)";

/** The CLI's `--version` line, or undefined when it cannot run. */
function cliVersion(bin: string): string | undefined {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return undefined;
  }
}

const available = cliVersion('aws') !== undefined;
const debianV2 = /^aws-cli\/2\..*debian/.test(cliVersion(DEBIAN_AWS) ?? '');
const mustRun = process.env.CI === 'true';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any; // CLI output is untyped JSON; assertions check its shape
}

let emu: Emulator;
let f: Fixture;
let dir: string;

function aws(args: string[]): Promise<CliResult> {
  return runCli('aws', args);
}

function runCli(bin: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(bin, [...args, '--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json'], {
      timeout: 30_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: join(dir, 'none-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none-credentials'),
        AWS_MAX_ATTEMPTS: '1',
        AWS_RETRY_MODE: 'standard',
        ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
        ...(process.env.PYENV_VERSION ? { PYENV_VERSION: process.env.PYENV_VERSION } : {}),
      },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

if (!available && mustRun) {
  describe('AWS CLI conformance', () => {
    it('requires the AWS CLI under CI=true', () => {
      throw new Error(`the aws command is missing: ${INSTALL}`);
    });
  });
}

describe.skipIf(!available)(`AWS CLI conformance (skipped when missing: ${INSTALL})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdh-cli-'));
    f = buildFixture();
    emu = await startEmulator({ world: f.world });
  });

  afterAll(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('aws deploy: applications, groups, configs, deployments, targets', async () => {
    const [apps, app, groups, group, config] = await Promise.all([
      aws(['deploy', 'list-applications']),
      aws(['deploy', 'get-application', '--application-name', 'web']),
      aws(['deploy', 'list-deployment-groups', '--application-name', 'shop-api']),
      aws(['deploy', 'get-deployment-group', '--application-name', 'web', '--deployment-group-name', 'web-dg']),
      aws(['deploy', 'get-deployment-config', '--deployment-config-name', 'CodeDeployDefault.LambdaCanary10Percent5Minutes']),
    ]);
    expect(apps.json).toEqual({ applications: ['shop-api', 'web'] });
    expect(app.json.application).toMatchObject({ applicationName: 'web', computePlatform: 'ECS' });
    expect(groups.json.deploymentGroups).toEqual(['shop-api-dg']);
    expect(group.json.deploymentGroupInfo.loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute.listenerArns).toEqual([f.prodListenerArn]);
    expect(config.json.deploymentConfigInfo.trafficRoutingConfig).toEqual({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } });

    const [deployments, deployment, listed, batch] = await Promise.all([
      aws(['deploy', 'list-deployments', '--application-name', 'web', '--deployment-group-name', 'web-dg']),
      aws(['deploy', 'get-deployment', '--deployment-id', f.lambdaDeploymentId]),
      aws(['deploy', 'list-deployment-targets', '--deployment-id', f.lambdaDeploymentId]),
      aws(['deploy', 'batch-get-deployment-targets', '--deployment-id', f.ecsDeploymentId, '--target-ids', 'main:web']),
    ]);
    expect(deployments.json.deployments).toEqual([f.ecsDeploymentId]);
    const info = deployment.json.deploymentInfo;
    expect(info).toMatchObject({ deploymentId: f.lambdaDeploymentId, status: 'InProgress', computePlatform: 'Lambda' });
    // The CLI prints the wire timestamp (epoch seconds) or ISO 8601, depending on cli_timestamp_format.
    const created = typeof info.createTime === 'number' ? info.createTime * 1000 : Date.parse(info.createTime);
    expect(Math.abs(created - Date.now())).toBeLessThan(120_000);
    const sets = batch.json.deploymentTargets[0].ecsTarget.taskSetsInfo;
    expect(sets.map((s: { identifer: string; trafficWeight: number }) => [s.identifer, s.trafficWeight])).toEqual([['ecs-svc/1', 100], ['ecs-svc/2', 0]]);
    const target = await aws(['deploy', 'get-deployment-target', '--deployment-id', f.lambdaDeploymentId, '--target-id', listed.json.targetIds[0]]);
    expect(target.json.deploymentTarget.lambdaTarget.lambdaFunctionInfo).toMatchObject({ functionAlias: 'live', targetVersion: '2' });
  });

  it('aws deploy: lifecycle hook status exactly once, with real error codes; stop-deployment', async () => {
    const put = (status: string) => aws(['deploy', 'put-lifecycle-event-hook-execution-status',
      '--deployment-id', f.lambdaDeploymentId, '--lifecycle-event-hook-execution-id', f.executionId, '--status', status]);
    const [badStatus, stop] = await Promise.all([put('SUCCEEDED'), aws(['deploy', 'stop-deployment', '--deployment-id', f.ecsDeploymentId])]);
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toContain('InvalidLifecycleEventHookExecutionStatusException');
    expect(stop.json).toMatchObject({ status: 'Succeeded' });
    const first = await put('Succeeded');
    expect(first.code).toBe(0);
    expect(first.json).toEqual({ lifecycleEventHookExecutionId: f.executionId });
    const second = await put('Failed');
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('LifecycleEventAlreadyCompletedException');
  });

  it('aws cloudwatch: put data and alarm, set state, describe alarms and history, get metric data', async () => {
    const now = Date.now();
    const putData = aws(['cloudwatch', 'put-metric-data', '--namespace', 'Shop', '--metric-data',
      JSON.stringify([{ MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }], Values: [10, 20, 900], Counts: [1, 1, 1], Timestamp: new Date(now - 5000).toISOString(), Unit: 'Milliseconds' }])]);
    const putAlarm = aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'orders-latency', '--namespace', 'Shop', '--metric-name', 'Latency',
      '--dimensions', 'Name=Api,Value=orders', '--extended-statistic', 'p90', '--period', '60', '--evaluation-periods', '1',
      '--threshold', '500', '--comparison-operator', 'GreaterThanThreshold', '--treat-missing-data', 'notBreaching']);
    const [d, a] = await Promise.all([putData, putAlarm]);
    expect([d.code, d.stderr, a.code, a.stderr]).toEqual([0, '', 0, '']);
    emu.world.cloudWatch.evaluateAlarms();

    const setState = await aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'shop-api-errors', '--state-value', 'ALARM', '--state-reason', 'from the CLI']);
    expect(setState.code).toBe(0);
    const start = new Date(now - 60_000).toISOString();
    const end = new Date(now + 60_000).toISOString();
    const [alarms, history, data, tooMany] = await Promise.all([
      aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'orders-latency', 'shop-api-errors', 'shop-api-any', '--alarm-types', 'MetricAlarm', 'CompositeAlarm']),
      aws(['cloudwatch', 'describe-alarm-history', '--alarm-name', 'shop-api-errors', '--history-item-type', 'StateUpdate']),
      aws(['cloudwatch', 'get-metric-data', '--start-time', start, '--end-time', end, '--scan-by', 'TimestampAscending', '--metric-data-queries', JSON.stringify([
        { Id: 'p', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }] }, Period: 120, Stat: 'p50' } },
        { Id: 'e', Expression: 'p / 10' },
      ])]),
      aws(['cloudwatch', 'describe-alarms', '--max-records', '101']),
    ]);
    expect(alarms.json.MetricAlarms.map((x: { AlarmName: string; StateValue: string }) => [x.AlarmName, x.StateValue])).toEqual([
      ['orders-latency', 'ALARM'], ['shop-api-errors', 'ALARM'],
    ]);
    expect(alarms.json.CompositeAlarms.map((x: { AlarmName: string; StateValue: string }) => [x.AlarmName, x.StateValue])).toEqual([['shop-api-any', 'ALARM']]);
    const latest = history.json.AlarmHistoryItems[0];
    expect(latest).toMatchObject({ AlarmName: 'shop-api-errors', HistoryItemType: 'StateUpdate' });
    expect(latest.HistorySummary).toMatch(/ to ALARM$/);
    expect(JSON.parse(latest.HistoryData).newState).toMatchObject({ stateValue: 'ALARM', stateReason: 'from the CLI' });
    expect(data.json.MetricDataResults.map((r: { Id: string; Values: number[] }) => [r.Id, r.Values])).toEqual([['p', [20]], ['e', [2]]]);
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toMatch(/ValidationError|ValidationException/);
  });

  it('aws elbv2 and aws lambda: describe, get-alias, get-function, invoke', async () => {
    const out = join(dir, 'invoke-out.json');
    const [lbs, listeners, tgs, missing] = await Promise.all([
      aws(['elbv2', 'describe-load-balancers', '--names', 'web-alb']),
      aws(['elbv2', 'describe-listeners', '--load-balancer-arn', f.lbArn]),
      aws(['elbv2', 'describe-target-groups', '--names', 'web-blue', 'web-green']),
      aws(['elbv2', 'describe-listeners', '--listener-arns', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2']),
    ]);
    const [alias, fn, invoke, ghost] = await Promise.all([
      aws(['lambda', 'get-alias', '--function-name', 'shop-api', '--name', 'live']),
      aws(['lambda', 'get-function', '--function-name', 'shop-api', '--qualifier', '2']),
      aws(['lambda', 'invoke', '--function-name', 'shop-api', '--qualifier', 'live', '--payload', '{"fail":true}', '--log-type', 'Tail', out]),
      aws(['lambda', 'get-alias', '--function-name', 'ghost', '--name', 'live']),
    ]);
    expect(lbs.json.LoadBalancers[0]).toMatchObject({ LoadBalancerArn: f.lbArn, DNSName: '127.0.0.1', State: { Code: 'active' } });
    expect(listeners.json.Listeners.map((l: { Port: number }) => l.Port).sort()).toEqual([18080, 18081]);
    expect(listeners.json.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[0].Weight).toBe(100);
    expect(tgs.json.TargetGroups.map((t: { TargetGroupName: string }) => t.TargetGroupName)).toEqual(['web-blue', 'web-green']);
    expect(alias.json).toMatchObject({ Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    expect(fn.json.Configuration).toMatchObject({ FunctionName: 'shop-api', Version: '2' });
    expect(invoke.json).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '2' });
    expect(lambdaLogLines(Buffer.from(invoke.json.LogResult, 'base64').toString())).toMatchObject({ version: '2', output: ['ERROR boom'] });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ errorMessage: 'boom', errorType: 'Error' });
    expect(missing.stderr).toContain('ListenerNotFound');
    expect(ghost.stderr).toContain('ResourceNotFoundException');
  });

  it('as clients send it: put-metric-data over 10 KB gzip-compressed, Server configs, a bad --next-token', async () => {
    const data = join(dir, 'bulk.json');
    writeFileSync(data, JSON.stringify(bulkMetricData('CliBulk')));
    const [put, badToken, ...configs] = await Promise.all([
      aws(['cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-data', `file://${data}`, '--debug']),
      aws(['deploy', 'list-deployments', '--next-token', 'bogus']),
      ...PREDEFINED_CONFIGS.filter((c) => c.platform === 'Server').map((c) => aws(['deploy', 'get-deployment-config', '--deployment-config-name', c.name])),
    ]);
    expect(put.code, put.stderr.slice(-2000)).toBe(0);
    expect(put.stderr).toMatch(/content-encoding:gzip/i);
    expect(bulkSum(emu, 'Cli', 'CliBulk', 'endpoint-150')).toEqual([150 + 3]);
    expect(badToken.code).not.toBe(0);
    expect(badToken.stderr).toContain('InvalidNextTokenException');
    expect(configs.map((c) => [c.json?.deploymentConfigInfo?.deploymentConfigName, c.json?.deploymentConfigInfo?.computePlatform]))
      .toEqual(PREDEFINED_CONFIGS.filter((c) => c.platform === 'Server').map((c) => [c.name, 'Server']));
  });
});

/** 200 data points: over the 10 KB at which the SDKs start compressing. */
function bulkMetricData(metricName: string): unknown[] {
  const data = Array.from({ length: 200 }, (_, i) => ({ MetricName: metricName, Dimensions: [{ Name: 'Api', Value: `endpoint-${i}` }], Values: [i, 1], Counts: [1, 3] }));
  expect(JSON.stringify(data).length).toBeGreaterThan(10_240);
  return data;
}

function bulkSum(e: Emulator, namespace: string, metricName: string, api: string): number[] {
  return e.world.cloudWatch.getMetricData({
    StartTime: Date.now() - 300_000, EndTime: Date.now() + 60_000,
    MetricDataQueries: [{ Id: 's', MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: [{ Name: 'Api', Value: api }] }, Period: 3600, Stat: 'Sum' } }],
  }).MetricDataResults[0]!.Values;
}

describe.skipIf(!debianV2)(`Debian's AWS CLI v2, query protocol to CloudWatch (skipped when missing: ${DEBIAN_INSTALL})`, () => {
  const debian = (args: string[]) => runCli(DEBIAN_AWS, args);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdh-cli2-'));
    f = buildFixture();
    emu = await startEmulator({ world: f.world });
  });

  afterAll(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('cloudwatch over the query protocol: a bulk put, describe, and XML errors it parses (413, validation, another service)', async () => {
    const data = join(dir, 'bulk.json');
    writeFileSync(data, JSON.stringify(bulkMetricData('DebBulk')));
    const prefix = join(dir, 'prefix.txt');
    writeFileSync(prefix, 'x'.repeat(7 * 1024 * 1024));
    const [put, alarms, invalid, tooLarge, sns] = await Promise.all([
      debian(['cloudwatch', 'put-metric-data', '--namespace', 'Deb', '--metric-data', `file://${data}`, '--debug']),
      debian(['cloudwatch', 'describe-alarms', '--alarm-names', 'shop-api-errors']),
      debian(['cloudwatch', 'describe-alarms', '--max-records', '101']),
      debian(['cloudwatch', 'describe-alarms', '--alarm-name-prefix', `file://${prefix}`]),
      debian(['sns', 'list-topics']),
    ]);
    expect(put.code, put.stderr.slice(-2000)).toBe(0);
    expect(put.stderr).toMatch(/application\/x-www-form-urlencoded/);
    expect(bulkSum(emu, 'Deb', 'DebBulk', 'endpoint-7')).toEqual([7 + 3]);
    expect(alarms.json.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual(['shop-api-errors']);
    expect(invalid.stderr).toContain('(ValidationError)');
    expect(tooLarge.code).not.toBe(0);
    expect(tooLarge.stderr).toContain('(RequestEntityTooLargeException)');
    expect(sns.code).not.toBe(0);
    expect(sns.stderr).toContain('(InvalidAction)');
  });

  it('deploy and lambda: a bad --next-token, the Lambda log tail', async () => {
    const out = join(dir, 'invoke-out.json');
    const [badToken, invoke] = await Promise.all([
      debian(['deploy', 'list-deployments', '--next-token', 'bogus']),
      debian(['lambda', 'invoke', '--function-name', 'shop-api', '--qualifier', '1', '--log-type', 'Tail', '--payload', '{}', '--cli-binary-format', 'raw-in-base64-out', out]),
    ]);
    expect(badToken.stderr).toContain('InvalidNextTokenException');
    expect(invoke.code, invoke.stderr).toBe(0);
    expect(lambdaLogLines(Buffer.from(invoke.json.LogResult, 'base64').toString())).toMatchObject({ version: '1', output: ['hello from 1'] });
  });
});
