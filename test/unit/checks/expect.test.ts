import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../../src/errors.js';
import { checkExpectation, describeStatus, jsonSubsetMismatch, matchesStatus, runPredicate, validateExpectation } from '../../../src/checks/expect.js';
import { commonCheckFields, latencyFigures } from '../../../src/checks/common.js';

function optionsError(fn: () => unknown): OptionsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OptionsError) return error;
    throw error;
  }
  throw new Error('expected an OptionsError');
}

describe('Function: matchesStatus', () => {
  it.each([
    [200, 200, true],
    [200, 201, false],
    ['2xx', 204, true],
    ['2XX', 301, false],
    [[200, '3xx'], 302, true],
    [[200, 204], 500, false],
    [{ min: 200, max: 299 }, 299, true],
    [{ min: 200, max: 299 }, 300, false],
  ] as const)('spec %j vs %i -> %s', (spec, status, want) => {
    expect(matchesStatus(spec as never, status)).toBe(want);
  });

  it('describes specs for reasons', () => {
    expect(describeStatus([200, '3xx'])).toBe('200 or 3xx');
    expect(describeStatus({ min: 200, max: 204 })).toBe('200-204');
  });
});

describe('Function: validateExpectation', () => {
  it.each([
    [{ status: 99 }, 'http.expect.status'],
    [{ status: '6xx' }, 'http.expect.status'],
    [{ status: [] }, 'http.expect.status'],
    [{ status: { min: 300, max: 200 } }, 'http.expect.status'],
    [{ bodyMatches: 'x' }, 'http.expect.bodyMatches'],
    [{ bodyContains: '' }, 'http.expect.bodyContains'],
    [{ maxLatencyMs: -1 }, 'http.expect.maxLatencyMs'],
    [{ headers: { 'x-a': 1 } }, 'http.expect.headers.x-a'],
    [{ stauts: 200 }, 'http.expect.stauts'],
  ])('rejects %j naming %s', (value, field) => {
    const error = optionsError(() => validateExpectation(value, 'http.expect'));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('maps a statusCode spelling to status', () => {
    const e = validateExpectation({ statusCode: 201 }, 'invokeTarget.expect', ['statusCode'], 'statusCode');
    expect(e).toEqual({ status: 201 });
  });
});

describe('Function: checkExpectation', () => {
  const res = { status: 200, headers: { 'Content-Type': 'application/json', 'x-version': '5' }, body: '{"status":"ok","items":[1,2]}', latencyMs: 40 };

  it('passes when every given expectation holds', () => {
    expect(
      checkExpectation(
        { status: '2xx', headers: { 'content-type': /json/, 'x-version': '5', 'x-missing': false }, bodyContains: ['ok'], bodyMatches: /items/, json: { status: 'ok' }, maxLatencyMs: 100 },
        res,
      ),
    ).toBeUndefined();
  });

  it.each([
    [{ status: 201 }, 'expected status 201, got 200'],
    [{ headers: { 'x-version': '6' } }, 'expected header x-version to be "6", got "5"'],
    [{ headers: { etag: true } }, 'expected header etag, it is missing'],
    [{ headers: { 'x-version': false } }, 'expected no header x-version, got "5"'],
    [{ bodyContains: 'degraded' }, 'expected body to contain "degraded", got "{"status":"ok","items":[1,2]}"'],
    [{ bodyMatches: /^<html/ }, 'expected body to match /^<html/'],
    [{ json: { status: 'down' } }, 'JSON body mismatch: $.status: expected "down", got "ok"'],
    [{ maxLatencyMs: 10 }, 'expected latency <= 10 ms, took 40 ms'],
  ])('reports %j as a sentence', (expectation, reason) => {
    expect(checkExpectation(expectation, res)).toContain(reason);
  });

  it('fails a json expectation on a non-JSON body', () => {
    expect(checkExpectation({ json: {} }, { status: 200, body: '<html>' })).toBe('expected a JSON body, got "<html>"');
  });

  it('does not carry RegExp lastIndex state between responses', () => {
    const re = /ok/g;
    expect(checkExpectation({ bodyMatches: re }, { body: 'ok' })).toBeUndefined();
    expect(checkExpectation({ bodyMatches: re }, { body: 'ok' })).toBeUndefined();
  });
});

describe('Function: jsonSubsetMismatch', () => {
  it('accepts extra keys and matches nested objects, arrays and RegExps', () => {
    expect(jsonSubsetMismatch({ a: { b: [1, { c: /^x/ }] } }, { a: { b: [1, { c: 'xyz', d: 1 }], e: 2 } })).toBeUndefined();
  });

  it.each([
    [{ a: 1 }, {}, '$.a: missing'],
    [{ a: [1] }, { a: [1, 2] }, '$.a: expected 1 items, got 2'],
    [{ a: { b: 1 } }, { a: [] }, '$.a: expected an object, got []'],
    [[{ id: 1 }], [{ id: 2 }], '$[0].id: expected 1, got 2'],
  ])('%j in %j -> %s', (expected, actual, reason) => {
    expect(jsonSubsetMismatch(expected, actual)).toBe(reason);
  });
});

describe('Function: runPredicate', () => {
  it('turns false, a string and a throw into reasons', async () => {
    expect(await runPredicate(() => true, 1)).toBeUndefined();
    expect(await runPredicate(() => false, 1)).toBe('expect predicate returned false');
    expect(await runPredicate(() => 'version header missing', 1)).toBe('version header missing');
    expect(
      await runPredicate(() => {
        throw new Error('boom');
      }, 1),
    ).toBe('expect predicate threw: boom');
  });
});

describe('Function: commonCheckFields', () => {
  it('copies the common options that were given', () => {
    const retry = { attempts: 3, delayMs: 10 };
    expect(commonCheckFields({ name: 'smoke', timeoutMs: 500, retry, enforce: false }, 'http')).toEqual({ name: 'smoke', timeoutMs: 500, retry, enforce: false });
    expect(commonCheckFields({}, 'http')).toEqual({});
  });

  it.each([
    [{ name: '' }, 'http.name'],
    [{ timeoutMs: 0 }, 'http.timeoutMs'],
    [{ retry: { attempts: 0 } }, 'http.retry.attempts'],
    [{ enforce: 'no' }, 'http.enforce'],
  ])('rejects %j', (value, field) => {
    expect(optionsError(() => commonCheckFields(value as never, 'http')).field).toBe(field);
  });
});

describe('Function: latencyFigures', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyFigures(samples)).toEqual({ p50Ms: 50, p95Ms: 95, maxMs: 100 });
    expect(latencyFigures([])).toEqual({ p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });
});
