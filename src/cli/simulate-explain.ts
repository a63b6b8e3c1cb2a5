/**
 * After `simulate`, the simulated account can be explained like a real one:
 * `--explain` prints explain's story of the deployment just run; `--serve`
 * keeps the emulator up on the finished world (until Ctrl-C) so
 * `codedeploy-hooks explain`, the AWS CLI or any SDK can read it.
 */
import { explainDeployment } from '../explain/index.js';
import { renderStory } from '../explain/print-story.js';
import { startEmulator } from '../simulator/emulator/index.js';
import type { World } from '../simulator/state/index.js';

const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function printSimulatedStory(world: World, deploymentId: string, write: (text: string) => void, color: boolean): Promise<void> {
  const emulator = await startEmulator({ world, port: 0 });
  try {
    const story = await explainDeployment(deploymentId, { endpoint: emulator.url, region: world.region, credentials: TEST_CREDENTIALS });
    write(`\n${renderStory(story, { color })}`);
  } finally {
    await emulator.close();
  }
}

/** Serves the world until SIGINT/SIGTERM. */
export async function serveSimulatedWorld(world: World, deploymentId: string, port: number, write: (text: string) => void): Promise<void> {
  const emulator = await startEmulator({ world, port });
  write(`\nThe simulated account stays up on ${emulator.url} (Ctrl-C to stop). Explain the deployment with:\n`);
  write(`  AWS_ENDPOINT_URL=${emulator.url} AWS_REGION=${world.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test codedeploy-hooks explain ${deploymentId}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
}
