import { CloudWatchState } from './cloudwatch.js';
import { CodeDeployState } from './codedeploy.js';
import { Elbv2State } from './elbv2.js';
import { LambdaState } from './lambda.js';
import { LogsState } from './logs.js';
import type { MetricStoreLimits } from './metric-store.js';

/**
 * The in-memory AWS account the emulator serves and the engine drives.
 * Plain data and functions, no I/O: the clock and the random source are
 * injectable so tests and time-scaled simulations are deterministic.
 */

export type ServiceName = 'codedeploy' | 'cloudwatch' | 'lambda' | 'elbv2' | 'logs';

export interface RecordedRequest {
  service: ServiceName | 'unknown';
  operation: string;
  /** epoch ms (world clock) */
  time: number;
  status?: number;
  errorCode?: string;
}

export interface WorldOptions {
  region?: string;
  accountId?: string;
  /** epoch ms; default Date.now */
  now?: () => number;
  /** [0,1); default Math.random (alias weights) */
  random?: () => number;
  /** How many requests `requests` keeps (oldest dropped first); default 100,000. */
  maxRecordedRequests?: number;
  /** Bounds of the CloudWatch metric store; default DEFAULT_METRIC_LIMITS (1,000,000 values, 10,000 series). */
  metricLimits?: Partial<MetricStoreLimits>;
}

export class World {
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
  readonly codeDeploy: CodeDeployState;
  readonly cloudWatch: CloudWatchState;
  readonly lambda: LambdaState;
  readonly elbv2: Elbv2State;
  /** CloudWatch Logs: the hooks' log lines from a simulation, per log group. */
  readonly logs: LogsState;
  /** Every API request the emulator served, in order (bounded by maxRecordedRequests). */
  readonly requests: RecordedRequest[] = [];
  private readonly maxRecordedRequests: number;

  constructor(opts: WorldOptions = {}) {
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '123456789012';
    this.now = opts.now ?? Date.now;
    const base = { region: this.region, accountId: this.accountId, now: this.now };
    this.codeDeploy = new CodeDeployState(base);
    this.cloudWatch = new CloudWatchState({ ...base, ...(opts.metricLimits ? { metricLimits: opts.metricLimits } : {}) });
    this.lambda = new LambdaState({ ...base, random: opts.random ?? Math.random, cloudWatch: this.cloudWatch });
    this.elbv2 = new Elbv2State(base);
    this.logs = new LogsState(base);
    this.maxRecordedRequests = opts.maxRecordedRequests ?? 100_000;
  }

  /** Appends to `requests`, dropping the oldest tenth when full (a long emulator run must not grow without bound). */
  recordRequest(r: RecordedRequest): RecordedRequest {
    if (this.requests.length >= this.maxRecordedRequests) this.requests.splice(0, Math.max(1, Math.floor(this.maxRecordedRequests / 10)));
    this.requests.push(r);
    return r;
  }

  /** Requests for one service (and operation), e.g. to count calls in a test. */
  callsTo(service: ServiceName, operation?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.service === service && (!operation || r.operation === operation));
  }
}

export function createWorld(opts: WorldOptions = {}): World {
  return new World(opts);
}
