import { randomBytes } from 'node:crypto';
import { AwsServiceError } from './aws-error.js';

/**
 * Amazon ECS's side of the world for native blue/green, linear and canary
 * deployments (deployment controller `ECS`): services, service revisions and
 * service deployments, in the shapes DescribeServices,
 * DescribeServiceRevisions, DescribeServiceDeployments and
 * ListServiceDeployments return. The deployment player (engine/ecs-native-*)
 * moves a deployment through its lifecycle stages; hooks read it here.
 */

export type EcsStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** The hookable stages and the ones a deployment only passes through, in order. */
export const ECS_LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type EcsLifecycleStage = (typeof ECS_LIFECYCLE_STAGES)[number];

export type ServiceDeploymentStatus =
  | 'PENDING' | 'SUCCESSFUL' | 'STOPPED' | 'STOP_REQUESTED' | 'IN_PROGRESS'
  | 'ROLLBACK_REQUESTED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED';

export interface EcsLifecycleHook {
  targetType?: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn: string;
  roleArn: string;
  lifecycleStages: string[];
  hookDetails?: unknown;
  timeoutConfiguration?: { timeoutInMinutes: number; action: 'ROLLBACK' | 'CONTINUE' };
}

export interface EcsLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  advancedConfiguration?: {
    alternateTargetGroupArn: string;
    productionListenerRule: string;
    testListenerRule?: string;
    roleArn: string;
  };
}

export interface EcsDeploymentConfiguration {
  strategy: EcsStrategy;
  bakeTimeInMinutes: number;
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  alarms?: { alarmNames: string[]; enable: boolean; rollback: boolean };
  lifecycleHooks?: EcsLifecycleHook[];
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
}

export interface EcsService {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: 'ACTIVE';
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType: 'FARGATE';
  taskDefinition: string;
  loadBalancers: EcsLoadBalancer[];
  deploymentController: { type: 'ECS' };
  deploymentConfiguration: EcsDeploymentConfiguration;
  createdAt: Date;
  /** The revision serving production now. */
  currentServiceRevisionArn?: string;
}

export interface ServiceRevision {
  serviceRevisionArn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  launchType: 'FARGATE';
  loadBalancers: EcsLoadBalancer[];
  containerImages: { containerName: string; imageDigest: string; image: string }[];
  /** Only present while the revision is active, as in AWS. */
  resolvedConfiguration?: { loadBalancers: { targetGroupArn: string; productionListenerRule: string }[] };
  createdAt: Date;
}

export interface ServiceRevisionSummary {
  arn: string;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
  requestedTestTrafficWeight: number;
  requestedProductionTrafficWeight: number;
}

export interface LifecycleHookDetail {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt?: Date;
  timeoutAction: 'ROLLBACK' | 'CONTINUE';
}

export interface ServiceDeployment {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: Date;
  startedAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  sourceServiceRevisions: ServiceRevisionSummary[];
  targetServiceRevision: ServiceRevisionSummary;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage: EcsLifecycleStage;
  lifecycleHookDetails: LifecycleHookDetail[];
  deploymentConfiguration: EcsDeploymentConfiguration;
  rollback?: { reason: string; startedAt: Date; serviceRevisionArn: string };
  alarms: { status: 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED'; alarmNames?: string[]; triggeredAlarmNames?: string[] };
}

export interface CreateEcsServiceInput {
  cluster: string;
  serviceName: string;
  taskDefinition: string;
  image: string;
  desiredCount?: number;
  loadBalancers: EcsLoadBalancer[];
  deploymentConfiguration: EcsDeploymentConfiguration;
}

/** ECS ids are long digit strings (revisions) or base62-ish tokens (deployments). */
function digits(n: number): string {
  return [...randomBytes(n)].map((b) => String(b % 10)).join('');
}

function token(n: number): string {
  return randomBytes(n).toString('base64url').replace(/[-_]/g, 'x');
}

const MAX_ARNS = 20;

export class EcsState {
  readonly services = new Map<string, EcsService>();
  readonly revisions = new Map<string, ServiceRevision>();
  readonly deployments = new Map<string, ServiceDeployment>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;

  constructor(opts: { region: string; accountId: string; now: () => number }) {
    this.region = opts.region;
    this.accountId = opts.accountId;
    this.now = opts.now;
  }

  private arn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }

  private date(): Date {
    return new Date(this.now());
  }

  clusterArn(cluster: string): string {
    return cluster.startsWith('arn:') ? cluster : this.arn(`cluster/${cluster}`);
  }

  /** A service with its first revision already serving production (no deployment yet). */
  createService(input: CreateEcsServiceInput): EcsService {
    const clusterName = input.cluster;
    const serviceArn = this.arn(`service/${clusterName}/${input.serviceName}`);
    if (this.services.has(serviceArn)) throw new AwsServiceError('InvalidParameterException', `Creation of service was not idempotent: ${input.serviceName} already exists.`);
    const service: EcsService = {
      serviceArn,
      serviceName: input.serviceName,
      clusterArn: this.clusterArn(clusterName),
      status: 'ACTIVE',
      desiredCount: input.desiredCount ?? 2,
      runningCount: input.desiredCount ?? 2,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: input.taskDefinition,
      loadBalancers: input.loadBalancers,
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: input.deploymentConfiguration,
      createdAt: this.date(),
    };
    this.services.set(serviceArn, service);
    const first = this.registerRevision(serviceArn, input.taskDefinition, input.image);
    this.activate(first.serviceRevisionArn, input.loadBalancers[0]?.targetGroupArn);
    service.currentServiceRevisionArn = first.serviceRevisionArn;
    return service;
  }

  registerRevision(serviceArn: string, taskDefinition: string, image: string): ServiceRevision {
    const service = this.service(serviceArn);
    const name = service.serviceName;
    const cluster = service.clusterArn.split('/').pop()!;
    const revision: ServiceRevision = {
      serviceRevisionArn: this.arn(`service-revision/${cluster}/${name}/${digits(19)}`),
      serviceArn,
      clusterArn: service.clusterArn,
      taskDefinition,
      launchType: 'FARGATE',
      loadBalancers: service.loadBalancers,
      containerImages: [{ containerName: service.loadBalancers[0]?.containerName ?? 'app', image, imageDigest: `sha256:${randomBytes(32).toString('hex')}` }],
      createdAt: this.date(),
    };
    this.revisions.set(revision.serviceRevisionArn, revision);
    return revision;
  }

  /** Marks a revision active on a target group (AWS only resolves the configuration of active revisions). */
  activate(revisionArn: string, targetGroupArn: string | undefined): void {
    const revision = this.revision(revisionArn);
    const lb = revision.loadBalancers[0];
    if (!targetGroupArn || !lb) return;
    revision.resolvedConfiguration = { loadBalancers: [{ targetGroupArn, productionListenerRule: lb.advancedConfiguration?.productionListenerRule ?? '' }] };
  }

  deactivate(revisionArn: string): void {
    delete this.revision(revisionArn).resolvedConfiguration;
  }

  startDeployment(serviceArn: string, targetRevisionArn: string): ServiceDeployment {
    const service = this.service(serviceArn);
    const cluster = service.clusterArn.split('/').pop()!;
    const source = service.currentServiceRevisionArn;
    const summary = (arn: string, running: number, prod: number): ServiceRevisionSummary => ({
      arn, requestedTaskCount: service.desiredCount, runningTaskCount: running, pendingTaskCount: 0,
      requestedTestTrafficWeight: prod, requestedProductionTrafficWeight: prod,
    });
    const alarms = service.deploymentConfiguration.alarms;
    const deployment: ServiceDeployment = {
      serviceDeploymentArn: this.arn(`service-deployment/${cluster}/${service.serviceName}/${token(16)}`),
      serviceArn,
      clusterArn: service.clusterArn,
      createdAt: this.date(),
      startedAt: this.date(),
      updatedAt: this.date(),
      sourceServiceRevisions: source ? [summary(source, service.desiredCount, 100)] : [],
      targetServiceRevision: summary(targetRevisionArn, 0, 0),
      status: 'IN_PROGRESS',
      lifecycleStage: 'RECONCILE_SERVICE',
      lifecycleHookDetails: [],
      deploymentConfiguration: service.deploymentConfiguration,
      alarms: alarms?.enable ? { status: 'MONITORING', alarmNames: alarms.alarmNames } : { status: 'DISABLED' },
    };
    this.deployments.set(deployment.serviceDeploymentArn, deployment);
    return deployment;
  }

  /** Moves a deployment on: its stage, its weights (target revision's share, 0–100), its status. */
  update(deploymentArn: string, change: {
    stage?: EcsLifecycleStage;
    productionWeight?: number;
    testWeight?: number;
    greenRunning?: number;
    status?: ServiceDeploymentStatus;
    statusReason?: string;
  }): ServiceDeployment {
    const d = this.deployment(deploymentArn);
    if (change.stage) d.lifecycleStage = change.stage;
    if (change.productionWeight !== undefined) {
      d.targetServiceRevision.requestedProductionTrafficWeight = change.productionWeight;
      for (const s of d.sourceServiceRevisions) s.requestedProductionTrafficWeight = 100 - change.productionWeight;
    }
    if (change.testWeight !== undefined) {
      d.targetServiceRevision.requestedTestTrafficWeight = change.testWeight;
      for (const s of d.sourceServiceRevisions) s.requestedTestTrafficWeight = 100 - change.testWeight;
    }
    if (change.greenRunning !== undefined) d.targetServiceRevision.runningTaskCount = change.greenRunning;
    if (change.status) {
      d.status = change.status;
      if (['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(change.status)) {
        d.finishedAt = this.date();
        if (d.alarms.status === 'MONITORING') d.alarms.status = 'MONITORING_COMPLETE';
      }
    }
    if (change.statusReason !== undefined) d.statusReason = change.statusReason;
    d.updatedAt = this.date();
    return d;
  }

  /** Records the start of a rollback: the source revision takes production back. */
  startRollback(deploymentArn: string, reason: string, triggeredAlarms: string[] = []): ServiceDeployment {
    const d = this.deployment(deploymentArn);
    d.status = 'ROLLBACK_IN_PROGRESS';
    d.statusReason = reason;
    d.rollback = { reason, startedAt: this.date(), serviceRevisionArn: d.sourceServiceRevisions[0]?.arn ?? d.targetServiceRevision.arn };
    if (triggeredAlarms.length > 0) d.alarms = { ...d.alarms, status: 'TRIGGERED', triggeredAlarmNames: triggeredAlarms };
    d.updatedAt = this.date();
    return d;
  }

  /** The end of a successful deployment: the target revision is production, the source inactive. */
  complete(deploymentArn: string): ServiceDeployment {
    const d = this.update(deploymentArn, { stage: 'CLEAN_UP', status: 'SUCCESSFUL', statusReason: 'Service deployment completed successfully.' });
    const service = this.service(d.serviceArn);
    for (const s of d.sourceServiceRevisions) {
      s.runningTaskCount = 0;
      this.deactivate(s.arn);
    }
    service.currentServiceRevisionArn = d.targetServiceRevision.arn;
    service.taskDefinition = this.revision(d.targetServiceRevision.arn).taskDefinition;
    return d;
  }

  hookStarted(deploymentArn: string, detail: LifecycleHookDetail): void {
    const d = this.deployment(deploymentArn);
    const i = d.lifecycleHookDetails.findIndex((h) => h.hookId === detail.hookId);
    if (i >= 0) d.lifecycleHookDetails[i] = detail;
    else d.lifecycleHookDetails.push(detail);
  }

  // ---- reads (the API operations) ----------------------------------------------------

  service(serviceArn: string): EcsService {
    const s = this.services.get(serviceArn);
    if (!s) throw new AwsServiceError('ServiceNotFoundException', `Service not found: ${serviceArn}`);
    return s;
  }

  revision(arn: string): ServiceRevision {
    const r = this.revisions.get(arn);
    if (!r) throw new AwsServiceError('InvalidParameterException', `Service revision not found: ${arn}`);
    return r;
  }

  deployment(arn: string): ServiceDeployment {
    const d = this.deployments.get(arn);
    if (!d) throw new AwsServiceError('InvalidParameterException', `Service deployment not found: ${arn}`);
    return d;
  }

  /** A service by name or ARN within a cluster (default `default`), as DescribeServices resolves it. */
  findService(cluster: string | undefined, nameOrArn: string): EcsService | undefined {
    if (nameOrArn.startsWith('arn:')) return this.services.get(nameOrArn);
    const clusterArn = this.clusterArn(cluster ?? 'default');
    return [...this.services.values()].find((s) => s.serviceName === nameOrArn && s.clusterArn === clusterArn);
  }

  describeServices(cluster: string | undefined, names: string[]): { services: EcsService[]; failures: { arn: string; reason: string }[] } {
    requireList('services', names, 10);
    const services: EcsService[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const n of names) {
      const s = this.findService(cluster, n);
      if (s) services.push(s);
      else failures.push({ arn: n.startsWith('arn:') ? n : this.arn(`service/${cluster ?? 'default'}/${n}`), reason: 'MISSING' });
    }
    return { services, failures };
  }

  describeServiceDeployments(arns: string[]): { serviceDeployments: ServiceDeployment[]; failures: { arn: string; reason: string }[] } {
    requireList('serviceDeploymentArns', arns, MAX_ARNS);
    return split(arns, (a) => this.deployments.get(a), 'serviceDeployments') as { serviceDeployments: ServiceDeployment[]; failures: { arn: string; reason: string }[] };
  }

  describeServiceRevisions(arns: string[]): { serviceRevisions: ServiceRevision[]; failures: { arn: string; reason: string }[] } {
    requireList('serviceRevisionArns', arns, MAX_ARNS);
    return split(arns, (a) => this.revisions.get(a), 'serviceRevisions') as { serviceRevisions: ServiceRevision[]; failures: { arn: string; reason: string }[] };
  }

  listServiceDeployments(cluster: string | undefined, service: string, statuses?: string[]) {
    const s = this.findService(cluster, service);
    if (!s) throw new AwsServiceError('ServiceNotFoundException', `Service not found: ${service}`);
    const list = [...this.deployments.values()]
      .filter((d) => d.serviceArn === s.serviceArn && (!statuses || statuses.includes(d.status)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return {
      serviceDeployments: list.map((d) => ({
        serviceDeploymentArn: d.serviceDeploymentArn,
        serviceArn: d.serviceArn,
        clusterArn: d.clusterArn,
        startedAt: d.startedAt,
        createdAt: d.createdAt,
        ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
        targetServiceRevisionArn: d.targetServiceRevision.arn,
        status: d.status,
        ...(d.statusReason ? { statusReason: d.statusReason } : {}),
      })),
    };
  }
}

function requireList(name: string, list: string[] | undefined, max: number): void {
  if (!list || list.length === 0) throw new AwsServiceError('InvalidParameterException', `${name} can not be empty.`);
  if (list.length > max) throw new AwsServiceError('InvalidParameterException', `${name} can have at most ${max} items.`);
}

function split<T>(arns: string[], get: (arn: string) => T | undefined, key: string) {
  const found: T[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const arn of arns) {
    const v = get(arn);
    if (v) found.push(v);
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { [key]: found, failures };
}
