/**
 * CheckContext builders for the invokeTarget / http tests: a Lambda or ECS
 * hook context with plausible values, injected SDK clients, and a signal and
 * deadline the test controls.
 */
import type {
  CheckContext,
  DeploymentGroupContext,
  EcsHookContext,
  HookClients,
  LambdaHookContext,
} from '../../../src/types.js';

const group: DeploymentGroupContext = {
  deploymentGroupName: 'dg',
  alarms: { enabled: false, ignorePollAlarmFailure: false, names: [] },
  productionListenerArns: [],
  testListenerArns: [],
  targetGroupNames: [],
  ecsServices: [],
};

const base = {
  deploymentId: 'd-ABCDEF123',
  lifecycleEventHookExecutionId: 'exec-1',
  applicationName: 'app',
  deploymentGroupName: 'dg',
  deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
  creator: 'user',
  isRollback: false,
  targetId: 'target-1',
  deploymentGroup: async () => group,
};

export function lambdaHook(overrides: Partial<LambdaHookContext> = {}): LambdaHookContext {
  return {
    ...base,
    platform: 'Lambda',
    lifecycleEvent: 'BeforeAllowTraffic',
    functionName: 'orders-api',
    alias: 'live',
    currentVersion: '4',
    targetVersion: '5',
    targetVersionWeight: 0,
    ...overrides,
  };
}

export const PROD_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
export const TEST_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65';
export const LOAD_BALANCER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';

export function ecsHook(overrides: Partial<EcsHookContext> = {}): EcsHookContext {
  return {
    ...base,
    platform: 'ECS',
    lifecycleEvent: 'AfterAllowTestTraffic',
    cluster: 'main',
    service: 'web',
    targetGroups: ['web-blue', 'web-green'],
    productionListenerArns: [PROD_LISTENER],
    testListenerArns: [TEST_LISTENER],
    ...overrides,
  };
}

/** A CheckContext; clients not injected are created by the check's factory function, once. */
export function checkContext(
  hook: CheckContext['hook'],
  options: { clients?: HookClients; signal?: AbortSignal; deadline?: number } = {},
): CheckContext {
  const created: HookClients = { ...(options.clients ?? {}) };
  return {
    hook,
    signal: options.signal ?? new AbortController().signal,
    deadline: options.deadline ?? Date.now() + 60_000,
    attempt: 1,
    hookStartedAt: Date.now(),
    log: { debug: () => undefined },
    clients: {
      get(key, create) {
        const existing = created[key];
        if (existing) return existing as NonNullable<HookClients[typeof key]>;
        const client = create();
        (created as Record<string, unknown>)[key] = client;
        return client;
      },
    },
  };
}
