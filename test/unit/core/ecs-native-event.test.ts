import { describe, expect, it } from 'vitest';
import { BAKE_STATE_KEY, parseEcsNativeEvent, weightsLookLikeRollback } from '../../../src/ecs-native/index.js';
import { HookEventError } from '../../../src/errors.js';
import { recordMeasurement } from '../../../src/engine/bake-state.js';
import { BLUE, GREEN, ecsEvent } from '../../helpers/ecs-native-mock.js';

function fieldOf(event: unknown): string {
  try {
    parseEcsNativeEvent(event);
  } catch (e) {
    expect(e).toBeInstanceOf(HookEventError);
    return (e as HookEventError).field;
  }
  return 'accepted';
}

const details = (over: Record<string, unknown>) => ({ executionDetails: { ...(ecsEvent().executionDetails as object), ...over } });

describe('parseEcsNativeEvent', () => {
  it('parses the documented payload, with empty weight maps and no hookDetails', () => {
    const parsed = parseEcsNativeEvent(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', details({ productionTrafficWeights: { [GREEN]: 100, [BLUE]: 0 } })));
    expect(parsed).toMatchObject({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', hookDetails: {}, executionDetails: { testTrafficWeights: {}, productionTrafficWeights: { [GREEN]: 100, [BLUE]: 0 } } });
    expect(parsed.bake).toBeUndefined();
  });

  it('names the field at fault', () => {
    expect(fieldOf(null)).toBe('event');
    expect(fieldOf([])).toBe('event');
    expect(fieldOf({ ...ecsEvent(), executionId: undefined })).toBe('executionId');
    expect(fieldOf({ ...ecsEvent(), executionId: '  ' })).toBe('executionId');
    expect(fieldOf({ ...ecsEvent(), executionId: 'x'.repeat(5000) })).toBe('executionId');
    expect(fieldOf({ ...ecsEvent(), lifecycleStage: 7 })).toBe('lifecycleStage');
    expect(fieldOf({ ...ecsEvent(), lifecycleStage: 'post test' })).toBe('lifecycleStage');
    expect(fieldOf({ ...ecsEvent(), resourceArn: 'arn:aws:ecs:us-east-1:1:service/prod/web' })).toBe('resourceArn');
    expect(fieldOf({ ...ecsEvent(), executionDetails: undefined })).toBe('executionDetails');
    expect(fieldOf({ ...ecsEvent(), executionDetails: 'x' })).toBe('executionDetails');
    expect(fieldOf({ ...ecsEvent(), ...details({ serviceArn: undefined }) })).toBe('executionDetails.serviceArn');
    expect(fieldOf({ ...ecsEvent(), ...details({ targetServiceRevisionArn: 'green' }) })).toBe('executionDetails.targetServiceRevisionArn');
    expect(fieldOf({ ...ecsEvent(), ...details({ productionTrafficWeights: [] }) })).toBe('executionDetails.productionTrafficWeights');
    expect(fieldOf({ ...ecsEvent(), ...details({ testTrafficWeights: { [GREEN]: 101 } }) })).toBe(`executionDetails.testTrafficWeights["${GREEN}"]`);
    expect(fieldOf({ ...ecsEvent(), ...details({ testTrafficWeights: { [GREEN]: '50' } }) })).toBe(`executionDetails.testTrafficWeights["${GREEN}"]`);
    expect(fieldOf({ ...ecsEvent(), hookDetails: [1] })).toBe('hookDetails');
    expect(fieldOf({ ...ecsEvent(), hookDetails: '{nope' })).toBe('hookDetails');
    expect(fieldOf({ ...ecsEvent(), hookDetails: { [BAKE_STATE_KEY]: { v: 9 } } })).toBe(`hookDetails.${BAKE_STATE_KEY}.v`);
  });

  it('tells a CodeDeploy event apart', () => {
    expect(() => parseEcsNativeEvent({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'x' })).toThrow(/CodeDeploy event.*defineHook/);
  });

  it('accepts a later stage and ignores later fields', () => {
    expect(parseEcsNativeEvent({ ...ecsEvent('SOME_NEW_STAGE'), futureField: { a: 1 } }).lifecycleStage).toBe('SOME_NEW_STAGE');
  });

  it('splits the bake state from the hook details, accepting a JSON string', () => {
    const bake = recordMeasurement({ intervalMs: 60_000, count: 3, failureLimit: 0, consecutiveErrorLimit: 4, inconclusiveLimit: 0 }, undefined, 'passed', 'ok', 1_000).bake;
    const parsed = parseEcsNativeEvent(ecsEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { hookDetails: JSON.stringify({ path: '/health', [BAKE_STATE_KEY]: bake }) }));
    expect(parsed.hookDetails).toEqual({ path: '/health' });
    expect(parsed.bake).toEqual(bake);
  });

  it('reads flipped weights as a rollback only where ECS re-invokes hooks on one', () => {
    const flipped = details({ productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } });
    expect(weightsLookLikeRollback(parseEcsNativeEvent(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', flipped)))).toBe(true);
    expect(weightsLookLikeRollback(parseEcsNativeEvent(ecsEvent('PRODUCTION_TRAFFIC_SHIFT', details({ productionTrafficWeights: { [GREEN]: 100, [BLUE]: 0 } }))))).toBe(false);
    expect(weightsLookLikeRollback(parseEcsNativeEvent(ecsEvent('TEST_TRAFFIC_SHIFT', details({ testTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } }))))).toBe(true);
  });
});
