/**
 * ECS-native POST_TEST_TRAFFIC_SHIFT hook: the smoke suite of
 * hooks/ecs-test-traffic.ts through the test listener rule (which ECS has
 * pointed at the green revision), waiting for green to become healthy first;
 * optionally the blue/green answer comparison (production vs test listener);
 * and the alarms of the deployment's alarm configuration.
 *
 * Configuration: the same CODEDEPLOY_HOOKS_HTTP_* and _ALARM* variables as
 * hooks/ecs-test-traffic.ts (see "ECS-native hooks" in README.md). A test
 * listener rule with conditions (a header, a path) needs them in the
 * requests: CODEDEPLOY_HOOKS_HTTP_REQUESTS='[{"path":"/health","headers":{"x-test":"1"}}]'.
 */
import { defineEcsNativeHook } from '../src/ecs-native/index.js';
import { requireStage } from './checks/ecs-native-stage.js';
import { ecsTestTrafficConfig } from './ecs-test-traffic.js';

/** The stages this hook is written for. */
export const STAGES = ['POST_TEST_TRAFFIC_SHIFT'] as const;

// Checked when the module loads (OptionsError naming the variable), read again at each invocation.
ecsTestTrafficConfig(process.env);

export const handler = defineEcsNativeHook({
  // The checks are imported on first use, as in hooks/ecs-test-traffic.ts: undici is then evaluated at the first invocation.
  checks: async (ctx) => {
    requireStage(ctx, STAGES, 'the ECS-native test-traffic hook');
    return (await import('./checks/ecs-test-traffic.js')).ecsTestTrafficChecks(ecsTestTrafficConfig(process.env));
  },
});
