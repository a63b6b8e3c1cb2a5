/**
 * parseHookEvent's error messages, exactly: a malformed event is the one
 * case where nothing is reported, so the log line is all an operator gets.
 * (adapters.test.ts and the event fuzzer check the field and that nothing is sent.)
 */
import { describe, expect, it } from 'vitest';
import { MAX_ID_LENGTH, parseHookEvent } from '../../../src/event.js';

const message = (event: unknown) => {
  try {
    parseHookEvent(event);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('parsed');
};
const ID = 'exec-1';

describe('Function: parseHookEvent', () => {
  it.each([
    [null, 'null'],
    [[], 'an array'],
    ['d-1', 'a string'],
    [undefined, 'a undefined'],
  ])('says what %j is when the event is not an object', (event, kind) => {
    expect(message(event)).toBe(`invalid CodeDeploy hook event: event must be an object {DeploymentId, LifecycleEventHookExecutionId}, got ${kind}`);
  });

  it('names a missing field, and hints at camelCase keys', () => {
    expect(message({ LifecycleEventHookExecutionId: ID })).toBe('invalid CodeDeploy hook event: DeploymentId is missing');
    expect(message({ deploymentId: 'd-1', LifecycleEventHookExecutionId: ID })).toBe(
      'invalid CodeDeploy hook event: DeploymentId is missing (found "deploymentId": the hook event uses PascalCase keys)',
    );
    expect(message({ DeploymentId: 'd-1', lifecycleEventHookExecutionId: ID })).toBe(
      'invalid CodeDeploy hook event: LifecycleEventHookExecutionId is missing (found "lifecycleEventHookExecutionId": the hook event uses PascalCase keys)',
    );
  });

  it.each([
    [null, 'null'],
    [['d-1'], 'an array'],
    [42, 'a number'],
  ])('says what a non-string id %j is', (value, kind) => {
    expect(message({ DeploymentId: value, LifecycleEventHookExecutionId: ID })).toBe(`invalid CodeDeploy hook event: DeploymentId must be a string, got ${kind}`);
  });

  it('refuses empty and blank ids', () => {
    expect(message({ DeploymentId: '', LifecycleEventHookExecutionId: ID })).toBe('invalid CodeDeploy hook event: DeploymentId is empty');
    expect(message({ DeploymentId: ' \t', LifecycleEventHookExecutionId: ID })).toBe('invalid CodeDeploy hook event: DeploymentId is empty');
  });

  it('takes ids up to the length limit and refuses longer ones', () => {
    const longest = 'x'.repeat(MAX_ID_LENGTH);
    expect(parseHookEvent({ DeploymentId: longest, LifecycleEventHookExecutionId: ID }).DeploymentId).toBe(longest);
    expect(message({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: `${longest}x` })).toBe(
      `invalid CodeDeploy hook event: LifecycleEventHookExecutionId is ${MAX_ID_LENGTH + 1} characters long; at most ${MAX_ID_LENGTH} are accepted`,
    );
  });

  it('returns exactly the two ids, nothing else from the event', () => {
    expect(parseHookEvent({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: ID, extra: 'x' })).toEqual({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: ID });
  });
});
