/**
 * `codedeploy-hooks explain`: why a deployment ended the way it did, from
 * the CodeDeploy API, the alarms' history and the hooks' verdict lines.
 * Works against AWS (the SDK's default credentials and region) and against
 * the emulator (`endpoint`, or AWS_ENDPOINT_URL).
 */
import { buildStory } from './build-story.js';
import { createExplainClients, type ClientOptions } from './clients.js';
import { gatherEvidence, type GatherOptions } from './gather.js';
import type { DeploymentStory } from './story.js';

export interface ExplainOptions extends ClientOptions, GatherOptions {}

/** Reads the deployment and tells its story. Throws ExplainError (one line) when GetDeployment cannot be read. */
export async function explainDeployment(deploymentId: string, opts: ExplainOptions = {}): Promise<DeploymentStory> {
  const clients = createExplainClients(opts);
  try {
    const evidence = await gatherEvidence(clients, deploymentId, opts);
    return buildStory(evidence, (opts.now ?? Date.now)());
  } finally {
    // Only the clients created here: injected ones belong to the caller.
    if (!opts.clients?.codeDeploy) clients.codeDeploy.destroy();
    if (!opts.clients?.cloudWatch) clients.cloudWatch.destroy();
    if (!opts.clients?.logs) clients.logs.destroy();
  }
}

export { buildStory } from './build-story.js';
export { gatherEvidence } from './gather.js';
export type { Evidence, GatherOptions } from './gather.js';
export { createExplainClients } from './clients.js';
export type { ClientOptions, ExplainClients } from './clients.js';
export { ExplainError } from './errors.js';
export { renderStory } from './print-story.js';
export type { PrintOptions } from './print-story.js';
export { STORY_VERSION } from './story.js';
export type * from './story.js';
