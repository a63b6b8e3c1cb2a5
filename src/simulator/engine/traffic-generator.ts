/**
 * Production traffic in real time, while a `codedeploy-hooks/testing` runHook
 * call runs: a steady rate of real requests to the alias (Lambda, through the
 * world's invoke path so versions are chosen by the alias weights and
 * AWS/Lambda metrics are recorded) or to the production listener (ECS, through
 * the loopback load balancer). A simulated deployment sends its traffic per
 * simulated second instead (simulated-traffic.ts).
 */
import type { Scenario } from '../scenario/types.js';
import { seededRandom } from './random.js';
import { addRequests, emptyTrafficSummary, type TrafficSummary } from './result.js';

/** The path of each next request: the scenario's one path, or one of its `paths` (seeded). */
export function trafficPaths(scenario: Scenario): () => string {
  const paths = scenario.traffic?.paths;
  if (!paths) return () => scenario.traffic?.path ?? '/';
  const random = seededRandom(scenario.seed + 4);
  return () => paths[Math.floor(random() * paths.length)]!;
}

/** Sends one request; resolves with the version that served it and whether it failed. */
export type SendRequest = () => Promise<{ version: string; failed: boolean }>;

export class TrafficGenerator {
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly total: TrafficSummary = emptyTrafficSummary();
  private sinceMark: TrafficSummary = emptyTrafficSummary();

  constructor(
    private readonly requestsPerSecond: number,
    private readonly send: SendRequest,
  ) {}

  start(): void {
    if (this.requestsPerSecond <= 0 || this.timer) return;
    const intervalMs = Math.max(5, 1000 / this.requestsPerSecond);
    this.timer = setInterval(() => this.fire(), intervalMs);
    this.timer.unref();
    this.fire();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  summary(): TrafficSummary {
    return structuredClone(this.total);
  }

  /** Requests since the previous call (for the timeline). */
  takeDelta(): TrafficSummary {
    const delta = this.sinceMark;
    this.sinceMark = emptyTrafficSummary();
    return delta;
  }

  private fire(): void {
    // Never pile up more than a second's worth of requests behind a slow version.
    if (this.inFlight.size > Math.max(10, this.requestsPerSecond)) return;
    const p = this.send()
      .then(
        (r) => this.count(r.version, r.failed),
        () => this.count('unknown', true),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private count(version: string, failed: boolean): void {
    addRequests([this.total, this.sinceMark], version, 1, failed ? 1 : 0);
  }
}
