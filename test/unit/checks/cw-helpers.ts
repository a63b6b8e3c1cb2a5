/**
 * CheckContext builders for the CloudWatch check tests: a Lambda or ECS hook
 * context, injected SDK clients (mocked with aws-sdk-client-mock), and a
 * deployment group whose alarm configuration a test can set.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  CheckContext,
  ClientRegistry,
  DeploymentGroupContext,
  EcsHookContext,
  HookClients,
  HookContext,
  LambdaHookContext,
} from '../../../src/types.js';

export function deploymentGroup(overrides: Partial<DeploymentGroupContext> = {}): DeploymentGroupContext {
  return {
    deploymentGroupName: 'my-group',
    alarms: { enabled: true, ignorePollAlarmFailure: false, names: [] },
    productionListenerArns: [],
    testListenerArns: [],
    targetGroupNames: [],
    ecsServices: [],
    ...overrides,
  };
}

function base(group: DeploymentGroupContext | (() => Promise<DeploymentGroupContext>)) {
  return {
    deploymentId: 'd-ABCDEF123',
    lifecycleEventHookExecutionId: 'exec-1',
    applicationName: 'my-app',
    deploymentGroupName: 'my-group',
    deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
    creator: 'user',
    isRollback: false,
    targetId: 'my-fn:live',
    deploymentGroup: async () => (typeof group === 'function' ? group() : group),
  };
}

export function lambdaHook(
  overrides: Partial<LambdaHookContext> = {},
  group: DeploymentGroupContext | (() => Promise<DeploymentGroupContext>) = deploymentGroup(),
): LambdaHookContext {
  return {
    ...base(group),
    platform: 'Lambda',
    lifecycleEvent: 'AfterAllowTraffic',
    functionName: 'my-fn',
    alias: 'live',
    currentVersion: '6',
    targetVersion: '7',
    targetVersionWeight: 100,
    ...overrides,
  };
}

export function ecsHook(
  overrides: Partial<EcsHookContext> = {},
  group: DeploymentGroupContext | (() => Promise<DeploymentGroupContext>) = deploymentGroup(),
): EcsHookContext {
  return {
    ...base(group),
    platform: 'ECS',
    lifecycleEvent: 'AfterAllowTestTraffic',
    cluster: 'my-cluster',
    service: 'my-service',
    targetGroups: ['tg-blue', 'tg-green'],
    productionListenerArns: [],
    testListenerArns: [],
    ...overrides,
  };
}

/** A registry that hands out the given clients and records which keys were asked for. */
export function registry(clients: HookClients): ClientRegistry & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    get(key, create) {
      requested.push(key);
      const c = clients[key] ?? create();
      (clients as Record<string, unknown>)[key] = c;
      return c as never;
    },
  };
}

export interface TestContextOptions {
  hook?: HookContext;
  signal?: AbortSignal;
  deadline?: number;
  hookStartedAt?: number;
  clients?: HookClients;
}

/** A CheckContext with real (mocked) SDK clients injected and a generous deadline. */
export function checkContext(options: TestContextOptions = {}): CheckContext {
  return {
    hook: options.hook ?? lambdaHook(),
    signal: options.signal ?? new AbortController().signal,
    deadline: options.deadline ?? Date.now() + 60_000,
    attempt: 1,
    clients: registry(
      options.clients ?? {
        cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
        elbv2: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
      },
    ),
    hookStartedAt: options.hookStartedAt ?? Date.now() - 120_000,
    log: { debug: () => {} },
  };
}

/** An SDK-style service error (name = the AWS error code). */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  Object.assign(e, { $metadata: { httpStatusCode: 400 }, $fault: 'client', ...extra });
  return e;
}
