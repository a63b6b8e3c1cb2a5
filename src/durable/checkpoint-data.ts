/**
 * What a durable hook keeps in its checkpoints, as plain JSON. A step's
 * result is serialized by the SDK and read back on every replay, so it may
 * hold no functions (the context's lazy deploymentGroup()), no errors and
 * nothing JSON cannot carry (a check's details could hold a BigInt or a cycle).
 */
import type { EngineInput } from '../engine/decide.js';
import type { Decision } from '../engine/verdict.js';
import { describeError } from '../errors.js';
import type { CheckResult, DeploymentGroupContext, HookContext } from '../types.js';

/** A HookContext without its method, and the deployment group fetched once, or why it could not be. */
export type ContextSnapshot = Omit<HookContext, 'deploymentGroup'> & {
  group: { ok: true; value: DeploymentGroupContext } | { ok: false; error: { name: string; message: string } };
};

/** A resolution as it is checkpointed. */
export type ResolutionSnapshot =
  | { kind: 'running'; context: ContextSnapshot }
  | { kind: 'decided'; decision: Decision }
  | { kind: 'unresolved'; error: { name: string; message: string } };

/**
 * The resolution as plain JSON. The deployment group is read here, inside the
 * resolve step, so that every measurement (in whichever invocation) sees the
 * same group without asking CodeDeploy again; a failure to read it is kept and
 * given to the checks that ask, as the plain hook would.
 */
export async function snapshotResolution(input: EngineInput): Promise<ResolutionSnapshot> {
  if (input.kind === 'decided') return { kind: 'decided', decision: jsonSafe(input.decision) };
  if (input.kind === 'unresolved') return { kind: 'unresolved', error: describeError(input.error) };
  const { deploymentGroup, ...rest } = input.context;
  let group: ContextSnapshot['group'];
  try {
    group = { ok: true, value: await deploymentGroup() };
  } catch (error) {
    group = { ok: false, error: describeError(error) };
  }
  return { kind: 'running', context: jsonSafe({ ...rest, group } as ContextSnapshot) };
}

/** The engine's input back from a checkpoint, with a deploymentGroup() that answers from it. */
export function restoreResolution(snapshot: ResolutionSnapshot): EngineInput {
  if (snapshot.kind === 'decided') return snapshot;
  if (snapshot.kind === 'unresolved') return { kind: 'unresolved', error: restoredError(snapshot.error) };
  const { group, ...rest } = snapshot.context;
  const deploymentGroup = () => (group.ok ? Promise.resolve(group.value) : Promise.reject(restoredError(group.error)));
  return { kind: 'running', context: { ...rest, deploymentGroup } as HookContext };
}

function restoredError({ name, message }: { name: string; message: string }): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * A value as JSON would carry it. Check results are user data: when a
 * check's details cannot be serialized they are replaced by a note, so the
 * result (and its state) still reaches the checkpoint and the verdict.
 */
export function jsonSafe<T>(value: T): T {
  try {
    return JSON.parse(JSON.stringify(value)) as T;
  } catch (error) {
    if (Array.isArray(value)) return value.map((v) => jsonSafe(v)) as T;
    if (isResultLike(value)) {
      const { details: _dropped, ...rest } = value;
      return { ...jsonSafe(rest), details: { unserializable: describeError(error).message } } as T;
    }
    if (typeof value === 'object' && value !== null && 'checks' in value && Array.isArray((value as { checks: unknown }).checks)) {
      const { checks, ...rest } = value as unknown as { checks: CheckResult[] };
      return { ...jsonSafe(rest), checks: jsonSafe(checks) } as T;
    }
    throw error;
  }
}

function isResultLike(value: unknown): value is CheckResult {
  return typeof value === 'object' && value !== null && 'state' in value && 'details' in value;
}
