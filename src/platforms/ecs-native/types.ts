/**
 * The ECS-native lifecycle hook contract (deployment controller `ECS`,
 * strategies BLUE_GREEN, LINEAR, CANARY): the event ECS sends, the response
 * the function returns, and the context resolved from the ECS API. Shapes
 * only; sources and traps in the README section "ECS-native hooks".
 */
import type { BakeState } from '../../engine/bake-state.js';
import type { EcsBakeScope } from './bake-scope.js';
import type { EcsHookContext } from '../../types.js';

/** Hookable stages, in deployment order (ECS `DeploymentLifecycleHookStage`). */
export const ECS_NATIVE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
export type EcsNativeStage = (typeof ECS_NATIVE_STAGES)[number];

/** The stages ECS invokes again, with the weights flipped back, when a deployment rolls back. */
export const ROLLBACK_STAGES: readonly EcsNativeStage[] = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

/** Revision ARN -> percent of that traffic. Empty at stages where that traffic is not shifting. */
export type TrafficWeights = Record<string, number>;

/** The event ECS sends to a Lambda lifecycle hook, as parsed (validated, typed). */
export interface EcsNativeHookEvent {
  /** Unique per hook execution. */
  executionId: string;
  /** One of ECS_NATIVE_STAGES, or a stage added after this version (upper snake case). */
  lifecycleStage: EcsNativeStage | (string & {});
  /** The service deployment: `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`. */
  resourceArn: string;
  executionDetails: {
    serviceArn: string;
    /** The green revision; it stays green's ARN during a rollback. */
    targetServiceRevisionArn: string;
    testTrafficWeights: TrafficWeights;
    productionTrafficWeights: TrafficWeights;
  };
  /** The configured hookDetails merged with what earlier invocations returned, without this library's bake state. */
  hookDetails: Record<string, unknown>;
  /** This library's bake state from an earlier invocation of this bake (hookDetails[BAKE_STATE_KEY]); the hook drops it, saying why in bakeSetAside, when it is another bake's. */
  bake?: BakeState;
  /** Which bake that state measures (hookDetails[BAKE_STATE_KEY].scope), when it names one. */
  bakeScope?: EcsBakeScope;
  /** Why a state in hookDetails was set aside as another bake's (another stage, step, deployment or plan): this bake starts afresh. */
  bakeSetAside?: string;
}

export type EcsNativeHookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/** What the function returns to ECS. */
export interface EcsNativeHookResponse {
  hookStatus: EcsNativeHookStatus;
  /** Seconds until ECS invokes the hook again (IN_PROGRESS only; ECS's default is 30). */
  callBackDelay?: number;
  /** Merged by ECS into the hookDetails of the next invocation of this hook (IN_PROGRESS only). */
  hookDetails?: Record<string, unknown>;
}

/** One service revision, from DescribeServiceRevisions. */
export interface EcsServiceRevisionInfo {
  arn: string;
  taskDefinition?: string;
  images: { containerName?: string; image?: string; imageDigest?: string }[];
  /** Target groups of the revision: the resolved one first (where its tasks are registered), then the configured ones. */
  targetGroupArns: string[];
  productionListenerRule?: string;
  testListenerRule?: string;
}

/** What the ECS API says about the running service deployment. */
export interface EcsNativeDetails {
  executionId: string;
  stage: EcsNativeHookEvent['lifecycleStage'];
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn?: string;
  /** ServiceDeployment.status (IN_PROGRESS, ROLLBACK_IN_PROGRESS, …). */
  status?: string;
  strategy?: string;
  /** Green. */
  targetRevision: EcsServiceRevisionInfo;
  /** Blue (usually one). */
  sourceRevisions: EcsServiceRevisionInfo[];
  testTrafficWeights: TrafficWeights;
  productionTrafficWeights: TrafficWeights;
  productionListenerRules: string[];
  testListenerRules: string[];
  /** deploymentConfiguration.alarms of the deployment (the alarms ECS rolls back on). */
  alarms: { enabled: boolean; rollback: boolean; names: string[] };
  isRollback: boolean;
  /** Why isRollback is what it is, for the verdict line. */
  rollbackEvidence: string;
  /** The hook's own hookDetails (configured and returned), without the bake state. */
  hookDetails: Record<string, unknown>;
  /** The bake so far, when an earlier invocation of this hook took measurements. */
  bake?: BakeState;
}

/**
 * The context an ECS-native hook's checks receive: an EcsHookContext (so the
 * existing checks — http through the test listener, target-group metrics,
 * compareVersions, alarms from the "deployment group" — work unchanged) plus
 * the ECS-native details. Mapping: deploymentId is the service-deployment ARN,
 * lifecycleEventHookExecutionId the executionId, deploymentGroup() answers
 * from the deployment's alarm configuration and listener rules, and
 * lifecycleEvent is the nearest CodeDeploy event (see LIFECYCLE_EVENT_OF).
 */
export interface EcsNativeHookContext extends EcsHookContext {
  ecsNative: EcsNativeDetails;
}
