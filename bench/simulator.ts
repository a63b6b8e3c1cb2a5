/**
 * Wall time of each built-in simulator scenario, run one after another with
 * its own time scale through the programmatic API, and of the whole set.
 * Goal (issue 6): the whole built-in set in under 30 s.
 */
import { builtinScenarioNames, simulate } from '../src/simulator/index.js';

export const SET_GOAL_MS = 30_000;

export interface ScenarioTiming {
  name: string;
  wallMs: number;
  status: string;
  /** Did the deployment end as the scenario says it should? */
  asExpected: boolean | 'no expectation';
  simulatedSeconds: number;
  timeScale: number;
  error?: string;
}

export interface SimulatorFigures {
  scenarios: ScenarioTiming[];
  totalMs: number;
}

export async function benchSimulator(): Promise<SimulatorFigures> {
  const scenarios: ScenarioTiming[] = [];
  const start = performance.now();
  for (const name of builtinScenarioNames()) {
    const t = performance.now();
    try {
      const result = await simulate(name, { captureHookOutput: true });
      scenarios.push({
        name,
        wallMs: Math.round(performance.now() - t),
        status: result.status,
        // As the CLI reads it: a stopped (rolled back) deployment did not succeed.
        asExpected: result.expect === undefined ? 'no expectation' : result.expect === (result.status === 'Succeeded' ? 'Succeeded' : 'Failed'),
        simulatedSeconds: Math.round(result.simulatedSeconds),
        timeScale: result.timeScale,
      });
    } catch (error) {
      scenarios.push({ name, wallMs: Math.round(performance.now() - t), status: 'error', asExpected: false, simulatedSeconds: 0, timeScale: 0, error: (error as Error).message });
    }
  }
  return { scenarios, totalMs: Math.round(performance.now() - start) };
}
