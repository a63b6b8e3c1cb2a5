/**
 * Wall time of the same scenario at each time scale, and whether the result
 * (outcome, reason, requests per version, simulated duration) came out the same
 * at every scale, as the one simulated clock promises (issue 11). Scenarios:
 * a built-in one and the 3-period alarm of the invariance tests.
 */
import { invariantOf, runAtScales } from '../test/integration/time-scale.js';

export const SCALES = [10, 100, 1000];

export interface ScaleTiming {
  scenario: string;
  timeScale: number;
  wallMs: number;
  simulatedSeconds: number;
  status: string;
  /** Same invariant as the run at the first scale. */
  sameAsFirst: boolean;
}

const CASES = [{ builtin: 'lambda-alarm-during-canary' }, { fixture: 'lambda-3pct-three-periods.yaml' }];

export async function benchTimeScales(): Promise<ScaleTiming[]> {
  const rows: ScaleTiming[] = [];
  for (const c of CASES) {
    const runs = await runAtScales(c, SCALES);
    const first = JSON.stringify(invariantOf(runs[0]!.result));
    for (const { scale, result } of runs) {
      rows.push({
        scenario: result.scenario,
        timeScale: scale,
        wallMs: result.durationMs,
        simulatedSeconds: result.simulatedSeconds,
        status: result.status,
        sameAsFirst: JSON.stringify(invariantOf(result)) === first,
      });
    }
  }
  return rows;
}
