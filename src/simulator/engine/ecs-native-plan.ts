/**
 * The order in which Amazon ECS moves a native blue/green, linear or canary
 * deployment through its lifecycle stages, as data: which stages run, what
 * the production and test traffic weights of the new (green) revision are
 * when each stage's hooks are invoked, and how long ECS bakes after a step.
 * Source: /shared/research/next-anchors.md §1.2–1.4 (the ECS model and the
 * "Lifecycle payloads" page). A stage's weights are given as the payload
 * shows them: `undefined` means the map is empty ({}), because that traffic is
 * not being shifted at that stage.
 */
import type { EcsDeploymentConfiguration, EcsLifecycleStage } from '../state/ecs.js';

export interface StageStep {
  stage: EcsLifecycleStage;
  /** Whether hooks can be registered at this stage (SCALE_UP, BAKE_TIME and CLEAN_UP cannot). */
  hookable: boolean;
  /** Green's production share shown to the hooks at this stage (undefined: the map is empty). */
  productionWeight?: number;
  /** Green's test share shown to the hooks at this stage (undefined: the map is empty). */
  testWeight?: number;
  /** Green's production share once the stage is done (what the listener serves afterwards). */
  productionAfter: number;
  /** Green's test share once the stage is done. */
  testAfter: number;
  /** Simulated seconds ECS waits after the stage, alarms still watched (a step's bake, the final bake). */
  bakeSeconds: number;
  /** Which production step of a linear or canary deployment (1-based); 0 outside the production shift. */
  step: number;
}

/** Green's production weights after each step: canary (percent, then 100), linear (steps of stepPercent), blue/green (100). */
export function productionSteps(config: EcsDeploymentConfiguration): { weight: number; bakeSeconds: number }[] {
  if (config.strategy === 'CANARY') {
    const c = config.canaryConfiguration ?? { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };
    return [{ weight: c.canaryPercent, bakeSeconds: c.canaryBakeTimeInMinutes * 60 }, { weight: 100, bakeSeconds: 0 }];
  }
  if (config.strategy === 'LINEAR') {
    const l = config.linearConfiguration ?? { stepPercent: 10, stepBakeTimeInMinutes: 6 };
    const steps: { weight: number; bakeSeconds: number }[] = [];
    // Weights in tenths of a percent: stepPercent is a multiple of 0.1, and 10 × 0.1 must reach exactly 100.
    const stepTenths = Math.round(l.stepPercent * 10);
    for (let tenths = stepTenths; ; tenths += stepTenths) {
      const weight = Math.min(1000, tenths) / 10;
      // "This bake time is not applied after reaching 100 percent traffic."
      steps.push({ weight, bakeSeconds: weight >= 100 ? 0 : l.stepBakeTimeInMinutes * 60 });
      if (weight >= 100) break;
    }
    return steps;
  }
  return [{ weight: 100, bakeSeconds: 0 }];
}

export function ecsNativeStagePlan(config: EcsDeploymentConfiguration, opts: { reconcile?: boolean } = {}): StageStep[] {
  const plan: StageStep[] = [];
  const add = (s: Omit<StageStep, 'step' | 'bakeSeconds'> & Partial<Pick<StageStep, 'step' | 'bakeSeconds'>>) =>
    plan.push({ step: 0, bakeSeconds: 0, ...s });
  // RECONCILE_SERVICE runs only when more than one revision is active as the deployment starts.
  if (opts.reconcile) add({ stage: 'RECONCILE_SERVICE', hookable: true, productionAfter: 0, testAfter: 0 });
  add({ stage: 'PRE_SCALE_UP', hookable: true, productionAfter: 0, testAfter: 0 });
  add({ stage: 'SCALE_UP', hookable: false, productionAfter: 0, testAfter: 0 });
  add({ stage: 'POST_SCALE_UP', hookable: true, productionAfter: 0, testAfter: 0 });
  add({ stage: 'TEST_TRAFFIC_SHIFT', hookable: true, testWeight: 100, productionAfter: 0, testAfter: 100 });
  add({ stage: 'POST_TEST_TRAFFIC_SHIFT', hookable: true, productionAfter: 0, testAfter: 100 });
  let before = 0;
  productionSteps(config).forEach(({ weight, bakeSeconds }, i) => {
    const step = i + 1;
    // Before every step of a linear or canary deployment (§1.3), showing the weights still in force.
    add({ stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', hookable: true, productionWeight: before, productionAfter: before, testAfter: 100, step });
    add({ stage: 'PRODUCTION_TRAFFIC_SHIFT', hookable: true, productionWeight: weight, productionAfter: weight, testAfter: 100, step, bakeSeconds });
    before = weight;
  });
  add({ stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', hookable: true, productionAfter: 100, testAfter: 100 });
  add({ stage: 'BAKE_TIME', hookable: false, productionAfter: 100, testAfter: 100, bakeSeconds: config.bakeTimeInMinutes * 60 });
  add({ stage: 'CLEAN_UP', hookable: false, productionAfter: 100, testAfter: 100 });
  return plan;
}

/**
 * What a rollback re-invokes: "Amazon ECS re-invokes hooks registered at the
 * PRODUCTION_TRAFFIC_SHIFT and TEST_TRAFFIC_SHIFT stages" with the weights going
 * back to blue (green 0 %), only for traffic that had moved to green.
 */
export function rollbackSteps(reached: { productionWeight: number; testWeight: number }): StageStep[] {
  const steps: StageStep[] = [];
  if (reached.productionWeight > 0) {
    steps.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', hookable: true, productionWeight: 0, productionAfter: 0, testAfter: reached.testWeight, bakeSeconds: 0, step: 0 });
  }
  if (reached.testWeight > 0) {
    steps.push({ stage: 'TEST_TRAFFIC_SHIFT', hookable: true, testWeight: 0, productionAfter: 0, testAfter: 0, bakeSeconds: 0, step: 0 });
  }
  return steps;
}
