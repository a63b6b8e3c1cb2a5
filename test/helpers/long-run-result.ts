/**
 * A one-hour simulated linear deployment as a SimulationResult, built by hand:
 * 10,000 timeline events and 10,000 points in every metric series, with an
 * error spike on the new version, an alarm that fires and a rollback — what
 * the HTML report must stay readable and small for.
 */
import type { SimulationResult } from '../../src/simulator/index.js';
import type { TimelineEvent } from '../../src/simulator/engine/timeline.js';
import type { SeriesPoint } from '../../src/simulator/report/version-metrics.js';

export const LONG_RUN_POINTS = 10_000;
export const LONG_RUN_SECONDS = 3600;
/** The spike the downsampled chart must still show: version 2 fails 100 % of requests for one point. */
export const SPIKE_AT_INDEX = 7321;

export function longRunResult(): SimulationResult {
  const n = LONG_RUN_POINTS;
  const step = LONG_RUN_SECONDS / n;
  const rollbackAt = 3000;
  const timeline: TimelineEvent[] = [];
  const at = (sim: number) => ({ at: sim * 10, simSeconds: sim });
  timeline.push({ ...at(0), type: 'deployment-started', deploymentId: 'd-LONGRUN01', platform: 'Lambda', config: 'Custom.Linear1PercentEvery36Seconds', routing: 'linear', scenario: 'long-run' });
  timeline.push({ ...at(1), type: 'lifecycle', lifecycleEvent: 'BeforeAllowTraffic', status: 'Succeeded' });
  // The rest of the 10,000 events: request counts and a traffic step every 30 s, an alarm change near the end.
  let weight = 0;
  while (timeline.length < n - 4) {
    const i = timeline.length;
    const sim = Math.min(rollbackAt - 1, (i / n) * rollbackAt);
    if (i % 100 === 0 && weight < 99) {
      weight++;
      timeline.push({ ...at(sim), type: 'traffic', listener: 'alias', targetWeight: weight, currentVersion: '1', targetVersion: '2' });
    } else {
      timeline.push({ ...at(sim), type: 'requests', total: 20, failed: 0, byVersion: { '1': { total: 18, failed: 0 }, '2': { total: 2, failed: 0 } } });
    }
  }
  timeline.push({ ...at(rollbackAt - 30), type: 'alarm', alarmName: 'long-run-errors', state: 'ALARM', reason: 'Threshold Crossed: 3 datapoints were greater than the threshold (5.0).' });
  timeline.push({ ...at(rollbackAt), type: 'rollback', reason: 'alarm long-run-errors is in ALARM' });
  timeline.push({ ...at(rollbackAt), type: 'traffic', listener: 'alias', targetWeight: 0, currentVersion: '1', targetVersion: '2', rollback: true });
  timeline.push({ ...at(LONG_RUN_SECONDS), type: 'deployment-finished', status: 'Stopped', reason: 'alarm long-run-errors is in ALARM; rolled back', errorCode: 'ALARM_ACTIVE', rolledBack: true });

  const series = (f: (i: number) => number): SeriesPoint[] => Array.from({ length: n }, (_, i) => [i * step, f(i)]);
  const wave = (i: number) => Math.sin(i / 50);
  return {
    scenario: 'long-run',
    source: 'test/helpers/long-run-result.ts',
    description: 'a one-hour linear deployment, 10,000 timeline points',
    platform: 'Lambda',
    deploymentId: 'd-LONGRUN01',
    deploymentConfigName: 'Custom.Linear1PercentEvery36Seconds',
    status: 'Stopped',
    reason: 'alarm long-run-errors is in ALARM; rolled back: alias app:live sends 100% of traffic to version 1',
    errorCode: 'ALARM_ACTIVE',
    rolledBack: true,
    timeScale: 100,
    startedAt: new Date(0).toISOString(),
    durationMs: 36_000,
    simulatedSeconds: LONG_RUN_SECONDS,
    hooks: [
      {
        lifecycleEvent: 'BeforeAllowTraffic',
        functionName: 'CodeDeployHook_pre',
        module: 'hooks/pre-traffic.ts',
        export: 'handler',
        status: 'Succeeded',
        outcome: 'returned',
        durationMs: 120,
        logs: [],
        verdict: {
          status: 'Succeeded',
          deploymentId: 'd-LONGRUN01',
          lifecycleEvent: 'BeforeAllowTraffic',
          checks: [{ name: 'invoke GET /health', state: 'passed', reason: 'status 200', enforced: true, durationMs: 40, attempts: 1, details: { statusCode: 200 } }],
          durationMs: 120,
          reported: true,
          reason: 'all 1 enforced checks passed',
        },
      },
      { lifecycleEvent: 'AfterAllowTraffic', functionName: 'CodeDeployHook_post', module: 'hooks/post-traffic.ts', export: 'handler', status: 'NotRun', logs: [] },
    ],
    alarms: [{ name: 'long-run-errors', state: 'ALARM', reason: 'Threshold Crossed' }],
    traffic: { total: 72_000, failed: 900, byVersion: { '1': { total: 60_000, failed: 0 }, '2': { total: 12_000, failed: 900 } } },
    timeline,
    metrics: {
      periodSeconds: step,
      source: 'made by hand for the test',
      versions: [
        { version: '1', role: 'current', requestRate: series((i) => 18 + wave(i)), errorRate: series(() => 0), latencyP50Ms: series((i) => 20 + wave(i)), latencyP99Ms: series((i) => 80 + 5 * wave(i)) },
        {
          version: '2',
          role: 'target',
          requestRate: series((i) => 2 + wave(i)),
          errorRate: series((i) => (i === SPIKE_AT_INDEX ? 100 : 1 + wave(i))),
          latencyP50Ms: series((i) => 25 + wave(i)),
          latencyP99Ms: series((i) => 120 + 10 * wave(i)),
        },
      ],
    },
  };
}
