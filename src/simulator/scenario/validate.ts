/**
 * Turns parsed YAML into a Scenario, filling defaults and rejecting anything
 * unknown or out of range with an error that names the file, the path and
 * what was expected.
 */
import { isAbsolute, resolve } from 'node:path';
import { ECS_LIFECYCLE_EVENTS, LAMBDA_LIFECYCLE_EVENTS } from '../../types.js';
import { predefinedDeploymentConfigs } from '../state/deployment-configs.js';
import { ECS_NATIVE_DEPLOYMENT_KEYS, ECS_NATIVE_HOOK_KEYS, ECS_NATIVE_HOOK_STAGES, readEcsNativeDeployment, readEcsNativeHook } from './ecs-native.js';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders.js';
import { describe as describeValue, ScenarioReader } from './reader.js';
import type {
  CustomDeploymentConfig,
  EcsTargetSpec,
  LambdaTargetSpec,
  Platform,
  Scenario,
  ScenarioAlarm,
  ScenarioDeployment,
  HookCommand,
  ScenarioHook,
  ScenarioAlarmMetric,
  ScenarioSchedule,
  ScenarioTraffic,
  VersionBehaviour,
} from './types.js';

export const DEFAULT_TIME_SCALE = 100;
export const MAX_TIME_SCALE = 1_000_000;

const TOP_KEYS = [
  'name',
  'description',
  'platform',
  'application',
  'lambda',
  'ecs',
  'app',
  'versions',
  'deployment',
  'alarms',
  'hooks',
  'traffic',
  'schedules',
  'seed',
  'expect',
] as const;

export interface ValidateOptions {
  /** Directory relative module paths are resolved from (the scenario file's directory). */
  baseDir: string;
  /** Shown in errors and kept as `source`. */
  source: string;
  /** Name used when the file has no `name`. */
  defaultName: string;
  /** The example application module used when the scenario has no `app`. */
  defaultAppModule: string;
  reader: ScenarioReader;
}

export function validateScenario(raw: unknown, opts: ValidateOptions): Scenario {
  const r = opts.reader;
  const top = r.object(raw, [], TOP_KEYS, ['platform']);
  const platform = r.oneOf<Platform>(top.platform, ['platform'], ['Lambda', 'ECS', 'ECS-native']);
  const name = r.string(top.name, ['name'], opts.defaultName);
  const application = readApplication(r, top.application);

  let lambda: LambdaTargetSpec | undefined;
  let ecs: EcsTargetSpec | undefined;
  if (platform === 'Lambda') {
    if (top.ecs !== undefined) r.fail(['ecs'], 'is only allowed when platform is ECS or ECS-native');
    lambda = readLambda(r, top.lambda, application.name);
  } else {
    if (top.lambda !== undefined) r.fail(['lambda'], 'is only allowed when platform is Lambda');
    ecs = readEcs(r, top.ecs, application.name);
  }

  const scenario: Scenario = {
    name,
    description: top.description === undefined ? '' : r.string(top.description, ['description']),
    source: opts.source,
    platform,
    application,
    app: readApp(r, top.app, opts),
    versions: readVersions(r, top.versions, platform),
    deployment: readDeployment(r, top.deployment, platform),
    ...(platform === 'ECS-native' ? { ecsNative: readEcsNativeDeployment(r, deploymentBlock(r, top.deployment, platform)) } : {}),
    alarms: r.array(top.alarms, ['alarms']).map((a, i) => readAlarm(r, a, ['alarms', i])),
    hooks: readHooks(r, top.hooks, platform, opts.baseDir),
    schedules: r.array(top.schedules, ['schedules']).map((sc, i) => readSchedule(r, sc, ['schedules', i], opts.baseDir)),
    seed: r.number(top.seed, ['seed'], { integer: true, min: 0, fallback: 1 }),
  };
  if (lambda) scenario.lambda = lambda;
  if (ecs) scenario.ecs = ecs;
  if (top.traffic !== undefined && top.traffic !== null) scenario.traffic = readTraffic(r, top.traffic);
  if (top.expect !== undefined) scenario.expect = r.oneOf(top.expect, ['expect'], ['Succeeded', 'Failed'] as const);

  const names = new Set<string>();
  scenario.alarms.forEach((a, i) => {
    if (names.has(a.name)) r.fail(['alarms', i, 'name'], `duplicate alarm name "${a.name}"`);
    names.add(a.name);
  });
  if (ecs && !ecs.testListener) rejectTestListenerUse(r, scenario);
  if (scenario.versions.current.version === scenario.versions.target.version) {
    r.fail(['versions', 'target', 'version'], `must differ from versions.current.version ("${scenario.versions.current.version}")`);
  }
  return scenario;
}

function readApplication(r: ScenarioReader, value: unknown): Scenario['application'] {
  if (value === undefined || value === null) return { name: 'sample-app', deploymentGroup: 'sample-app-group' };
  const o = r.object(value, ['application'], ['name', 'deploymentGroup']);
  const name = r.string(o.name, ['application', 'name'], 'sample-app');
  return { name, deploymentGroup: r.string(o.deploymentGroup, ['application', 'deploymentGroup'], `${name}-group`) };
}

function readLambda(r: ScenarioReader, value: unknown, appName: string): LambdaTargetSpec {
  if (value === undefined || value === null) return { functionName: appName, alias: 'live' };
  const o = r.object(value, ['lambda'], ['functionName', 'alias']);
  return {
    functionName: r.string(o.functionName, ['lambda', 'functionName'], appName),
    alias: r.string(o.alias, ['lambda', 'alias'], 'live'),
  };
}

function readEcs(r: ScenarioReader, value: unknown, appName: string): EcsTargetSpec {
  const o = value === undefined || value === null ? {} : r.object(value, ['ecs'], ['cluster', 'service', 'productionPort', 'testPort', 'loadBalancerName', 'targetGroups', 'testListener']);
  const service = r.string(o.service, ['ecs', 'service'], `${appName}-service`);
  const port = (key: 'productionPort' | 'testPort') => r.number(o[key], ['ecs', key], { integer: true, min: 0, max: 65535, fallback: 0 });
  let targetGroups: [string, string] = [`${service}-blue`, `${service}-green`];
  if (o.targetGroups !== undefined) {
    const list = r.array(o.targetGroups, ['ecs', 'targetGroups']);
    if (list.length !== 2) r.fail(['ecs', 'targetGroups'], `expected a list of two target group names (blue, green), got ${list.length}`);
    targetGroups = [r.string(list[0], ['ecs', 'targetGroups', 0]), r.string(list[1], ['ecs', 'targetGroups', 1])];
    if (targetGroups[0] === targetGroups[1]) r.fail(['ecs', 'targetGroups', 1], 'must differ from the first target group');
  }
  const productionPort = port('productionPort');
  const testPort = port('testPort');
  const testListener = r.boolean(o.testListener, ['ecs', 'testListener'], true);
  if (!testListener && o.testPort !== undefined) r.fail(['ecs', 'testPort'], 'is only allowed when the group has a test listener (remove it, or ecs.testListener: true)');
  if (productionPort !== 0 && productionPort === testPort) r.fail(['ecs', 'testPort'], `must differ from ecs.productionPort (${productionPort})`);
  return {
    cluster: r.string(o.cluster, ['ecs', 'cluster'], `${appName}-cluster`),
    service,
    productionPort,
    testPort,
    loadBalancerName: r.string(o.loadBalancerName, ['ecs', 'loadBalancerName'], `${appName}-alb`),
    targetGroups,
    testListener,
  };
}

function readApp(r: ScenarioReader, value: unknown, opts: ValidateOptions): Scenario['app'] {
  if (value === undefined || value === null) return { module: opts.defaultAppModule, export: 'handler' };
  const o = r.object(value, ['app'], ['module', 'export'], ['module']);
  return {
    module: resolveModule(r.string(o.module, ['app', 'module']), opts.baseDir),
    export: r.string(o.export, ['app', 'export'], 'handler'),
  };
}

function readVersions(r: ScenarioReader, value: unknown, platform: Platform): Scenario['versions'] {
  const o = value === undefined || value === null ? {} : r.object(value, ['versions'], ['current', 'target']);
  return {
    current: readVersion(r, o.current, ['versions', 'current'], '1', platform),
    target: readVersion(r, o.target, ['versions', 'target'], '2', platform),
  };
}

function readVersion(r: ScenarioReader, value: unknown, path: string[], defaultVersion: string, platform: Platform): VersionBehaviour {
  const keys = ['version', 'errorRate', 'latencyMs', 'statusCode', 'affectedPaths', 'body', 'healthyAfterSeconds', 'startupSeconds'];
  const o = value === undefined || value === null ? {} : r.object(value, path, keys);
  const version = o.version === undefined ? defaultVersion : String(o.version);
  if (!/^[1-9][0-9]*$/.test(version)) r.fail([...path, 'version'], `expected a positive integer version number, got ${JSON.stringify(version)}`);
  const behaviour: VersionBehaviour = {
    version,
    errorRate: r.number(o.errorRate, [...path, 'errorRate'], { min: 0, max: 1, fallback: 0 }),
    latencyMs: r.number(o.latencyMs, [...path, 'latencyMs'], { min: 0, max: 60_000, fallback: 0 }),
    healthyAfterSeconds: 0,
  };
  if (o.healthyAfterSeconds !== undefined) {
    if (platform === 'Lambda') r.fail([...path, 'healthyAfterSeconds'], 'is only allowed when platform is ECS or ECS-native (tasks behind a target group)');
    behaviour.healthyAfterSeconds = r.number(o.healthyAfterSeconds, [...path, 'healthyAfterSeconds'], { min: 0, max: 7 * 86_400 });
  }
  if (o.body !== undefined) behaviour.body = typeof o.body === 'string' ? o.body : r.fail([...path, 'body'], `expected a string, got ${describeValue(o.body)}`);
  if (o.statusCode !== undefined) behaviour.statusCode = r.number(o.statusCode, [...path, 'statusCode'], { integer: true, min: 100, max: 599 });
  if (o.startupSeconds !== undefined) behaviour.startupSeconds = r.number(o.startupSeconds, [...path, 'startupSeconds'], { min: 0, max: 86_400 });
  if (o.affectedPaths !== undefined) {
    behaviour.affectedPaths = r.array(o.affectedPaths, [...path, 'affectedPaths']).map((p, i) => {
      const s = r.string(p, [...path, 'affectedPaths', i]);
      if (!s.startsWith('/')) r.fail([...path, 'affectedPaths', i], `expected a path starting with "/", got ${JSON.stringify(s)}`);
      return s;
    });
  }
  return behaviour;
}

const DEPLOYMENT_KEYS = ['timeScale', 'autoRollback', 'alarmPollSeconds'] as const;
const CODEDEPLOY_DEPLOYMENT_KEYS = ['config', 'hookWaitSeconds', 'terminationWaitTimeInMinutes', 'deploymentReadyOption'] as const;

/** CodeDeploy takes a deployment configuration and waits an hour for a hook; ECS-native has a strategy and per-hook timeouts. */
function deploymentBlock(r: ScenarioReader, value: unknown, platform: Platform): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const keys = platform === 'ECS-native' ? [...DEPLOYMENT_KEYS, ...ECS_NATIVE_DEPLOYMENT_KEYS] : [...DEPLOYMENT_KEYS, ...CODEDEPLOY_DEPLOYMENT_KEYS];
  return r.object(value, ['deployment'], keys);
}

function readDeployment(r: ScenarioReader, value: unknown, platform: Platform): ScenarioDeployment {
  const o = deploymentBlock(r, value, platform);
  const fallbackConfig = platform === 'Lambda' ? 'CodeDeployDefault.LambdaCanary10Percent5Minutes' : 'CodeDeployDefault.ECSAllAtOnce';
  for (const key of ['terminationWaitTimeInMinutes', 'deploymentReadyOption'] as const) {
    // The model: BlueInstanceTerminationOption "does not apply to Lambda deployments"; the ready wait is blue/green's.
    if (o[key] !== undefined && platform !== 'ECS') r.fail(['deployment', key], 'is only allowed when platform is ECS');
  }
  const deployment: ScenarioDeployment = {
    // ECS-native deployments have no CodeDeploy configuration: the strategy names it.
    config: platform === 'ECS-native' ? `ECS ${String(o.strategy ?? 'BLUE_GREEN')}` : readConfig(r, o.config ?? fallbackConfig, platform),
    timeScale: r.number(o.timeScale, ['deployment', 'timeScale'], { min: 0.001, max: MAX_TIME_SCALE, fallback: DEFAULT_TIME_SCALE }),
    autoRollback: r.boolean(o.autoRollback, ['deployment', 'autoRollback'], true),
    alarmPollSeconds: r.number(o.alarmPollSeconds, ['deployment', 'alarmPollSeconds'], { min: 1, max: 3600, fallback: 30 }),
    hookWaitSeconds: r.number(o.hookWaitSeconds, ['deployment', 'hookWaitSeconds'], { min: 1, max: 3600, fallback: 3600 }),
    // The model's maximum: 2880 minutes (2 days).
    terminationWaitTimeInMinutes: r.number(o.terminationWaitTimeInMinutes, ['deployment', 'terminationWaitTimeInMinutes'], { integer: true, min: 0, max: 2880, fallback: 0 }),
  };
  if (o.deploymentReadyOption !== undefined && o.deploymentReadyOption !== null) {
    const path = ['deployment', 'deploymentReadyOption'];
    const ready = r.object(o.deploymentReadyOption, path, ['actionOnTimeout', 'waitTimeInMinutes'], ['actionOnTimeout']);
    const actionOnTimeout = r.oneOf(ready.actionOnTimeout, [...path, 'actionOnTimeout'], ['CONTINUE_DEPLOYMENT', 'STOP_DEPLOYMENT'] as const);
    // ECS allows up to 120 h between deploying the revision and shifting traffic (limits page).
    // STOP_DEPLOYMENT waits this long for ContinueDeployment, so it needs a length; CONTINUE_DEPLOYMENT ignores it.
    const waitTimeInMinutes = actionOnTimeout === 'STOP_DEPLOYMENT'
      ? r.number(ready.waitTimeInMinutes, [...path, 'waitTimeInMinutes'], { integer: true, min: 1, max: 7200 })
      : r.number(ready.waitTimeInMinutes, [...path, 'waitTimeInMinutes'], { integer: true, min: 0, max: 7200, fallback: 0 });
    deployment.deploymentReadyOption = { actionOnTimeout, waitTimeInMinutes };
  }
  return deployment;
}

function readConfig(r: ScenarioReader, value: unknown, platform: Platform): string | CustomDeploymentConfig {
  const path = ['deployment', 'config'];
  if (typeof value === 'string') {
    const known = predefinedDeploymentConfigs().filter((c) => c.computePlatform === platform).map((c) => c.deploymentConfigName);
    if (!known.includes(value)) r.fail(path, `expected a ${platform} deployment configuration (${known.join(', ')}) or a custom {type, ...} mapping, got ${JSON.stringify(value)}`);
    return value;
  }
  const o = r.object(value, path, ['name', 'type', 'timeBasedCanary', 'timeBasedLinear'], ['type']);
  const type = r.oneOf(o.type, [...path, 'type'], ['TimeBasedCanary', 'TimeBasedLinear', 'AllAtOnce'] as const);
  const config: CustomDeploymentConfig = { name: r.string(o.name, [...path, 'name'], `Custom.${type}`), type };
  if (config.name.startsWith('CodeDeployDefault.')) r.fail([...path, 'name'], 'custom configuration names must not start with "CodeDeployDefault."');
  // Percentages: CodeDeploy allows 1–99 per increment (limits page); intervals in whole minutes, at most 2880.
  if (type === 'TimeBasedCanary') {
    if (o.timeBasedLinear !== undefined) r.fail([...path, 'timeBasedLinear'], 'is only allowed when type is TimeBasedLinear');
    const c = r.object(o.timeBasedCanary, [...path, 'timeBasedCanary'], ['canaryPercentage', 'canaryInterval'], ['canaryPercentage', 'canaryInterval']);
    config.timeBasedCanary = {
      canaryPercentage: r.number(c.canaryPercentage, [...path, 'timeBasedCanary', 'canaryPercentage'], { integer: true, min: 1, max: 99 }),
      canaryInterval: r.number(c.canaryInterval, [...path, 'timeBasedCanary', 'canaryInterval'], { integer: true, min: 1, max: 2880 }),
    };
  } else if (type === 'TimeBasedLinear') {
    if (o.timeBasedCanary !== undefined) r.fail([...path, 'timeBasedCanary'], 'is only allowed when type is TimeBasedCanary');
    const c = r.object(o.timeBasedLinear, [...path, 'timeBasedLinear'], ['linearPercentage', 'linearInterval'], ['linearPercentage', 'linearInterval']);
    config.timeBasedLinear = {
      linearPercentage: r.number(c.linearPercentage, [...path, 'timeBasedLinear', 'linearPercentage'], { integer: true, min: 1, max: 99 }),
      linearInterval: r.number(c.linearInterval, [...path, 'timeBasedLinear', 'linearInterval'], { integer: true, min: 1, max: 2880 }),
    };
  } else {
    if (o.timeBasedCanary !== undefined) r.fail([...path, 'timeBasedCanary'], 'is only allowed when type is TimeBasedCanary');
    if (o.timeBasedLinear !== undefined) r.fail([...path, 'timeBasedLinear'], 'is only allowed when type is TimeBasedLinear');
  }
  return config;
}

const ALARM_KEYS = [
  'name',
  'namespace',
  'metricName',
  'dimensions',
  'statistic',
  'period',
  'evaluationPeriods',
  'datapointsToAlarm',
  'threshold',
  'comparisonOperator',
  'treatMissingData',
  'deploymentGroup',
  'initialState',
  'math',
] as const;

function readAlarmMath(r: ScenarioReader, value: unknown, path: (string | number)[]): NonNullable<ScenarioAlarm['math']> {
  const o = r.object(value, path, ['expression', 'metrics'], ['expression', 'metrics']);
  const expression = r.string(o.expression, [...path, 'expression']);
  if (o.metrics === null || typeof o.metrics !== 'object' || Array.isArray(o.metrics)) r.fail([...path, 'metrics'], 'expected a mapping of metric ids to { namespace, metricName, dimensions, stat }');
  const raw = o.metrics as Record<string, unknown>;
  const metrics: Record<string, ScenarioAlarmMetric> = {};
  for (const [id, m] of Object.entries(raw)) {
    const at = [...path, 'metrics', id];
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || id === 'verdict') r.fail(at, 'a metric id (not "verdict") starts with a lower-case letter and has only letters, digits and _');
    const q = r.object(m, at, ['namespace', 'metricName', 'dimensions', 'stat'], ['namespace', 'metricName']);
    metrics[id] = {
      namespace: r.string(q.namespace, [...at, 'namespace']),
      metricName: r.string(q.metricName, [...at, 'metricName']),
      dimensions: withPlaceholders(r, r.stringMap(q.dimensions, [...at, 'dimensions']), [...at, 'dimensions']),
      stat: r.string(q.stat, [...at, 'stat'], 'Sum'),
    };
  }
  if (Object.keys(metrics).length === 0) r.fail([...path, 'metrics'], 'expected at least one metric');
  return { expression, metrics };
}

function readAlarm(r: ScenarioReader, value: unknown, path: (string | number)[]): ScenarioAlarm {
  const o = r.object(value, path, ALARM_KEYS, ['name', 'threshold']);
  const math = o.math === undefined ? undefined : readAlarmMath(r, o.math, [...path, 'math']);
  if (math && (o.namespace !== undefined || o.metricName !== undefined || o.dimensions !== undefined)) {
    r.fail([...path, 'math'], 'a metric-math alarm names its metrics under math.metrics, not namespace/metricName/dimensions');
  }
  if (!math && (o.namespace === undefined || o.metricName === undefined)) r.fail(path, 'needs namespace and metricName (or math: { expression, metrics })');
  const evaluationPeriods = r.number(o.evaluationPeriods, [...path, 'evaluationPeriods'], { integer: true, min: 1, max: 100, fallback: 1 });
  const alarm: ScenarioAlarm = {
    name: r.string(o.name, [...path, 'name']),
    namespace: math ? '' : r.string(o.namespace, [...path, 'namespace']),
    metricName: math ? '' : r.string(o.metricName, [...path, 'metricName']),
    ...(math ? { math } : {}),
    dimensions: withPlaceholders(r, r.stringMap(o.dimensions, [...path, 'dimensions']), [...path, 'dimensions']),
    statistic: r.oneOf(o.statistic, [...path, 'statistic'], ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'] as const, 'Sum'),
    period: r.number(o.period, [...path, 'period'], { integer: true, min: 1, max: 86_400, fallback: 60 }),
    evaluationPeriods,
    threshold: r.number(o.threshold, [...path, 'threshold']),
    comparisonOperator: r.oneOf(
      o.comparisonOperator,
      [...path, 'comparisonOperator'],
      ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const,
      'GreaterThanOrEqualToThreshold',
    ),
    treatMissingData: r.oneOf(o.treatMissingData, [...path, 'treatMissingData'], ['missing', 'notBreaching', 'breaching', 'ignore'] as const, 'notBreaching'),
    deploymentGroup: r.boolean(o.deploymentGroup, [...path, 'deploymentGroup'], true),
    initialState: r.oneOf(o.initialState, [...path, 'initialState'], ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const, 'OK'),
  };
  if (Object.keys(alarm.dimensions).length > 30) r.fail([...path, 'dimensions'], 'expected at most 30 dimensions');
  if (o.datapointsToAlarm !== undefined) {
    alarm.datapointsToAlarm = r.number(o.datapointsToAlarm, [...path, 'datapointsToAlarm'], { integer: true, min: 1, max: evaluationPeriods });
  }
  return alarm;
}

function readHooks(r: ScenarioReader, value: unknown, platform: Platform, baseDir: string): ScenarioHook[] {
  if (value === undefined || value === null) return [];
  const events: readonly string[] = platform === 'Lambda' ? LAMBDA_LIFECYCLE_EVENTS : platform === 'ECS' ? ECS_LIFECYCLE_EVENTS : ECS_NATIVE_HOOK_STAGES;
  const extraKeys: readonly string[] = platform === 'ECS-native' ? ECS_NATIVE_HOOK_KEYS : [];
  const o = r.object(value, ['hooks'], events);
  const hooks: ScenarioHook[] = [];
  // Lifecycle order, whatever order the file lists them in.
  for (const event of events) {
    if (o[event] === undefined) continue;
    const path = ['hooks', event];
    const h = r.object(o[event], path, ['module', 'command', 'export', 'functionName', 'timeoutSeconds', 'env', ...extraKeys]);
    if ((h.module === undefined) === (h.command === undefined)) r.fail(path, 'needs exactly one of module (a JavaScript/TypeScript module) or command (a process, any language)');
    if (h.command !== undefined && h.export !== undefined) r.fail([...path, 'export'], 'is only allowed with module');
    // A command hook reports through the emulated CodeDeploy API; an ECS-native hook's answer is its return value.
    if (h.command !== undefined && platform === 'ECS-native') r.fail([...path, 'command'], 'is only allowed for CodeDeploy hooks (platform Lambda or ECS); an ECS-native hook is a module whose handler returns its hookStatus');
    const hook: ScenarioHook = {
      lifecycleEvent: event as ScenarioHook['lifecycleEvent'],
      moduleAsWritten: '',
      export: r.string(h.export, [...path, 'export'], 'handler'),
      functionName: r.string(h.functionName, [...path, 'functionName'], platform === 'ECS-native' ? `ecs-hook-${event.toLowerCase()}` : `CodeDeployHook_${event}`),
      // Lambda's own limits: 1 s to 900 s.
      timeoutSeconds: r.number(h.timeoutSeconds, [...path, 'timeoutSeconds'], { min: 1, max: 900, fallback: 60 }),
      env: withPlaceholders(r, r.stringMap(h.env, [...path, 'env']), [...path, 'env']),
      ...(platform === 'ECS-native' ? { native: readEcsNativeHook(r, h, path) } : {}),
    };
    if (h.module !== undefined) {
      hook.moduleAsWritten = r.string(h.module, [...path, 'module']);
      hook.module = resolveModule(hook.moduleAsWritten, baseDir);
    } else {
      hook.command = readCommand(r, h.command, [...path, 'command'], baseDir);
      hook.moduleAsWritten = hook.command.shell ?? hook.command.argv!.join(' ');
    }
    hooks.push(hook);
  }
  return hooks;
}

/** `command: python3 hook.py` runs through the shell; `command: [python3, hook.py]` runs without one. */
function readCommand(r: ScenarioReader, value: unknown, path: string[], cwd: string): HookCommand {
  if (typeof value === 'string') return { shell: r.string(value, path), cwd };
  const argv = r.array(value, path).map((a, i) => r.string(a, [...path, i]));
  if (argv.length === 0) r.fail(path, 'expected a command line or a non-empty list (program and its arguments)');
  return { argv, cwd };
}

/** Without a test listener there is no AllowTestTraffic step, no AfterAllowTestTraffic hook and no {{testUrl}}. */
function rejectTestListenerUse(r: ScenarioReader, scenario: Scenario): void {
  for (const hook of scenario.hooks) {
    const path = ['hooks', hook.lifecycleEvent];
    if (hook.lifecycleEvent === 'AfterAllowTestTraffic') r.fail(path, 'needs a test listener: the group has none (ecs.testListener: false), so the deployment has no AllowTestTraffic or AfterAllowTestTraffic event');
    for (const [k, v] of Object.entries(hook.env)) if (v.includes('{{testUrl}}')) r.fail([...path, 'env', k], '{{testUrl}} needs a test listener (ecs.testListener: false)');
  }
}

function readTraffic(r: ScenarioReader, value: unknown): ScenarioTraffic {
  const o = r.object(value, ['traffic'], ['requestsPerSecond', 'path', 'paths', 'method']);
  const urlPath = (v: unknown, at: (string | number)[], fallback?: string) => {
    const p = r.string(v, at, fallback);
    if (!p.startsWith('/')) r.fail(at, `expected a path starting with "/", got ${JSON.stringify(p)}`);
    return p;
  };
  const traffic: ScenarioTraffic = {
    requestsPerSecond: r.number(o.requestsPerSecond, ['traffic', 'requestsPerSecond'], { min: 0, max: 1000, fallback: 10 }),
    path: urlPath(o.path, ['traffic', 'path'], '/'),
    method: r.oneOf(o.method, ['traffic', 'method'], ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'] as const, 'GET'),
  };
  if (o.paths !== undefined) {
    const paths = r.array(o.paths, ['traffic', 'paths']).map((p, i) => urlPath(p, ['traffic', 'paths', i]));
    if (paths.length === 0) r.fail(['traffic', 'paths'], 'expected at least one path');
    traffic.paths = paths;
  }
  return traffic;
}

function readSchedule(r: ScenarioReader, value: unknown, path: (string | number)[], baseDir: string): ScenarioSchedule {
  const o = r.object(value, path, ['module', 'export', 'functionName', 'rateSeconds', 'timeoutSeconds', 'env'], ['module']);
  const moduleAsWritten = r.string(o.module, [...path, 'module']);
  return {
    module: resolveModule(moduleAsWritten, baseDir),
    moduleAsWritten,
    export: r.string(o.export, [...path, 'export'], 'handler'),
    functionName: r.string(o.functionName, [...path, 'functionName'], `scheduled-${path[1]}`),
    // EventBridge Scheduler's finest rate is one minute; shorter ones only make a scenario faster to read.
    rateSeconds: r.number(o.rateSeconds, [...path, 'rateSeconds'], { min: 1, max: 86_400, fallback: 60 }),
    timeoutSeconds: r.number(o.timeoutSeconds, [...path, 'timeoutSeconds'], { min: 1, max: 900, fallback: 60 }),
    env: withPlaceholders(r, r.stringMap(o.env, [...path, 'env']), [...path, 'env']),
  };
}

function resolveModule(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function withPlaceholders(r: ScenarioReader, values: Record<string, string>, path: (string | number)[]): Record<string, string> {
  for (const [k, v] of Object.entries(values)) {
    const unknown = unknownPlaceholders(v);
    if (unknown.length) r.fail([...path, k], `unknown placeholder {{${unknown[0]}}}; known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`);
  }
  return values;
}
