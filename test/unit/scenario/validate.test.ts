import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/errors.js';
import { builtinScenarioNames, loadScenario, parseScenario, PACKAGE_ROOT } from '../../../src/simulator/scenario/loader.js';

function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  }
  throw new Error('expected a ScenarioError, nothing was thrown');
}

const parse = (text: string) => parseScenario(text, { file: 'my.yaml', baseDir: '/base' });

describe('parseScenario: defaults', () => {
  it('fills every default from a minimal Lambda scenario', () => {
    const s = parse('platform: Lambda\n');
    expect(s.platform).toBe('Lambda');
    expect(s.application).toEqual({ name: 'sample-app', deploymentGroup: 'sample-app-group' });
    expect(s.lambda).toEqual({ functionName: 'sample-app', alias: 'live' });
    expect(s.versions.current).toEqual({ version: '1', errorRate: 0, latencyMs: 0, healthyAfterSeconds: 0 });
    expect(s.versions.target).toEqual({ version: '2', errorRate: 0, latencyMs: 0, healthyAfterSeconds: 0 });
    expect(s.deployment).toEqual({
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      timeScale: 100,
      autoRollback: true,
      alarmPollSeconds: 30,
      hookWaitSeconds: 3600,
      terminationWaitTimeInMinutes: 0,
    });
    expect(s.hooks).toEqual([]);
    expect(s.alarms).toEqual([]);
    expect(s.traffic).toBeUndefined();
    expect(s.app.module).toBe(join(PACKAGE_ROOT, 'examples/app/handler.ts'));
  });

  it('fills ECS defaults and resolves hook modules from the scenario directory, in lifecycle order', () => {
    const s = parse(`
platform: ECS
application: { name: shop }
hooks:
  AfterAllowTraffic: { module: ./post.ts }
  AfterAllowTestTraffic: { module: /abs/test.ts, export: main, timeoutSeconds: 30, env: { A: 1, B: "x" } }
`);
    expect(s.ecs).toEqual({
      cluster: 'shop-cluster',
      service: 'shop-service',
      productionPort: 0,
      testPort: 0,
      loadBalancerName: 'shop-alb',
      targetGroups: ['shop-service-blue', 'shop-service-green'],
      testListener: true,
    });
    expect(s.deployment.config).toBe('CodeDeployDefault.ECSAllAtOnce');
    expect(s.hooks.map((h) => h.lifecycleEvent)).toEqual(['AfterAllowTestTraffic', 'AfterAllowTraffic']);
    expect(s.hooks[0]).toMatchObject({ module: '/abs/test.ts', export: 'main', timeoutSeconds: 30, env: { A: '1', B: 'x' } });
    expect(s.hooks[1]).toMatchObject({ module: '/base/post.ts', moduleAsWritten: './post.ts', export: 'handler', timeoutSeconds: 60, functionName: 'CodeDeployHook_AfterAllowTraffic' });
  });

  it('accepts a custom traffic routing configuration and alarm options', () => {
    const s = parse(`
platform: Lambda
deployment:
  config: { name: Custom.Linear25, type: TimeBasedLinear, timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } }
alarms:
  - { name: errs, namespace: AWS/Lambda, metricName: Errors, threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2, dimensions: { ExecutedVersion: "{{targetVersion}}" } }
traffic: { requestsPerSecond: 5, path: /items }
expect: Failed
`);
    expect(s.deployment.config).toEqual({ name: 'Custom.Linear25', type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } });
    expect(s.alarms[0]).toMatchObject({ statistic: 'Sum', period: 60, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'notBreaching', deploymentGroup: true, initialState: 'OK' });
    expect(s.traffic).toEqual({ requestsPerSecond: 5, path: '/items', method: 'GET' });
    expect(s.expect).toBe('Failed');
  });
});

describe('parseScenario: errors name the file, the path and what was expected', () => {
  it('rejects unknown keys with a suggestion and the line', () => {
    const e = errorOf(() => parse('platform: Lambda\nversions:\n  target:\n    errorRat: 0.5\n'));
    expect(e.path).toBe('my.yaml:versions.target.errorRat');
    expect(e.message).toContain('unknown key "errorRat" (did you mean "errorRate"?)');
    expect(e.message).toContain('(line 4)');
  });

  it('rejects unknown top-level keys', () => {
    const e = errorOf(() => parse('platform: Lambda\nhook: {}\n'));
    expect(e.path).toBe('my.yaml:hook');
    expect(e.message).toContain('did you mean "hooks"');
  });

  it('requires platform and names the allowed values', () => {
    expect(errorOf(() => parse('name: x\n')).message).toContain('my.yaml:platform: is required');
    expect(errorOf(() => parse('platform: EC2\n')).message).toContain('expected one of Lambda, ECS, ECS-native, got "EC2"');
  });

  it('checks types and ranges', () => {
    expect(errorOf(() => parse('platform: Lambda\nversions: { target: { errorRate: 2 } }\n')).message).toContain(
      'versions.target.errorRate: expected a number between 0 and 1, got 2',
    );
    expect(errorOf(() => parse('platform: Lambda\ndeployment: { timeScale: fast }\n')).message).toContain('deployment.timeScale: expected a number');
    expect(errorOf(() => parse('platform: Lambda\nversions: { target: { version: 1 } }\n')).path).toBe('my.yaml:versions.target.version');
    expect(errorOf(() => parse('platform: Lambda\nhooks: { BeforeAllowTraffic: { module: x.ts, timeoutSeconds: 901 } }\n')).message).toContain(
      'hooks.BeforeAllowTraffic.timeoutSeconds: expected a number between 1 and 900',
    );
    expect(errorOf(() => parse('platform: Lambda\ntraffic: { path: items }\n')).message).toContain('expected a path starting with "/"');
  });

  it('rejects lifecycle events and blocks of the other platform', () => {
    expect(errorOf(() => parse('platform: Lambda\nhooks: { AfterAllowTestTraffic: { module: x.ts } }\n')).message).toContain(
      'allowed: BeforeAllowTraffic, AfterAllowTraffic',
    );
    expect(errorOf(() => parse('platform: ECS\nlambda: { alias: live }\n')).message).toContain('lambda: is only allowed when platform is Lambda');
    expect(errorOf(() => parse('platform: Lambda\ndeployment: { config: CodeDeployDefault.ECSAllAtOnce }\n')).message).toContain(
      'expected a Lambda deployment configuration',
    );
  });

  it('rejects incomplete custom configurations', () => {
    const e = errorOf(() => parse('platform: Lambda\ndeployment: { config: { type: TimeBasedCanary, timeBasedCanary: { canaryPercentage: 10 } } }\n'));
    expect(e.path).toBe('my.yaml:deployment.config.timeBasedCanary.canaryInterval');
    expect(errorOf(() => parse('platform: Lambda\ndeployment: { config: { type: TimeBasedCanary, timeBasedCanary: { canaryPercentage: 100, canaryInterval: 1 } } }\n')).message).toContain(
      'between 1 and 99',
    );
  });

  it('rejects duplicate alarms, equal versions, unknown placeholders and equal ports', () => {
    const alarm = '{ name: a, namespace: N, metricName: M, threshold: 1 }';
    expect(errorOf(() => parse(`platform: Lambda\nalarms: [${alarm}, ${alarm}]\n`)).message).toContain('duplicate alarm name "a"');
    expect(errorOf(() => parse('platform: Lambda\nversions: { current: { version: 3 }, target: { version: 3 } }\n')).message).toContain('must differ');
    expect(errorOf(() => parse('platform: Lambda\nhooks: { BeforeAllowTraffic: { module: x.ts, env: { U: "{{nope}}" } } }\n')).message).toContain('unknown placeholder {{nope}}');
    expect(errorOf(() => parse('platform: ECS\necs: { productionPort: 8080, testPort: 8080 }\n')).path).toBe('my.yaml:ecs.testPort');
  });

  it('refuses reserved names as env and dimension keys, and never writes to Object.prototype', () => {
    const env = errorOf(() => parse('platform: Lambda\nhooks: { BeforeAllowTraffic: { module: x.ts, env: { A: a, __proto__: polluted } } }\n'));
    expect(env.path).toBe('my.yaml:hooks.BeforeAllowTraffic.env.__proto__');
    expect(env.message).toContain('"__proto__" is a reserved name');
    const dims = errorOf(() => parse('platform: Lambda\nalarms: [{ name: a, namespace: N, metricName: M, threshold: 1, dimensions: { constructor: x } }]\n'));
    expect(dims.path).toBe('my.yaml:alarms[0].dimensions.constructor');
    // Structured keys are refused as unknown keys, wherever they appear.
    expect(errorOf(() => parse('platform: Lambda\n__proto__: { polluted: yes }\n')).path).toBe('my.yaml:__proto__');
    expect(errorOf(() => parse('platform: Lambda\nversions: { constructor: { prototype: { polluted: yes } } }\n')).path).toBe('my.yaml:versions.constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports invalid YAML, duplicate keys and empty files', () => {
    expect(errorOf(() => parse('platform: [\n')).message).toMatch(/my\.yaml: invalid YAML: .*line 2/);
    expect(errorOf(() => parse('platform: Lambda\nplatform: ECS\n')).message).toContain('invalid YAML: Map keys must be unique');
    expect(errorOf(() => parse('')).message).toContain('is empty');
    expect(errorOf(() => parse('- a\n- b\n')).message).toContain('expected a mapping');
  });
});

describe('loadScenario', () => {
  it('knows the built-in scenarios and every one validates', () => {
    const names = builtinScenarioNames();
    expect(names).toEqual([
      'ecs-bluegreen-broken-green',
      'ecs-bluegreen-healthy',
      'ecs-native-breaks-under-production',
      'ecs-native-canary-healthy',
      'ecs-native-hook-in-progress-too-long',
      'hook-never-reports',
      'lambda-alarm-during-canary',
      'lambda-canary-broken-version',
      'lambda-canary-healthy',
      'lambda-durable-bake-regression',
    ]);
    for (const name of names) {
      const s = loadScenario(name);
      expect(s.name).toBe(name);
      expect(s.source).toBe(`builtin:${name}`);
      expect(s.expect).toMatch(/^(Succeeded|Failed)$/);
    }
  });

  it('the default scenario uses the repository hooks unchanged', () => {
    const s = loadScenario();
    expect(s.name).toBe('lambda-canary-healthy');
    expect(s.hooks.map((h) => h.module)).toEqual([join(PACKAGE_ROOT, 'hooks/pre-traffic.ts'), join(PACKAGE_ROOT, 'hooks/post-traffic.ts')]);
    expect(s.hooks.every((h) => h.export === 'handler')).toBe(true);
  });

  it('lists the known names for an unknown one', () => {
    const e = errorOf(() => loadScenario('lambda-canary-heathy'));
    expect(e.message).toContain('unknown scenario name');
    expect(e.message).toContain('lambda-canary-healthy');
    expect(e.message).toContain('hook-never-reports');
  });

  it('loads a file relative to cwd and resolves its modules from its own directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    writeFileSync(join(dir, 'mine.yaml'), 'platform: Lambda\nhooks:\n  BeforeAllowTraffic: { module: ./hook.ts }\n');
    const s = loadScenario('mine.yaml', { cwd: dir });
    expect(s.name).toBe('mine');
    expect(s.source).toBe(join(dir, 'mine.yaml'));
    expect(s.hooks[0]!.module).toBe(join(dir, 'hook.ts'));
    const e = errorOf(() => loadScenario(join(dir, 'missing.yaml')));
    expect(e.message).toBe(`${join(dir, 'missing.yaml')}: file not found`);
    expect(errorOf(() => loadScenario(`${dir}/`)).message).toContain('is a directory');
  });
});
