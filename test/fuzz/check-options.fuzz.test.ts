/**
 * Fuzz: every built-in check factory, given arbitrary options, either returns
 * a Check ({ name, run }) or throws OptionsError whose field starts with the
 * factory's name and appears in the message. Nothing else may escape: a
 * TypeError from a factory is a hook that crashes at load time with no hint.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alarms,
  albEvent,
  apiGatewayHttpEvent,
  apiGatewayRestEvent,
  bake,
  compareVersions,
  functionUrlEvent,
  http,
  invokeTarget,
  lambdaDuration,
  lambdaErrorRate,
  lambdaThrottles,
  metric,
} from '../../src/checks/index.js';
import { OptionsError } from '../../src/errors.js';
import { FUZZ_RUNS } from './runs.js';

/** `npm run fuzz` runs 10,000 cases per property: give each property time in proportion. */
const FUZZ_TIMEOUT_MS = Math.max(30_000, FUZZ_RUNS * 40);

type Factory = (options: never) => unknown;

/** Values that are often almost right: the edges validators get wrong. */
const edgy = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 1.5, 100, 101, 599, 600, 1e9, NaN, Infinity, -Infinity, -0, '', ' ', '2xx', '5xx', 'GET', '/', 'http://127.0.0.1:1/x', 'https://127.0.0.1/', 'ftp://x', 'p99', 'Average', 'max', '>', true, false, null, undefined),
  fc.constant([]),
  fc.constant({}),
  fc.constant(() => true),
  fc.constant(async () => ({ state: 'passed', reason: 'ok' })),
  fc.constant(/x/),
  fc.constant(new Date(0)),
);
const value = fc.oneof({ weight: 3, arbitrary: edgy }, { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }) }, fc.array(edgy, { maxLength: 3 }), fc.dictionary(fc.constantFrom('status', 'statusCode', 'min', 'max', 'value', 'secret', 'attempts', 'count', 'minSuccessRatio', 'requests', 'concurrency', 'Id', 'Expression', 'MetricStat', 'stat', 'op', 'threshold', 'name', 'run'), edgy, { maxKeys: 4 }));

const passing = async () => ({ state: 'passed' as const, reason: 'ok' });

/**
 * Options for one factory: arbitrary values, records over its real keys (plus
 * a stranger) with every value fuzzed, and — so that validation is reached
 * past the first field — valid options with exactly one field replaced.
 */
function optionsFor(keys: string[], valid: Record<string, unknown>[]) {
  const all = [...keys, 'name', 'timeoutMs', 'retry', 'enforce'];
  const known = Object.fromEntries(all.map((k) => [k, value]));
  const oneChanged = fc
    .tuple(fc.constantFrom(...valid), fc.constantFrom(...all, 'bogusOption', '__proto__', 'insecure'), value, fc.boolean())
    .map(([base, key, v, drop]) => {
      const copy: Record<string, unknown> = { ...base };
      if (drop) delete copy[key];
      else Object.defineProperty(copy, key, { value: v, enumerable: true, configurable: true, writable: true });
      return copy;
    });
  return fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.record(known, { requiredKeys: [] }),
    fc.record({ ...known, bogusOption: value }, { requiredKeys: [] }),
    { weight: 3, arbitrary: oneChanged },
    fc.constantFrom(...valid),
  );
}

const QUERY = { Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } };
const PRESET_KEYS = ['lookbackMs', 'periodSeconds', 'noData', 'functionName', 'alias', 'version', 'scope'];

interface FactorySpec {
  name: string;
  make: Factory;
  keys: string[];
  valid: Record<string, unknown>[];
}

const SPECS: FactorySpec[] = [
  {
    name: 'invokeTarget',
    make: invokeTarget as Factory,
    keys: ['functionName', 'qualifier', 'payload', 'payloads', 'expect', 'burst', 'maxLogChars'],
    valid: [
      {},
      { functionName: 'fn', payload: { a: 1 }, expect: { statusCode: 200, bodyContains: 'ok' } },
      { payloads: [{}, '{"x":1}'], expect: () => true },
      { burst: { count: 5, minSuccessRatio: 0.8 } },
    ],
  },
  {
    name: 'http',
    make: http as Factory,
    keys: [
      'url', 'baseUrl', 'path', 'method', 'headers', 'body', 'secretHeaders', 'expect', 'requestTimeoutMs', 'maxBodyBytes',
      'followRedirects', 'ca', 'dispatcher', 'waitUntilHealthyMs', 'retryIntervalMs', 'requests', 'load', 'listener', 'hostHeader', 'compare',
    ],
    valid: [
      { url: 'http://127.0.0.1:1/health', expect: { status: 200 } },
      { baseUrl: 'http://127.0.0.1:1', requests: [{ path: '/a' }, { path: '/b', method: 'POST', body: { x: 1 } }] },
      { path: '/health', load: { requests: 10, concurrency: 2, minSuccessRatio: 0.9 } },
      { compare: { ignoreFields: ['meta.id'] } },
      { url: 'https://127.0.0.1:1/', headers: { authorization: { value: 'x', secret: true } }, expect: { status: '2xx', json: { ok: true } } },
    ],
  },
  {
    name: 'alarms',
    make: alarms as Factory,
    keys: ['fromDeploymentGroup', 'names', 'prefix', 'insufficientData', 'ignorePollFailure', 'history', 'since'],
    valid: [{ names: ['a'] }, { fromDeploymentGroup: true, history: true }, { prefix: 'svc-', insufficientData: 'fail' }],
  },
  {
    name: 'metric',
    make: metric as Factory,
    keys: ['queries', 'failWhen', 'lookbackMs', 'periodSeconds', 'minDatapoints', 'noData'],
    valid: [
      { queries: [QUERY], failWhen: { stat: 'max', op: '>', threshold: 1 } },
      { queries: [QUERY, { Id: 'e1', Expression: 'm1 * 2' }], failWhen: [{ stat: 'avg', op: '>=', threshold: 0, id: 'e1' }], noData: 'fail' },
      { queries: () => [QUERY], failWhen: () => false },
    ],
  },
  { name: 'lambdaErrorRate', make: lambdaErrorRate as Factory, keys: [...PRESET_KEYS, 'maxPercent'], valid: [{ maxPercent: 1 }, { maxPercent: 0, scope: 'alias' }] },
  { name: 'lambdaThrottles', make: lambdaThrottles as Factory, keys: [...PRESET_KEYS, 'max'], valid: [{}, { max: 3, noData: 'fail' }] },
  { name: 'lambdaDuration', make: lambdaDuration as Factory, keys: [...PRESET_KEYS, 'p99MaxMs'], valid: [{ p99MaxMs: 500 }] },
  {
    name: 'compareVersions',
    make: compareVersions as Factory,
    keys: [
      'lookbackMs', 'periodSeconds', 'confidence', 'errorRateTolerance', 'latencyTolerance', 'minSamples', 'compare', 'latencyStat',
      'functionName', 'alias', 'baselineVersion', 'canaryVersion', 'loadBalancer', 'targetGroups',
    ],
    valid: [{}, { confidence: 0.95, compare: ['errors'] }],
  },
  {
    name: 'bake',
    make: bake as Factory,
    keys: ['checks', 'intervalMs', 'durationMs', 'count', 'initialDelayMs', 'failureLimit', 'consecutiveErrorLimit', 'inconclusiveLimit', 'deadlineMarginMs', 'maxRecordedMeasurements'],
    valid: [
      { checks: [{ name: 'x', run: passing }], intervalMs: 100, count: 3 },
      { checks: [{ name: 'x', run: passing }], intervalMs: 100, durationMs: 1000, failureLimit: 1 },
    ],
  },
];

/** Calls a factory; returns 'accepted', 'rejected', or throws describing what escaped. */
function classify(f: FactorySpec, options: unknown): 'accepted' | 'rejected' {
  let made: unknown;
  try {
    made = f.make(options as never);
  } catch (error) {
    if (!(error instanceof OptionsError)) {
      throw new Error(`${f.name}(${safe(options)}) threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
    }
    expect(error.field === f.name || error.field.startsWith(`${f.name}.`), `field ${error.field}`).toBe(true);
    expect(error.message).toContain(error.field);
    return 'rejected';
  }
  const check = made as { name?: unknown; run?: unknown };
  expect(typeof check.name).toBe('string');
  expect((check.name as string).length).toBeGreaterThan(0);
  expect(typeof check.run).toBe('function');
  return 'accepted';
}

describe('Fuzz: check factory option validation', () => {
  for (const f of SPECS) {
    it(`${f.name}: arbitrary options give a Check or an OptionsError naming a ${f.name}.* field`, () => {
      const seen = { accepted: 0, rejected: 0 };
      fc.assert(
        fc.property(optionsFor(f.keys, f.valid), (options) => {
          seen[classify(f, options)]++;
        }),
        { numRuns: FUZZ_RUNS },
      );
      // The generators must reach both sides, or the property says little.
      expect(seen.rejected).toBeGreaterThan(0);
      expect(seen.accepted).toBeGreaterThan(0);
    }, FUZZ_TIMEOUT_MS);

  }

  // Deterministic companion of what the fuzzer found: null, [] or a primitive where an
  // object option is expected must be named, not dereferenced.
  it('null, a number or a string for any option is an OptionsError or accepted in every factory, never a TypeError', () => {
    const leaks: string[] = [];
    for (const f of SPECS) {
      for (const base of f.valid) {
        for (const key of [...f.keys, 'name', 'timeoutMs', 'retry', 'enforce']) {
          for (const bad of [null, 7, 'x', [], true]) {
            try {
              classify(f, { ...base, [key]: bad });
            } catch (error) {
              leaks.push(`${f.name}.${key} = ${JSON.stringify(bad)}: ${(error as Error).message.replace(/^.*threw /, '')}`);
            }
          }
        }
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
  });

  // Deterministic companion of what the fuzzer found: a value with no string form
  // (a null-prototype object) must be rejected by name, not crash the message builder.
  it('an option value without a string form is an OptionsError in every factory, not a TypeError', () => {
    const leaks: string[] = [];
    for (const f of SPECS) {
      for (const base of f.valid) {
        for (const key of [...f.keys, 'name', 'timeoutMs']) {
          try {
            classify(f, { ...base, [key]: Object.create(null) as object });
          } catch (error) {
            leaks.push(`${f.name}.${key}: ${(error as Error).message.replace(/^.*threw /, '')}`);
          }
        }
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
  });
});

describe('Fuzz: synthetic event builders', () => {
  const request = fc.record(
    {
      method: fc.string({ maxLength: 10 }),
      path: fc.string({ maxLength: 40 }),
      headers: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
      query: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), { maxKeys: 3 }),
      body: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 })),
      isBase64Encoded: fc.boolean(),
      sourceIp: fc.string({ maxLength: 15 }),
    },
    { requiredKeys: [] },
  );
  const builders = { apiGatewayRestEvent, apiGatewayHttpEvent, functionUrlEvent, albEvent } as Record<string, (r: never) => unknown>;
  for (const [name, build] of Object.entries(builders)) {
    it(`${name}: any well-typed request gives a JSON-serializable event`, () => {
      fc.assert(
        fc.property(request, (req) => {
          const event = build(req as never);
          const text = JSON.stringify(event);
          expect(typeof text).toBe('string');
          expect(JSON.parse(text)).toBeTypeOf('object');
        }),
        { numRuns: FUZZ_RUNS },
      );
    }, FUZZ_TIMEOUT_MS);
  }
});

function safe(v: unknown): string {
  try {
    return (JSON.stringify(v) ?? String(v)).slice(0, 300);
  } catch {
    return String(v);
  }
}
