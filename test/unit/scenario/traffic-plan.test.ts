import { describe, expect, it } from 'vitest';
import { predefinedDeploymentConfigs } from '../../../src/simulator/state/deployment-configs.js';
import { trafficPlan } from '../../../src/simulator/engine/traffic-plan.js';

const config = (name: string) => predefinedDeploymentConfigs().find((c) => c.deploymentConfigName === name)!.trafficRoutingConfig;

describe('trafficPlan: the shifts CodeDeploy makes for a configuration', () => {
  it('canary: the canary percentage at once, everything after one interval', () => {
    expect(trafficPlan(config('CodeDeployDefault.LambdaCanary10Percent5Minutes'))).toEqual([
      { atSeconds: 0, targetWeight: 10 },
      { atSeconds: 300, targetWeight: 100 },
    ]);
  });

  it('linear: the percentage added every interval until 100', () => {
    const plan = trafficPlan(config('CodeDeployDefault.LambdaLinear10PercentEvery1Minute'));
    expect(plan).toHaveLength(10);
    expect(plan[0]).toEqual({ atSeconds: 0, targetWeight: 10 });
    expect(plan[9]).toEqual({ atSeconds: 540, targetWeight: 100 });
    expect(trafficPlan({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 30, linearInterval: 2 } })).toEqual([
      { atSeconds: 0, targetWeight: 30 },
      { atSeconds: 120, targetWeight: 60 },
      { atSeconds: 240, targetWeight: 90 },
      { atSeconds: 360, targetWeight: 100 },
    ]);
  });

  it('all at once: one step to 100', () => {
    expect(trafficPlan(config('CodeDeployDefault.ECSAllAtOnce'))).toEqual([{ atSeconds: 0, targetWeight: 100 }]);
  });
});
