/**
 * The durable post-traffic hook of examples/durable/template.yaml: watches the
 * deployment group's alarms (and their history, so an alarm that fired and
 * recovered between two looks still fails) once a minute for
 * CODEDEPLOY_HOOKS_BAKE_MINUTES (default 30). Between measurements the
 * execution waits durably: no compute is billed while it waits.
 */
import { alarms } from '../../src/checks/index.js';
import { defineDurableHook } from '../../src/durable/index.js';

const minutes = Number(process.env.CODEDEPLOY_HOOKS_BAKE_MINUTES ?? '30');

export const handler = defineDurableHook({
  bake: {
    name: 'alarm bake',
    checks: [alarms({ fromDeploymentGroup: true, history: true })],
    intervalMs: 60_000,
    durationMs: minutes * 60_000,
  },
});
