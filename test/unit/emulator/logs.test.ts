import { CloudWatchLogsClient, FilterLogEventsCommand, paginateFilterLogEvents, ResourceNotFoundException, InvalidParameterException } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient, GetApplicationRevisionCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/simulator/emulator/index.js';
import { compileFilterPattern } from '../../../src/simulator/state/log-filter.js';
import { createWorld } from '../../../src/simulator/state/index.js';
import { storeHookLogs } from '../../../src/simulator/engine/hook-logs.js';
import { attachAppSpec } from '../../../src/simulator/engine/appspec.js';
import { loadScenario } from '../../../src/simulator/scenario/loader.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('Function: compileFilterPattern', () => {
  const line = '{"level":"WARN","deploymentId":"d-ABCDEFGHI","status":"Failed","durationMs":120,"reported":true,"target":{"alias":"live"}}';
  it.each([
    ['', true],
    ['d-ABCDEFGHI', true],
    ['"d-ABCDEFGHI" Failed', true],
    ['Failed Succeeded', false],
    ['?Succeeded ?Failed', true],
    ['?Succeeded ?Bypassed', false],
    ['Failed -WARN', false],
    ['failed', false],
    ['{ $.deploymentId = "d-ABCDEFGHI" }', true],
    ['{ $.deploymentId = "d-ZZZ" }', false],
    ['{ $.deploymentId = "d-ABC*" }', true],
    ['{ $.deploymentId != "d-ABCDEFGHI" }', false],
    ['{ $.durationMs > 100 && $.status = "Failed" }', true],
    ['{ $.durationMs < 100 || $.target.alias = "live" }', true],
    ['{ $.durationMs <= 100 }', false],
    ['{ $.reported = true }', true],
    ['{ $.missing = "x" }', false],
  ])('%j matches the verdict line: %s', (pattern, expected) => {
    expect(compileFilterPattern(pattern)(line)).toBe(expected);
  });

  it('a JSON pattern never matches a line that is not JSON', () => {
    expect(compileFilterPattern('{ $.a = "b" }')('a = b')).toBe(false);
  });

  it.each(['[ip, user]', '%ERR.*%', '{ ($.a = 1) }', '{ $.a = 1', '"unbalanced', '{ $.a > "x" }', '{ a = 1 }'])(
    'refuses %j with InvalidParameterException',
    (pattern) => {
      expect(() => compileFilterPattern(pattern)).toThrow(expect.objectContaining({ code: 'InvalidParameterException' }));
    },
  );
});

describe('Function: FilterLogEvents through the real CloudWatch Logs client', () => {
  let emu: Emulator;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    const world = createWorld({ now: () => T0 });
    world.logs.putLines('/aws/lambda/hook', 'stream-a', ['first d-AAA', 'second d-BBB'], T0 - 2000);
    world.logs.putLines('/aws/lambda/hook', 'stream-b', Array.from({ length: 25 }, (_, i) => `line ${i} d-AAA`), T0 - 1000);
    world.logs.putLines('/aws/lambda/hook', 'stream-c', ['late d-AAA'], T0 + 5000);
    world.logs.createLogGroup('/aws/lambda/empty');
    emu = await startEmulator({ world });
    logs = new CloudWatchLogsClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  afterAll(() => emu.close());

  it('returns events oldest first with stream, timestamp, message, ingestion time and id', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/hook', limit: 2 }));
    expect(out.events?.map((e) => [e.logStreamName, e.timestamp, e.message])).toEqual([
      ['stream-a', T0 - 2000, 'first d-AAA'],
      ['stream-a', T0 - 2000, 'second d-BBB'],
    ]);
    expect(out.events?.[0]?.ingestionTime).toBe(T0);
    expect(out.events?.[0]?.eventId).not.toBe(out.events?.[1]?.eventId);
    expect(out.nextToken).toBeTruthy();
  });

  it('pages with nextToken until every matching event was returned once', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 10 }, { logGroupName: '/aws/lambda/hook', filterPattern: '"d-AAA"' })) {
      pages += 1;
      seen.push(...(page.events ?? []).map((e) => e.message!));
    }
    expect(seen).toEqual(['first d-AAA', ...Array.from({ length: 25 }, (_, i) => `line ${i} d-AAA`), 'late d-AAA']);
    expect(pages).toBe(3);
  });

  it('keeps to startTime and endTime (both inclusive), newest first when startFromHead is false', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/hook', startTime: T0 - 1000, endTime: T0 + 5000, startFromHead: false, limit: 2 }));
    expect(out.events?.map((e) => e.message)).toEqual(['late d-AAA', 'line 24 d-AAA']);
  });

  it('filters by stream names and prefix, and accepts a log group ARN', async () => {
    const byName = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/hook', logStreamNames: ['stream-c'] }));
    expect(byName.events?.map((e) => e.message)).toEqual(['late d-AAA']);
    const byArn = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/hook:*', logStreamNamePrefix: 'stream-a' }));
    expect(byArn.events).toHaveLength(2);
  });

  it('an existing group without events answers an empty page without a token', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/empty' }));
    expect(out.events).toEqual([]);
    expect(out.nextToken).toBeUndefined();
  });

  it('a missing group is ResourceNotFoundException', async () => {
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it.each([
    [{ logGroupName: '/aws/lambda/hook', logGroupIdentifier: '/aws/lambda/hook' }],
    [{}],
    [{ logGroupName: '/aws/lambda/hook', nextToken: 'not-a-token' }],
    [{ logGroupName: '/aws/lambda/hook', limit: 0 }],
    [{ logGroupName: '/aws/lambda/hook', logStreamNames: ['a'], logStreamNamePrefix: 'a' }],
    [{ logGroupName: '/aws/lambda/hook', filterPattern: '[a, b]' }],
  ])('bad input %j is InvalidParameterException', async (input) => {
    await expect(logs.send(new FilterLogEventsCommand(input))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('Function: storeHookLogs and attachAppSpec (what a simulation leaves behind)', () => {
  it('stores each printed line as one event of the hook function’s log group', () => {
    const world = createWorld({ now: () => T0 });
    storeHookLogs(world, 'CodeDeployHook_pre', ['{"status":"Failed"}\nsecond', ' line\r\n', '\n']);
    const out = world.logs.filterLogEvents({ logGroupName: '/aws/lambda/CodeDeployHook_pre' });
    expect(out.events.map((e) => e.message)).toEqual(['{"status":"Failed"}', 'second line']);
    expect(out.events[0]!.logStreamName).toMatch(/^2026\/01\/01\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(out.events.every((e) => e.timestamp === T0)).toBe(true);
  });

  it('a deployment carries its AppSpec by sha256; GetApplicationRevision returns the content with the hooks', async () => {
    const world = createWorld();
    const scenario = loadScenario('lambda-canary-broken-version');
    const cd = world.codeDeploy;
    cd.createApplication({ applicationName: 'sample-app', computePlatform: 'Lambda' });
    cd.createDeploymentGroup({ applicationName: 'sample-app', deploymentGroupName: 'sample-app-group' });
    const d = cd.createDeployment({ applicationName: 'sample-app', deploymentGroupName: 'sample-app-group', lambdaTarget: { functionName: 'sample-app', functionAlias: 'live', currentVersion: '1', targetVersion: '2' } });
    attachAppSpec(world, scenario, d.deploymentId);
    const emu = await startEmulator({ world });
    try {
      const client = new CodeDeployClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId: d.deploymentId }));
      expect(deploymentInfo?.revision?.revisionType).toBe('AppSpecContent');
      expect(deploymentInfo?.revision?.appSpecContent?.content).toBeUndefined();
      const out = await client.send(new GetApplicationRevisionCommand({ applicationName: 'sample-app', revision: deploymentInfo!.revision! }));
      const appspec = JSON.parse(out.revision!.appSpecContent!.content!) as { Hooks: Record<string, string>[]; Resources: Record<string, { Properties: Record<string, string> }>[] };
      expect(appspec.Hooks).toEqual([{ BeforeAllowTraffic: 'CodeDeployHook_sample-app-pre-traffic' }, { AfterAllowTraffic: 'CodeDeployHook_sample-app-post-traffic' }]);
      expect(appspec.Resources[0]!['sample-app']!.Properties).toEqual({ Name: 'sample-app', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' });
      expect(out.revisionInfo?.deploymentGroups).toEqual(['sample-app-group']);
      await expect(client.send(new GetApplicationRevisionCommand({ applicationName: 'sample-app', revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: 'f'.repeat(64) } } })))
        .rejects.toMatchObject({ name: 'RevisionDoesNotExistException' });
    } finally {
      await emu.close();
    }
  });
});
