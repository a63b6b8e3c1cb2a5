/**
 * A loopback stand-in for an ALB listener: a node:http server on 127.0.0.1
 * that forwards each request to the blue or green task set by weight and
 * records the AWS/ApplicationELB metrics the real one would (per target group:
 * RequestCount, HTTPCode_Target_5XX_Count, HTTPCode_Target_2XX_Count,
 * TargetResponseTime in seconds; per load balancer: RequestCount).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../state/index.js';
import { closeServer, listen } from './app-versions.js';

export interface LbTarget {
  label: 'Blue' | 'Green';
  port: number;
  targetGroupDimension: string;
}

export class ListenerProxy {
  private readonly server: Server;
  private weights: { Blue: number; Green: number } = { Blue: 100, Green: 0 };
  private targets: Partial<Record<'Blue' | 'Green', LbTarget>> = {};
  private metrics?: { world: World; loadBalancerDimension: string };
  port = 0;

  constructor(
    readonly name: 'production' | 'test',
    private readonly random: () => number,
  ) {
    this.server = createServer((req, res) => {
      const started = this.metrics?.world.now() ?? 0;
      const target = this.pick();
      if (!target) {
        this.record(undefined, 503, 0);
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('503 Service Temporarily Unavailable: no healthy target');
        req.resume();
        return;
      }
      const upstream = request(
        { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': '127.0.0.1' } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          // Response time on the world's clock: the application's simulated latency shows, real compute does not.
          up.on('end', () => this.record(target, up.statusCode ?? 502, ((this.metrics?.world.now() ?? 0) - started) / 1000));
        },
      );
      upstream.on('error', () => {
        this.record(undefined, 502, 0);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('502 Bad Gateway');
      });
      req.pipe(upstream);
    });
    this.server.keepAliveTimeout = 1000;
  }

  async start(port: number): Promise<number> {
    await listen(this.server, port);
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  configure(metrics: { world: World; loadBalancerDimension: string }): void {
    this.metrics = metrics;
  }

  setTarget(target: LbTarget): void {
    this.targets[target.label] = target;
  }

  /** Percent of requests to the green task set (the rest go to blue). */
  setGreenWeight(percent: number): void {
    this.weights = { Blue: 100 - percent, Green: percent };
  }

  get greenWeight(): number {
    return this.weights.Green;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private pick(): LbTarget | undefined {
    const total = this.weights.Blue + this.weights.Green;
    if (total <= 0) return undefined;
    const label = this.random() * total < this.weights.Blue ? 'Blue' : 'Green';
    return this.targets[label] ?? this.targets[label === 'Blue' ? 'Green' : 'Blue'];
  }

  private record(target: LbTarget | undefined, status: number, seconds: number): void {
    if (!this.metrics) return;
    const klass = Math.floor(status / 100);
    recordAlbRequests(this.metrics.world, {
      loadBalancerDimension: this.metrics.loadBalancerDimension,
      ...(target ? { targetGroupDimension: target.targetGroupDimension } : {}),
      count: 1,
      byClass: { [klass]: 1 },
      latencySeconds: seconds,
    });
  }
}

/**
 * The AWS/ApplicationELB metrics of `count` requests: per target group and per load
 * balancer RequestCount, TargetResponseTime and HTTPCode_Target_{2,4,5}XX_Count (zero
 * counts too, so an alarm sees 0 rather than missing data); without a target group,
 * requests the load balancer answered itself (HTTPCode_ELB_5XX_Count). The simulator's
 * traffic records a simulated second of requests at once this way.
 */
export function recordAlbRequests(
  world: World,
  m: { loadBalancerDimension: string; targetGroupDimension?: string; count: number; byClass: Partial<Record<number, number>>; latencySeconds: number; timestamp?: number },
): void {
  if (m.count <= 0) return;
  const timestamp = m.timestamp ?? world.now();
  const lbDims = { LoadBalancer: m.loadBalancerDimension };
  const countOf = (dimensions: Record<string, string>, metricName: string, value: number) =>
    world.cloudWatch.putMetric({ namespace: 'AWS/ApplicationELB', metricName, dimensions, value, timestamp, unit: 'Count' });
  countOf(lbDims, 'RequestCount', m.count);
  if (!m.targetGroupDimension) {
    countOf(lbDims, 'HTTPCode_ELB_5XX_Count', m.count);
    return;
  }
  const dims = { TargetGroup: m.targetGroupDimension, LoadBalancer: m.loadBalancerDimension };
  countOf(dims, 'RequestCount', m.count);
  for (const d of [dims, lbDims]) {
    world.cloudWatch.putMetricData('AWS/ApplicationELB', [{
      MetricName: 'TargetResponseTime',
      Dimensions: Object.entries(d).map(([Name, Value]) => ({ Name, Value })),
      Values: [m.latencySeconds],
      Counts: [m.count],
      Timestamp: timestamp,
      Unit: 'Seconds',
    }]);
    for (const k of [2, 4, 5]) countOf(d, `HTTPCode_Target_${k}XX_Count`, m.byClass[k] ?? 0);
  }
}

/** Test helper and traffic generator: one GET through a listener, resolving with the status. */
export function httpGet(port: number, path: string, method = 'GET', signal?: AbortSignal): Promise<{ status: number; version?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, signal }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(typeof res.headers['x-app-version'] === 'string' ? { version: res.headers['x-app-version'] } : {}) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
