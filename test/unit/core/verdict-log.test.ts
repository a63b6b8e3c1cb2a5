/**
 * The verdict line, field by field: its level, its Embedded Metric Format
 * block, the deployment target, capped details, and how an oversized line
 * shrinks (fail-closed.test.ts drives a 20 MB reason through a whole hook).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitLine, MAX_DETAILS_CHARS, MAX_LINE_BYTES, stdoutSink, verdictRecord, writeLine } from '../../../src/verdict-log.js';
import type { ReportResult } from '../../../src/report.js';
import type { HookContext, HookVerdict } from '../../../src/types.js';

afterEach(() => vi.restoreAllMocks());

const verdict = (v: Partial<HookVerdict> = {}): HookVerdict => ({
  status: 'Succeeded',
  deploymentId: 'd-1',
  lifecycleEvent: 'BeforeAllowTraffic',
  checks: [],
  durationMs: 5,
  reported: true,
  reason: 'all 1 enforced checks passed',
  ...v,
});
const accepted: ReportResult = { outcome: 'accepted', attempts: 1 };
const record = (v: Partial<HookVerdict> = {}, report: ReportResult | undefined = accepted, ctx?: HookContext) => verdictRecord(verdict(v), ctx, report, 'NS', 'exec-1');

describe('Function: verdictRecord', () => {
  it('is quiet only for a reported Succeeded without bypass', () => {
    expect(record()).toMatchObject({ level: 'INFO', message: 'CodeDeploy hook verdict: Succeeded' });
    expect(record({}, undefined).level).toBe('INFO');
    expect(record({ status: 'Failed' })).toMatchObject({ level: 'WARN', message: 'CodeDeploy hook verdict: Failed' });
    expect(record({}, { outcome: 'failed', attempts: 3 }).level).toBe('WARN');
    expect(record({ bypass: { reason: 'INC-1' } })).toMatchObject({ level: 'WARN', message: 'CodeDeploy hook BYPASSED: reported Succeeded without running checks (INC-1)' });
  });

  it('carries an EMF block that counts HookVerdict by lifecycle event and status', () => {
    const r = record({ status: 'Failed' });
    expect(r._aws).toEqual({
      Timestamp: expect.any(Number),
      CloudWatchMetrics: [{ Namespace: 'NS', Dimensions: [['LifecycleEvent', 'Status']], Metrics: [{ Name: 'HookVerdict', Unit: 'Count' }] }],
    });
    expect(r).toMatchObject({ LifecycleEvent: 'BeforeAllowTraffic', Status: 'Failed', HookVerdict: 1, lifecycleEventHookExecutionId: 'exec-1' });
  });

  it('names the target of a Lambda and of an ECS deployment, and none without a context', () => {
    const lambda = { platform: 'Lambda', functionName: 'fn', alias: 'live', currentVersion: '1', targetVersion: '2', isRollback: false } as unknown as HookContext;
    expect(record({}, accepted, lambda)).toMatchObject({ target: { functionName: 'fn', alias: 'live', currentVersion: '1', targetVersion: '2' }, isRollback: false });
    const ecs = { platform: 'ECS', cluster: 'c', service: 's', blueTaskSet: { identifier: 'b' }, greenTaskSet: { identifier: 'g' }, targetGroups: ['t'] } as unknown as HookContext;
    expect(record({}, accepted, ecs).target).toEqual({ cluster: 'c', service: 's', blueTaskSet: 'b', greenTaskSet: 'g', targetGroups: ['t'] });
    const bare = { platform: 'ECS', cluster: 'c', service: 's', targetGroups: [] } as unknown as HookContext;
    expect(record({}, accepted, bare).target).toEqual({ cluster: 'c', service: 's', blueTaskSet: undefined, greenTaskSet: undefined, targetGroups: [] });
    expect(record().target).toBeUndefined();
  });

  it('keeps details up to the cap, cuts bigger ones to a preview, and survives unserializable ones', () => {
    const small = { body: 'x'.repeat(MAX_DETAILS_CHARS - 11) }; // {"body":"…"} is exactly the cap
    const big = { body: 'y'.repeat(MAX_DETAILS_CHARS) };
    const check = (details: Record<string, unknown> | undefined) => ({ name: 'c', state: 'passed' as const, reason: 'r', enforced: true, durationMs: 1, attempts: 1, ...(details ? { details } : {}) });
    const [a, b, c, d] = record({ checks: [check(small), check(big), check({ n: 10n }), check(undefined)] }).checks as { details?: unknown }[];
    expect(JSON.stringify(small)).toHaveLength(MAX_DETAILS_CHARS);
    expect(a!.details).toEqual(small);
    expect(b!.details).toEqual({ truncated: true, preview: JSON.stringify(big).slice(0, MAX_DETAILS_CHARS) });
    expect(c!.details).toEqual({ unserializable: true });
    expect(d!.details).toBeUndefined();
  });
});

describe('Function: fitLine', () => {
  it('leaves a line of exactly the limit whole', () => {
    const r = { x: 'a'.repeat(MAX_LINE_BYTES - 8) };
    expect(fitLine(r)).toBe(JSON.stringify(r));
  });

  it('shrinks reasons and details of an oversized line, keeping non-string reasons and every check that fits', () => {
    const r = {
      status: 'Failed',
      reason: 'r'.repeat(10_000),
      checks: [
        { name: 'a', reason: 'x'.repeat(1000), details: { big: 'y'.repeat(300_000) } },
        { name: 'b', reason: 42 },
      ],
    };
    const out = JSON.parse(fitLine(r)) as { reason: string; lineTruncated: boolean; checks: Record<string, unknown>[]; checksOmitted?: number };
    expect(out.lineTruncated).toBe(true);
    expect(out.reason).toBe(`${'r'.repeat(4000)}… (6000 more characters cut)`);
    expect(out.checks[0]).toEqual({ name: 'a', reason: `${'x'.repeat(500)}… (500 more characters cut)`, details: { truncated: true, preview: `${JSON.stringify({ big: 'y'.repeat(300_000) }).slice(0, 300)}… (${JSON.stringify({ big: 'y'.repeat(300_000) }).length - 300} more characters cut)` } });
    expect(out.checks[1]).toEqual({ name: 'b', reason: 42 });
    expect('checksOmitted' in out).toBe(false);
    // A field no rule shrinks cannot make the line oversized: the minimal record is written instead.
    const oddLine = fitLine({ reason: 7, big: 'z'.repeat(MAX_LINE_BYTES) });
    expect(Buffer.byteLength(oddLine)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const odd = JSON.parse(oddLine) as Record<string, unknown>;
    expect(odd).toMatchObject({ reason: 7, lineTruncated: true, checksOmitted: 0 });
    expect('big' in odd).toBe(false);
  });

  it('counts the checks it had to leave out, and falls back to a minimal record when even none does not fit', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ name: `c${i}`, reason: 'x'.repeat(480) }));
    const out = JSON.parse(fitLine({ status: 'Failed', checks: many })) as { checks: unknown[]; checksOmitted: number };
    expect(out.checks.length).toBeGreaterThan(0);
    expect(out.checks.length + out.checksOmitted).toBe(400);
    const hopelessLine = fitLine({ status: 'Failed', extra: 'e'.repeat(MAX_LINE_BYTES), checks: many.slice(0, 4) });
    expect(Buffer.byteLength(hopelessLine)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(JSON.parse(hopelessLine)).toEqual({ status: 'Failed', lineTruncated: true, checksOmitted: 4 });
  });
});

describe('Function: fitLine keeps what explains a Failed', () => {
  const pad = (n: number) => 'x'.repeat(n);

  it('lists the checks that did not pass first, then the passed ones, keeping every one that fits', () => {
    const checks = [
      { name: 'p1', state: 'passed', reason: 'fine', details: { big: pad(150_000) } },
      { name: 'f1', state: 'failed', reason: 'error rate 9%' },
      { name: 'p2', state: 'passed', reason: 'fine', details: { big: pad(150_000) } },
    ];
    const out = JSON.parse(fitLine({ status: 'Failed', checks })) as { checks: { name: string }[] };
    expect(out.checks.map((c) => c.name)).toEqual(['f1', 'p1', 'p2']);
  });

  it('clips a huge report error and bypass reason instead of dropping the record', () => {
    const record = {
      status: 'Failed',
      reason: 'short',
      report: { outcome: 'failed', attempts: 1, error: { name: 'ValidationException', message: pad(300_000) } },
      bypass: { reason: pad(300_000) },
      checks: [{ name: 'a', state: 'failed', reason: 'bad' }],
    };
    const line = fitLine(record);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const out = JSON.parse(line) as { report: { outcome: string; error: { name: string; message: string } }; bypass: { reason: string }; checks: unknown[] };
    expect(out.report.outcome).toBe('failed');
    expect(out.report.error.name).toBe('ValidationException');
    expect(out.report.error.message).toBe(`${pad(1000)}… (299000 more characters cut)`);
    expect(out.bypass.reason).toBe(`${pad(1000)}… (299000 more characters cut)`);
    expect(out.checks).toHaveLength(1);
  });
});

describe('Function: writeLine and stdoutSink', () => {
  it('writes one JSON line to stdout', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stdoutSink('{"a":1}');
    expect(write).toHaveBeenCalledWith('{"a":1}\n');
  });

  it('never throws: a failing sink is reported on stderr, and a failing stderr is swallowed', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    writeLine(() => { throw new Error('sink down'); }, { a: 1 });
    expect(stderr).toHaveBeenCalledWith('{"level":"ERROR","message":"codedeploy-hooks: log sink failed"}\n');
    stderr.mockImplementation(() => { throw new Error('stderr closed'); });
    expect(() => writeLine(() => { throw new Error('sink down'); }, { a: 1 })).not.toThrow();
  });
});
