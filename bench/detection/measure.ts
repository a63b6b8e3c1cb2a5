/**
 * One benchmark run: a corpus case on a platform under a setup, through the
 * simulator, and what came of it: stopped or not, which gate stopped it, the
 * share of requests the new version served before the rollback, and when.
 */
import { stringify } from 'yaml';
import { parseScenario, simulate } from '../../src/simulator/index.js';
import type { TimelineEvent } from '../../src/simulator/engine/timeline.js';
import { TRAFFIC, type CorpusCase } from './corpus.js';
import { guard, TARGETS, type Platform, type Setup } from './setups.js';

export interface RunResult {
  platform: Platform;
  case: string;
  setup: Setup;
  seed: number;
  broken: boolean;
  stopped: boolean;
  /** What stopped it: a hook's lifecycle event or an alarm's name. */
  gate?: string;
  /** Requests the new version served before the rollback (or in all, when never rolled back), over all requests until then. */
  exposure: number;
  /** Simulated seconds from the start of the deployment to the rollback. */
  detectSeconds?: number;
  /**
   * Stopped before production traffic moved to the new version entirely. Exposure can still
   * be a little over the canary share then: the load balancer and the alias route each request
   * at random by weight, so 1,000 requests at 10 % give the new version 9–11 % of them.
   */
  withinCanary?: boolean;
  error?: string;
}

function scenarioText(platform: Platform, c: CorpusCase, setup: Setup, seed: number, timeScale: number): string {
  const g = guard(platform, setup);
  const deployment = { ...(g.deployment as object), timeScale };
  return stringify({
    name: `${platform} ${c.name} / ${setup} / seed ${seed}`,
    platform,
    ...TARGETS[platform],
    versions: { current: { version: 1, ...c.current }, target: { version: 2, ...c.target } },
    ...g,
    deployment,
    traffic: TRAFFIC,
    seed,
  });
}

function gateOf(timeline: TimelineEvent[], reason: string): string | undefined {
  const alarm = /alarm (\S+) is in ALARM/.exec(reason);
  if (alarm) return `alarm ${alarm[1]}`;
  const hook = /^(\w+) hook /.exec(reason);
  if (hook) return `${hook[1]} hook`;
  const failed = timeline.find((e) => e.type === 'lifecycle' && e.status === 'Failed');
  return failed && failed.type === 'lifecycle' ? failed.lifecycleEvent : undefined;
}

export async function measure(platform: Platform, c: CorpusCase, setup: Setup, seed: number, timeScale: number): Promise<RunResult> {
  const base = { platform, case: c.name, setup, seed, broken: c.broken };
  let result;
  try {
    result = await simulate(parseScenario(scenarioText(platform, c, setup, seed, timeScale), { file: `bench:${c.name}` }), { captureHookOutput: true });
  } catch (error) {
    return { ...base, stopped: false, exposure: NaN, error: (error as Error).message };
  }
  const rollbackAt = result.timeline.findIndex((e) => e.type === 'rollback');
  const until = rollbackAt >= 0 ? result.timeline.slice(0, rollbackAt) : result.timeline;
  let all = 0;
  let onNew = 0;
  for (const e of until) {
    if (e.type !== 'requests') continue;
    all += e.total;
    onNew += e.byVersion['2']?.total ?? 0;
  }
  const stopped = result.status !== 'Succeeded';
  const end = rollbackAt >= 0 ? result.timeline[rollbackAt]! : result.timeline[result.timeline.length - 1];
  return {
    ...base,
    stopped,
    ...(stopped ? { gate: gateOf(result.timeline, result.reason) ?? result.errorCode ?? 'unknown' } : {}),
    exposure: all > 0 ? onNew / all : 0,
    ...(stopped && end ? { detectSeconds: end.simSeconds } : {}),
    ...(stopped ? { withinCanary: !until.some((e) => e.type === 'traffic' && e.listener !== 'test' && e.targetWeight === 100) } : {}),
  };
}
