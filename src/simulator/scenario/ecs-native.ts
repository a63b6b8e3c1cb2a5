/**
 * The ECS-native parts of a scenario: the service's deployment strategy
 * (`deployment.strategy`, bake times, canary or linear steps, with the ECS
 * model's ranges and defaults) and the per-hook settings ECS knows
 * (`hookDetails`, `timeoutInMinutes`, `timeoutAction`).
 */
import type { EcsDeploymentConfiguration, EcsStrategy } from '../state/ecs.js';
import type { ScenarioReader } from './reader.js';
import type { EcsNativeHookSettings } from './types.js';

/** The stages a Lambda hook can be registered at (next-anchors §1.3), in lifecycle order: the adapter's list. */
export { ECS_NATIVE_STAGES as ECS_NATIVE_HOOK_STAGES } from '../../platforms/ecs-native/types.js';
export type { EcsNativeStage as EcsNativeHookStage } from '../../platforms/ecs-native/types.js';

export const ECS_NATIVE_DEPLOYMENT_KEYS = ['strategy', 'bakeTimeInMinutes', 'canaryConfiguration', 'linearConfiguration'] as const;
export const ECS_NATIVE_HOOK_KEYS = ['hookDetails', 'timeoutInMinutes', 'timeoutAction'] as const;

/** A tenth of a percent is the step the ECS model allows for canary and linear percentages. */
function tenths(r: ScenarioReader, value: unknown, path: (string | number)[], min: number, fallback: number): number {
  const n = r.number(value, path, { min, max: 100, fallback });
  if (Math.abs(n * 10 - Math.round(n * 10)) > 1e-9) r.fail(path, `expected a multiple of 0.1, got ${n}`);
  return Math.round(n * 10) / 10;
}

export function readEcsNativeDeployment(r: ScenarioReader, o: Record<string, unknown>): Omit<EcsDeploymentConfiguration, 'lifecycleHooks' | 'alarms'> {
  const strategy = r.oneOf<EcsStrategy>(o.strategy, ['deployment', 'strategy'], ['BLUE_GREEN', 'LINEAR', 'CANARY'], 'BLUE_GREEN');
  const minutes = (v: unknown, path: (string | number)[], fallback: number) => r.number(v, path, { integer: true, min: 0, max: 1440, fallback });
  const config: Omit<EcsDeploymentConfiguration, 'lifecycleHooks' | 'alarms'> = {
    strategy,
    bakeTimeInMinutes: minutes(o.bakeTimeInMinutes, ['deployment', 'bakeTimeInMinutes'], 0),
  };
  const other = (key: 'canaryConfiguration' | 'linearConfiguration', only: EcsStrategy) => {
    if (o[key] !== undefined && strategy !== only) r.fail(['deployment', key], `is only allowed when deployment.strategy is ${only}`);
  };
  other('canaryConfiguration', 'CANARY');
  other('linearConfiguration', 'LINEAR');
  if (strategy === 'CANARY') {
    const path = ['deployment', 'canaryConfiguration'];
    const c = o.canaryConfiguration === undefined ? {} : r.object(o.canaryConfiguration, path, ['canaryPercent', 'canaryBakeTimeInMinutes']);
    config.canaryConfiguration = {
      canaryPercent: tenths(r, c.canaryPercent, [...path, 'canaryPercent'], 0.1, 5),
      canaryBakeTimeInMinutes: minutes(c.canaryBakeTimeInMinutes, [...path, 'canaryBakeTimeInMinutes'], 10),
    };
  }
  if (strategy === 'LINEAR') {
    const path = ['deployment', 'linearConfiguration'];
    const c = o.linearConfiguration === undefined ? {} : r.object(o.linearConfiguration, path, ['stepPercent', 'stepBakeTimeInMinutes']);
    config.linearConfiguration = {
      stepPercent: tenths(r, c.stepPercent, [...path, 'stepPercent'], 3, 10),
      stepBakeTimeInMinutes: minutes(c.stepBakeTimeInMinutes, [...path, 'stepBakeTimeInMinutes'], 6),
    };
  }
  return config;
}

export function readEcsNativeHook(r: ScenarioReader, h: Record<string, unknown>, path: (string | number)[]): EcsNativeHookSettings {
  const settings: EcsNativeHookSettings = {
    // The ECS model's range for timeoutConfiguration.timeoutInMinutes (the Lambda-hooks page says 1–1440: unconfirmed which holds).
    timeoutInMinutes: r.number(h.timeoutInMinutes, [...path, 'timeoutInMinutes'], { integer: true, min: 1, max: 20160, fallback: 1440 }),
    timeoutAction: r.oneOf(h.timeoutAction, [...path, 'timeoutAction'], ['ROLLBACK', 'CONTINUE'] as const, 'ROLLBACK'),
  };
  if (h.hookDetails !== undefined) {
    const d = h.hookDetails;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) r.fail([...path, 'hookDetails'], 'expected a mapping (ECS passes it to the hook as a JSON object)');
    settings.hookDetails = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
  }
  return settings;
}
