/**
 * The 5-minute built-in canaries at 10x (30 s each), compared with 1000x:
 * the slow end of the scales time-scale-builtin.test.ts runs the shorter
 * scenarios at. In a file of their own so vitest runs them beside the rest.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { invariantOf, runAtScales, warmUpLazyImports } from './time-scale.js';

describe('the 5-minute canaries give the same result at 10x as at 1000x', () => {
  beforeAll(warmUpLazyImports, 30_000);
  for (const builtin of ['lambda-canary-healthy', 'ecs-bluegreen-healthy']) {
    it(`${builtin} at 10x and 1000x`, async () => {
      const runs = await runAtScales({ builtin }, [1000, 10]);
      const [fast, slow] = runs.map((r) => invariantOf(r.result));
      expect(fast!.status).toBe(runs[0]!.result.expect);
      expect(slow).toEqual(fast);
    }, 120_000);
  }
});
