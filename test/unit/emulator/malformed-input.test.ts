import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/simulator/emulator/index.js';
import type { Emulator } from '../../../src/simulator/emulator/index.js';
import { INPUT_SHAPES } from '../../../src/simulator/emulator/handlers/input-shapes.js';
import { createWorld } from '../../../src/simulator/state/index.js';

/** Wrongly typed and random bodies are client errors (4xx), never a 500 or a dead server. */

const CODEDEPLOY = ['GetApplication', 'ListDeploymentGroups', 'GetDeploymentGroup', 'GetDeploymentConfig', 'ListDeployments', 'GetDeployment',
  'ListDeploymentTargets', 'GetDeploymentTarget', 'BatchGetDeploymentTargets', 'PutLifecycleEventHookExecutionStatus', 'StopDeployment'];
const CLOUDWATCH = ['DescribeAlarms', 'DescribeAlarmHistory', 'PutMetricAlarm', 'PutCompositeAlarm', 'SetAlarmState', 'PutMetricData', 'GetMetricData'];

let emu: Emulator;

beforeAll(async () => {
  const world = createWorld();
  world.codeDeploy.createApplication({ applicationName: 'app', computePlatform: 'Lambda' });
  world.codeDeploy.createDeploymentGroup({ applicationName: 'app', deploymentGroupName: 'dg' });
  world.cloudWatch.putMetricAlarm({ AlarmName: 'a', Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
  emu = await startEmulator({ world });
});

afterAll(async () => {
  await emu.close();
});

async function send(service: 'codedeploy' | 'cloudwatch', op: string, body: unknown): Promise<number> {
  const target = service === 'codedeploy' ? `CodeDeploy_20141006.${op}` : `GraniteServiceVersion20100801.${op}`;
  const res = await fetch(emu.url, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${service === 'codedeploy' ? '1.1' : '1.0'}` },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('malformed JSON input', () => {
  it('every member with a wrongly typed value is a 400', async () => {
    const wrong: Record<string, unknown[]> = {
      string: [42, true, ['x'], {}],
      number: ['text', true, [1], {}],
      boolean: [42, 'text', [], {}],
      date: ['text', true, [], {}],
      'string[]': ['text', 42, [1], [{}], {}],
      'object[]': ['text', 42, [1], ['x'], {}],
      object: ['text', 42, []],
    };
    for (const op of [...CODEDEPLOY, ...CLOUDWATCH]) {
      const service = CODEDEPLOY.includes(op) ? 'codedeploy' : 'cloudwatch';
      for (const [member, kind] of Object.entries(INPUT_SHAPES[op]!)) {
        for (const value of wrong[kind]!) {
          const status = await send(service, op, { [member]: value });
          expect(status, `${op} ${member}=${JSON.stringify(value)}`).toBeGreaterThanOrEqual(400);
          expect(status, `${op} ${member}=${JSON.stringify(value)}`).toBeLessThan(500);
        }
      }
    }
  });

  it('random bodies over the known members never produce a server error', async () => {
    const ops = [...CODEDEPLOY, ...CLOUDWATCH];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops), fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), async (op, a, b) => {
        const members = Object.keys(INPUT_SHAPES[op]!);
        const body = { [members[0]!]: a, [members[members.length - 1]!]: b };
        const status = await send(CODEDEPLOY.includes(op) ? 'codedeploy' : 'cloudwatch', op, body);
        return status < 500;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
    expect(() => emu.world.cloudWatch.evaluateAlarms()).not.toThrow();
    expect(await send('codedeploy', 'ListApplications', {})).toBe(200);
  });

  it('half-valid metric queries, alarms and data are client errors or accepted, never a 500', async () => {
    const junk = fc.jsonValue({ maxDepth: 2 });
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, junk), { nil: undefined });
    const dims = fc.array(fc.record({ Name: maybe(fc.constantFrom('FunctionName', 'Resource')), Value: maybe(fc.constant('fn')) }), { maxLength: 2 });
    const metric = fc.record({ Namespace: maybe(fc.constant('N')), MetricName: maybe(fc.constant('M')), Dimensions: maybe(dims) });
    const query = fc.record({
      Id: maybe(fc.constantFrom('a', 'b', 'Bad', '')),
      MetricStat: maybe(fc.record({ Metric: maybe(metric), Period: maybe(fc.constantFrom(60, 0, -1, 1.5)), Stat: maybe(fc.constantFrom('Sum', 'p99', 'p1000', 'tm90')) })),
      Expression: maybe(fc.constantFrom('a * 2', 'FILL(a, 0)', 'a / b', 'SUM([a, b])', '(((', 'FILL(a)', 'a + +', '1e400')),
      ReturnData: maybe(fc.boolean()),
    });
    const times = fc.constantFrom(0, 1_767_225_600, 1_767_229_200, -5, 'x');
    const cases = fc.oneof(
      fc.record({ op: fc.constant('GetMetricData'), body: fc.record({ MetricDataQueries: maybe(fc.array(query, { maxLength: 3 })), StartTime: maybe(times), EndTime: maybe(times), ScanBy: maybe(fc.constantFrom('TimestampAscending', 'nope')) }) }),
      fc.record({ op: fc.constant('PutMetricAlarm'), body: fc.record({
        AlarmName: maybe(fc.constantFrom('x', '')), Namespace: maybe(fc.constant('N')), MetricName: maybe(fc.constant('M')), Dimensions: maybe(dims),
        Statistic: maybe(fc.constantFrom('Sum', 'p50', 'Bogus')), ExtendedStatistic: maybe(fc.constantFrom('p99', 'Sum')), Period: maybe(fc.constantFrom(60, 0)),
        EvaluationPeriods: maybe(fc.constantFrom(1, 0, 3)), DatapointsToAlarm: maybe(fc.constantFrom(1, 5)), Threshold: maybe(fc.constantFrom(1, -1)),
        ComparisonOperator: maybe(fc.constantFrom('GreaterThanThreshold', 'LessThanLowerThreshold', 'Nope')),
        TreatMissingData: maybe(fc.constantFrom('missing', 'breaching', 'weird')), Metrics: maybe(fc.array(query, { maxLength: 3 })),
      }) }),
      fc.record({ op: fc.constant('PutMetricData'), body: fc.record({ Namespace: maybe(fc.constantFrom('N', 'AWS/X')), MetricData: maybe(fc.array(fc.record({
        MetricName: maybe(fc.constant('M')), Dimensions: maybe(dims), Value: maybe(fc.double()), Values: maybe(fc.array(fc.double(), { maxLength: 3 })),
        Counts: maybe(fc.array(fc.double(), { maxLength: 3 })), Timestamp: maybe(times),
        StatisticValues: maybe(fc.record({ SampleCount: maybe(fc.nat()), Sum: maybe(fc.double()), Minimum: maybe(fc.double()), Maximum: maybe(fc.double()) })),
      }), { maxLength: 2 })) }) }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ op, body }) => (await send('cloudwatch', op, body)) < 500),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
    expect(() => emu.world.cloudWatch.evaluateAlarms()).not.toThrow();
    const described = await fetch(emu.url, { method: 'POST', headers: { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(described.status).toBe(200);
  });
});

/** Raw HTTP as clients send it: answers in the caller's protocol, a 4xx for bad input, and the server stays up. */
describe('bodies and paths as clients send them', () => {
  const JSON_CW = { 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'content-type': 'application/x-amz-json-1.0' };
  const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const post = async (headers: Record<string, string>, body: string | Uint8Array, path = '/') => {
    const res = await fetch(emu.url + path, { method: 'POST', headers, body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', errorType: res.headers.get('x-amzn-errortype'), text: await res.text() };
  };
  const xmlCode = (text: string) => /<ErrorResponse[^>]*><Error><Type>\w+<\/Type><Code>(\w+)<\/Code>/.exec(text)?.[1];
  const bigMetricData = (n: number) => ({ Namespace: 'Gz', MetricData: Array.from({ length: n }, (_, i) => ({ MetricName: 'M', Dimensions: [{ Name: 'I', Value: `v${i}` }], Value: i })) });

  it('decodes Content-Encoding: gzip for JSON and query bodies', async () => {
    const json = await post({ ...JSON_CW, 'content-encoding': 'gzip' }, gzipSync(JSON.stringify(bigMetricData(300))));
    expect(json).toMatchObject({ status: 200 });
    const form = new URLSearchParams({ Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'Gz', 'MetricData.member.1.MetricName': 'Q', 'MetricData.member.1.Value': '4' });
    const query = await post({ ...FORM, 'content-encoding': 'gzip' }, gzipSync(form.toString()));
    expect(query).toMatchObject({ status: 200, type: 'text/xml' });
    const sum = (MetricName: string, Dimensions: Array<{ Name: string; Value: string }>) => emu.world.cloudWatch.getMetricData({
      StartTime: Date.now() - 120_000, EndTime: Date.now() + 60_000,
      MetricDataQueries: [{ Id: 's', MetricStat: { Metric: { Namespace: 'Gz', MetricName, Dimensions }, Period: 300, Stat: 'Sum' } }],
    }).MetricDataResults[0]!.Values;
    expect(sum('M', [{ Name: 'I', Value: 'v299' }])).toEqual([299]);
    expect(sum('Q', [])).toEqual([4]);
  });

  it('a gzip bomb, a body over the limit and bad gzip are 413/400 in the caller\'s protocol', async () => {
    const bomb = gzipSync(Buffer.alloc(7 * 1024 * 1024, 0x20)); // ~7 KB on the wire, 7 MB decoded
    expect(bomb.length).toBeLessThan(64 * 1024);
    const jsonBomb = await post({ ...JSON_CW, 'content-encoding': 'gzip' }, bomb);
    expect(jsonBomb.status).toBe(413);
    expect(JSON.parse(jsonBomb.text)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
    const queryBomb = await post({ ...FORM, 'content-encoding': 'gzip' }, bomb);
    expect([queryBomb.status, queryBomb.type, xmlCode(queryBomb.text)]).toEqual([413, 'text/xml', 'RequestEntityTooLargeException']);
    const queryHuge = await post(FORM, `Action=DescribeAlarms&Version=2010-08-01&AlarmNamePrefix=${'x'.repeat(7 * 1024 * 1024)}`);
    expect([queryHuge.status, xmlCode(queryHuge.text)]).toEqual([413, 'RequestEntityTooLargeException']);
    const badGzip = await post({ ...JSON_CW, 'content-encoding': 'gzip' }, '{"Namespace":"N"}');
    expect([badGzip.status, JSON.parse(badGzip.text).__type]).toEqual([400, 'SerializationException']);
    const badQueryGzip = await post({ ...FORM, 'content-encoding': 'gzip' }, 'Action=DescribeAlarms&Version=2010-08-01');
    expect([badQueryGzip.status, xmlCode(badQueryGzip.text)]).toEqual([400, 'SerializationException']);
  });

  it('query clients get XML for a wrong Version, another service and a missing Action', async () => {
    for (const body of ['Action=DescribeAlarms&Version=2099-01-01', 'Action=ListTopics&Version=2010-03-31', 'Action=DescribeAlarms', 'Version=2010-08-01', '']) {
      const r = await post(FORM, body);
      expect([r.status, r.type], body).toEqual([400, 'text/xml']);
      expect(xmlCode(r.text), body).toMatch(/^(InvalidAction|MissingAction)$/);
    }
  });

  it('a 50,000-level nested JSON body is a 400 SerializationException', async () => {
    const r = await post(JSON_CW, `{"Namespace":${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    expect([r.status, JSON.parse(r.text).__type]).toEqual([400, 'SerializationException']);
    const q = await post(FORM, `Action=DescribeAlarms&Version=2010-08-01&${Array(50_000).fill('a').join('.')}=1`);
    expect([q.status, xmlCode(q.text)]).toEqual([400, 'MalformedQueryString']);
  });

  it('a malformed percent-encoded Lambda path is a 400 in Lambda\'s error form', async () => {
    for (const path of ['/2015-03-31/functions/%E0%A4%A/invocations', '/2015-03-31/functions/fn%/aliases/live']) {
      const r = await post({ 'content-type': 'application/json' }, '{}', path);
      expect([r.status, r.errorType], path).toEqual([400, 'InvalidParameterValueException']);
      expect(JSON.parse(r.text).message).toMatch(/malformed percent-encoding/);
    }
    expect(await send('codedeploy', 'ListApplications', {})).toBe(200);
  });
});
