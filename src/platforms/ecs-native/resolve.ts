/**
 * The ECS-native context, from the ECS API: DescribeServiceDeployments (the
 * event's resourceArn: status, stage, alarms, rollback), DescribeServiceRevisions
 * (green and blue: task definition, images, target groups, listener rules)
 * and, only when the deployment carries no alarm configuration,
 * DescribeServices. Each call is retried on throttling and 5xx until the
 * checks deadline; a failure is a ContextError (the hook then fails closed).
 */
import { DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { ECSClient, ServiceDeployment, ServiceRevision } from '@aws-sdk/client-ecs';
import { callWithRetry } from '../../aws-call.js';
import { ContextError, describeError } from '../../errors.js';
import type { DeploymentGroupContext, EcsLifecycleEvent, EcsTaskSet } from '../../types.js';
import { weightsLookLikeRollback } from './event.js';
import { ROLLBACK_STAGES } from './types.js';
import type { EcsNativeDetails, EcsNativeHookContext, EcsNativeHookEvent, EcsServiceRevisionInfo } from './types.js';

export interface EcsResolveOptions {
  deadline: number;
  signal?: AbortSignal;
}

/** The nearest CodeDeploy lifecycle event of each stage, for checks written against EcsHookContext. */
export const LIFECYCLE_EVENT_OF: Readonly<Record<string, EcsLifecycleEvent>> = {
  RECONCILE_SERVICE: 'BeforeInstall',
  PRE_SCALE_UP: 'BeforeInstall',
  POST_SCALE_UP: 'AfterInstall',
  TEST_TRAFFIC_SHIFT: 'AfterAllowTestTraffic',
  POST_TEST_TRAFFIC_SHIFT: 'AfterAllowTestTraffic',
  PRE_PRODUCTION_TRAFFIC_SHIFT: 'BeforeAllowTraffic',
  PRODUCTION_TRAFFIC_SHIFT: 'AfterAllowTraffic',
  POST_PRODUCTION_TRAFFIC_SHIFT: 'AfterAllowTraffic',
};

const ROLLBACK_STATUSES = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

export async function resolveEcsNativeContext(event: EcsNativeHookEvent, client: ECSClient, options: EcsResolveOptions): Promise<EcsNativeHookContext> {
  async function call<T>(what: string, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const result = await callWithRetry(run, { deadline: options.deadline, ...(options.signal ? { signal: options.signal } : {}) });
    if (!result.ok) {
      const { name, message } = describeError(result.error);
      throw new ContextError(`${what} failed after ${result.attempts} attempt(s): ${name}: ${message}`, { cause: result.error });
    }
    return result.value as T;
  }
  const { executionDetails: ed } = event;

  const described = await call('DescribeServiceDeployments', (abortSignal) =>
    client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [event.resourceArn] }), { abortSignal }),
  );
  // Only the event's own deployment is read: another one's status (ROLLBACK_*) or alarms would decide this hook wrongly.
  const deployment = described.serviceDeployments?.find((d) => d.serviceDeploymentArn === event.resourceArn);
  if (!deployment) {
    const failure = described.failures?.find((f) => f.arn === event.resourceArn) ?? described.failures?.[0];
    const others = (described.serviceDeployments ?? []).map((d) => d.serviceDeploymentArn ?? '(no ARN)');
    const why = failure
      ? `${failure.reason ?? 'failure'}${failure.detail ? ` (${failure.detail})` : ''}`
      : others.length > 0
        ? `it answered about ${others.slice(0, 3).join(', ')} instead`
        : 'no service deployment returned';
    throw new ContextError(`DescribeServiceDeployments found no deployment ${event.resourceArn}: ${why}`);
  }

  // Blue: the other revisions in the weight maps, else the deployment's source revisions.
  const weighted = [...Object.keys(ed.productionTrafficWeights), ...Object.keys(ed.testTrafficWeights)];
  const sourceArns = unique([...weighted, ...(deployment.sourceServiceRevisions ?? []).map((r) => r.arn ?? '')]).filter((a) => a !== '' && a !== ed.targetServiceRevisionArn);
  const revisionArns = [ed.targetServiceRevisionArn, ...sourceArns].slice(0, 20);
  const { serviceRevisions = [] } = await call('DescribeServiceRevisions', (abortSignal) =>
    client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns }), { abortSignal }),
  );
  const byArn = new Map(serviceRevisions.map((r) => [r.serviceRevisionArn, r]));
  const target = revisionInfo(ed.targetServiceRevisionArn, byArn.get(ed.targetServiceRevisionArn));
  const sources = sourceArns.map((a) => revisionInfo(a, byArn.get(a)));

  const rollback = rollbackOf(event, deployment);
  const configured = deployment.deploymentConfiguration?.alarms;
  let alarms: EcsNativeDetails['alarms'] | undefined = configured
    ? { enabled: configured.enable ?? false, rollback: configured.rollback ?? false, names: configured.alarmNames ?? [] }
    : undefined;
  const clusterArn = deployment.clusterArn;
  const { cluster, service } = namesOf(ed.serviceArn);
  const productionListenerRules = unique([target, ...sources].map((r) => r.productionListenerRule ?? ''));
  const testListenerRules = unique([target, ...sources].map((r) => r.testListenerRule ?? ''));

  const details: EcsNativeDetails = {
    executionId: event.executionId,
    stage: event.lifecycleStage,
    serviceDeploymentArn: event.resourceArn,
    serviceArn: ed.serviceArn,
    ...(clusterArn ? { clusterArn } : {}),
    ...(deployment.status ? { status: deployment.status } : {}),
    ...(deployment.deploymentConfiguration?.strategy ? { strategy: deployment.deploymentConfiguration.strategy } : {}),
    targetRevision: target,
    sourceRevisions: sources,
    testTrafficWeights: ed.testTrafficWeights,
    productionTrafficWeights: ed.productionTrafficWeights,
    productionListenerRules,
    testListenerRules,
    alarms: alarms ?? { enabled: false, rollback: false, names: [] },
    isRollback: rollback.isRollback,
    rollbackEvidence: rollback.evidence,
    hookDetails: event.hookDetails,
    ...(event.bake ? { bake: event.bake } : {}),
  };

  // The "deployment group" of an ECS-native deployment: its alarms and listeners, read at most once.
  let group: Promise<DeploymentGroupContext> | undefined;
  const deploymentGroup = () =>
    (group ??= (async () => {
      if (!alarms) alarms = await serviceAlarms(cluster, ed.serviceArn);
      details.alarms = alarms;
      return {
        deploymentGroupName: service,
        ...(details.strategy ? { deploymentConfigName: details.strategy } : {}),
        alarms: { enabled: alarms.enabled, ignorePollAlarmFailure: false, names: alarms.names },
        productionListenerArns: listenerArnsOf(productionListenerRules),
        testListenerArns: listenerArnsOf(testListenerRules),
        targetGroupNames: tgNames(target, sources),
        ecsServices: [{ clusterName: cluster, serviceName: service }],
      };
    })().catch((e: unknown) => ((group = undefined), Promise.reject(e))));

  async function serviceAlarms(clusterName: string, serviceArn: string): Promise<EcsNativeDetails['alarms']> {
    const out = await call('DescribeServices', (abortSignal) =>
      client.send(new DescribeServicesCommand({ cluster: clusterArn ?? clusterName, services: [serviceArn] }), { abortSignal }),
    );
    const a = out.services?.[0]?.deploymentConfiguration?.alarms;
    return { enabled: a?.enable ?? false, rollback: a?.rollback ?? false, names: a?.alarmNames ?? [] };
  }

  const green = taskSet(target, ed.productionTrafficWeights);
  const blue = sources[0] ? taskSet(sources[0], ed.productionTrafficWeights) : undefined;
  return {
    platform: 'ECS',
    lifecycleEvent: LIFECYCLE_EVENT_OF[event.lifecycleStage] ?? 'BeforeAllowTraffic',
    deploymentId: event.resourceArn,
    lifecycleEventHookExecutionId: event.executionId,
    applicationName: cluster,
    deploymentGroupName: service,
    deploymentConfigName: details.strategy ?? 'ECS',
    creator: 'ecs',
    isRollback: rollback.isRollback,
    ...(rollback.isRollback && deployment.rollback?.reason ? { rollbackInfo: { rollbackMessage: deployment.rollback.reason } } : {}),
    targetId: `${cluster}:${service}`,
    ...(deployment.createdAt ?? deployment.startedAt ? { deploymentStartedAt: new Date((deployment.createdAt ?? deployment.startedAt)!).getTime() } : {}),
    deploymentGroup,
    cluster,
    service,
    greenTaskSet: green,
    ...(blue ? { blueTaskSet: blue } : {}),
    targetGroups: tgNames(target, sources),
    productionListenerArns: listenerArnsOf(productionListenerRules),
    testListenerArns: listenerArnsOf(testListenerRules),
    ecsNative: details,
  };
}

/**
 * A rollback is told by the deployment's status (ROLLBACK_*) or its rollback
 * record, or by the rule AWS documents for the stages it re-invokes on a
 * rollback (TEST_ and PRODUCTION_TRAFFIC_SHIFT): green at 0 %, another
 * revision at 100 %. The weights alone never count elsewhere:
 * PRE_PRODUCTION_TRAFFIC_SHIFT sends the same weights before the first shift.
 */
function rollbackOf(event: EcsNativeHookEvent, deployment: ServiceDeployment): { isRollback: boolean; evidence: string } {
  if (deployment.status && ROLLBACK_STATUSES.has(deployment.status)) return { isRollback: true, evidence: `deployment status ${deployment.status}` };
  if (deployment.rollback?.startedAt || deployment.rollback?.reason) return { isRollback: true, evidence: 'the deployment has a rollback record' };
  if ((ROLLBACK_STAGES as readonly string[]).includes(event.lifecycleStage) && weightsLookLikeRollback(event)) {
    return { isRollback: true, evidence: `${event.lifecycleStage} with traffic shifting back: green at 0 %, another revision at 100 %` };
  }
  return { isRollback: false, evidence: `deployment status ${deployment.status ?? 'unknown'} at ${event.lifecycleStage}` };
}

function revisionInfo(arn: string, revision: ServiceRevision | undefined): EcsServiceRevisionInfo {
  const lb = revision?.loadBalancers?.find((l) => l.targetGroupArn) ?? revision?.loadBalancers?.[0];
  const resolved = revision?.resolvedConfiguration?.loadBalancers?.find((l) => l.targetGroupArn);
  const advanced = lb?.advancedConfiguration;
  const productionListenerRule = resolved?.productionListenerRule ?? advanced?.productionListenerRule;
  const testListenerRule = advanced?.testListenerRule;
  return {
    arn,
    ...(revision?.taskDefinition ? { taskDefinition: revision.taskDefinition } : {}),
    images: (revision?.containerImages ?? []).map((i) => ({
      ...(i.containerName ? { containerName: i.containerName } : {}),
      ...(i.image ? { image: i.image } : {}),
      ...(i.imageDigest ? { imageDigest: i.imageDigest } : {}),
    })),
    // Where the revision's tasks are registered comes first: blue and green swap target groups between deployments.
    targetGroupArns: unique([resolved?.targetGroupArn ?? '', lb?.targetGroupArn ?? '', advanced?.alternateTargetGroupArn ?? '']),
    ...(productionListenerRule ? { productionListenerRule } : {}),
    ...(testListenerRule ? { testListenerRule } : {}),
  };
}

function taskSet(revision: EcsServiceRevisionInfo, weights: Record<string, number>): EcsTaskSet {
  const tg = revision.targetGroupArns[0];
  const weight = weights[revision.arn];
  return { identifier: revision.arn, ...(weight !== undefined ? { trafficWeight: weight } : {}), ...(tg ? { targetGroupName: targetGroupName(tg) } : {}) };
}

/** Blue's target group first, then green's (the order EcsHookContext.targetGroups promises). */
function tgNames(target: EcsServiceRevisionInfo, sources: EcsServiceRevisionInfo[]): string[] {
  return unique([...sources.map((s) => s.targetGroupArns[0] ?? ''), target.targetGroupArns[0] ?? ''].map((a) => (a ? targetGroupName(a) : '')));
}

/** "arn:…:targetgroup/<name>/<id>" -> "<name>". */
export function targetGroupName(arn: string): string {
  const m = /:targetgroup\/([^/]+)\//.exec(arn);
  return m?.[1] ?? arn;
}

/** "arn:…:listener-rule/app/<lb>/<lbId>/<listenerId>/<ruleId>" -> "arn:…:listener/app/<lb>/<lbId>/<listenerId>". */
export function listenerArnOf(ruleArn: string): string | undefined {
  const m = /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener-rule\/((?:app|net)\/[^/]+\/[^/]+\/[^/]+)\/[^/]+$/.exec(ruleArn);
  return m ? `${m[1]}listener/${m[2]}` : undefined;
}

function listenerArnsOf(rules: string[]): string[] {
  return unique(rules.map((r) => listenerArnOf(r) ?? ''));
}

/** "arn:aws:ecs:<region>:<account>:service/<cluster>/<service>" -> names. */
export function namesOf(serviceArn: string): { cluster: string; service: string } {
  const [, cluster = '', service = ''] = serviceArn.slice(serviceArn.indexOf(':service/') + 1).split('/');
  return { cluster, service };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}
