/**
 * The canary analyzer: a function EventBridge Scheduler invokes every minute.
 * While a deployment of its group shifts traffic, it compares the new version
 * with the old one and publishes CanaryVerdict (1 = worse); an alarm on that
 * metric in the deployment group makes CodeDeploy stop and roll back during
 * the canary window (see hooks/checks/canary-analysis.ts).
 *
 * Configuration:
 *   CODEDEPLOY_HOOKS_APPLICATION, _DEPLOYMENT_GROUP   the group to watch (required)
 *   CODEDEPLOY_HOOKS_VERDICT_NAMESPACE                default CodeDeployHooks
 *   CODEDEPLOY_HOOKS_COMPARE and _COMPARE_*           as the post-traffic hooks (default enforce;
 *                                                     disabled: no run judges anything, observe: verdicts are logged, never published as 1)
 */
import { OptionsError } from '../src/errors.js';
import type { LambdaContextLike } from '../src/types.js';
import { analyzeCanaries, type CanaryAnalysisConfig, type DeploymentVerdict } from './checks/canary-analysis.js';
import { PREFIX, readCompare, readString, type Env } from './config.js';

export function canaryAnalysisConfig(env: Env): CanaryAnalysisConfig {
  const required = (name: string): string => {
    const value = readString(env, name);
    if (value === undefined) throw new OptionsError(PREFIX + name, 'is required: the analyzer watches the deployments of one deployment group');
    return value;
  };
  const config = {
    applicationName: required('APPLICATION'),
    deploymentGroupName: required('DEPLOYMENT_GROUP'),
    namespace: readString(env, 'VERDICT_NAMESPACE') ?? 'CodeDeployHooks',
    compare: readCompare(env),
  };
  return config;
}

// Checked when the module loads in Lambda, so a bad value stops the function from initialising.
// Imported elsewhere (tests, tools) the required group may come later, with the invocation's environment.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) canaryAnalysisConfig(process.env);

/** Keeps 2 s for PutMetricData after the comparison, within the function's timeout. */
const RESERVE_MS = 2000;

export async function handler(_event: unknown, context?: LambdaContextLike): Promise<DeploymentVerdict[]> {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 60_000;
  const verdicts = await analyzeCanaries(canaryAnalysisConfig(process.env), {}, Date.now() + remaining - RESERVE_MS);
  // One line per run: what was judged and why, for whoever reads the function's logs.
  console.log(JSON.stringify({ canaryAnalysis: verdicts.map(({ check: _check, ...v }) => v) }));
  return verdicts;
}
