/**
 * The scenario fields the canary analysis and the detection benchmark need:
 * scheduled functions, traffic over several paths, a slow start, metric-math
 * alarms; each with a clear error naming the field when it is wrong.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/simulator/scenario/loader.js';
import { ScenarioError } from '../../../src/errors.js';

const parse = (text: string) => parseScenario(text, { file: 'my.yaml', baseDir: '/base' });
const errorOf = (fn: () => unknown): ScenarioError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
};

describe('scenario: canary-analysis fields', () => {
  it('reads schedules with their defaults, resolving the module from the scenario directory', () => {
    const s = parse('platform: Lambda\nschedules:\n  - module: analyzer.ts\n    env: { CODEDEPLOY_HOOKS_APPLICATION: "{{functionName}}" }\n');
    expect(s.schedules).toEqual([
      { module: '/base/analyzer.ts', moduleAsWritten: 'analyzer.ts', export: 'handler', functionName: 'scheduled-0', rateSeconds: 60, timeoutSeconds: 60, env: { CODEDEPLOY_HOOKS_APPLICATION: '{{functionName}}' } },
    ]);
    expect(parse('platform: Lambda\n').schedules).toEqual([]);
    expect(errorOf(() => parse('platform: Lambda\nschedules: [{ module: a.ts, rateSeconds: 0 }]\n')).message).toContain('schedules[0].rateSeconds: expected a number between 1 and 86400');
    expect(errorOf(() => parse('platform: Lambda\nschedules: [{ rateSeconds: 60 }]\n')).message).toContain('schedules[0].module');
  });

  it('reads traffic.paths and versions.*.startupSeconds', () => {
    const s = parse('platform: Lambda\ntraffic: { paths: [/items, /items/1] }\nversions: { target: { startupSeconds: 90 } }\n');
    expect(s.traffic?.paths).toEqual(['/items', '/items/1']);
    expect(s.versions.target.startupSeconds).toBe(90);
    expect(errorOf(() => parse('platform: Lambda\ntraffic: { paths: [items] }\n')).message).toContain('traffic.paths[0]: expected a path starting with "/"');
    expect(errorOf(() => parse('platform: Lambda\ntraffic: { paths: [] }\n')).message).toContain('traffic.paths: expected at least one path');
    expect(errorOf(() => parse('platform: Lambda\nversions: { target: { startupSeconds: -1 } }\n')).message).toContain('versions.target.startupSeconds');
  });

  it('reads a metric-math alarm and refuses one that also names a plain metric', () => {
    const s = parse(
      'platform: Lambda\nalarms:\n  - name: rate\n    threshold: 0.1\n    math:\n      expression: errors / (calls + 20)\n      metrics:\n' +
        '        errors: { namespace: AWS/Lambda, metricName: Errors }\n        calls: { namespace: AWS/Lambda, metricName: Invocations, stat: Sum, dimensions: { FunctionName: f } }\n',
    );
    expect(s.alarms[0]).toMatchObject({
      name: 'rate',
      namespace: '',
      math: { expression: 'errors / (calls + 20)', metrics: { errors: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: {}, stat: 'Sum' }, calls: { dimensions: { FunctionName: 'f' } } } },
    });
    expect(errorOf(() => parse('platform: Lambda\nalarms: [{ name: a, threshold: 1, namespace: N, metricName: M, math: { expression: x, metrics: { x: { namespace: N, metricName: M } } } }]\n')).message).toContain(
      'names its metrics under math.metrics',
    );
    expect(errorOf(() => parse('platform: Lambda\nalarms: [{ name: a, threshold: 1 }]\n')).message).toContain('needs namespace and metricName (or math');
    expect(errorOf(() => parse('platform: Lambda\nalarms: [{ name: a, threshold: 1, math: { expression: x, metrics: { X: { namespace: N, metricName: M } } } }]\n')).message).toContain('alarms[0].math.metrics.X');
  });
});
