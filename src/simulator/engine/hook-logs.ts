/**
 * What a hook printed goes where Lambda would put it: the function's log
 * group `/aws/lambda/<name>`, one stream per invocation, one event per line.
 * Every line of an invocation carries the time the invocation ended (the
 * capture does not time each write); the verdict line has its own timestamp.
 */
import { randomBytes } from 'node:crypto';
import type { World } from '../state/index.js';

export function storeHookLogs(world: World, functionName: string, output: string[]): void {
  const lines = output.join('').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  if (lines.length === 0) return;
  const now = world.now();
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '/');
  world.logs.putLines(`/aws/lambda/${functionName}`, `${day}/[$LATEST]${randomBytes(16).toString('hex')}`, lines, now);
}
