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
  // The simulated clock's own timers do not hold the process open (a library's background timer
  // must not keep a finished run alive), so while a simulation waits on nothing but simulated time
  // (a durable wait, a bake) the event loop could drain and a plain script calling simulate() would
  // exit before it returns. One real, ref'd timer holds it for the length of the run.
  const hold = setInterval(() => {}, 1 << 30);
  let unwarp: () => void;
  try {
    unwarp = warpGlobals(clock);
  } catch (err) {
    clearInterval(hold);
    clock.dispose();
    throw new SimulatorSetupError((err as Error).message, { cause: err });
  }
  const worldClock = world.clock;
  world.useClock(clock);
  return () => {
    unwarp();
    clock.dispose();
    world.useClock(worldClock);
    clearInterval(hold);
  };
}
