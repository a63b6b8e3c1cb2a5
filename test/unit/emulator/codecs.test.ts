import { describe, expect, it } from 'vitest';
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
