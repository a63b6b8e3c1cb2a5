/** Every run of the detection benchmark: each corpus case on each platform, under each setup, with each seed. */
import { CASES } from './corpus.js';
import { SETUPS, type Platform, type Setup } from './setups.js';

export const PLATFORMS: Platform[] = ['Lambda', 'ECS'];
export const SEEDS = [1, 2, 3];
/** Simulated seconds per real second: outcomes do not depend on it (the simulator's one clock). */
export const TIME_SCALE = 1000;

export interface PlannedRun {
  platform: Platform;
  caseIndex: number;
  setup: Setup;
  seed: number;
}

export function plan(): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const platform of PLATFORMS) {
    CASES.forEach((_, caseIndex) => {
      for (const setup of SETUPS) for (const seed of SEEDS) runs.push({ platform, caseIndex, setup, seed });
    });
  }
  return runs;
}
