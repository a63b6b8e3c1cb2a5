/**
 * CodeDeploy record shapes of the emulated world, as the real API returns
 * them (camelCase, Date for timestamps), and the inputs that build them.
 */
import type { ComputePlatform } from './deployment-configs.js';

export type DeploymentStatus =
  | 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
export type DeploymentCreator =
  | 'user' | 'autoscaling' | 'codeDeployRollback' | 'CodeDeploy' | 'CodeDeployAutoUpdate'
  | 'CloudFormation' | 'CloudFormationRollback' | 'autoscalingTermination';

export interface AlarmConfiguration {
  enabled: boolean;
  ignorePollAlarmFailure?: boolean;
  alarms: { name: string }[];
}
export interface AutoRollbackConfiguration {
  enabled: boolean;
  events: ('DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST')[];
}
export interface TargetGroupPairInfo {
  targetGroups: { name: string }[];
  prodTrafficRoute: { listenerArns: string[] };
  testTrafficRoute?: { listenerArns: string[] };
}
export interface LoadBalancerInfo {
  targetGroupPairInfoList?: TargetGroupPairInfo[];
}

export interface ApplicationInfo {
  applicationId: string;
  applicationName: string;
  computePlatform: ComputePlatform;
  createTime: Date;
  linkedToGitHub: boolean;
}

export interface DeploymentGroupInfo {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  computePlatform: ComputePlatform;
  serviceRoleArn: string;
  alarmConfiguration: AlarmConfiguration;
  autoRollbackConfiguration: AutoRollbackConfiguration;
  deploymentStyle: { deploymentType: 'IN_PLACE' | 'BLUE_GREEN'; deploymentOption: 'WITH_TRAFFIC_CONTROL' | 'WITHOUT_TRAFFIC_CONTROL' };
  loadBalancerInfo?: LoadBalancerInfo;
  ecsServices?: { serviceName: string; clusterName: string }[];
  blueGreenDeploymentConfiguration?: BlueGreenDeploymentConfiguration;
  lastAttemptedDeployment?: { deploymentId: string; status: DeploymentStatus; endTime?: Date; createTime: Date };
  lastSuccessfulDeployment?: { deploymentId: string; status: DeploymentStatus; endTime?: Date; createTime: Date };
}

export interface DeploymentInfo {
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  deploymentId: string;
  computePlatform: ComputePlatform;
  status: DeploymentStatus;
  creator: DeploymentCreator;
  description?: string;
  createTime: Date;
  startTime?: Date;
  completeTime?: Date;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  autoRollbackConfiguration: AutoRollbackConfiguration;
  loadBalancerInfo?: LoadBalancerInfo;
  deploymentStyle: DeploymentGroupInfo['deploymentStyle'];
  deploymentOverview?: Record<string, number>;
  deploymentStatusMessages: string[];
  revision?: Record<string, unknown>;
  previousRevision?: Record<string, unknown>;
  externalId?: string;
  /** ECS: true once the wait before terminating the original task set has begun. */
  instanceTerminationWaitTimeStarted?: boolean;
  blueGreenDeploymentConfiguration?: BlueGreenDeploymentConfiguration;
}

/** The group's (and deployment's) blue/green options, in the API's shape. */
export interface BlueGreenDeploymentConfiguration {
  terminateBlueInstancesOnDeploymentSuccess?: { action: 'TERMINATE' | 'KEEP_ALIVE'; terminationWaitTimeInMinutes: number };
  deploymentReadyOption?: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'; waitTimeInMinutes: number };
}

export interface LifecycleEvent {
  lifecycleEventName: string;
  status: LifecycleEventStatus;
  startTime?: Date;
  endTime?: Date;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

export interface LambdaFunctionInfo {
  functionName: string;
  functionAlias: string;
  currentVersion: string;
  targetVersion: string;
  targetVersionWeight: number;
}

export interface EcsTaskSetInfo {
  identifer: string; // sic: the real API misspells it
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  trafficWeight: number;
  targetGroup: { name: string };
  taskSetLabel: 'Blue' | 'Green';
}

export type TargetStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown' | 'Ready';

interface TargetCommon {
  deploymentId: string;
  targetId: string;
  targetArn: string;
  status: TargetStatus;
  lastUpdatedAt: Date;
  lifecycleEvents: LifecycleEvent[];
}
export interface LambdaTarget extends TargetCommon {
  lambdaFunctionInfo: LambdaFunctionInfo;
}
export interface EcsTarget extends TargetCommon {
  taskSetsInfo: EcsTaskSetInfo[];
}
export type DeploymentTarget =
  | { deploymentTargetType: 'LambdaTarget'; lambdaTarget: LambdaTarget }
  | { deploymentTargetType: 'ECSTarget'; ecsTarget: EcsTarget };

export interface HookExecution {
  executionId: string;
  deploymentId: string;
  lifecycleEventName: string;
  createdAt: Date;
  /** Set once, by the first report (or by `expireHookExecution`). */
  status?: 'Succeeded' | 'Failed';
  reportedAt?: Date;
  /** True when the status came from a PutLifecycleEventHookExecutionStatus call. */
  reported: boolean;
}

export interface HookReport {
  executionId: string;
  deploymentId: string;
  lifecycleEventName: string;
  status: 'Succeeded' | 'Failed';
  at: Date;
}

export type DeploymentWaitType = 'READY_WAIT' | 'TERMINATION_WAIT';

export interface StopRequest {
  deploymentId: string;
  autoRollbackEnabled?: boolean;
  at: Date;
}

export const LAMBDA_LIFECYCLE_EVENTS = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'] as const;
export const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall', 'Install', 'AfterInstall', 'AllowTestTraffic', 'AfterAllowTestTraffic',
  'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic',
] as const;

export interface CreateApplicationInput {
  applicationName: string;
  computePlatform: 'Lambda' | 'ECS';
}

export interface CreateDeploymentGroupInput {
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName?: string;
  serviceRoleArn?: string;
  alarmConfiguration?: Partial<AlarmConfiguration>;
  autoRollbackConfiguration?: Partial<AutoRollbackConfiguration>;
  loadBalancerInfo?: LoadBalancerInfo;
  ecsServices?: { serviceName: string; clusterName: string }[];
  blueGreenDeploymentConfiguration?: BlueGreenDeploymentConfiguration;
}

export interface CreateDeploymentInput {
  applicationName: string;
  deploymentGroupName: string;
  /** Defaults to the group's configuration. */
  deploymentConfigName?: string;
  creator?: DeploymentCreator;
  description?: string;
  rollbackInfo?: DeploymentInfo['rollbackInfo'];
  /** Initial status; default InProgress (the engine drives it from there). */
  status?: DeploymentStatus;
  lambdaTarget?: Omit<LambdaFunctionInfo, 'targetVersionWeight'> & { targetVersionWeight?: number };
  ecsTarget?: { clusterName: string; serviceName: string; taskSets: EcsTaskSetInfo[] };
  /** Lifecycle event names; defaults per platform (Lambda: BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic). */
  lifecycleEventNames?: string[];
}
