/**
 * Shared by the time-scale invariance tests: runs one scenario at several time
 * scales and reduces each result to what must not depend on the scale.
 */
import { resolve } from 'node:path';
import { loadScenario, simulate } from '../../src/simulator/index.js';
import type { SimulationResult } from '../../src/simulator/index.js';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures/time-scale');

/** What a scenario's run must show at every time scale. */
export interface Invariant {
  status: string;
  errorCode?: string;
  rolledBack: boolean;
  /** The reason, with loopback ports and the ids in ELB ARNs (random per run) left out. */
  reason: string;
  hooks: string[];
  lifecycle: string[];
  byVersion: Record<string, { total: number; failed: number }>;
  simulatedSeconds: number;
}

export function invariantOf(r: SimulationResult): Invariant {
  return {
    status: r.status,
    ...(r.errorCode ? { errorCode: r.errorCode } : {}),
    rolledBack: r.rolledBack,
    reason: r.reason.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/((?:targetgroup|app)\/[^/\s]+)\/[0-9a-f]{16}/g, '$1/ID'),
    hooks: r.hooks.map((h) => `${h.lifecycleEvent}:${h.status}`),
    lifecycle: r.timeline.flatMap((e) => (e.type === 'lifecycle' && e.status !== 'InProgress' ? [`${e.lifecycleEvent}:${e.status}`] : [])),
    byVersion: r.traffic.byVersion,
    simulatedSeconds: r.simulatedSeconds,
  };
}

/** Runs a built-in scenario (by name) or a fixture (file name in FIXTURES) at each scale, one after another. */
export async function runAtScales(ref: { builtin: string } | { fixture: string }, scales: number[]): Promise<{ scale: number; result: SimulationResult }[]> {
  const scenario = 'builtin' in ref ? loadScenario(ref.builtin) : loadScenario(resolve(FIXTURES, ref.fixture));
  const runs: { scale: number; result: SimulationResult }[] = [];
  for (const scale of scales) runs.push({ scale, result: await simulate(scenario, { timeScale: scale }) });
  return runs;
}

/**
 * hooks/ecs-test-traffic.ts imports its checks on first use. Under vitest that
 * import goes through vitest's module runner (an RPC to the main process), which
 * the simulated clock cannot see, so the first run in a fresh worker could let
 * simulated time move on while it loads (the CLI loads through tsx's loader
 * thread, which the clock does see). One untimed run loads it before the runs
 * that are compared.
 */
export async function warmUpLazyImports(): Promise<void> {
  await simulate('ecs-bluegreen-broken-green', { timeScale: 1000 });
}
