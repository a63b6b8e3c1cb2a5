import { randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A CodeDeploy-shaped deployment id: `d-` and nine upper-case letters/digits. */
export function newDeploymentId(): string {
  const bytes = randomBytes(9);
  let id = 'd-';
  for (const b of bytes) id += UPPER_ALNUM[b % UPPER_ALNUM.length];
  return id;
}

/** Hook execution ids are opaque to callers; AWS uses long base64-like tokens. */
export function newHookExecutionId(): string {
  return `eyJ${randomBytes(24).toString('base64url')}`;
}

export function newUuid(): string {
  return randomUUID();
}
