/** Whether python3 with boto3 is on this machine, for the tests that drive it (they skip without it, and fail under CI=true). */
import { execFileSync } from 'node:child_process';

export const BOTO3_INSTALL = 'install boto3 for python3 (pip install boto3)';

export function hasBoto3(): boolean {
  try {
    execFileSync('python3', ['-c', 'import boto3'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
