/**
 * The predefined deployment configurations of every compute platform (CodeDeploy
 * User Guide, "Working with deployment configurations"; research §2.1, §2.2) in
 * GetDeploymentConfig's shape. Intervals are minutes, as in the real API.
 */
export type ComputePlatform = 'Server' | 'Lambda' | 'ECS';

export interface TrafficRoutingConfig {
  type: 'TimeBasedCanary' | 'TimeBasedLinear' | 'AllAtOnce';
  timeBasedCanary?: { canaryPercentage: number; canaryInterval: number };
  timeBasedLinear?: { linearPercentage: number; linearInterval: number };
}

export interface MinimumHealthyHosts {
  type: 'HOST_COUNT' | 'FLEET_PERCENT';
  value: number;
}

export interface DeploymentConfigInfo {
  deploymentConfigId: string;
  deploymentConfigName: string;
  computePlatform: ComputePlatform;
  /** Server configurations shift no traffic; theirs is AllAtOnce so every config has one. */
  trafficRoutingConfig: TrafficRoutingConfig;
  /** Server (EC2/on-premises) configurations only. */
  minimumHealthyHosts?: MinimumHealthyHosts;
  createTime: Date;
}

const EPOCH = new Date('2019-01-01T00:00:00Z');

function canary(platform: ComputePlatform, name: string, pct: number, minutes: number): DeploymentConfigInfo {
  return config(platform, name, { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: pct, canaryInterval: minutes } });
}
function linear(platform: ComputePlatform, name: string, pct: number, minutes: number): DeploymentConfigInfo {
  return config(platform, name, { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: pct, linearInterval: minutes } });
}
function config(platform: ComputePlatform, name: string, trafficRoutingConfig: TrafficRoutingConfig): DeploymentConfigInfo {
  return {
    deploymentConfigId: `predefined-${name}`,
    deploymentConfigName: name,
    computePlatform: platform,
    trafficRoutingConfig,
    createTime: EPOCH,
  };
}
/** In-place EC2/on-premises: how many instances must stay healthy (the User Guide's instance-health table). */
function server(name: string, minimumHealthyHosts: MinimumHealthyHosts): DeploymentConfigInfo {
  return { ...config('Server', name, { type: 'AllAtOnce' }), minimumHealthyHosts };
}

export function predefinedDeploymentConfigs(): DeploymentConfigInfo[] {
  const p = 'CodeDeployDefault.';
  return [
    canary('Lambda', `${p}LambdaCanary10Percent5Minutes`, 10, 5),
    canary('Lambda', `${p}LambdaCanary10Percent10Minutes`, 10, 10),
    canary('Lambda', `${p}LambdaCanary10Percent15Minutes`, 10, 15),
    canary('Lambda', `${p}LambdaCanary10Percent30Minutes`, 10, 30),
    linear('Lambda', `${p}LambdaLinear10PercentEvery1Minute`, 10, 1),
    linear('Lambda', `${p}LambdaLinear10PercentEvery2Minutes`, 10, 2),
    linear('Lambda', `${p}LambdaLinear10PercentEvery3Minutes`, 10, 3),
    linear('Lambda', `${p}LambdaLinear10PercentEvery10Minutes`, 10, 10),
    config('Lambda', `${p}LambdaAllAtOnce`, { type: 'AllAtOnce' }),
    linear('ECS', `${p}ECSLinear10PercentEvery1Minutes`, 10, 1),
    linear('ECS', `${p}ECSLinear10PercentEvery3Minutes`, 10, 3),
    canary('ECS', `${p}ECSCanary10Percent5Minutes`, 10, 5),
    canary('ECS', `${p}ECSCanary10Percent15Minutes`, 10, 15),
    config('ECS', `${p}ECSAllAtOnce`, { type: 'AllAtOnce' }),
    server(`${p}OneAtATime`, { type: 'FLEET_PERCENT', value: 99 }),
    server(`${p}HalfAtATime`, { type: 'FLEET_PERCENT', value: 50 }),
    server(`${p}AllAtOnce`, { type: 'HOST_COUNT', value: 0 }),
  ];
}
