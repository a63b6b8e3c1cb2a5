import { describe, expect, it } from 'vitest';
import { appSpecHooks, functionNameOf } from '../../../src/explain/appspec-hooks.js';
import { scheduledWeight, whereTrafficWas } from '../../../src/explain/traffic.js';
import { verdictRecordOf } from '../../../src/explain/verdict-lines.js';
import { fitLine, verdictRecord } from '../../../src/verdict-log.js';
import type { HookVerdict } from '../../../src/types.js';

const ID = 'd-ABCDEFGHI';
const verdict: HookVerdict = {
  status: 'Failed', deploymentId: ID, lifecycleEvent: 'BeforeAllowTraffic', platform: 'Lambda', durationMs: 12, reported: true, reason: '1 of 1 enforced checks did not pass',
  checks: [{ name: 'smoke', state: 'failed', reason: 'status 500', enforced: true, durationMs: 5, attempts: 1, details: { status: 500 } }],
};
const line = JSON.stringify(verdictRecord(verdict, undefined, { outcome: 'accepted', attempts: 1 }, 'CodeDeployHooks', 'exec-1'));

describe('Function: verdictRecordOf', () => {
  it('reads the line verdict-log.ts writes', () => {
    expect(verdictRecordOf(line, ID)).toMatchObject({ deploymentId: ID, lifecycleEvent: 'BeforeAllowTraffic', status: 'Failed', report: { outcome: 'accepted' }, checks: [{ name: 'smoke' }] });
  });

  it('reads it behind a text prefix (console.log in Lambda’s text log format)', () => {
    expect(verdictRecordOf(`2026-01-01T00:00:00.000Z\t1f2e\tINFO\t${line}`, ID)?.status).toBe('Failed');
  });

  it('reads it inside a JSON envelope, as an object or as JSON text', () => {
    const record = JSON.parse(line) as unknown;
    expect(verdictRecordOf(JSON.stringify({ timestamp: 'x', level: 'INFO', requestId: 'r', message: record }), ID)?.status).toBe('Failed');
    expect(verdictRecordOf(JSON.stringify({ timestamp: 'x', level: 'INFO', message: line }), ID)?.status).toBe('Failed');
  });

  it('reads the minimal record of an oversized line (no checks list)', () => {
    const huge = { ...verdict, checks: Array.from({ length: 50 }, (_, i) => ({ ...verdict.checks[0]!, name: `c${i}`, reason: 'x'.repeat(300_000) })) };
    const shrunk = fitLine(verdictRecord(huge, undefined, undefined, 'NS', 'e'));
    const record = verdictRecordOf(shrunk, ID);
    expect(record?.status).toBe('Failed');
    expect(record?.lineTruncated).toBe(true);
  });

  it.each([
    ['another deployment', line.replace(ID, 'd-ZZZZZZZZZ')],
    ['a line that only mentions the id', `looked at ${ID}; forgot to report`],
    ['JSON that is not a verdict', JSON.stringify({ deploymentId: ID, status: 'Failed' })],
    ['a status that is not a verdict status', line.replace('"status":"Failed"', '"status":"FAILED"')],
    ['broken JSON', `${line.slice(0, 40)}`],
  ])('ignores %s', (_what, message) => {
    expect(verdictRecordOf(message, ID)).toBeUndefined();
  });
});

describe('Function: appSpecHooks', () => {
  it('reads the Hooks of a YAML AppSpec, names or ARNs', () => {
    const yaml = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
Hooks:
  - AfterAllowTestTraffic: "arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_test:live"
  - AfterAllowTraffic: CodeDeployHook_post
`;
    expect(appSpecHooks(yaml)).toEqual([
      { lifecycleEvent: 'AfterAllowTestTraffic', functionName: 'CodeDeployHook_test' },
      { lifecycleEvent: 'AfterAllowTraffic', functionName: 'CodeDeployHook_post' },
    ]);
  });

  it('an AppSpec without hooks has none; one that cannot be read says why', () => {
    expect(appSpecHooks('{"version":0.0,"Resources":[]}')).toEqual([]);
    expect(() => appSpecHooks('Hooks: {a: b')).toThrow(/not valid YAML or JSON/);
    expect(() => appSpecHooks('[1, 2]')).toThrow(/not a mapping/);
    expect(() => appSpecHooks('Hooks: BeforeAllowTraffic')).toThrow(/Hooks is not a list/);
  });

  it.each([
    ['fn', 'fn'],
    ['fn:live', 'fn'],
    ['123456789012:function:fn', 'fn'],
    ['arn:aws-cn:lambda:cn-north-1:123456789012:function:fn:3', 'fn'],
  ])('functionNameOf(%j) is %j', (input, name) => {
    expect(functionNameOf(input)).toBe(name);
  });
});

describe('Function: scheduledWeight and whereTrafficWas', () => {
  const canary = { type: 'TimeBasedCanary' as const, timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } };
  const linear = { type: 'TimeBasedLinear' as const, timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } };
  it.each([
    [canary, 0, 10],
    [canary, 4.9 * 60_000, 10],
    [canary, 5 * 60_000, 100],
    [linear, 0, 10],
    [linear, 2.5 * 60_000, 30],
    [linear, 60 * 60_000, 100],
    [{ type: 'AllAtOnce' as const }, 0, 100],
    [undefined, 0, undefined],
  ])('%j after %d ms: %s%', (routing, elapsed, weight) => {
    expect(scheduledWeight(routing, elapsed)).toBe(weight);
  });

  const events = (failed: string) =>
    ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'].map((name) => ({
      name, status: name === failed ? 'Failed' : 'Succeeded',
      ...(name === 'AllowTraffic' ? { startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:02:30.000Z' } : {}),
    }));
  const target = { platform: 'Lambda' as const, functionName: 'f', alias: 'live', currentVersion: '1', targetVersion: '2' };
  it('places the failure before, during or after the shift', () => {
    const at = (failed: string) => whereTrafficWas({ events: events(failed), decisiveEvent: failed, succeeded: false, target, config: { trafficRoutingConfig: linear }, endedAt: 0 });
    expect(at('BeforeAllowTraffic')).toMatchObject({ phase: 'before-shift', targetWeightPercent: 0 });
    expect(at('AllowTraffic')).toMatchObject({ phase: 'shifting', targetWeightPercent: 30, estimated: true });
    expect(at('AllowTraffic').summary).toMatch(/about 30% of production traffic was on version 2 after 2.5 min of AllowTraffic/);
    expect(at('AfterAllowTraffic')).toMatchObject({ phase: 'shifted', targetWeightPercent: 100 });
    expect(whereTrafficWas({ events: [], succeeded: false, endedAt: 0 }).phase).toBe('unknown');
  });
});
