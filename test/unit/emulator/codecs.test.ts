import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/simulator/emulator/content-encoding.js';
import { parseJsonBody, toJson } from '../../../src/simulator/emulator/json-codec.js';
import { parseQueryBody, queryResponse, toXml } from '../../../src/simulator/emulator/query-codec.js';
import { FaultInjector } from '../../../src/simulator/emulator/faults.js';
import { AwsServiceError } from '../../../src/simulator/state/index.js';

describe('query codec', () => {
  it('parses member lists, nested structures, numbers and timestamps by field', () => {
    const body = new URLSearchParams({
      Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'NS',
      'MetricData.member.2.MetricName': 'B', 'MetricData.member.2.Value': '2.5',
      'MetricData.member.1.MetricName': 'A', 'MetricData.member.1.Value': '1',
      'MetricData.member.1.Dimensions.member.1.Name': 'Id', 'MetricData.member.1.Dimensions.member.1.Value': '007',
      'MetricData.member.1.Timestamp': '2026-01-01T00:00:00Z',
      'MetricData.member.10.MetricName': 'J',
    }).toString();
    const { action, version, params } = parseQueryBody(body);
    expect([action, version]).toEqual(['PutMetricData', '2010-08-01']);
    expect(params).toEqual({
      Namespace: 'NS',
      MetricData: [
        { MetricName: 'A', Value: 1, Dimensions: [{ Name: 'Id', Value: '007' }], Timestamp: new Date('2026-01-01T00:00:00Z') },
        { MetricName: 'B', Value: 2.5 },
        { MetricName: 'J' },
      ],
    });
  });

  it('rejects malformed names and non-numeric numbers with client errors', () => {
    expect(() => parseQueryBody('Action=X&A..b=1')).toThrow(AwsServiceError);
    expect(() => parseQueryBody('Action=X&MaxRecords=ten')).toThrow(/not a number/);
    expect(() => parseQueryBody('Action=X&StartTime=yesterday')).toThrow(/timestamp/);
  });

  it('refuses a parameter name nested deeper than any served shape, without overflowing the stack', () => {
    const deep = `Action=X&Version=2010-08-01&${Array(50_000).fill('a').join('.')}=1`;
    expect(() => parseQueryBody(deep)).toThrow(expect.objectContaining({ code: 'MalformedQueryString', status: 400, message: expect.stringMatching(/deeper than 64 levels/) }));
    const deepest = Array.from({ length: 64 }, (_, i) => `p${i}`).join('.');
    expect(() => parseQueryBody(`Action=X&${deepest}=1`)).not.toThrow();
  });

  it('writes XML with member lists, ISO dates and escaping', () => {
    expect(toXml({ A: [1, 2], B: { C: 'x<y&"z"' }, D: new Date(0), E: undefined })).toBe(
      '<A><member>1</member><member>2</member></A><B><C>x&lt;y&amp;&quot;z&quot;</C></B><D>1970-01-01T00:00:00.000Z</D>',
    );
    expect(queryResponse('SetAlarmState', 'urn:x', {}, 'rid')).toContain('<SetAlarmStateResponse xmlns="urn:x"><SetAlarmStateResult></SetAlarmStateResult><ResponseMetadata><RequestId>rid</RequestId>');
  });
});

describe('json codec', () => {
  it('turns epoch-second timestamps into Dates and Dates back into epoch seconds', () => {
    const parsed = parseJsonBody('{"StartTime": 1767225600, "EndTime": "2026-01-01T00:01:00Z", "Value": 5}');
    expect(parsed).toEqual({ StartTime: new Date('2026-01-01T00:00:00Z'), EndTime: new Date('2026-01-01T00:01:00Z'), Value: 5 });
    expect(JSON.parse(toJson({ createTime: new Date(1500), nested: [{ t: new Date(0) }], gone: undefined }))).toEqual({ createTime: 1.5, nested: [{ t: 0 }] });
  });

  it('rejects bodies that are not JSON objects', () => {
    for (const bad of ['{', '[]', '"x"', '{"StartTime": "soon"}']) {
      expect(() => parseJsonBody(bad)).toThrow(AwsServiceError);
    }
    expect(parseJsonBody('')).toEqual({});
  });

  it('refuses a 50,000-level nested body with SerializationException, not a stack overflow', () => {
    for (const deep of ['{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), `{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`]) {
      expect(() => parseJsonBody(deep)).toThrow(expect.objectContaining({ code: 'SerializationException', status: 400, message: expect.stringMatching(/nests deeper than 64 levels/) }));
    }
    expect(() => parseJsonBody('{"a":'.repeat(63) + '1' + '}'.repeat(63))).not.toThrow();
  });
});

describe('content encoding', () => {
  const body = Buffer.from('{"Namespace":"N"}');

  it('undoes gzip (and identity), and passes other bodies through', async () => {
    expect((await decodeBody(gzipSync(body), 'gzip', 1024)).toString()).toBe('{"Namespace":"N"}');
    expect((await decodeBody(gzipSync(body), 'identity, GZIP', 1024)).toString()).toBe('{"Namespace":"N"}');
    expect((await decodeBody(gzipSync(gzipSync(body)), 'gzip, gzip', 1024)).toString()).toBe('{"Namespace":"N"}');
    expect(await decodeBody(body, undefined, 1024)).toBe(body);
  });

  it('bounds the decoded size (a gzip bomb is a 413), and names bad gzip or an unknown encoding', async () => {
    await expect(decodeBody(gzipSync(Buffer.alloc(1025)), 'gzip', 1024)).rejects.toMatchObject({ code: 'RequestEntityTooLargeException', status: 413 });
    await expect(decodeBody(gzipSync(Buffer.alloc(1024)), 'gzip', 1024)).resolves.toHaveLength(1024);
    await expect(decodeBody(body, 'gzip', 1024)).rejects.toMatchObject({ code: 'SerializationException', status: 400, message: expect.stringMatching(/not valid gzip/) });
    await expect(decodeBody(body, 'br', 1024)).rejects.toMatchObject({ status: 415, message: expect.stringMatching(/Content-Encoding br/) });
  });
});

describe('fault injector', () => {
  it('matches by service and operation and counts down `times`', () => {
    const faults = new FaultInjector();
    const h = faults.add({ service: 'codedeploy', operation: 'GetDeployment', kind: 'throttle', times: 2 });
    faults.add({ service: 'lambda', kind: '503' });
    expect(faults.take('codedeploy', 'GetApplication')).toBeUndefined();
    expect(faults.take('codedeploy', 'GetDeployment')?.kind).toBe('throttle');
    expect(faults.take('codedeploy', 'GetDeployment')?.kind).toBe('throttle');
    expect(faults.take('codedeploy', 'GetDeployment')).toBeUndefined();
    expect(h.hits).toBe(2);
    expect(faults.take('lambda', 'Invoke')?.kind).toBe('503');
    expect(faults.take('lambda', 'GetAlias')?.kind).toBe('503');
    faults.clear();
    expect(faults.take('lambda', 'Invoke')).toBeUndefined();
    expect(() => faults.add({ service: 'lambda', kind: '500', times: 0 })).toThrow(RangeError);
  });
});
