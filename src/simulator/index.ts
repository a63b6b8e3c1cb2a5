/**
 * `codedeploy-hooks/simulator`: run a whole CodeDeploy deployment locally.
 *
 *   const result = await simulate('lambda-canary-broken-version', { timeScale: 1000 });
 *   result.status; // 'Failed' — and result.reason says why
 */
import { simulate as simulateScenario, type SimulateOptions } from './engine/simulate.js';
import type { SimulationResult } from './engine/result.js';
import { loadScenario } from './scenario/loader.js';
import type { Scenario } from './scenario/types.js';

/** Runs a scenario (built-in name, file path or loaded Scenario) to its end and returns the result. */
export async function simulate(scenario: string | Scenario = 'lambda-canary-healthy', opts: SimulateOptions = {}): Promise<SimulationResult> {
  return simulateScenario(typeof scenario === 'string' ? loadScenario(scenario) : scenario, opts);
}

export type { SimulateOptions } from './engine/simulate.js';
export type { SimulationResult, HookRunResult, TrafficSummary } from './engine/result.js';
export type { TimelineEvent } from './engine/timeline.js';
export { SimulatorSetupError } from './engine/module-loader.js';
export { trafficPlan, type TrafficStep } from './engine/traffic-plan.js';
export { loadScenario, parseScenario, builtinScenarioNames, DEFAULT_SCENARIO } from './scenario/loader.js';
export type * from './scenario/types.js';
export { jsonReport, junitReport, htmlReport, writeReport } from './report/index.js';
export { startEmulator } from './emulator/index.js';
export type { Emulator, EmulatorOptions } from './emulator/index.js';
export { createWorld, World } from './state/index.js';
