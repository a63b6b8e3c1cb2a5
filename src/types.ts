/**
 * The public types of codedeploy-hooks: the hook event, the resolved context,
 * checks and their outcomes, and the verdict. Runtime code lives elsewhere;
 * this file only describes shapes, so importing it costs nothing.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ECSClient } from '@aws-sdk/client-ecs';

/** The payload CodeDeploy sends to a hook function (PascalCase, two fields only). */
export interface CodeDeployHookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export const LAMBDA_LIFECYCLE_EVENTS = ['BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;
/** Hookable lifecycle events of a Lambda deployment. */
export type LambdaLifecycleEvent = (typeof LAMBDA_LIFECYCLE_EVENTS)[number];
/** Hookable lifecycle events of an ECS blue/green deployment. */
export type EcsLifecycleEvent = (typeof ECS_LIFECYCLE_EVENTS)[number];
export type LifecycleEventName = LambdaLifecycleEvent | EcsLifecycleEvent;

/** The deployment group's settings a check may need; fetched lazily with GetDeploymentGroup. */
export interface DeploymentGroupContext {
  deploymentGroupName: string;
  deploymentConfigName?: string;
  serviceRoleArn?: string;
  alarms: { enabled: boolean; ignorePollAlarmFailure: boolean; names: string[] };
  /** Production and test listener ARNs (ECS blue/green); empty for Lambda. */
  productionListenerArns: string[];
  testListenerArns: string[];
  targetGroupNames: string[];
  ecsServices: { clusterName: string; serviceName: string }[];
}

interface HookContextBase {
  deploymentId: string;
  lifecycleEventHookExecutionId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  /** Who started the deployment; `codeDeployRollback` and `CloudFormationRollback` mark rollbacks. */
  creator: string;
  isRollback: boolean;
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  targetId: string;
  /** When the deployment was created (epoch ms), as the platform's API says; compareVersions' `since: 'deployment'` reads it. */
  deploymentStartedAt?: number;
  /** GetDeploymentGroup, called at most once per invocation and only when a check asks. */
  deploymentGroup(): Promise<DeploymentGroupContext>;
}

export interface LambdaHookContext extends HookContextBase {
  platform: 'Lambda';
  lifecycleEvent: LambdaLifecycleEvent;
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  /** Percent (0–100) of the alias traffic on the target version. */
  targetVersionWeight: number;
}

export interface EcsTaskSet {
  identifier: string;
  desiredCount?: number;
  pendingCount?: number;
  runningCount?: number;
  status?: string;
  trafficWeight?: number;
  targetGroupName?: string;
}

export interface EcsHookContext extends HookContextBase {
  platform: 'ECS';
  lifecycleEvent: EcsLifecycleEvent;
  cluster: string;
  service: string;
  blueTaskSet?: EcsTaskSet;
  greenTaskSet?: EcsTaskSet;
  /** Target group names in the order CodeDeploy lists them (blue first). */
  targetGroups: string[];
  productionListenerArns: string[];
  testListenerArns: string[];
}

/** What is being deployed, resolved from the CodeDeploy API. Discriminated on `platform`. */
export type HookContext = LambdaHookContext | EcsHookContext;

export const CHECK_STATES = ['passed', 'failed', 'inconclusive', 'error'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/** What a check's `run` returns: a state, a reason a person can act on, structured details. */
export interface CheckOutcome {
  state: CheckState;
  reason: string;
  details?: Record<string, unknown>;
}

/** SDK clients a hook may use. Injected ones win; the rest are created lazily on first use. */
export interface HookClients {
  codeDeploy?: CodeDeployClient;
  cloudWatch?: CloudWatchClient;
  lambda?: LambdaClient;
  elbv2?: ElasticLoadBalancingV2Client;
  /** ECS-native hooks only (codedeploy-hooks/ecs-native). */
  ecs?: ECSClient;
}

/** Lazily created, per-hook SDK clients. `get` returns the injected client or creates one once. */
export interface ClientRegistry {
  get<K extends keyof HookClients>(key: K, create: () => NonNullable<HookClients[K]>): NonNullable<HookClients[K]>;
}

export interface CheckLogger {
  /** Structured debug line, emitted only when CODEDEPLOY_HOOKS_DEBUG is set. */
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** What a check receives when it runs. */
export interface CheckContext {
  hook: HookContext;
  /** Aborted when the check's timeout or the hook deadline passes. Pass it to every I/O call. */
  signal: AbortSignal;
  /** Epoch ms by which the check must have settled (min of its timeout and the hook deadline). */
  deadline: number;
  /** 1-based attempt number under the check's retry policy. */
  attempt: number;
  clients: ClientRegistry;
  /** When the hook invocation started (epoch ms); the start of a check's "hook window". */
  hookStartedAt: number;
  log: CheckLogger;
}

export interface RetryPolicy {
  /** Total attempts including the first. @default 1 */
  attempts: number;
  /** Delay before the 2nd attempt, in ms. @default 1000 */
  delayMs?: number;
  /** Multiplier applied to the delay after each attempt. @default 2 */
  backoff?: number;
  /** Retry only outcomes for which this returns true. @default state is 'error' or 'failed' */
  retryIf?: (outcome: CheckOutcome) => boolean;
}

/** A check: users write their own with the same shape as the built-in ones. */
export interface Check {
  name: string;
  run(ctx: CheckContext): Promise<CheckOutcome>;
  /** Per-check timeout in ms (capped by the hook deadline). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** When false the check runs and is logged but never decides the verdict (dry run). @default true */
  enforce?: boolean;
}

/** Checks that run one after another; a failed enforced check skips the rest. */
export interface CheckSequence {
  sequence: Check[];
  name?: string;
}

export type CheckSpec = Check | CheckSequence;

/** One check's result in the verdict. */
export interface CheckResult {
  name: string;
  state: CheckState;
  reason: string;
  details?: Record<string, unknown>;
  enforced: boolean;
  durationMs: number;
  attempts: number;
}

export type HookStatus = 'Succeeded' | 'Failed';

/** What the handler returns, and what the verdict log line says. */
export interface HookVerdict {
  status: HookStatus;
  deploymentId: string;
  lifecycleEvent: LifecycleEventName | 'unknown';
  platform?: 'Lambda' | 'ECS';
  checks: CheckResult[];
  durationMs: number;
  /** True when CodeDeploy accepted (or had already recorded) a status from this invocation. */
  reported: boolean;
  /** Why the verdict is what it is, in one sentence. */
  reason: string;
  /** Set when the hook was bypassed with an explicit reason. */
  bypass?: { reason: string };
  /** Set when this invocation found its lifecycle event already completed and did nothing. */
  duplicate?: boolean;
}

/** The subset of the Lambda context the framework reads. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
  functionName?: string;
}

/** Options of defineHook and of the middy middleware. */
export interface HookOptions {
  /** The checks, or a function of the resolved context returning them. */
  checks: CheckSpec[] | ((ctx: HookContext) => CheckSpec[] | Promise<CheckSpec[]>);
  /**
   * Time kept back from the Lambda deadline for reporting, in ms.
   * Env `CODEDEPLOY_HOOKS_RESERVE_MS`. @default 5000
   */
  reserveMs?: number;
  /** Checks run in parallel up to this many at once. @default 8 */
  concurrency?: number;
  /** How an `inconclusive` enforced check counts. @default 'fail' */
  inconclusive?: 'fail' | 'pass';
  /**
   * Emergency bypass: report Succeeded without running enforced checks.
   * Needs a reason, logged in the verdict. Env `CODEDEPLOY_HOOKS_BYPASS_REASON`.
   */
  bypass?: { reason: string };
  /** Injected SDK clients (tests, custom configuration). Others are created lazily. */
  clients?: HookClients;
  /** EMF namespace of the HookVerdict metric. Env `CODEDEPLOY_HOOKS_METRICS_NAMESPACE`. @default 'CodeDeployHooks' */
  metricsNamespace?: string;
  /** Where log lines go (one JSON object per line). @default process.stdout */
  log?: (line: string) => void;
  /** Time budget when no Lambda context is given (local runs), in ms. @default 900000 */
  maxDurationMs?: number;
  /** How long to wait for CodeDeploy to show the running lifecycle event InProgress. @default { attempts: 5, delayMs: 1000 } */
  resolveRetry?: { attempts: number; delayMs: number };
}
