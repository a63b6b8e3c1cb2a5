/**
 * Fuzz: the simulator's scenario loader. Any text, any YAML tree, and valid
 * scenarios with one field broken either load or fail with a ScenarioError
 * whose path names the file (and, past the YAML layer, the JSON path). No other
 * exception, and no input takes long (the loader is synchronous, so the bound
 * is a per-run wall-clock assertion plus the test's own timeout).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { ScenarioError } from '../../src/errors.js';
import { BUILTIN_DIR, builtinScenarioNames, loadScenario, parseScenario } from '../../src/simulator/scenario/loader.js';
import { FUZZ_RUNS } from './runs.js';

const FILE = 'fuzz.yaml';
/** A synchronous parse of a few KiB must never take this long. */
const PER_RUN_MS = 2000;

/** Valid scenarios to break one field at a time (the built-in ones join when present). */
const BASES: Record<string, unknown>[] = [
  {
    name: 'lambda-base',
    platform: 'Lambda',
    application: { name: 'app', deploymentGroup: 'app-group' },
    lambda: { functionName: 'app', alias: 'live' },
    versions: { current: { version: 1 }, target: { version: 2, errorRate: 0.5, latencyMs: 10, statusCode: 500 } },
    deployment: {
      config: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
      timeScale: 100,
      autoRollback: true,
      alarmPollSeconds: 30,
      hookWaitSeconds: 3600,
    },
    alarms: [
      {
        name: 'errors',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: 'app' },
        statistic: 'Sum',
        period: 60,
        evaluationPeriods: 2,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        deploymentGroup: true,
        initialState: 'OK',
      },
    ],
    hooks: { BeforeAllowTraffic: { module: './hooks/pre.ts', export: 'handler', timeoutSeconds: 60, env: { A: 'b' } } },
    traffic: { requestsPerSecond: 10, path: '/', method: 'GET' },
    seed: 7,
    expect: 'Failed',
  },
  {
    platform: 'ECS',
    ecs: { cluster: 'c', service: 's', productionPort: 0, testPort: 0, loadBalancerName: 'alb', targetGroups: ['blue', 'green'] },
    deployment: { config: 'CodeDeployDefault.ECSAllAtOnce' },
    hooks: { AfterAllowTestTraffic: { module: '/abs/hook.ts' } },
  },
];
// The built-in scenarios (once they ship) are broken the same way.
for (const name of builtinScenarioNames()) {
  BASES.push(parse(readFileSync(resolve(BUILTIN_DIR, `${name}.yaml`), 'utf8')) as Record<string, unknown>);
}

/** Every path to a value in a tree (objects and arrays), root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as object);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function setAt(tree: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(tree) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = replacement;
  return copy;
}

const leaf = fc.oneof(
  fc.constantFrom(null, 0, -1, 1, 1.5, 99, 100, 101, 3600, 3601, 1e12, '', 'x', 'Lambda', 'ECS', '1', 'OK', 'ALARM', 'AllAtOnce', 'TimeBasedLinear', 'CodeDeployDefault.LambdaAllAtOnce', true, false),
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

function mutated(base: Record<string, unknown>) {
  const all = paths(base);
  return fc
    .tuple(fc.constantFrom(...all), leaf, fc.boolean(), fc.string({ maxLength: 12 }))
    .map(([path, replacement, remove, extraKey]) => {
      const tree = setAt(base, path, replacement, remove);
      // Sometimes also add a key nobody asked for next to the broken one.
      if (extraKey.length > 0 && extraKey.length % 3 === 0) (tree as Record<string, unknown>)[extraKey] = replacement;
      return tree;
    });
}

/** Loads text; returns undefined on success, else the ScenarioError (anything else fails the run). */
function load(text: string): ScenarioError | undefined {
  const started = performance.now();
  try {
    const scenario = parseScenario(text, { file: FILE, baseDir: '/tmp' });
    expect(['Lambda', 'ECS']).toContain(scenario.platform);
    return undefined;
  } catch (error) {
    if (!(error instanceof ScenarioError)) {
      throw new Error(`parseScenario threw ${(error as Error)?.name}: ${(error as Error)?.message}\n--- input ---\n${text.slice(0, 500)}`);
    }
    expect(error.path.startsWith(FILE)).toBe(true);
    expect(error.message).toContain(error.path);
    return error;
  } finally {
    expect(performance.now() - started).toBeLessThan(PER_RUN_MS);
  }
}

describe('Fuzz: scenario loader', () => {
  it('the base scenarios are valid (so that mutations start from a loading scenario)', () => {
    for (const base of BASES) expect(load(stringify(base))).toBeUndefined();
  });

  it('arbitrary text loads or fails with a ScenarioError naming the file', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.stringMatching(/^[a-z:{}\[\]\-#&*!|>'" \n0-9]{0,200}$/),
    );
    fc.assert(fc.property(text, (t) => void load(t)), { numRuns: FUZZ_RUNS });
  });

  it('arbitrary YAML trees load or fail with a ScenarioError', () => {
    const tree = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({ platform: fc.oneof(fc.constantFrom('Lambda', 'ECS'), leaf), deployment: fc.anything({ maxDepth: 2 }), alarms: fc.anything({ maxDepth: 2 }), hooks: fc.anything({ maxDepth: 2 }) }, { requiredKeys: ['platform'] }),
    );
    fc.assert(
      fc.property(tree, (t) => {
        let text: string | undefined;
        try {
          text = stringify(t) as string | undefined;
        } catch {
          return; // not representable as YAML: nothing to load
        }
        if (typeof text === 'string') load(text);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('a valid scenario with one field broken loads or fails naming a JSON path in the file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES).chain(mutated), (tree) => {
        const error = load(stringify(tree));
        // Past the YAML layer every error says where: "fuzz.yaml:<json path>".
        if (error) expect(error.path.startsWith(`${FILE}:`)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('YAML bombs (alias expansion) are refused quickly', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'platform: Lambda'].join('\n');
    expect(load(bomb)).toBeInstanceOf(ScenarioError);
  });

  it('every built-in scenario loads by name', () => {
    for (const name of builtinScenarioNames()) expect(loadScenario(name).name).toBeTruthy();
  });
});
