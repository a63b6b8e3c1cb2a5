import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OptionsError } from '../../../src/errors.js';
import { readBake, readBool, readChoice, readInt, readList, readRequests, readUrl, DEFAULT_SMOKE, MAX_BAKE_MS } from '../../../hooks/config.js';
import { preTrafficConfig } from '../../../hooks/pre-traffic.js';
import { postTrafficConfig } from '../../../hooks/post-traffic.js';
import { ecsTestTrafficConfig } from '../../../hooks/ecs-test-traffic.js';
import { ecsPostTrafficConfig } from '../../../hooks/ecs-post-traffic.js';

function errorOf(fn: () => unknown): OptionsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return error as OptionsError;
  }
  throw new Error('expected an OptionsError');
}

describe('hook env readers', () => {
  it('use the default when a variable is unset or blank', () => {
    expect(readInt({}, 'X', 7)).toBe(7);
    expect(readInt({ CODEDEPLOY_HOOKS_X: '  ' }, 'X', 7)).toBe(7);
    expect(readBool({}, 'X', true)).toBe(true);
    expect(readList({}, 'X')).toEqual([]);
    expect(readRequests({}, 'X', DEFAULT_SMOKE)).toBe(DEFAULT_SMOKE);
  });

  it('parse valid values', () => {
    expect(readInt({ CODEDEPLOY_HOOKS_X: '42' }, 'X', 0)).toBe(42);
    expect(readBool({ CODEDEPLOY_HOOKS_X: 'FALSE' }, 'X', true)).toBe(false);
    expect(readChoice({ CODEDEPLOY_HOOKS_X: 'b' }, 'X', ['a', 'b'], 'a')).toBe('b');
    expect(readList({ CODEDEPLOY_HOOKS_X: ' a, b ,,c' }, 'X')).toEqual(['a', 'b', 'c']);
    expect(readUrl({ CODEDEPLOY_HOOKS_X: 'https://x.test:8080/' }, 'X')).toBe('https://x.test:8080/');
    expect(readRequests({ CODEDEPLOY_HOOKS_X: '[{"path":"/items","method":"get","query":{"a":"1"},"bodyContains":"canary"}]' }, 'X', [])).toEqual([
      { method: 'GET', path: '/items', query: { a: '1' }, expectStatus: 200, bodyContains: 'canary' },
    ]);
  });

  it.each([
    [() => readInt({ CODEDEPLOY_HOOKS_BAKE_DURATION_MS: '2m' }, 'BAKE_DURATION_MS', 0), 'CODEDEPLOY_HOOKS_BAKE_DURATION_MS', /whole number, got "2m"/],
    [() => readInt({ CODEDEPLOY_HOOKS_N: '11' }, 'N', 0, { max: 10 }), 'CODEDEPLOY_HOOKS_N', /between 0 and 10/],
    [() => readBool({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'maybe' }, 'CHECK_ALARMS', true), 'CODEDEPLOY_HOOKS_CHECK_ALARMS', /true or false/],
    [() => readChoice({ CODEDEPLOY_HOOKS_X: 'c' }, 'X', ['a', 'b'], 'a'), 'CODEDEPLOY_HOOKS_X', /must be one of a, b, got "c"$/],
    [() => readChoice({ CODEDEPLOY_HOOKS_X: 'c' }, 'X', ['a', 'b'], 'a', { z: 'b' }), 'CODEDEPLOY_HOOKS_X', /must be one of a, b \(z means b\), got "c"$/],
    [() => readUrl({ CODEDEPLOY_HOOKS_HTTP_BASE_URL: 'ftp://x' }, 'HTTP_BASE_URL'), 'CODEDEPLOY_HOOKS_HTTP_BASE_URL', /http\(s\) URL/],
    [() => readRequests({ CODEDEPLOY_HOOKS_PAYLOADS: '{bad' }, 'PAYLOADS', []), 'CODEDEPLOY_HOOKS_PAYLOADS', /JSON array/],
    [() => readRequests({ CODEDEPLOY_HOOKS_PAYLOADS: '[]' }, 'PAYLOADS', []), 'CODEDEPLOY_HOOKS_PAYLOADS', /non-empty/],
    [() => readRequests({ CODEDEPLOY_HOOKS_PAYLOADS: '[{"path":"health"}]' }, 'PAYLOADS', []), 'CODEDEPLOY_HOOKS_PAYLOADS[0].path', /starting with \//],
    [() => readRequests({ CODEDEPLOY_HOOKS_PAYLOADS: '[{"path":"/","expectStatus":99}]' }, 'PAYLOADS', []), 'CODEDEPLOY_HOOKS_PAYLOADS[0].expectStatus', /status code/],
    [() => readRequests({ CODEDEPLOY_HOOKS_PAYLOADS: '[{"path":"/","status":200}]' }, 'PAYLOADS', []), 'CODEDEPLOY_HOOKS_PAYLOADS[0]', /unknown key "status"/],
    [() => readBake({ CODEDEPLOY_HOOKS_BAKE_DURATION_MS: String(MAX_BAKE_MS + 1) }), 'CODEDEPLOY_HOOKS_BAKE_DURATION_MS', /between 0 and 780000/],
    [() => readBake({ CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS: '0' }), 'CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS', /between 1 and/],
  ])('reject invalid values naming the variable (%#)', (fn, field, message) => {
    const error = errorOf(fn);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toMatch(message);
  });
});

describe('hook configurations', () => {
  it('have working defaults with an empty environment', () => {
    expect(preTrafficConfig({})).toEqual({
      requests: [{ method: 'GET', path: '/health', expectStatus: 200 }],
      eventFormat: 'apigateway-rest',
      invokeAttempts: 3,
      invokeTimeoutMs: 15_000,
      followUp: { count: 30, minSuccessRatio: 0.8 },
      alarms: { enabled: true, names: [], insufficientData: 'pass' },
    });
    const compare = {
      mode: 'enforce',
      confidence: 0.99,
      minRequests: 50,
      minPeriods: 3,
      insufficientSample: 'pass',
      errorRateTolerance: 0.001,
      latencyTolerance: 0.1,
      latencyMinDeltaMs: 10,
      lookbackMs: 3_600_000,
    };
    expect(postTrafficConfig({})).toEqual({ bake: { durationMs: 120_000, intervalMs: 30_000, initialDelayMs: 0 }, alarms: { enabled: true, names: [], insufficientData: 'pass' }, compare });
    expect(ecsTestTrafficConfig({})).toMatchObject({ waitHealthyMs: 60_000, requestTimeoutMs: 5000, compare: false });
    // The follow-up that judges green after it first answered.
    expect(ecsTestTrafficConfig({}).load).toEqual({ requests: 50, concurrency: 10, minSuccessRatio: 0.8 });
    expect(ecsTestTrafficConfig({ CODEDEPLOY_HOOKS_HTTP_LOAD_REQUESTS: '0' }).load).toBeUndefined();
    expect(ecsPostTrafficConfig({})).toEqual({
      bake: { durationMs: 120_000, intervalMs: 30_000, initialDelayMs: 0 },
      alarms: { enabled: true, names: [], insufficientData: 'pass' },
      targetGroup: { enabled: true, maxUnhealthyHosts: 0 },
      compare,
    });
    expect(ecsPostTrafficConfig({ CODEDEPLOY_HOOKS_MAX_5XX_PER_MINUTE: '5' }).targetGroup).toEqual({ enabled: true, max5xxPerMinute: 5, maxUnhealthyHosts: 0 });
  });

  it('refuse a post-traffic hook that would check nothing', () => {
    expect(errorOf(() => postTrafficConfig({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false', CODEDEPLOY_HOOKS_COMPARE: 'disabled' })).field).toBe('CODEDEPLOY_HOOKS_CHECK_ALARMS');
    // observe-only comparison is not enforced either, so the hook could never fail
    expect(errorOf(() => postTrafficConfig({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false', CODEDEPLOY_HOOKS_COMPARE: 'observe' })).field).toBe('CODEDEPLOY_HOOKS_CHECK_ALARMS');
    expect(() => postTrafficConfig({ CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false' })).not.toThrow();
    const off = { CODEDEPLOY_HOOKS_CHECK_ALARMS: 'false', CODEDEPLOY_HOOKS_CHECK_TARGET_GROUP: 'false' };
    expect(() => ecsPostTrafficConfig(off)).not.toThrow();
    expect(errorOf(() => ecsPostTrafficConfig({ ...off, CODEDEPLOY_HOOKS_COMPARE: 'observe' })).field).toBe('CODEDEPLOY_HOOKS_CHECK_ALARMS');
  });

  it.each([
    ['enforce', 'enforce'],
    ['observe', 'observe'],
    ['disabled', 'disabled'],
    // The old name, and what a YAML 1.1 loader makes of it unquoted.
    ['off', 'disabled'],
    ['false', 'disabled'],
  ])('read CODEDEPLOY_HOOKS_COMPARE=%s as %s', (value, mode) => {
    expect(postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE: value }).compare.mode).toBe(mode);
  });

  it('read the comparison settings, refusing a malformed 5xx metric', () => {
    const c = postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE_5XX_METRIC: 'CodeDeployHooks/App:Http5xx', CODEDEPLOY_HOOKS_COMPARE_INSUFFICIENT_SAMPLE: 'inconclusive' }).compare;
    expect(c).toMatchObject({ responseErrors: { namespace: 'CodeDeployHooks/App', metricName: 'Http5xx' }, insufficientSample: 'inconclusive' });
    for (const bad of ['Http5xx', ':Http5xx', 'App:']) {
      expect(errorOf(() => postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE_5XX_METRIC: bad })).field).toBe('CODEDEPLOY_HOOKS_COMPARE_5XX_METRIC');
    }
    expect(errorOf(() => postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE_INSUFFICIENT_SAMPLE: 'fail' })).field).toBe('CODEDEPLOY_HOOKS_COMPARE_INSUFFICIENT_SAMPLE');
    expect(errorOf(() => preTrafficConfig({ CODEDEPLOY_HOOKS_SMOKE_MIN_SUCCESS: '1.5' })).field).toBe('CODEDEPLOY_HOOKS_SMOKE_MIN_SUCCESS');
  });

  it.each(['true', 'no', 'Off', 'always', 'constructor', 'toString'])('refuse CODEDEPLOY_HOOKS_COMPARE=%s, naming the variable and the allowed values', (value) => {
    const error = errorOf(() => postTrafficConfig({ CODEDEPLOY_HOOKS_COMPARE: value }));
    expect(error.field).toBe('CODEDEPLOY_HOOKS_COMPARE');
    expect(error.message).toBe(
      `invalid option CODEDEPLOY_HOOKS_COMPARE: must be one of enforce, observe, disabled (off means disabled, false means disabled), got ${JSON.stringify(value)}`,
    );
  });

  it('reads the ECS follow-up load settings', () => {
    expect(ecsTestTrafficConfig({ CODEDEPLOY_HOOKS_HTTP_LOAD_REQUESTS: '100', CODEDEPLOY_HOOKS_HTTP_LOAD_MAX_P95_MS: '250' }).load).toEqual({
      requests: 100,
      concurrency: 10,
      minSuccessRatio: 0.8,
      maxP95Ms: 250,
    });
  });
});

const LOAD: Record<string, () => Promise<{ handler: unknown }>> = {
  'pre-traffic': () => import('../../../hooks/pre-traffic.js'),
  'post-traffic': () => import('../../../hooks/post-traffic.js'),
  'ecs-test-traffic': () => import('../../../hooks/ecs-test-traffic.js'),
  'ecs-post-traffic': () => import('../../../hooks/ecs-post-traffic.js'),
};

describe('hook modules', () => {
  // The modules read the environment when they load: load each one fresh.
  beforeEach(() => {
    vi.resetModules();
  });

  it.each([
    ['pre-traffic', 'CODEDEPLOY_HOOKS_PAYLOADS', 'not json'],
    ['post-traffic', 'CODEDEPLOY_HOOKS_BAKE_INTERVAL_MS', 'soon'],
    ['ecs-test-traffic', 'CODEDEPLOY_HOOKS_HTTP_BASE_URL', 'test-listener'],
    ['ecs-post-traffic', 'CODEDEPLOY_HOOKS_MAX_5XX_PER_MINUTE', '-1'],
  ])('%s fails to load with an error naming %s when it is invalid', async (hook, variable, value) => {
    vi.stubEnv(variable, value);
    await expect(LOAD[hook]!()).rejects.toThrow(variable);
  });

  it('post-traffic fails to load on a compare mode it does not know, listing the allowed ones', async () => {
    vi.stubEnv('CODEDEPLOY_HOOKS_COMPARE', 'true');
    await expect(LOAD['post-traffic']!()).rejects.toThrow('invalid option CODEDEPLOY_HOOKS_COMPARE: must be one of enforce, observe, disabled');
  });

  it.each(['pre-traffic', 'post-traffic', 'ecs-test-traffic', 'ecs-post-traffic'])('%s loads with no configuration and exports a handler', async (hook) => {
    const mod = await LOAD[hook]!();
    expect(typeof mod.handler).toBe('function');
  });
});
