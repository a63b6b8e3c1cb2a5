/**
 * explain's CloudWatch Logs calls against two implementations: the
 * project's emulator and moto_server, which nobody here wrote. Both are
 * seeded the same way through the real SDK (CreateLogGroup, CreateLogStream,
 * PutLogEvents), then searched with the FilterLogEvents calls explain makes
 * (quoted-term filter, time window, pagination), so a call that only works
 * against our own reading of the protocol fails here.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { searchVerdictLines } from '../../src/explain/verdict-lines.js';
import type { HookVerdict } from '../../src/types.js';
import { verdictRecord } from '../../src/verdict-log.js';
import { emulatorBackend, motoBackend, skipWhenMissing, type Backend } from './backends.js';

function client(url: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 2 });
}


const backends: Backend[] = [emulatorBackend, motoBackend((url) => client(url).send(new DescribeLogGroupsCommand({})))];
const ID = 'd-CONF12345';
const GROUP = '/aws/lambda/CodeDeployHook_pre';

function line(deploymentId: string, lifecycleEvent: 'BeforeAllowTraffic' | 'AfterAllowTraffic', status: 'Succeeded' | 'Failed'): string {
  const v: HookVerdict = {
    status, deploymentId, lifecycleEvent, platform: 'Lambda', durationMs: 7, reported: true, reason: `${lifecycleEvent} ${status}`,
    checks: [{ name: 'smoke', state: status === 'Failed' ? 'failed' : 'passed', reason: 'r', enforced: true, durationMs: 1, attempts: 1 }],
  };
  return JSON.stringify(verdictRecord(v, undefined, { outcome: 'accepted', attempts: 1 }, 'NS', 'exec'));
}

describe.each(backends)('explain’s FilterLogEvents calls against $name', (backend) => {
  let server: { url: string; stop(): Promise<void> };
  let logs: CloudWatchLogsClient;
  const now = Date.now();
  const window = { startTime: now - 10 * 60_000, endTime: now + 60_000 };

  beforeEach((ctx) => skipWhenMissing(backend, ctx));

  beforeAll(async () => {
    if (backend.missing) return;
    server = await backend.start();
    logs = client(server.url);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'b' }));
    const at = (minutesAgo: number, i = 0) => now - minutesAgo * 60_000 + i;
    await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', logEvents: [
      { timestamp: at(30), message: line(ID, 'BeforeAllowTraffic', 'Succeeded') }, // before the window
      { timestamp: at(5), message: `START looking at ${ID}` },
      { timestamp: at(5, 1), message: line(ID, 'BeforeAllowTraffic', 'Failed') },
      { timestamp: at(5, 2), message: line('d-OTHER0000', 'BeforeAllowTraffic', 'Succeeded') },
    ] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'b', logEvents: Array.from({ length: 7 }, (_, i) => ({
      timestamp: at(3, i), message: i === 6 ? line(ID, 'AfterAllowTraffic', 'Succeeded') : `progress ${i} of ${ID}`,
    })) }));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('finds this deployment’s verdict lines in the window, across pages, and counts the other lines', async () => {
    for (const pageSize of [undefined, 2]) {
      const found = await searchVerdictLines(logs, GROUP, ID, window, pageSize);
      expect(found.lines.map((l) => [l.record.lifecycleEvent, l.record.status, l.logStream])).toEqual([
        ['BeforeAllowTraffic', 'Failed', 'a'],
        ['AfterAllowTraffic', 'Succeeded', 'b'],
      ]);
      expect(found.otherEvents).toBe(7);
      expect(found.capped).toBe(false);
    }
  });

  it('an empty window finds nothing', async () => {
    const found = await searchVerdictLines(logs, GROUP, ID, { startTime: now + 120_000, endTime: now + 180_000 });
    expect(found.lines).toEqual([]);
  });

  it('a missing log group is ResourceNotFoundException', async () => {
    await expect(searchVerdictLines(logs, '/aws/lambda/nope', ID, window)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
