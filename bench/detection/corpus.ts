/**
 * The detection benchmark's corpus: how each version of the example app
 * behaves, on Lambda and on ECS. Every scenario runs the same traffic (20
 * requests a second over three /items paths, 100 ms a request) through a
 * 10 %, 5-minute canary; only the new version's behaviour differs.
 */
export interface Behaviour {
  errorRate?: number;
  latencyMs?: number;
  statusCode?: number;
  affectedPaths?: string[];
  startupSeconds?: number;
}

export interface CorpusCase {
  name: string;
  /** Healthy cases must pass; broken ones must be caught. */
  broken: boolean;
  current: Behaviour;
  target: Behaviour;
}

export const TRAFFIC = { requestsPerSecond: 20, paths: ['/items', '/items/1', '/items/2'] };
const BASE: Behaviour = { latencyMs: 100 };

function broken(name: string, target: Behaviour): CorpusCase {
  return { name, broken: true, current: BASE, target: { ...BASE, ...target } };
}

/** The cases, platform-neutral; each runs on Lambda and on ECS. */
export const CASES: CorpusCase[] = [
  { name: 'healthy', broken: false, current: BASE, target: BASE },
  { name: 'healthy, 2 % background errors in both', broken: false, current: { ...BASE, errorRate: 0.02 }, target: { ...BASE, errorRate: 0.02 } },
  broken('crash (every request throws)', { errorRate: 1 }),
  broken('1 % errors', { errorRate: 0.01 }),
  broken('5 % errors', { errorRate: 0.05 }),
  broken('20 % errors', { errorRate: 0.2 }),
  broken('50 % errors', { errorRate: 0.5 }),
  broken('one path broken (/items/1 throws)', { errorRate: 1, affectedPaths: ['/items/1'] }),
  broken('5xx without an exception (/items answers 500)', { statusCode: 500, affectedPaths: ['/items'] }),
  broken('latency +20 % (120 ms)', { latencyMs: 120 }),
  broken('latency +1.5 s', { latencyMs: 1600 }),
  broken('flaky (30 % of requests fail at random)', { errorRate: 0.3 }),
  broken('slow to start (fails its first 10 min)', { startupSeconds: 600 }),
];
