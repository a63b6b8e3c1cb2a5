/**
 * Whatever a scenario file contains, parsing either returns a scenario or
 * throws a ScenarioError that names the file: never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ScenarioError } from '../../../src/errors.js';
import { parseScenario } from '../../../src/simulator/scenario/loader.js';

const runs = Number(process.env.FUZZ_RUNS ?? 300);

function parsesOrScenarioError(text: string): void {
  try {
    parseScenario(text, { file: 'fuzz.yaml', baseDir: '/tmp' });
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message.startsWith('fuzz.yaml')).toBe(true);
  }
}

// Values shaped like scenarios, so the fuzzer reaches deep paths rather than failing at the top.
const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('Lambda', 'ECS', '/items', 'CodeDeployDefault.LambdaAllAtOnce', '{{testUrl}}'));
const key = fc.constantFrom('platform', 'versions', 'target', 'current', 'version', 'errorRate', 'hooks', 'BeforeAllowTraffic', 'AfterAllowTestTraffic', 'module', 'env', 'deployment', 'config', 'type', 'timeBasedCanary', 'alarms', 'dimensions', 'threshold', 'traffic', 'ecs', 'lambda', 'targetGroups', 'expect', '__proto__', 'x');
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

describe('parseScenario under arbitrary input', () => {
  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesOrScenarioError), { numRuns: runs });
  });

  it('arbitrary scenario-shaped documents', () => {
    fc.assert(
      fc.property(value, fc.constantFrom('Lambda', 'ECS'), (doc, platform) => {
        const withPlatform = doc && typeof doc === 'object' && !Array.isArray(doc) ? { platform, ...(doc as object) } : doc;
        parsesOrScenarioError(stringify(withPlatform));
      }),
      { numRuns: runs },
    );
  });
});
