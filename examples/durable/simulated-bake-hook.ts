/**
 * The durable post-traffic hook of the built-in scenario
 * lambda-durable-bake-regression: a 30-minute bake, one look a minute at the
 * new version's error alarm (and its history), as a durable execution in
 * simulated time. The alarm is not in the deployment group's alarms, so it is
 * the hook, not CodeDeploy's own alarm monitoring, that must catch the regression.
 */
import { alarms } from '../../src/checks/index.js';
import { defineDurableHook, simulatedDurableHook } from '../../src/durable/index.js';

export const handler = simulatedDurableHook(
  defineDurableHook({
    bake: {
      name: 'alarm bake',
      checks: [alarms({ names: ['sample-app-new-version-errors'], history: true })],
      intervalMs: 60_000,
      durationMs: 30 * 60_000,
    },
  }),
  { functionName: 'sample-app-durable-bake' },
);
