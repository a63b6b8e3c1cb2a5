/**
 * Canary analysis during the canary window, in the simulator: the scheduled
 * analyzer publishes CanaryVerdict, the verdict alarm in the deployment group
 * fires, and CodeDeploy stops and rolls back before the traffic shift reaches
 * 100 %, so the broken version served no more than its canary share. A
 * healthy version with the same traffic goes out.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulator/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'fixtures/canary-analysis.yaml');
const load = (edit: (text: string) => string = (t) => t) => parseScenario(edit(readFileSync(file, 'utf8')), { file, baseDir: dirname(file) });

describe('canary analysis during AllowTraffic', () => {
  it('stops a version answering 5xx on one path while it serves the 10 % canary', async () => {
    const result = await simulate(load());
    expect(result.status).toBe('Stopped');
    expect(result.rolledBack).toBe(true);
    expect(result.reason).toMatch(/^alarm canary-verdict is in ALARM/);
    const rollback = result.timeline.findIndex((e) => e.type === 'rollback');
    const before = result.timeline.slice(0, rollback);
    // The shift to 100 % never happened, and no hook ran: the analyzer and the alarm did it.
    expect(before.some((e) => e.type === 'traffic' && e.targetWeight === 100)).toBe(false);
    expect(result.hooks).toEqual([]);
    let all = 0;
    let onNew = 0;
    for (const e of before) if (e.type === 'requests') {
      all += e.total;
      onNew += e.byVersion['2']?.total ?? 0;
    }
    expect(onNew / all).toBeLessThanOrEqual(0.11);
    expect(result.simulatedSeconds).toBeLessThan(300);
  }, 60_000);

  it('lets a healthy version through (the analyzer runs but publishes 0)', async () => {
    const result = await simulate(load((t) => t.replace('statusCode: 500, affectedPaths: [/items] ', '')));
    expect(result.status, result.reason).toBe('Succeeded');
    expect(result.alarms).toEqual([expect.objectContaining({ name: 'canary-verdict', state: 'OK' })]);
  }, 60_000);
});
