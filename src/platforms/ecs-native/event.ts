/**
 * Parses the event ECS sends to a Lambda lifecycle hook, as strictly as the
 * CodeDeploy event: anything else is a HookEventError naming the field.
 * Unknown later fields are ignored; a stage added after this version is
 * accepted when it looks like one (upper snake case), so a new ECS stage
 * does not turn every hook into a rollback.
 */
import { HookEventError } from '../../errors.js';

export const KIND = 'ECS lifecycle hook event';
/** A HookEventError that says which event was expected. */
const invalid = (field: string, message: string) => new HookEventError(field, message, KIND);
import { MAX_ID_LENGTH } from '../../event.js';
import { parseBakeState } from '../../engine/bake-state.js';
import { parseBakeScope } from './bake-scope.js';
import type { EcsNativeHookEvent, TrafficWeights } from './types.js';

/** The hookDetails key under which this library keeps its bake state between invocations. */
export const BAKE_STATE_KEY = 'codedeployHooksBake';
export const BAKE_STATE_FIELD = `hookDetails.${BAKE_STATE_KEY}`;

/** Most entries accepted in one traffic-weight map (a deployment has a handful of revisions). */
const MAX_WEIGHTS = 100;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function id(record: Record<string, unknown>, field: string, at = field): string {
  const value = record[field];
  if (value === undefined) throw invalid(at, 'is missing');
  if (typeof value !== 'string') throw invalid(at, `must be a string, got ${kindOf(value)}`);
  if (value.trim() === '') throw invalid(at, 'is empty');
  if (value.length > MAX_ID_LENGTH) throw invalid(at, `is ${value.length} characters long; at most ${MAX_ID_LENGTH} are accepted`);
  return value;
}

function arn(record: Record<string, unknown>, field: string, resource: string, at = field): string {
  const value = id(record, field, at);
  if (!/^arn:[\w-]+:ecs:[\w-]*:\d*:/.test(value) || !value.includes(`:${resource}/`)) {
    throw invalid(at, `must be an ECS ${resource} ARN (arn:aws:ecs:<region>:<account>:${resource}/…), got ${JSON.stringify(value.slice(0, 200))}`);
  }
  return value;
}

function weights(details: Record<string, unknown>, field: string): TrafficWeights {
  const at = `executionDetails.${field}`;
  const value = details[field];
  // Absent and null read as "not shifting" ({}), as at the stages where ECS sends an empty map.
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(at, `must be an object of revision ARN -> percent, got ${kindOf(value)}`);
  const entries = Object.entries(value);
  if (entries.length > MAX_WEIGHTS) throw invalid(at, `has ${entries.length} entries; at most ${MAX_WEIGHTS} are accepted`);
  const out: TrafficWeights = Object.create(null) as TrafficWeights;
  for (const [key, weight] of entries) {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100) {
      throw invalid(`${at}["${key.slice(0, 200)}"]`, `must be a percent between 0 and 100, got ${JSON.stringify(weight) ?? kindOf(weight)}`);
    }
    out[key] = weight;
  }
  return { ...out };
}

/** hookDetails as an object: ECS passes the configured JSON document; a JSON string of an object is accepted too. */
function hookDetailsOf(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid('hookDetails', 'is a string that is not JSON; it must be a JSON object');
    }
  }
  if (!isRecord(parsed)) throw invalid('hookDetails', `must be a JSON object, got ${kindOf(parsed)}`);
  return parsed;
}

/**
 * Validates a Lambda event as an ECS-native lifecycle hook event. Throws
 * HookEventError naming the field; a CodeDeploy event gets a hint.
 */
export function parseEcsNativeEvent(event: unknown): EcsNativeHookEvent {
  if (!isRecord(event)) {
    throw invalid('event', `must be an object {executionId, lifecycleStage, resourceArn, executionDetails}, got ${kindOf(event)}`);
  }
  if (event.executionId === undefined && typeof event.DeploymentId === 'string') {
    throw invalid('executionId', 'is missing (this looks like a CodeDeploy event {DeploymentId, …}: use defineHook from codedeploy-hooks for CodeDeploy hooks)');
  }
  const executionId = id(event, 'executionId');
  const lifecycleStage = id(event, 'lifecycleStage');
  if (!/^[A-Z][A-Z0-9_]{0,99}$/.test(lifecycleStage)) {
    throw invalid('lifecycleStage', `must be an ECS lifecycle stage such as POST_TEST_TRAFFIC_SHIFT, got ${JSON.stringify(lifecycleStage.slice(0, 200))}`);
  }
  const resourceArn = arn(event, 'resourceArn', 'service-deployment');
  const details = event.executionDetails;
  if (details === undefined) throw invalid('executionDetails', 'is missing');
  if (!isRecord(details)) throw invalid('executionDetails', `must be an object, got ${kindOf(details)}`);
  const serviceArn = arn(details, 'serviceArn', 'service', 'executionDetails.serviceArn');
  const targetServiceRevisionArn = arn(details, 'targetServiceRevisionArn', 'service-revision', 'executionDetails.targetServiceRevisionArn');
  const all = hookDetailsOf(event.hookDetails);
  const { [BAKE_STATE_KEY]: rawBake, ...hookDetails } = all;
  const parsed: EcsNativeHookEvent = {
    executionId,
    lifecycleStage,
    resourceArn,
    executionDetails: {
      serviceArn,
      targetServiceRevisionArn,
      testTrafficWeights: weights(details, 'testTrafficWeights'),
      productionTrafficWeights: weights(details, 'productionTrafficWeights'),
    },
    hookDetails,
  };
  if (rawBake !== undefined) {
    parsed.bake = parseBakeState(rawBake, BAKE_STATE_FIELD, KIND);
    const scope = parseBakeScope((rawBake as Record<string, unknown>).scope, `${BAKE_STATE_FIELD}.scope`, KIND);
    if (scope) parsed.bakeScope = scope;
  }
  return parsed;
}

/**
 * Whether the weights alone look like a rollback: green (the target) at 0 %
 * and another revision at 100 %. Not enough by itself: PRE_PRODUCTION_TRAFFIC_SHIFT
 * sends the same weights before the first shift, so callers also look at the
 * stage and the deployment's status.
 */
export function weightsLookLikeRollback(event: EcsNativeHookEvent): boolean {
  const { targetServiceRevisionArn: green, testTrafficWeights, productionTrafficWeights } = event.executionDetails;
  const flipped = (w: TrafficWeights) => w[green] === 0 && Object.entries(w).some(([k, v]) => k !== green && v === 100);
  const shifting = event.lifecycleStage === 'TEST_TRAFFIC_SHIFT' ? testTrafficWeights : productionTrafficWeights;
  return flipped(shifting);
}
