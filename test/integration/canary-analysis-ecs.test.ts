/**
 * Canary analysis on ECS blue/green, in the simulator: the scheduled analyzer
 * compares the green target group with the blue one and publishes
 * CanaryVerdict for <cluster>/<service>; the verdict alarm in the deployment
 * group stops and rolls back while green serves its 10 % canary, before any
 * AfterAllowTraffic hook could. A healthy green with the same traffic goes out.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'fixtures/canary-analysis-ecs.yaml');
const load = (edit: (text: string) => string = (t) => t) => parseScenario(edit(readFileSync(file, 'utf8')), { file, baseDir: dirname(file) });

describe('canary analysis during the ECS canary', () => {
  it('stops a green answering 5xx on one path while it serves the 10 % canary', async () => {
    const result = await simulate(load());
    expect(result.status).toBe('Stopped');
    expect(result.rolledBack).toBe(true);
    expect(result.reason).toMatch(/^alarm canary-verdict is in ALARM/);
    const rollback = result.timeline.findIndex((e) => e.type === 'rollback');
    expect(rollback).toBeGreaterThan(0);
    const before = result.timeline.slice(0, rollback);
    // Production traffic moved to 10 % and never further; no hook ran: the analyzer and the alarm did it.
    const production = before.filter((e) => e.type === 'traffic' && e.listener === 'production');
    expect(production.map((e) => (e.type === 'traffic' ? e.targetWeight : -1))).toContain(10);
    expect(production.some((e) => e.type === 'traffic' && e.targetWeight === 100)).toBe(false);
    expect(result.hooks).toEqual([]);
    let all = 0;
    let onNew = 0;
    for (const e of before) if (e.type === 'requests') {
      all += e.total;
      onNew += e.byVersion['2']?.total ?? 0;
    }
    expect(onNew).toBeGreaterThan(0);
    // The load balancer routes each request at random by weight: 10 % of a few thousand requests, give or take.
    expect(onNew / all).toBeLessThanOrEqual(0.12);
    expect(result.timeline[rollback]!.simSeconds).toBeLessThan(300);
  }, 60_000);

  it('lets a healthy green through (the analyzer runs but publishes 0)', async () => {
    const result = await simulate(load((t) => t.replace('statusCode: 500, affectedPaths: [/items] ', '')));
    expect(result.status, result.reason).toBe('Succeeded');
    expect(result.alarms).toEqual([expect.objectContaining({ name: 'canary-verdict', state: 'OK' })]);
  }, 60_000);
});
