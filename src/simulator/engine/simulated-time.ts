/**
 * Puts a world and the process's time globals on a run's simulated clock for
 * the length of one simulated deployment (CodeDeploy or ECS-native), and gives
 * back what restores them: the world's own clock, the real globals.
 */
import type { SimClock } from '../clock/sim-clock.js';
import { warpGlobals } from '../clock/warp.js';
import type { World } from '../state/index.js';
import { SimulatorSetupError } from './module-loader.js';

export function enterSimulatedTime(world: World, clock: SimClock): () => void {
  let unwarp: () => void;
  try {
    unwarp = warpGlobals(clock);
  } catch (err) {
    clock.dispose();
    throw new SimulatorSetupError((err as Error).message, { cause: err });
  }
  const worldClock = world.clock;
  world.useClock(clock);
  return () => {
    unwarp();
    clock.dispose();
    world.useClock(worldClock);
  };
}
