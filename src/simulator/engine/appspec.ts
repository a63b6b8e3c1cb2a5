/**
 * The AppSpec a real deployment of the scenario would carry (the content SAM
 * or CloudFormation registers): the target resource and the hook functions.
 * The simulator registers it as the deployment's revision, so tools that read
 * hooks the way they would in AWS (GetDeployment → GetApplicationRevision),
 * such as `codedeploy-hooks explain`, find the same functions.
 */
import type { Scenario } from '../scenario/types.js';
import type { World } from '../state/index.js';

export function scenarioAppSpec(scenario: Scenario, region: string, accountId: string): string {
  const { current, target } = scenario.versions;
  const resource = scenario.platform === 'Lambda'
    ? {
        [scenario.lambda!.functionName]: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: scenario.lambda!.functionName, Alias: scenario.lambda!.alias, CurrentVersion: current.version, TargetVersion: target.version },
        },
      }
    : {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: `arn:aws:ecs:${region}:${accountId}:task-definition/${scenario.ecs!.service}:${target.version}`,
            LoadBalancerInfo: { ContainerName: scenario.ecs!.service, ContainerPort: 8080 },
          },
        },
      };
  return JSON.stringify({ version: 0.0, Resources: [resource], Hooks: scenario.hooks.map((h) => ({ [h.lifecycleEvent]: h.functionName })) });
}

/** Registers the scenario's AppSpec and sets it as the deployment's revision (by sha256, as GetDeployment shows it). */
export function attachAppSpec(world: World, scenario: Scenario, deploymentId: string): void {
  const cd = world.codeDeploy;
  const d = cd.getDeployment(deploymentId);
  d.revision = { ...cd.revisions.register(d.applicationName, d.deploymentGroupName, scenarioAppSpec(scenario, world.region, world.accountId)) };
}
