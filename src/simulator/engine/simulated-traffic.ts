/**
 * Production traffic in simulated time. Every simulated second (a slice) the
 * scenario's requests per second are split between the versions by the
 * traffic weights in effect, and each request's outcome is drawn from its
 * version's behaviour with seeded random sources, so the counts per version
 * are the same on every run and at every time scale. The slice's CloudWatch
 * metrics are written in aggregate (6,000 requests of a 5-minute canary do not
 * each need a real round trip).
 *
 * The application code still serves a real sample: one request per version
 * per slice runs the real handler, and its answer (a status, or a throw)
 * stands for that version's other requests in the slice; the scenario's
 * injected error rate and latency are applied per request on top.
 */
import type { Scenario, VersionBehaviour } from '../scenario/types.js';
import type { Clock, ClockTimer } from '../clock/clock.js';
import { httpApiEvent, isWebResult, requestPath, type AppHandler } from './app-versions.js';
import { seededRandom } from './random.js';
import { addRequests, emptyTrafficSummary, type TrafficSummary } from './result.js';

/** One version's requests in one slice. */
export interface VersionSlice {
  version: string;
  total: number;
  /** Requests that threw (a Lambda function error; an HTTP 500 from a task set). */
  threw: number;
  /** Requests that answered, by status class (2, 4, 5). */
  byClass: Partial<Record<number, number>>;
  /** The version's simulated latency for these requests, ms. */
  latencyMs: number;
}

/** Where the traffic goes: the platform's routing now, and how it records a slice's metrics. */
export interface TrafficRoute {
  /** The versions receiving traffic now and their shares (summing to 1). */
  shares(): { version: string; share: number }[];
  record(slice: VersionSlice, timestamp: number): void;
  /** What a request that failed counts as: a throw only (Lambda's Errors), or any 5xx too. */
  failed(slice: VersionSlice): number;
}

/** Length of a slice, simulated ms. */
const SLICE_MS = 1000;

export class SimulatedTraffic {
  private timer?: ClockTimer;
  private owed = 0;
  private readonly pick: () => number;
  private readonly outcomes = new Map<string, () => number>();
  private readonly total: TrafficSummary = emptyTrafficSummary();
  private sinceMark: TrafficSummary = emptyTrafficSummary();
  private running: Promise<void> = Promise.resolve();
  /** The paths the traffic requests, as the application sees them (`traffic.paths`, or its one `path`). */
  private readonly paths: string[];
  private readonly pickPath: () => number;
  /** When the traffic started (the deployment's start), for a version's `startupSeconds`. */
  private startedAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly scenario: Scenario,
    private readonly app: AppHandler,
    private readonly route: TrafficRoute,
  ) {
    // Own random sources, apart from the ones hooks' requests draw from, so a hook's calls never shift them.
    this.paths = (scenario.traffic?.paths ?? [scenario.traffic?.path ?? '/']).map((p) => requestPath(httpApiEvent('GET', p)));
    this.pickPath = seededRandom(scenario.seed + 13);
    this.pick = seededRandom(scenario.seed + 10);
    const { current, target } = scenario.versions;
    this.outcomes.set(current.version, seededRandom(scenario.seed + 11));
    this.outcomes.set(target.version, seededRandom(scenario.seed + 12));
  }

  get requestsPerSecond(): number {
    return this.scenario.traffic?.requestsPerSecond ?? 0;
  }

  /** Sends the first slice now and one every simulated second after. */
  start(): void {
    if (this.requestsPerSecond <= 0 || this.timer) return;
    this.startedAt = this.clock.now();
    this.slice();
    this.timer = this.clock.setTimer(() => this.slice(), SLICE_MS, { every: SLICE_MS });
  }

  /** Stops after the slice in progress has been recorded. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
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

  private slice(): void {
    const at = this.clock.now();
    this.owed += (this.requestsPerSecond * SLICE_MS) / 1000;
    const n = Math.floor(this.owed);
    this.owed -= n;
    const counts = this.split(n);
    // Slices are recorded one after another, in order, whatever the sample requests take.
    this.running = this.running.then(() => this.serve(counts, at));
  }

  /** How many of `n` requests each version gets, one seeded draw per request. */
  private split(n: number): Map<string, number> {
    const shares = this.route.shares();
    const counts = new Map<string, number>();
    for (let i = 0; i < n && shares.length > 0; i++) {
      let r = this.pick();
      const chosen = shares.find((s) => (r -= s.share) < 0) ?? shares[shares.length - 1]!;
      counts.set(chosen.version, (counts.get(chosen.version) ?? 0) + 1);
    }
    return counts;
  }

  /** A version's requests of one slice, by path (one seeded draw per request when there are several). */
  private byPath(total: number): Map<string, number> {
    if (this.paths.length === 1) return new Map([[this.paths[0]!, total]]);
    const out = new Map<string, number>();
    for (let i = 0; i < total; i++) {
      const p = this.paths[Math.floor(this.pickPath() * this.paths.length)]!;
      out.set(p, (out.get(p) ?? 0) + 1);
    }
    return out;
  }

  private async serve(counts: Map<string, number>, at: number): Promise<void> {
    for (const [version, all] of counts) {
      for (const [path, total] of this.byPath(all)) await this.servePath(version, path, total, at);
    }
  }

  private async servePath(version: string, path: string, total: number, at: number): Promise<void> {
    const behaviour = this.behaviourOf(version);
    const affected = !behaviour.affectedPaths || behaviour.affectedPaths.includes(path);
    // A version still starting fails every request, on every path.
    const starting = behaviour.startupSeconds !== undefined && (at - this.startedAt) / 1000 < behaviour.startupSeconds;
    const sample = starting ? 'threw' : await this.sample(behaviour, affected, path);
    const draw = this.outcomes.get(version) ?? Math.random;
    let injected = 0;
    if (affected && behaviour.errorRate > 0) for (let i = 0; i < total; i++) if (draw() < behaviour.errorRate) injected++;
    const answered = total - injected;
    const slice: VersionSlice = {
      version,
      total,
      threw: injected + (sample === 'threw' ? answered : 0),
      byClass: sample === 'threw' ? {} : { [Math.floor(sample / 100)]: answered },
      latencyMs: affected ? behaviour.latencyMs : 0,
    };
    this.route.record(slice, at);
    addRequests([this.total, this.sinceMark], version, total, this.route.failed(slice));
  }

  /** The real request: the application's handler with the version's status override, without the injected errors and latency. */
  private async sample(behaviour: VersionBehaviour, affected: boolean, path: string): Promise<number | 'threw'> {
    const traffic = this.scenario.traffic;
    try {
      const result = await this.app(httpApiEvent(traffic?.method ?? 'GET', path), {});
      if (behaviour.statusCode !== undefined && affected) return behaviour.statusCode;
      return isWebResult(result) ? result.statusCode : 200;
    } catch {
      return 'threw';
    }
  }

  private behaviourOf(version: string): VersionBehaviour {
    const { current, target } = this.scenario.versions;
    return version === target.version ? target : version === current.version ? current : { version, errorRate: 0, latencyMs: 0, healthyAfterSeconds: 0 };
  }
}
