import { notifyAll } from './notify.js';
import { AwsServiceError } from './aws-error.js';
import { AppRevisionStore } from './app-revisions.js';
import { predefinedDeploymentConfigs } from './deployment-configs.js';
import type { ComputePlatform, DeploymentConfigInfo, TrafficRoutingConfig } from './deployment-configs.js';
import { ECS_LIFECYCLE_EVENTS, LAMBDA_LIFECYCLE_EVENTS } from './codedeploy-types.js';
import type {
  DeploymentStatus,
  ApplicationInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  LifecycleEvent,
  EcsTaskSetInfo,
  TargetStatus,
  DeploymentWaitType,
  LambdaTarget,
  EcsTarget,
  DeploymentTarget,
  HookExecution,
  HookReport,
  StopRequest,
  CreateApplicationInput,
  CreateDeploymentGroupInput,
  CreateDeploymentInput,
} from './codedeploy-types.js';

export * from './codedeploy-types.js';
import { newDeploymentId, newHookExecutionId, newUuid } from './ids.js';
import { recordRollbackDeployment, stopRollsBack } from './codedeploy-rollback.js';

/**
 * CodeDeploy's side of the world: applications, groups, configs, deployments,
 * their single target, lifecycle events and hook executions. Records are kept
 * in the real API's output shapes (camelCase, Date for timestamps) so the
 * protocol layer only serialises them.
 */

type Listener<T> = (value: T) => void;

const DEPLOYMENT_ID_RE = /^d-[A-Z0-9]{9}$/;

export class CodeDeployState {
  readonly applications = new Map<string, ApplicationInfo>();
  /** key: `${applicationName}\u0000${deploymentGroupName}` */
  readonly deploymentGroups = new Map<string, DeploymentGroupInfo>();
  readonly deploymentConfigs = new Map<string, DeploymentConfigInfo>();
  readonly deployments = new Map<string, DeploymentInfo>();
  readonly targets = new Map<string, DeploymentTarget>();
  readonly hookExecutions = new Map<string, HookExecution>();
  /** AppSpec revisions, for GetApplicationRevision (the simulator registers each deployment's). */
  readonly revisions: AppRevisionStore;
  private readonly reportListeners = new Set<Listener<HookReport>>();
  private readonly stopListeners = new Set<Listener<StopRequest>>();
  private readonly rollbackListeners = new Set<Listener<string>>();
  private readonly waits = new Map<string, { type: DeploymentWaitType; resolve: () => void; end: () => void }>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;

  constructor(opts: { region: string; accountId: string; now: () => number }) {
    this.region = opts.region;
    this.accountId = opts.accountId;
    this.now = opts.now;
    this.revisions = new AppRevisionStore(opts.now);
    for (const c of predefinedDeploymentConfigs()) this.deploymentConfigs.set(c.deploymentConfigName, c);
  }

  // ---- applications, groups, configs -------------------------------------------------

  createApplication(input: CreateApplicationInput): ApplicationInfo {
    if (this.applications.has(input.applicationName)) {
      throw new AwsServiceError('ApplicationAlreadyExistsException', `The application ${input.applicationName} already exists.`);
    }
    const app: ApplicationInfo = {
      applicationId: newUuid(),
      applicationName: input.applicationName,
      computePlatform: input.computePlatform,
      createTime: new Date(this.now()),
      linkedToGitHub: false,
    };
    this.applications.set(app.applicationName, app);
    return app;
  }

  getApplication(applicationName: string | undefined): ApplicationInfo {
    if (!applicationName) throw new AwsServiceError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
    const app = this.applications.get(applicationName);
    if (!app) throw new AwsServiceError('ApplicationDoesNotExistException', `No application found for name: ${applicationName}`);
    return app;
  }

  putDeploymentConfig(input: { deploymentConfigName: string; computePlatform: ComputePlatform; trafficRoutingConfig: TrafficRoutingConfig }): DeploymentConfigInfo {
    const cfg: DeploymentConfigInfo = {
      deploymentConfigId: newUuid(),
      deploymentConfigName: input.deploymentConfigName,
      computePlatform: input.computePlatform,
      trafficRoutingConfig: input.trafficRoutingConfig,
      createTime: new Date(this.now()),
    };
    this.deploymentConfigs.set(cfg.deploymentConfigName, cfg);
    return cfg;
  }

  getDeploymentConfig(name: string | undefined): DeploymentConfigInfo {
    if (!name) throw new AwsServiceError('DeploymentConfigNameRequiredException', 'Deployment configuration name was not specified.');
    const cfg = this.deploymentConfigs.get(name);
    if (!cfg) throw new AwsServiceError('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
    return cfg;
  }

  createDeploymentGroup(input: CreateDeploymentGroupInput): DeploymentGroupInfo {
    const app = this.getApplication(input.applicationName);
    const key = groupKey(input.applicationName, input.deploymentGroupName);
    if (this.deploymentGroups.has(key)) {
      throw new AwsServiceError('DeploymentGroupAlreadyExistsException', `A deployment group named ${input.deploymentGroupName} already exists.`);
    }
    const configName = input.deploymentConfigName ?? (app.computePlatform === 'ECS' ? 'CodeDeployDefault.ECSAllAtOnce' : 'CodeDeployDefault.LambdaAllAtOnce');
    this.getDeploymentConfig(configName);
    const group: DeploymentGroupInfo = {
      applicationName: app.applicationName,
      deploymentGroupId: newUuid(),
      deploymentGroupName: input.deploymentGroupName,
      deploymentConfigName: configName,
      computePlatform: app.computePlatform,
      serviceRoleArn: input.serviceRoleArn ?? `arn:aws:iam::${this.accountId}:role/CodeDeployServiceRole`,
      alarmConfiguration: {
        enabled: input.alarmConfiguration?.enabled ?? (input.alarmConfiguration?.alarms?.length ?? 0) > 0,
        ignorePollAlarmFailure: input.alarmConfiguration?.ignorePollAlarmFailure ?? false,
        alarms: input.alarmConfiguration?.alarms ?? [],
      },
      autoRollbackConfiguration: {
        enabled: input.autoRollbackConfiguration?.enabled ?? false,
        events: input.autoRollbackConfiguration?.events ?? [],
      },
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      ...(input.loadBalancerInfo ? { loadBalancerInfo: input.loadBalancerInfo } : {}),
      ...(input.ecsServices ? { ecsServices: input.ecsServices } : {}),
      ...(input.blueGreenDeploymentConfiguration ? { blueGreenDeploymentConfiguration: structuredClone(input.blueGreenDeploymentConfiguration) } : {}),
    };
    this.deploymentGroups.set(key, group);
    return group;
  }

  getDeploymentGroup(applicationName: string | undefined, deploymentGroupName: string | undefined): DeploymentGroupInfo {
    this.getApplication(applicationName);
    if (!deploymentGroupName) throw new AwsServiceError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
    const group = this.deploymentGroups.get(groupKey(applicationName!, deploymentGroupName));
    if (!group) throw new AwsServiceError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${deploymentGroupName}`);
    return group;
  }

  listDeploymentGroups(applicationName: string | undefined): string[] {
    this.getApplication(applicationName);
    return [...this.deploymentGroups.values()].filter((g) => g.applicationName === applicationName).map((g) => g.deploymentGroupName);
  }

  // ---- deployments ---------------------------------------------------------------------

  createDeployment(input: CreateDeploymentInput): DeploymentInfo {
    const group = this.getDeploymentGroup(input.applicationName, input.deploymentGroupName);
    const configName = input.deploymentConfigName ?? group.deploymentConfigName;
    this.getDeploymentConfig(configName);
    const now = new Date(this.now());
    const deploymentId = newDeploymentId();
    const status = input.status ?? 'InProgress';
    const deployment: DeploymentInfo = {
      applicationName: group.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      deploymentConfigName: configName,
      deploymentId,
      computePlatform: group.computePlatform,
      status,
      creator: input.creator ?? 'user',
      ...(input.description ? { description: input.description } : {}),
      createTime: now,
      ...(status === 'InProgress' ? { startTime: now } : {}),
      ...(input.rollbackInfo ? { rollbackInfo: input.rollbackInfo } : {}),
      autoRollbackConfiguration: structuredClone(group.autoRollbackConfiguration),
      ...(group.loadBalancerInfo ? { loadBalancerInfo: structuredClone(group.loadBalancerInfo) } : {}),
      deploymentStyle: { ...group.deploymentStyle },
      ...(group.blueGreenDeploymentConfiguration ? { blueGreenDeploymentConfiguration: structuredClone(group.blueGreenDeploymentConfiguration) } : {}),
      deploymentStatusMessages: [],
    };
    const eventNames = input.lifecycleEventNames ?? defaultLifecycleEvents(group);
    const lifecycleEvents: LifecycleEvent[] = eventNames.map((n) => ({ lifecycleEventName: n, status: 'Pending' }));
    const targetStatus: TargetStatus = status === 'InProgress' ? 'InProgress' : 'Pending';
    if (group.computePlatform === 'Lambda') {
      if (!input.lambdaTarget) throw new Error('createDeployment: a Lambda deployment needs lambdaTarget');
      const info = { ...input.lambdaTarget, targetVersionWeight: input.lambdaTarget.targetVersionWeight ?? 0 };
      const targetId = `${info.functionName}:${info.functionAlias}`;
      this.targets.set(deploymentId, {
        deploymentTargetType: 'LambdaTarget',
        lambdaTarget: {
          deploymentId, targetId,
          targetArn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${targetId}`,
          status: targetStatus, lastUpdatedAt: now, lifecycleEvents, lambdaFunctionInfo: info,
        },
      });
    } else {
      if (!input.ecsTarget) throw new Error('createDeployment: an ECS deployment needs ecsTarget');
      const { clusterName, serviceName, taskSets } = input.ecsTarget;
      const targetId = `${clusterName}:${serviceName}`;
      this.targets.set(deploymentId, {
        deploymentTargetType: 'ECSTarget',
        ecsTarget: {
          deploymentId, targetId,
          targetArn: `arn:aws:ecs:${this.region}:${this.accountId}:service/${clusterName}/${serviceName}`,
          status: targetStatus, lastUpdatedAt: now, lifecycleEvents, taskSetsInfo: structuredClone(taskSets),
        },
      });
    }
    this.deployments.set(deploymentId, deployment);
    const summary = { deploymentId, status, createTime: now };
    group.lastAttemptedDeployment = summary;
    return deployment;
  }

  /** Validates like the real API: required, format, existence. */
  getDeployment(deploymentId: string | undefined): DeploymentInfo {
    if (!deploymentId) throw new AwsServiceError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
    if (!DEPLOYMENT_ID_RE.test(deploymentId)) throw new AwsServiceError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${deploymentId}`);
    const d = this.deployments.get(deploymentId);
    if (!d) throw new AwsServiceError('DeploymentDoesNotExistException', `Deployment ${deploymentId} does not exist.`);
    return d;
  }

  listDeployments(filter: { applicationName?: string; deploymentGroupName?: string; includeOnlyStatuses?: string[] } = {}): string[] {
    if (filter.applicationName) this.getApplication(filter.applicationName);
    if (filter.deploymentGroupName) this.getDeploymentGroup(filter.applicationName, filter.deploymentGroupName);
    return [...this.deployments.values()]
      .filter((d) => !filter.applicationName || d.applicationName === filter.applicationName)
      .filter((d) => !filter.deploymentGroupName || d.deploymentGroupName === filter.deploymentGroupName)
      .filter((d) => !filter.includeOnlyStatuses?.length || filter.includeOnlyStatuses.includes(d.status))
      .sort((a, b) => b.createTime.getTime() - a.createTime.getTime())
      .map((d) => d.deploymentId);
  }

  /** Sets the deployment status (and completeTime for terminal ones); updates the target status too. */
  setDeploymentStatus(deploymentId: string, status: DeploymentStatus, errorInformation?: { code: string; message: string }): DeploymentInfo {
    const d = this.getDeployment(deploymentId);
    const now = new Date(this.now());
    d.status = status;
    if (status === 'InProgress' && !d.startTime) d.startTime = now;
    if (status === 'Succeeded' || status === 'Failed' || status === 'Stopped') d.completeTime = now;
    if (errorInformation) d.errorInformation = errorInformation;
    const t = this.targetOf(deploymentId);
    t.status = status === 'Stopped' ? 'Failed' : status === 'Created' || status === 'Queued' ? 'Pending' : status === 'Baking' ? 'InProgress' : status;
    t.lastUpdatedAt = now;
    const group = this.deploymentGroups.get(groupKey(d.applicationName, d.deploymentGroupName));
    if (group) {
      const summary = { deploymentId, status, createTime: d.createTime, ...(d.completeTime ? { endTime: d.completeTime } : {}) };
      group.lastAttemptedDeployment = summary;
      if (status === 'Succeeded') group.lastSuccessfulDeployment = summary;
    }
    return d;
  }

  setRollbackInfo(deploymentId: string, info: NonNullable<DeploymentInfo['rollbackInfo']>): void {
    const d = this.getDeployment(deploymentId);
    d.rollbackInfo = { ...d.rollbackInfo, ...info };
  }

  addStatusMessage(deploymentId: string, message: string): void {
    this.getDeployment(deploymentId).deploymentStatusMessages.push(message);
  }

  // ---- targets ------------------------------------------------------------------------

  listDeploymentTargets(deploymentId: string | undefined): string[] {
    this.getDeployment(deploymentId);
    return [this.targetBody(this.targets.get(deploymentId!)!).targetId];
  }

  getDeploymentTarget(deploymentId: string | undefined, targetId: string | undefined): DeploymentTarget {
    this.getDeployment(deploymentId);
    if (!targetId) throw new AwsServiceError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
    const target = this.targets.get(deploymentId!)!;
    if (this.targetBody(target).targetId !== targetId) {
      throw new AwsServiceError('DeploymentTargetDoesNotExistException', `The provided target ID does not belong to the deployment ${deploymentId}: ${targetId}`);
    }
    return target;
  }

  /** The lambdaTarget/ecsTarget body of a deployment's target (mutable). */
  targetOf(deploymentId: string): LambdaTarget | EcsTarget {
    const t = this.targets.get(deploymentId);
    if (!t) throw new AwsServiceError('DeploymentDoesNotExistException', `Deployment ${deploymentId} does not exist.`);
    return this.targetBody(t);
  }

  private targetBody(t: DeploymentTarget): LambdaTarget | EcsTarget {
    return t.deploymentTargetType === 'LambdaTarget' ? t.lambdaTarget : t.ecsTarget;
  }

  /** Moves the Lambda alias weight shown by GetDeploymentTarget (percent, 0..100). */
  setLambdaTargetWeight(deploymentId: string, targetVersionWeight: number): void {
    const t = this.targets.get(deploymentId);
    if (t?.deploymentTargetType !== 'LambdaTarget') throw new Error(`deployment ${deploymentId} has no Lambda target`);
    t.lambdaTarget.lambdaFunctionInfo.targetVersionWeight = targetVersionWeight;
    t.lambdaTarget.lastUpdatedAt = new Date(this.now());
  }

  /** Replaces or patches ECS task sets by label (Blue/Green). */
  updateEcsTaskSets(deploymentId: string, patch: (Partial<EcsTaskSetInfo> & { taskSetLabel: 'Blue' | 'Green' })[]): void {
    const t = this.targets.get(deploymentId);
    if (t?.deploymentTargetType !== 'ECSTarget') throw new Error(`deployment ${deploymentId} has no ECS target`);
    for (const p of patch) {
      const existing = t.ecsTarget.taskSetsInfo.find((s) => s.taskSetLabel === p.taskSetLabel);
      if (existing) Object.assign(existing, p);
      else t.ecsTarget.taskSetsInfo.push({
        identifer: `ecs-svc/${Math.floor(Math.random() * 1e18)}`, desiredCount: 1, pendingCount: 0, runningCount: 1,
        status: 'ACTIVE', trafficWeight: 0, targetGroup: { name: '' }, ...p,
      });
    }
    t.ecsTarget.lastUpdatedAt = new Date(this.now());
  }

  // ---- lifecycle events and hook executions -----------------------------------------------

  lifecycleEvent(deploymentId: string, name: string): LifecycleEvent {
    const ev = this.targetOf(deploymentId).lifecycleEvents.find((e) => e.lifecycleEventName === name);
    if (!ev) throw new Error(`deployment ${deploymentId} has no lifecycle event ${name}`);
    return ev;
  }

  /** Marks an event InProgress (startTime = now). */
  startLifecycleEvent(deploymentId: string, name: string): LifecycleEvent {
    const ev = this.lifecycleEvent(deploymentId, name);
    ev.status = 'InProgress';
    ev.startTime = new Date(this.now());
    delete ev.endTime;
    return ev;
  }

  /** Ends an event (endTime = now) with the given status. */
  completeLifecycleEvent(deploymentId: string, name: string, status: 'Succeeded' | 'Failed' | 'Skipped', diagnostics?: LifecycleEvent['diagnostics']): LifecycleEvent {
    const ev = this.lifecycleEvent(deploymentId, name);
    ev.status = status;
    ev.endTime = new Date(this.now());
    if (!ev.startTime && status !== 'Skipped') ev.startTime = ev.endTime;
    if (diagnostics) ev.diagnostics = diagnostics;
    return ev;
  }

  /**
   * Starts a hookable lifecycle event and returns the execution id to put in the
   * hook's event payload ({ DeploymentId, LifecycleEventHookExecutionId }).
   */
  createHookExecution(deploymentId: string, lifecycleEventName: string): HookExecution {
    this.getDeployment(deploymentId);
    const ev = this.lifecycleEvent(deploymentId, lifecycleEventName);
    if (ev.status === 'Pending') this.startLifecycleEvent(deploymentId, lifecycleEventName);
    const exec: HookExecution = {
      executionId: newHookExecutionId(), deploymentId, lifecycleEventName,
      createdAt: new Date(this.now()), reported: false,
    };
    this.hookExecutions.set(exec.executionId, exec);
    return exec;
  }

  /**
   * PutLifecycleEventHookExecutionStatus semantics: the first valid report sets
   * the lifecycle event's status and notifies subscribers; any later one is
   * LifecycleEventAlreadyCompletedException.
   */
  reportHookExecution(input: { deploymentId?: string; lifecycleEventHookExecutionId?: string; status?: string }): HookReport {
    const d = this.getDeployment(input.deploymentId);
    if (input.status !== 'Succeeded' && input.status !== 'Failed') {
      throw new AwsServiceError('InvalidLifecycleEventHookExecutionStatusException', `The status ${String(input.status)} is not valid. Valid values are Succeeded and Failed.`);
    }
    const exec = input.lifecycleEventHookExecutionId ? this.hookExecutions.get(input.lifecycleEventHookExecutionId) : undefined;
    if (!exec || exec.deploymentId !== d.deploymentId) {
      throw new AwsServiceError('InvalidLifecycleEventHookExecutionIdException', `The lifecycle event hook execution ID ${String(input.lifecycleEventHookExecutionId)} is not valid for deployment ${d.deploymentId}.`);
    }
    if (exec.status) {
      throw new AwsServiceError('LifecycleEventAlreadyCompletedException', `The lifecycle event ${exec.lifecycleEventName} of deployment ${d.deploymentId} is already completed.`);
    }
    const at = new Date(this.now());
    exec.status = input.status;
    exec.reportedAt = at;
    exec.reported = true;
    const ev = this.lifecycleEvent(exec.deploymentId, exec.lifecycleEventName);
    ev.status = input.status;
    ev.endTime = at;
    const report: HookReport = { executionId: exec.executionId, deploymentId: exec.deploymentId, lifecycleEventName: exec.lifecycleEventName, status: input.status, at };
    notifyAll(this.reportListeners, report);
    return report;
  }

  /**
   * Closes an execution without a report (hook timeout): the event becomes
   * Failed and later reports get LifecycleEventAlreadyCompletedException.
   */
  expireHookExecution(executionId: string, diagnosticsMessage = 'The lifecycle event hook did not report a status in time.'): void {
    const exec = this.hookExecutions.get(executionId);
    if (!exec || exec.status) return;
    exec.status = 'Failed';
    this.completeLifecycleEvent(exec.deploymentId, exec.lifecycleEventName, 'Failed', {
      errorCode: 'ScriptTimedOut', scriptName: '', message: diagnosticsMessage, logTail: '',
    });
  }

  /** Subscribes to hook reports; returns an unsubscribe function. */
  onHookReport(listener: Listener<HookReport>): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  /**
   * Resolves with the reported status of one execution (immediately if it was
   * already reported), or 'timeout' after timeoutMs (wall clock), or rejects
   * with the signal's reason when aborted.
   */
  waitForHookReport(executionId: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<'Succeeded' | 'Failed' | 'timeout'> {
    const exec = this.hookExecutions.get(executionId);
    if (!exec) return Promise.reject(new Error(`unknown hook execution ${executionId}`));
    if (exec.status && exec.reported) return Promise.resolve(exec.status);
    if (exec.status) return Promise.resolve('timeout');
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        unsubscribe();
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => { cleanup(); reject(opts.signal?.reason); };
      const unsubscribe = this.onHookReport((r) => {
        if (r.executionId === executionId) { cleanup(); resolve(r.status); }
      });
      if (opts.timeoutMs !== undefined) timer = setTimeout(() => { cleanup(); resolve('timeout'); }, opts.timeoutMs);
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- blue/green waits and ContinueDeployment ------------------------------------------

  /**
   * The engine enters a wait ContinueDeployment can end: READY_WAIT (status
   * Ready, before production traffic moves) or TERMINATION_WAIT (traffic moved,
   * the original task set still running). `continued` resolves when it is called;
   * `close` ends the wait (its timer ran out, or the deployment stopped).
   */
  openWait(deploymentId: string, type: DeploymentWaitType): { continued: Promise<void>; close: () => void } {
    const d = this.getDeployment(deploymentId);
    let resolve!: () => void;
    const continued = new Promise<void>((r) => (resolve = r));
    const previous = d.status;
    if (type === 'READY_WAIT') this.setDeploymentStatus(deploymentId, 'Ready');
    else d.instanceTerminationWaitTimeStarted = true;
    // Whichever ends the wait (ContinueDeployment or close) puts the status back.
    const end = () => {
      if (this.waits.get(deploymentId)?.resolve !== resolve) return;
      this.waits.delete(deploymentId);
      if (d.status === 'Ready') this.setDeploymentStatus(deploymentId, previous);
    };
    this.waits.set(deploymentId, { type, resolve, end });
    return { continued, close: end };
  }

  /** ContinueDeployment: ends the deployment's wait of that type (default READY_WAIT), with the API's errors otherwise. */
  continueDeployment(deploymentId: string | undefined, waitType: string | undefined): void {
    const d = this.getDeployment(deploymentId);
    if (['Succeeded', 'Failed', 'Stopped'].includes(d.status)) {
      throw new AwsServiceError('DeploymentAlreadyCompletedException', `The deployment ${d.deploymentId} is already completed.`);
    }
    const type = waitType ?? 'READY_WAIT';
    if (type !== 'READY_WAIT' && type !== 'TERMINATION_WAIT') throw new AwsServiceError('InvalidDeploymentWaitTypeException', `The wait type ${type} is invalid.`);
    if (d.computePlatform === 'Lambda') throw new AwsServiceError('UnsupportedActionForDeploymentTypeException', 'ContinueDeployment is not supported for a Lambda deployment.');
    const wait = this.waits.get(d.deploymentId);
    if (!wait || wait.type !== type) {
      throw new AwsServiceError('DeploymentIsNotInReadyStateException', `The deployment ${d.deploymentId} is not waiting (${type}).`);
    }
    wait.end();
    wait.resolve();
  }

  // ---- StopDeployment --------------------------------------------------------------------

  /** StopDeployment: notifies the engine (which decides rollback); returns the API's answer. */
  requestStop(deploymentId: string | undefined, autoRollbackEnabled?: boolean): { status: 'Pending' | 'Succeeded'; statusMessage: string } {
    const d = this.getDeployment(deploymentId);
    if (['Succeeded', 'Failed', 'Stopped'].includes(d.status)) {
      throw new AwsServiceError('DeploymentAlreadyCompletedException', `The deployment ${d.deploymentId} is already completed.`);
    }
    const req: StopRequest = { deploymentId: d.deploymentId, at: new Date(this.now()), ...(autoRollbackEnabled !== undefined ? { autoRollbackEnabled } : {}) };
    if (this.stopListeners.size === 0) {
      // Nothing drives this deployment: stop it here, rolling back as the request or the deployment's configuration says.
      const message = 'The deployment was stopped by a user request.';
      this.setDeploymentStatus(d.deploymentId, 'Stopped', { code: 'MANUAL_STOP', message });
      if (stopRollsBack(d, autoRollbackEnabled)) {
        notifyAll(this.rollbackListeners, d.deploymentId);
        recordRollbackDeployment(this, d.deploymentId, message);
      }
      return { status: 'Succeeded', statusMessage: 'Deployment stopped.' };
    }
    notifyAll(this.stopListeners, req);
    return { status: 'Pending', statusMessage: 'Stopping deployment.' };
  }

  /** Called with the deployment id when a stop with rollback is carried out here (no engine drives the deployment). */
  onRollback(listener: Listener<string>): () => void {
    this.rollbackListeners.add(listener);
    return () => this.rollbackListeners.delete(listener);
  }

  onStopRequest(listener: Listener<StopRequest>): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }
}

/**
 * The lifecycle events of a group's deployments. An ECS group without a test
 * listener has no AllowTestTraffic or AfterAllowTestTraffic: the AWS ECS
 * tutorial's get-deployment-target output lists none (research §2.2).
 */
function defaultLifecycleEvents(group: DeploymentGroupInfo): string[] {
  if (group.computePlatform !== 'ECS') return [...LAMBDA_LIFECYCLE_EVENTS];
  const pairs = group.loadBalancerInfo?.targetGroupPairInfoList ?? [];
  const hasTestListener = pairs.length === 0 || pairs.some((p) => (p.testTrafficRoute?.listenerArns.length ?? 0) > 0);
  return ECS_LIFECYCLE_EVENTS.filter((e) => hasTestListener || !e.includes('TestTraffic'));
}

function groupKey(app: string, group: string): string {
  return `${app}\u0000${group}`;
}
