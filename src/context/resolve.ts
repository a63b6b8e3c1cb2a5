import {
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import type { CodeDeployClient, DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { callWithRetry } from '../aws-call.js';
import { ContextError, describeError } from '../errors.js';
import { sleep } from '../util/abort.js';
import type { CodeDeployHookEvent, DeploymentGroupContext, HookContext, LifecycleEventName } from '../types.js';
import { lastCompletedEvent, runningEvent } from './lifecycle.js';
import type { LifecycleEventEntry, Platform } from './lifecycle.js';
import { buildEcsContext, buildLambdaContext, toDeploymentGroupContext } from './build.js';

export type Resolution =
  | { kind: 'running'; context: HookContext }
  /** The lifecycle event was already reported (a duplicate or late invocation). */
  | { kind: 'completed'; platform: Platform; lifecycleEvent: LifecycleEventName; status: 'Succeeded' | 'Failed' };

export interface ResolveOptions {
  deadline: number;
  signal?: AbortSignal;
  retry: { attempts: number; delayMs: number };
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped']);

/**
 * Finds out what is being deployed: GetDeployment, the deployment's single
 * target and its InProgress lifecycle event. The deployment group is fetched
 * later, only if a check asks. Throws ContextError when it cannot tell.
 */
export async function resolveHookContext(
  event: CodeDeployHookEvent,
  client: CodeDeployClient,
  options: ResolveOptions,
): Promise<Resolution> {
  const send = async <T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const result = await callWithRetry(call, { deadline: options.deadline, signal: options.signal });
    if (result.ok) return result.value as T;
    const { name, message } = describeError(result.error);
    throw new ContextError(`${what} failed after ${result.attempts} attempt(s): ${name}: ${message}`, { cause: result.error });
  };
  const deploymentId = event.DeploymentId;

  const { deploymentInfo } = await send('GetDeployment', (abortSignal) =>
    client.send(new GetDeploymentCommand({ deploymentId }), { abortSignal }),
  );
  if (!deploymentInfo) throw new ContextError(`GetDeployment returned no deploymentInfo for ${deploymentId}`);
  const platform = platformOf(deploymentInfo);

  const targetId = await firstTargetId(deploymentId, (what, call) => send(what, call));
  const readTarget = async (): Promise<DeploymentTarget> => {
    const { deploymentTarget } = await send('GetDeploymentTarget', (abortSignal) =>
      client.send(new GetDeploymentTargetCommand({ deploymentId, targetId }), { abortSignal }),
    );
    if (!deploymentTarget) throw new ContextError(`GetDeploymentTarget returned no deploymentTarget for ${targetId}`);
    return deploymentTarget;
  };

  // CodeDeploy may invoke the hook a moment before it shows the event InProgress.
  let target = await readTarget();
  let events = eventsOf(target);
  let running = runningEvent(platform, events);
  for (let i = 1; !running && i < options.retry.attempts && !TERMINAL.has(deploymentInfo.status ?? ''); i++) {
    if (options.deadline - Date.now() < options.retry.delayMs) break;
    await sleep(options.retry.delayMs, options.signal);
    target = await readTarget();
    events = eventsOf(target);
    running = runningEvent(platform, events);
  }

  if (!running) {
    const completed = lastCompletedEvent(platform, events);
    if (completed) return { kind: 'completed', platform, lifecycleEvent: completed.name, status: completed.status };
    const seen = events.map((e) => `${e.lifecycleEventName}=${e.status}`).join(', ') || 'none';
    throw new ContextError(`no hookable lifecycle event of deployment ${deploymentId} is InProgress (events: ${seen})`);
  }

  let group: Promise<DeploymentGroupContext> | undefined;
  const deploymentGroup = () =>
    (group ??= send('GetDeploymentGroup', (abortSignal) =>
      client.send(
        new GetDeploymentGroupCommand({
          applicationName: deploymentInfo.applicationName,
          deploymentGroupName: deploymentInfo.deploymentGroupName,
        }),
        { abortSignal },
      ),
    ).then(({ deploymentGroupInfo }) => toDeploymentGroupContext(deploymentGroupInfo ?? {}, deploymentInfo)));
  // A later caller may retry after a failure rather than inherit it.
  const memoized = () => deploymentGroup().catch((e: unknown) => ((group = undefined), Promise.reject(e)));

  const base = { event, deploymentInfo, targetId, deploymentGroup: memoized };
  const context =
    platform === 'Lambda' ? buildLambdaContext(base, running, target) : buildEcsContext(base, running, target);
  return { kind: 'running', context };

  async function firstTargetId(
    id: string,
    call: <T>(what: string, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<string> {
    const { targetIds } = await call('ListDeploymentTargets', (abortSignal) =>
      client.send(new ListDeploymentTargetsCommand({ deploymentId: id }), { abortSignal }),
    );
    // Lambda and ECS deployments have exactly one target.
    const first = targetIds?.[0];
    if (!first) throw new ContextError(`ListDeploymentTargets returned no target for deployment ${id}`);
    return first;
  }
}

function platformOf(info: DeploymentInfo): Platform {
  if (info.computePlatform === 'Lambda' || info.computePlatform === 'ECS') return info.computePlatform;
  throw new ContextError(
    `deployment ${info.deploymentId} is on compute platform ${info.computePlatform ?? 'unknown'}; only Lambda and ECS hooks are supported`,
  );
}

function eventsOf(target: DeploymentTarget): LifecycleEventEntry[] {
  return (target.lambdaTarget?.lifecycleEvents ?? target.ecsTarget?.lifecycleEvents ?? []) as LifecycleEventEntry[];
}
