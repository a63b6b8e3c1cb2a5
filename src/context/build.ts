import type { DeploymentGroupInfo, DeploymentInfo, DeploymentTarget, ECSTaskSet } from '@aws-sdk/client-codedeploy';
import { ContextError } from '../errors.js';
import type {
  CodeDeployHookEvent,
  DeploymentGroupContext,
  EcsHookContext,
  EcsLifecycleEvent,
  EcsTaskSet,
  LambdaHookContext,
  LambdaLifecycleEvent,
  LifecycleEventName,
} from '../types.js';

interface Base {
  event: CodeDeployHookEvent;
  deploymentInfo: DeploymentInfo;
  targetId: string;
  deploymentGroup: () => Promise<DeploymentGroupContext>;
}

const ROLLBACK_CREATORS = new Set(['codeDeployRollback', 'CloudFormationRollback']);

function common(base: Base) {
  const info = base.deploymentInfo;
  return {
    deploymentId: base.event.DeploymentId,
    lifecycleEventHookExecutionId: base.event.LifecycleEventHookExecutionId,
    applicationName: info.applicationName ?? '',
    deploymentGroupName: info.deploymentGroupName ?? '',
    deploymentConfigName: info.deploymentConfigName ?? '',
    creator: info.creator ?? 'unknown',
    isRollback: ROLLBACK_CREATORS.has(info.creator ?? ''),
    ...(info.rollbackInfo ? { rollbackInfo: { ...info.rollbackInfo } } : {}),
    targetId: base.targetId,
    ...(info.createTime ? { deploymentStartedAt: new Date(info.createTime).getTime() } : {}),
    deploymentGroup: base.deploymentGroup,
  };
}

export function buildLambdaContext(base: Base, running: LifecycleEventName, target: DeploymentTarget): LambdaHookContext {
  const fn = target.lambdaTarget?.lambdaFunctionInfo;
  if (!fn?.functionName || !fn.targetVersion) {
    throw new ContextError(`deployment target ${base.targetId} has no lambdaFunctionInfo with a function name and target version`);
  }
  return {
    ...common(base),
    platform: 'Lambda',
    lifecycleEvent: running as LambdaLifecycleEvent,
    functionName: fn.functionName,
    alias: fn.functionAlias ?? '',
    currentVersion: fn.currentVersion ?? '',
    targetVersion: fn.targetVersion,
    targetVersionWeight: fn.targetVersionWeight ?? 0,
  };
}

function taskSet(t: ECSTaskSet): EcsTaskSet {
  return {
    // The API spells it `identifer`.
    identifier: t.identifer ?? '',
    desiredCount: t.desiredCount,
    pendingCount: t.pendingCount,
    runningCount: t.runningCount,
    status: t.status,
    trafficWeight: t.trafficWeight,
    targetGroupName: t.targetGroup?.name,
  };
}

function listeners(info: Pick<DeploymentInfo, 'loadBalancerInfo'>) {
  const pair = info.loadBalancerInfo?.targetGroupPairInfoList?.[0];
  return {
    productionListenerArns: pair?.prodTrafficRoute?.listenerArns ?? [],
    testListenerArns: pair?.testTrafficRoute?.listenerArns ?? [],
    targetGroups: (pair?.targetGroups ?? []).map((g) => g.name ?? '').filter(Boolean),
  };
}

export function buildEcsContext(base: Base, running: LifecycleEventName, target: DeploymentTarget): EcsHookContext {
  const ecs = target.ecsTarget;
  // ECS target ids are `<cluster>:<service>`.
  const [cluster = '', service = ''] = (ecs?.targetId ?? base.targetId).split(':');
  const sets = ecs?.taskSetsInfo ?? [];
  const blue = sets.find((s) => s.taskSetLabel === 'Blue');
  const green = sets.find((s) => s.taskSetLabel === 'Green');
  const lb = listeners(base.deploymentInfo);
  const fromSets = sets.map((s) => s.targetGroup?.name ?? '').filter(Boolean);
  return {
    ...common(base),
    platform: 'ECS',
    lifecycleEvent: running as EcsLifecycleEvent,
    cluster,
    service,
    ...(blue ? { blueTaskSet: taskSet(blue) } : {}),
    ...(green ? { greenTaskSet: taskSet(green) } : {}),
    targetGroups: lb.targetGroups.length > 0 ? lb.targetGroups : fromSets,
    productionListenerArns: lb.productionListenerArns,
    testListenerArns: lb.testListenerArns,
  };
}

export function toDeploymentGroupContext(group: DeploymentGroupInfo, info: DeploymentInfo): DeploymentGroupContext {
  const alarms = group.alarmConfiguration;
  const lb = listeners(group.loadBalancerInfo ? group : info);
  return {
    deploymentGroupName: group.deploymentGroupName ?? info.deploymentGroupName ?? '',
    deploymentConfigName: group.deploymentConfigName,
    serviceRoleArn: group.serviceRoleArn,
    alarms: {
      enabled: alarms?.enabled ?? false,
      ignorePollAlarmFailure: alarms?.ignorePollAlarmFailure ?? false,
      names: (alarms?.alarms ?? []).map((a) => a.name ?? '').filter(Boolean),
    },
    productionListenerArns: lb.productionListenerArns,
    testListenerArns: lb.testListenerArns,
    targetGroupNames: lb.targetGroups,
    ecsServices: (group.ecsServices ?? []).map((s) => ({ clusterName: s.clusterName ?? '', serviceName: s.serviceName ?? '' })),
  };
}
