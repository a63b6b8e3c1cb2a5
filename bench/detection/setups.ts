/**
 * What guards each deployment of the benchmark: the ready hooks at the
 * templates' defaults (template.yaml, examples/ecs/template.yaml) and two
 * baselines, as scenario fragments for the simulator.
 *  - ready hooks: the pre-traffic / test-traffic smoke suite, the post-traffic
 *    bake with the old-vs-new comparison, the template's alarms and the canary
 *    analyzer with its verdict alarm.
 *  - alarms only: SAM's DeploymentPreference with the sample alarms, no hook.
 *  - hand-written hook: the sample alarms plus a hook in the style of AWS's
 *    samples (Lambda: invoke the new version with {}, fail on FunctionError;
 *    ECS: one GET /health through the test listener).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const mod = (p: string) => resolve(root, p);

export type Platform = 'Lambda' | 'ECS';
export const SETUPS = ['ready hooks', 'alarms only', 'hand-written hook'] as const;
export type Setup = (typeof SETUPS)[number];

const FN = 'sample-app';

/** What each platform deploys: the scenario's target and application keys. */
export const TARGETS = {
  Lambda: { lambda: { functionName: FN, alias: 'live' }, application: { name: 'sample-app', deploymentGroup: 'sample-app-group' } },
  ECS: {
    ecs: { cluster: 'sample-cluster', service: 'sample-service', loadBalancerName: 'sample-alb', targetGroups: ['sample-tg-blue', 'sample-tg-green'] },
    application: { name: 'sample-service-app', deploymentGroup: 'sample-service-group' },
  },
} as const;
const newVersion = { FunctionName: FN, Resource: `${FN}:live`, ExecutedVersion: '{{targetVersion}}' };

/** template.yaml's alarms, as scenario alarms. */
function lambdaAlarms(): unknown[] {
  return [
    {
      name: 'AppNewVersionErrorRateAlarm',
      math: {
        expression: '(FILL(errNew, 0) + FILL(fiveNew, 0)) / (invNew + 20)',
        metrics: {
          errNew: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: newVersion, stat: 'Sum' },
          invNew: { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: newVersion, stat: 'Sum' },
          fiveNew: { namespace: 'CodeDeployHooks/App', metricName: 'Http5xx', dimensions: { FunctionName: FN, ExecutedVersion: '{{targetVersion}}' }, stat: 'Sum' },
        },
      },
      threshold: 0.1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    {
      name: 'AppNewVersionLatencyAlarm',
      math: { expression: 'p99New', metrics: { p99New: { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: newVersion, stat: 'p99' } } },
      evaluationPeriods: 2,
      threshold: 3000,
      comparisonOperator: 'GreaterThanThreshold',
    },
  ];
}

/** The templates' CanaryVerdict alarm: AppCanaryVerdictAlarm (Lambda), CanaryVerdictAlarm (ECS). */
function verdictAlarm(platform: Platform): unknown {
  const { ecs } = TARGETS.ECS;
  return {
    name: platform === 'Lambda' ? 'AppCanaryVerdictAlarm' : 'CanaryVerdictAlarm',
    namespace: 'CodeDeployHooks',
    metricName: 'CanaryVerdict',
    // The analyzer names a Lambda deployment by its function, an ECS one by <cluster>/<service>.
    dimensions: { Target: platform === 'Lambda' ? FN : `${ecs.cluster}/${ecs.service}` },
    statistic: 'Maximum',
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
  };
}

/** The templates' CanaryAnalyzer: hooks/canary-analysis.ts every minute, watching the platform's deployment group. */
function canaryAnalyzer(platform: Platform, env: Record<string, string>): unknown {
  const { application } = TARGETS[platform];
  return {
    module: mod('hooks/canary-analysis.ts'),
    functionName: 'CanaryAnalyzer',
    rateSeconds: 60,
    timeoutSeconds: 50,
    env: { CODEDEPLOY_HOOKS_APPLICATION: application.name, CODEDEPLOY_HOOKS_DEPLOYMENT_GROUP: application.deploymentGroup, ...env },
  };
}

/** examples/ecs/template.yaml's alarm. */
const ECS_ALARMS = [
  {
    name: 'Target5xxAlarm',
    math: {
      expression: 'FILL(target5xx, 0) / (requests + 20)',
      metrics: {
        target5xx: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: '{{loadBalancer}}' }, stat: 'Sum' },
        requests: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: '{{loadBalancer}}' }, stat: 'Sum' },
      },
    },
    threshold: 0.05,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
  },
];

const COMPARE_ENV = { CODEDEPLOY_HOOKS_COMPARE: 'enforce', CODEDEPLOY_HOOKS_COMPARE_5XX_METRIC: 'CodeDeployHooks/App:Http5xx' };

/** The scenario keys (hooks, schedules, alarms, deployment config) of a setup. */
export function guard(platform: Platform, setup: Setup): Record<string, unknown> {
  if (platform === 'Lambda') {
    const base = { deployment: { config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' } };
    if (setup === 'alarms only') return { ...base, alarms: lambdaAlarms() };
    if (setup === 'hand-written hook') {
      return { ...base, alarms: lambdaAlarms(), hooks: { BeforeAllowTraffic: { module: mod('bench/detection/aws-sample-hook.ts'), functionName: 'CodeDeployHook_pre', timeoutSeconds: 60 } } };
    }
    return {
      ...base,
      alarms: [...lambdaAlarms(), verdictAlarm('Lambda')],
      hooks: {
        BeforeAllowTraffic: {
          module: mod('hooks/pre-traffic.ts'),
          functionName: 'CodeDeployHook_pre',
          timeoutSeconds: 60,
          env: { CODEDEPLOY_HOOKS_PAYLOADS: '[{"method":"GET","path":"/health","expectStatus":200}]', CODEDEPLOY_HOOKS_CHECK_ALARMS: 'true' },
        },
        AfterAllowTraffic: {
          module: mod('hooks/post-traffic.ts'),
          functionName: 'CodeDeployHook_post',
          timeoutSeconds: 900,
          env: { CODEDEPLOY_HOOKS_BAKE_DURATION_MS: '120000', ...COMPARE_ENV },
        },
      },
      schedules: [canaryAnalyzer('Lambda', COMPARE_ENV)],
    };
  }
  // examples/ecs/template.yaml's default DeploymentConfigName.
  const base = { deployment: { config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }, alarms: ECS_ALARMS };
  if (setup === 'alarms only') return base;
  if (setup === 'hand-written hook') {
    return { ...base, hooks: { AfterAllowTestTraffic: { module: mod('bench/hand-written-http-hook.ts'), functionName: 'CodeDeployHook_test', timeoutSeconds: 60 } } };
  }
  return {
    ...base,
    alarms: [...ECS_ALARMS, verdictAlarm('ECS')],
    hooks: {
      AfterAllowTestTraffic: {
        module: mod('hooks/ecs-test-traffic.ts'),
        functionName: 'CodeDeployHook_ecs-test',
        timeoutSeconds: 180,
        env: { CODEDEPLOY_HOOKS_HTTP_REQUESTS: '[{"path":"/health","expectStatus":200}]' },
      },
      AfterAllowTraffic: {
        module: mod('hooks/ecs-post-traffic.ts'),
        functionName: 'CodeDeployHook_ecs-post',
        timeoutSeconds: 300,
        env: { CODEDEPLOY_HOOKS_BAKE_DURATION_MS: '120000' },
      },
    },
    // The ECS example sets no CODEDEPLOY_HOOKS_COMPARE: enforce is the default; target group 5xx need no app metric.
    schedules: [canaryAnalyzer('ECS', {})],
  };
}
