/**
 * Fuzz: the simulator's scenario loader. Any text, any YAML tree, and valid
 * scenarios with one field broken either load or fail with a ScenarioError
 * whose path names the file (and, past the YAML layer, the JSON path). No other
 * exception, and no hang: each run goes to a child process (bounded-runner.ts)
 * and is killed, failing the property with its input, after PER_RUN_MS.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { BUILTIN_DIR, builtinScenarioNames, loadScenario } from '../../src/simulator/scenario/loader.js';
import { BoundedRunner } from './bounded-runner.js';
import { FUZZ_RUNS } from './runs.js';

/** `npm run fuzz` runs 10,000 cases per property: give each property time in proportion. */
const FUZZ_TIMEOUT_MS = Math.max(30_000, FUZZ_RUNS * 40);

const FILE = 'fuzz.yaml';
/** Loading a scenario of a few KiB must never take this long. */
const PER_RUN_MS = 3000;

const runner = new BoundedRunner(PER_RUN_MS);
beforeAll(async () => {
  await runner.run('scenario', 'platform: Lambda', FILE); // start the child outside any test's budget
}, 30_000);
afterAll(() => runner.close());

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

interface LoadError {
  path: string;
  message: string;
}

/** Loads text in the child; undefined on success, else the ScenarioError's path and message (anything else fails). */
async function load(text: string): Promise<LoadError | undefined> {
  const answer = await runner.run('scenario', text, FILE);
  if (answer === 'timeout') throw new Error(`the scenario loader did not finish within ${PER_RUN_MS} ms on:\n${text.slice(0, 500)}`);
  if (answer.kind === 'crash') throw new Error(`parseScenario threw ${answer.name}: ${answer.message}\n--- input ---\n${text.slice(0, 500)}`);
  if (answer.kind === 'scenario') {
    expect(['Lambda', 'ECS', 'ECS-native']).toContain(answer.platform);
    return undefined;
  }
  if (answer.kind !== 'expected-error') throw new Error(`unexpected answer ${answer.kind}`);
  expect(answer.name).toBe('ScenarioError');
  const path = answer.path ?? '';
  expect(path.startsWith(FILE)).toBe(true);
  expect(answer.message).toContain(path);
  return { path, message: answer.message };
}

describe('Fuzz: scenario loader', () => {
  it('the base scenarios are valid (so that mutations start from a loading scenario)', async () => {
    for (const base of BASES) expect(await load(stringify(base))).toBeUndefined();
  });

  it('arbitrary text loads or fails with a ScenarioError naming the file', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.stringMatching(/^[a-z:{}\[\]\-#&*!|>'" \n0-9]{0,200}$/),
    );
    await fc.assert(fc.asyncProperty(text, async (t) => void (await load(t))), { numRuns: FUZZ_RUNS, endOnFailure: true });
  }, FUZZ_TIMEOUT_MS);

  it('arbitrary YAML trees load or fail with a ScenarioError', async () => {
    const tree = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({ platform: fc.oneof(fc.constantFrom('Lambda', 'ECS'), leaf), deployment: fc.anything({ maxDepth: 2 }), alarms: fc.anything({ maxDepth: 2 }), hooks: fc.anything({ maxDepth: 2 }) }, { requiredKeys: ['platform'] }),
    );
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        let text: string | undefined;
        try {
          text = stringify(t) as string | undefined;
        } catch {
          return; // not representable as YAML: nothing to load
        }
        if (typeof text === 'string') await load(text);
      }),
      { numRuns: FUZZ_RUNS, endOnFailure: true },
    );
  }, FUZZ_TIMEOUT_MS);

  it('a valid scenario with one field broken loads or fails naming a JSON path in the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BASES).chain(mutated), async (tree) => {
        const error = await load(stringify(tree));
        // Past the YAML layer every error says where: "fuzz.yaml:<json path>".
        if (error) expect(error.path.startsWith(`${FILE}:`)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, endOnFailure: true },
    );
  }, FUZZ_TIMEOUT_MS);

  it('YAML bombs (alias expansion) are refused quickly', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'platform: Lambda'].join('\n');
    expect(await load(bomb)).toMatchObject({ message: expect.stringMatching(/alias|YAML/i) });
  });

  it('every built-in scenario loads by name', () => {
    for (const name of builtinScenarioNames()) expect(loadScenario(name).name).toBeTruthy();
  });
});
