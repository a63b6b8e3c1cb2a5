/**
 * The shape of a validated scenario: what is deployed, how the new version
 * behaves, which deployment configuration moves traffic, which alarms watch it
 * and which hook modules run at which lifecycle event. Every field the loader
 * fills with a default is required here, so the engine never guesses.
 */
import type { EcsLifecycleEvent, LambdaLifecycleEvent } from '../../types.js';

export type Platform = 'Lambda' | 'ECS';

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

export interface ScenarioHook {
  lifecycleEvent: LambdaLifecycleEvent | EcsLifecycleEvent;
  /** Absolute path of the module (resolved from the scenario file's directory). */
  module: string;
  /** The module path as written in the scenario, for messages. */
  moduleAsWritten: string;
  export: string;
  /** Name the hook function would have in AWS (shown in the timeline). */
  functionName: string;
  /** The hook function's Lambda timeout, in real seconds. @default 60 */
  timeoutSeconds: number;
  env: Record<string, string>;
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
}

export interface Scenario {
  name: string;
  description: string;
  /** Absolute path of the file it came from, or `builtin:NAME`. */
  source: string;
  platform: Platform;
  application: { name: string; deploymentGroup: string };
  lambda?: LambdaTargetSpec;
  ecs?: EcsTargetSpec;
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
