/**
 * The shape of a validated scenario: what is deployed, how the new version
 * behaves, which deployment configuration moves traffic, which alarms watch it
 * and which hook modules run at which lifecycle event. Every field the loader
 * fills with a default is required here, so the engine never guesses.
 */
import type { EcsLifecycleEvent, LambdaLifecycleEvent } from '../../types.js';
import type { EcsDeploymentConfiguration } from '../state/ecs.js';
import type { EcsNativeHookStage } from './ecs-native.js';

/** `ECS` is a CodeDeploy blue/green deployment of an ECS service; `ECS-native` one that ECS runs itself (deployment controller ECS). */
export type Platform = 'Lambda' | 'ECS' | 'ECS-native';

/** How one version of the example application behaves when it serves a request. */
export interface VersionBehaviour {
  /** Lambda version number ("1", "2"); for ECS the task set label suffix. */
  version: string;
  /** Fraction (0–1) of requests that throw (Lambda: function error; ECS: HTTP 500). @default 0 */
  errorRate: number;
  /** Extra latency added to every request, in ms. @default 0 */
  latencyMs: number;
  /** When set, every response carries this status code instead of the handler's. */
  statusCode?: number;
  /** When set, the breakage applies only to requests for these paths (e.g. ["/items"]); others are served normally. */
  affectedPaths?: string[];
  /** When set, every response carries this body instead of the handler's (a version that answers differently, for differential checks). */
  body?: string;
  /**
   * ECS only: simulated seconds after the task set starts until its task passes the
   * ALB health check. Until then it answers 503 and DescribeTargetHealth shows it unhealthy. @default 0
   */
  healthyAfterSeconds: number;
  /** A slow start: for this many simulated seconds after the version starts, every request fails (as errorRate 1). @default 0 */
  startupSeconds?: number;
}

/** A custom traffic routing configuration, in GetDeploymentConfig's shape (intervals in minutes). */
export interface CustomDeploymentConfig {
  name: string;
  type: 'TimeBasedCanary' | 'TimeBasedLinear' | 'AllAtOnce';
  timeBasedCanary?: { canaryPercentage: number; canaryInterval: number };
  timeBasedLinear?: { linearPercentage: number; linearInterval: number };
}

export interface ScenarioDeployment {
  /** A predefined configuration name, or a custom one. */
  config: string | CustomDeploymentConfig;
  /** Simulated seconds per real second at most: how fast the simulated clock may run (it never changes the outcome). @default 100 */
  timeScale: number;
  /** Roll back (traffic back to the old version) when the deployment fails or an alarm fires. @default true */
  autoRollback: boolean;
  /** How often CodeDeploy polls the group's alarms, in simulated seconds. @default 30 */
  alarmPollSeconds: number;
  /** How long CodeDeploy waits for a hook's status, in simulated seconds. @default 3600 */
  hookWaitSeconds: number;
  /**
   * ECS only: the group's terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes,
   * how long the original task set keeps running after all traffic moved (alarms still
   * watched, a rollback still possible). @default 0
   */
  terminationWaitTimeInMinutes: number;
  /** ECS only: the group's deploymentReadyOption; STOP_DEPLOYMENT waits (status Ready) for ContinueDeployment before production traffic moves. */
  deploymentReadyOption?: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'; waitTimeInMinutes: number };
}

/** One metric of a metric-math alarm, by the id its expression uses. */
export interface ScenarioAlarmMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** A statistic or a percentile such as p99. */
  stat: string;
}

export interface ScenarioAlarm {
  name: string;
  /** Empty for a metric-math alarm (`math`). */
  namespace: string;
  metricName: string;
  /** A metric-math alarm: the expression (its result is compared with the threshold) over the named metrics. */
  math?: { expression: string; metrics: Record<string, ScenarioAlarmMetric> };
  dimensions: Record<string, string>;
  statistic: 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';
  /** Period in seconds of simulated time (metrics carry the simulated clock's timestamps). */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator:
    | 'GreaterThanOrEqualToThreshold'
    | 'GreaterThanThreshold'
    | 'LessThanThreshold'
    | 'LessThanOrEqualToThreshold';
  treatMissingData: 'missing' | 'notBreaching' | 'breaching' | 'ignore';
  /** Listed in the deployment group's alarmConfiguration. @default true */
  deploymentGroup: boolean;
  /** State before the deployment starts. @default OK */
  initialState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

/** A hook run as a process (any language): a shell command line, or an argv list run without a shell. */
export interface HookCommand {
  shell?: string;
  argv?: string[];
  /** Working directory: the scenario file's directory. */
  cwd: string;
}

/** A hook is either a JavaScript/TypeScript module (run in-process) or a command (exactly one is set). */
export interface ScenarioHook {
  /** A CodeDeploy lifecycle event, or for ECS-native the lifecycle stage the hook is registered at. */
  lifecycleEvent: LambdaLifecycleEvent | EcsLifecycleEvent | EcsNativeHookStage;
  /** Absolute path of the module (resolved from the scenario file's directory). */
  module?: string;
  command?: HookCommand;
  /** The module path or command as written in the scenario, for messages. */
  moduleAsWritten: string;
  export: string;
  /** Name the hook function would have in AWS (shown in the timeline). */
  functionName: string;
  /** The hook function's Lambda timeout, in real seconds. @default 60 */
  timeoutSeconds: number;
  env: Record<string, string>;
  /** ECS-native only: the hook's configured `hookDetails` and `timeoutConfiguration`. */
  native?: EcsNativeHookSettings;
}

export interface EcsNativeHookSettings {
  hookDetails?: Record<string, unknown>;
  /** How long ECS waits for the hook to resolve (IN_PROGRESS re-invocations included), in simulated minutes. @default 1440 */
  timeoutInMinutes: number;
  /** What ECS does when that time is up. @default ROLLBACK */
  timeoutAction: 'ROLLBACK' | 'CONTINUE';
}

export interface ScenarioTraffic {
  /** Requests per second sent to the alias (Lambda) or the production listener (ECS) while the deployment runs. */
  requestsPerSecond: number;
  path: string;
  /** When set, each request goes to one of these paths (seeded random) instead of `path`. */
  paths?: string[];
  method: string;
}

/**
 * A function EventBridge Scheduler invokes every `rateSeconds` (e.g. the canary analyzer).
 * The simulator invokes it while AllowTraffic shifts traffic, the window it exists for.
 */
export interface ScenarioSchedule {
  module: string;
  moduleAsWritten: string;
  export: string;
  functionName: string;
  /** Simulated seconds between two invocations. @default 60 */
  rateSeconds: number;
  timeoutSeconds: number;
  env: Record<string, string>;
}

export interface LambdaTargetSpec {
  functionName: string;
  alias: string;
}

export interface EcsTargetSpec {
  cluster: string;
  service: string;
  /** Loopback port of the production listener; 0 = any free port. @default 0 */
  productionPort: number;
  /** Loopback port of the test listener; 0 = any free port. @default 0 */
  testPort: number;
  loadBalancerName: string;
  targetGroups: [string, string];
  /** Whether the deployment group has a test listener (testTrafficRoute); without one there is no AllowTestTraffic step. @default true */
  testListener: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  /** Absolute path of the file it came from, or `builtin:NAME`. */
  source: string;
  platform: Platform;
  application: { name: string; deploymentGroup: string };
  lambda?: LambdaTargetSpec;
  /** ECS (CodeDeploy) and ECS-native: the service, its listeners and target groups. */
  ecs?: EcsTargetSpec;
  /** ECS-native only: the service's deploymentConfiguration (strategy, bakes); its hooks and alarms come from `hooks` and `alarms`. */
  ecsNative?: Omit<EcsDeploymentConfiguration, 'lifecycleHooks' | 'alarms'>;
  /** The application code every version runs: module path (absolute) + export. */
  app: { module: string; export: string };
  versions: { current: VersionBehaviour; target: VersionBehaviour };
  deployment: ScenarioDeployment;
  alarms: ScenarioAlarm[];
  hooks: ScenarioHook[];
  traffic?: ScenarioTraffic;
  /** Scheduled functions (EventBridge Scheduler targets). @default [] */
  schedules: ScenarioSchedule[];
  /** Seed of the random choices (error rate, weighted routing) so runs repeat. @default 1 */
  seed: number;
  /** The outcome the scenario is meant to have (used by tests and shown in the summary). */
  expect?: 'Succeeded' | 'Failed';
}
