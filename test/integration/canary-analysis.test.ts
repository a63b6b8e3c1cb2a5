/**
 * Canary analysis during the canary window, in the simulator: the scheduled
 * analyzer publishes CanaryVerdict (Lambda: version against version by
 * ExecutedVersion; ECS: the green target group against the blue one, for
 * <cluster>/<service>), the verdict alarm in the deployment group fires, and
 * CodeDeploy stops and rolls back before the traffic shift reaches 100 %, so
 * the broken version served no more than its canary share. A healthy version
 * with the same traffic goes out.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe.each([
  { platform: 'Lambda', fixture: 'canary-analysis.yaml', production: 'alias' },
  { platform: 'ECS', fixture: 'canary-analysis-ecs.yaml', production: 'production' },
])('canary analysis during AllowTraffic on $platform', ({ fixture, production }) => {
  const file = join(here, 'fixtures', fixture);
  const load = (edit: (text: string) => string = (t) => t) => parseScenario(edit(readFileSync(file, 'utf8')), { file, baseDir: dirname(file) });

  it('stops a version answering 5xx on one path while it serves the 10 % canary', async () => {
    const result = await simulate(load());
    expect(result.status).toBe('Stopped');
    expect(result.rolledBack).toBe(true);
    expect(result.reason).toMatch(/^alarm canary-verdict is in ALARM/);
    const rollback = result.timeline.findIndex((e) => e.type === 'rollback');
    expect(rollback).toBeGreaterThan(0);
    const before = result.timeline.slice(0, rollback);
    // Production traffic moved to 10 % and never further, and no hook ran: the analyzer and the alarm did it.
    const weights = before.flatMap((e) => (e.type === 'traffic' && e.listener === production ? [e.targetWeight] : []));
    expect(weights).toContain(10);
    expect(weights).not.toContain(100);
    expect(result.hooks).toEqual([]);
    let all = 0;
    let onNew = 0;
    for (const e of before) if (e.type === 'requests') {
      all += e.total;
      onNew += e.byVersion['2']?.total ?? 0;
    }
    expect(onNew).toBeGreaterThan(0);
    // Each request is routed at random by weight: 10 % of a few thousand requests, give or take.
    expect(onNew / all).toBeLessThanOrEqual(0.12);
    expect(result.simulatedSeconds).toBeLessThan(300);
  }, 60_000);

  it('lets a healthy version through (the analyzer runs but publishes 0)', async () => {
    const result = await simulate(load((t) => t.replace('statusCode: 500, affectedPaths: [/items] ', '')));
    expect(result.status, result.reason).toBe('Succeeded');
    expect(result.alarms).toEqual([expect.objectContaining({ name: 'canary-verdict', state: 'OK' })]);
  }, 60_000);
});
