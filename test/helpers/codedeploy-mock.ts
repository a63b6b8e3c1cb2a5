import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';

export const EVENT = { DeploymentId: 'd-ABCDEFGH1', LifecycleEventHookExecutionId: 'exec-token-1' };

type Status = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';

export interface FakeDeployment {
  platform: 'Lambda' | 'ECS';
  events: Partial<Record<string, Status>>;
  creator?: string;
  alarms?: string[];
}

export function lambdaTarget(events: FakeDeployment['events']) {
  return {
    deploymentTargetType: 'LambdaTarget' as const,
    lambdaTarget: {
      deploymentId: EVENT.DeploymentId,
      targetId: 'my-fn:live',
      lifecycleEvents: Object.entries(events).map(([lifecycleEventName, status]) => ({ lifecycleEventName, status })),
      lambdaFunctionInfo: { functionName: 'my-fn', functionAlias: 'live', currentVersion: '3', targetVersion: '4', targetVersionWeight: 0 },
    },
  };
}

export function ecsTarget(events: FakeDeployment['events']) {
  return {
    deploymentTargetType: 'ECSTarget' as const,
    ecsTarget: {
      deploymentId: EVENT.DeploymentId,
      targetId: 'prod-cluster:web',
      lifecycleEvents: Object.entries(events).map(([lifecycleEventName, status]) => ({ lifecycleEventName, status })),
      taskSetsInfo: [
        { identifer: 'ecs-svc/blue1', taskSetLabel: 'Blue' as const, trafficWeight: 100, status: 'PRIMARY', targetGroup: { name: 'tg-blue' } },
        { identifer: 'ecs-svc/green1', taskSetLabel: 'Green' as const, trafficWeight: 0, status: 'ACTIVE', targetGroup: { name: 'tg-green' } },
      ],
    },
  };
}

/** A CodeDeploy mock answering like a deployment in the given state; reports succeed. */
export function mockCodeDeploy(d: FakeDeployment) {
  const cd = mockClient(CodeDeployClient);
  cd.on(GetDeploymentCommand).resolves({
    deploymentInfo: {
      deploymentId: EVENT.DeploymentId,
      applicationName: 'app',
      deploymentGroupName: 'group',
      deploymentConfigName: d.platform === 'Lambda' ? 'CodeDeployDefault.LambdaCanary10Percent5Minutes' : 'CodeDeployDefault.ECSAllAtOnce',
      computePlatform: d.platform,
      status: 'InProgress',
      // Ten minutes ago: the window of a comparison over the deployment so far.
      createTime: new Date(Date.now() - 600_000),
      creator: (d.creator ?? 'user') as 'user',
      ...(d.platform === 'ECS'
        ? {
            loadBalancerInfo: {
              targetGroupPairInfoList: [
                {
                  targetGroups: [{ name: 'tg-blue' }, { name: 'tg-green' }],
                  prodTrafficRoute: { listenerArns: ['arn:listener/prod'] },
                  testTrafficRoute: { listenerArns: ['arn:listener/test'] },
                },
              ],
            },
          }
        : {}),
    },
  });
  cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: [d.platform === 'Lambda' ? 'my-fn:live' : 'prod-cluster:web'] });
  cd.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: d.platform === 'Lambda' ? lambdaTarget(d.events) : ecsTarget(d.events),
  });
  cd.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: {
      deploymentGroupName: 'group',
      alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: (d.alarms ?? ['errors']).map((name) => ({ name })) },
    },
  });
  cd.on(PutLifecycleEventHookExecutionStatusCommand).resolves({ lifecycleEventHookExecutionId: EVENT.LifecycleEventHookExecutionId });
  return cd;
}

/** A Lambda-like context with a fixed remaining time from now. */
export function lambdaContext(remainingMs: number) {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now(), awsRequestId: 'req-1', functionName: 'hook' };
}

/** A log sink collecting parsed JSON lines. */
export function captureLog() {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

export function awsError(name: string, httpStatusCode: number): Error {
  const e = new Error(`${name} from the mock`) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode };
  e.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return e;
}
