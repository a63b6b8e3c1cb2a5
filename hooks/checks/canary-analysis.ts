/**
 * Canary analysis during the traffic shift. CodeDeploy runs no hook between
 * BeforeAllowTraffic and AfterAllowTraffic (the canary window), so a
 * scheduled function judges the new version against the old one while it
 * runs, and publishes the verdict as a metric. An alarm on that metric sits in
 * the deployment group's alarm list: when the new version is worse, the alarm
 * fires and CodeDeploy stops the deployment and rolls back by its own alarm
 * path, while the new version still serves only the canary share of traffic.
 *
 * Each run: ListDeployments (in progress) for the group, then per deployment
 * GetDeployment, ListDeploymentTargets, GetDeploymentTarget; compareVersions
 * over the deployment so far (a sequential test, so a run every minute does
 * not add false rollbacks); PutMetricData CanaryVerdict = 1 (worse) or 0.
 * A deployment whose new version has no traffic yet is skipped.
 */
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type DeploymentTarget,
} from '@aws-sdk/client-codedeploy';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { buildEcsContext, buildLambdaContext } from '../../src/context/build.js';
import { createClientRegistry } from '../../src/clients.js';
import { runCheck } from '../../src/engine/run-check.js';
import type { CheckResult, HookClients, HookContext } from '../../src/types.js';
import type { CompareConfig } from '../config.js';
import { compareOf } from './compare-of.js';

export interface CanaryAnalysisConfig {
  applicationName: string;
  deploymentGroupName: string;
  /** Namespace of the CanaryVerdict metric. */
  namespace: string;
  compare: CompareConfig;
}

export const VERDICT_METRIC = 'CanaryVerdict';

export interface DeploymentVerdict {
  deploymentId: string;
  /** The CanaryVerdict dimension: the function name (Lambda) or cluster/service (ECS). */
  target: string;
  /** 1 = the new version is worse, 0 = not (or not yet) shown worse; undefined = not judged (no canary traffic yet). */
  verdict?: 0 | 1;
  reason: string;
  check?: CheckResult;
}

const ROLLBACK_CREATORS = new Set(['codeDeployRollback', 'CloudFormationRollback']);

/** One analysis run over the group's deployments in progress; `deadline` is epoch ms. */
export async function analyzeCanaries(config: CanaryAnalysisConfig, clients: HookClients, deadline: number): Promise<DeploymentVerdict[]> {
  if (config.compare.mode === 'disabled') return [];
  const registry = createClientRegistry(clients);
  const codeDeploy = registry.get('codeDeploy', () => new CodeDeployClient({}));
  const cloudWatch = registry.get('cloudWatch', () => new CloudWatchClient({}));
  const { deployments = [] } = await codeDeploy.send(
    new ListDeploymentsCommand({ applicationName: config.applicationName, deploymentGroupName: config.deploymentGroupName, includeOnlyStatuses: ['InProgress'] }),
  );
  const verdicts: DeploymentVerdict[] = [];
  for (const deploymentId of deployments) {
    const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    if (!deploymentInfo || ROLLBACK_CREATORS.has(deploymentInfo.creator ?? '')) continue;
    const { targetIds = [] } = await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }));
    const targetId = targetIds[0];
    if (!targetId) continue;
    const { deploymentTarget } = await codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId }));
    if (!deploymentTarget) continue;
    const hook = contextOf(deploymentInfo, deploymentId, targetId, deploymentTarget);
    const target = hook.platform === 'Lambda' ? hook.functionName : `${hook.cluster}/${hook.service}`;
    const weight = hook.platform === 'Lambda' ? hook.targetVersionWeight : (hook.greenTaskSet?.trafficWeight ?? 0);
    if (!(weight > 0)) {
      verdicts.push({ deploymentId, target, reason: 'the new version has no production traffic yet; nothing to judge' });
      continue;
    }
    const controller = new AbortController();
    const check = await runCheck(compareOf(config.compare), { hook, clients: registry, hookStartedAt: Date.now(), log: { debug: () => undefined } }, deadline, controller.signal);
    // Only an enforced, decided "worse" moves the alarm: an error or a thin sample is no evidence either way.
    const verdict = check.state === 'failed' && check.enforced ? 1 : 0;
    verdicts.push({ deploymentId, target, verdict, reason: check.reason, check });
  }
  const judged = verdicts.filter((v) => v.verdict !== undefined);
  if (judged.length > 0) {
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: config.namespace,
        MetricData: judged.map((v) => ({ MetricName: VERDICT_METRIC, Dimensions: [{ Name: 'Target', Value: v.target }], Value: v.verdict, Unit: 'Count' })),
      }),
    );
  }
  return verdicts;
}

function contextOf(info: DeploymentInfo, deploymentId: string, targetId: string, target: DeploymentTarget): HookContext {
  const base = {
    event: { DeploymentId: deploymentId, LifecycleEventHookExecutionId: '' },
    deploymentInfo: info,
    targetId,
    deploymentGroup: () => Promise.reject(new Error('the canary analyzer reads no deployment group')),
  };
  // AllowTraffic is no hookable event, and the context needs one; the comparison never reads it.
  const event = 'BeforeAllowTraffic';
  return info.computePlatform === 'ECS' || target.ecsTarget ? buildEcsContext(base, event, target) : buildLambdaContext(base, event, target);
}
