/**
 * What every simulated deployment (CodeDeploy or ECS-native) sets up before it
 * plays: the emulated AWS endpoint with the process's AWS env pointed at it for
 * the whole run, and the hooks' handlers imported as Lambda's init phase would.
 */
import { substituteAll, type PlaceholderName } from '../scenario/placeholders.js';
import type { ScenarioHook } from '../scenario/types.js';
import type { World } from '../state/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { applyEnv, loadHook, type HookHandler } from './hook-runner.js';
import { SimulatorSetupError } from './module-loader.js';

type Cleanups = (() => Promise<void> | void)[];

/** The given emulator (left running), or a new one on `port` (closed by the cleanups). A port in use is a setup error. */
export async function startRunEmulator(world: World, opts: { emulator?: Emulator; emulatorPort?: number }, cleanups: Cleanups): Promise<Emulator> {
  let emulator: Emulator;
  try {
    emulator = opts.emulator ?? (await startEmulator({ world, port: opts.emulatorPort ?? 0 }));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SimulatorSetupError(
      code === 'EADDRINUSE' ? `port ${opts.emulatorPort} on 127.0.0.1 is already in use (AWS endpoint emulator)` : `cannot start the AWS endpoint emulator: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (!opts.emulator) cleanups.push(() => emulator.close());
  // For the whole run, not only while a hook runs: a hook still working after its timeout
  // must keep talking to this emulator, never to a real AWS endpoint.
  cleanups.push(applyEnv({ AWS_ENDPOINT_URL: emulator.url, AWS_REGION: world.region, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }));
  return emulator;
}

/**
 * The module hooks' handlers, each imported with its env set (placeholders resolved), as
 * Lambda's init phase would run: a module that cannot load, e.g. one rejecting its
 * configuration, is a setup error, not a failed deployment. Command hooks have none.
 */
export async function loadHookHandlers(hooks: ScenarioHook[], vars: Partial<Record<PlaceholderName, string>>, endpoint: string, region: string): Promise<Map<string, HookHandler>> {
  const handlers = new Map<string, HookHandler>();
  for (const hook of hooks) {
    if (!hook.module) continue;
    const restore = applyEnv({ ...substituteAll(hook.env, vars), AWS_ENDPOINT_URL: endpoint, AWS_REGION: region });
    try {
      handlers.set(hook.lifecycleEvent, await loadHook({ ...hook, module: hook.module }));
    } finally {
      restore();
    }
  }
  return handlers;
}
