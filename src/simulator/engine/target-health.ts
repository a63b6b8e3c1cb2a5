/**
 * What the ALB knows about the task sets' targets: each task set's task is a
 * registered target of its target group, `unhealthy` (Target.ResponseCodeMismatch,
 * the task answers 503 while it starts) until its version's healthyAfterSeconds
 * have passed on the world's clock, then `healthy`. DescribeTargetHealth shows
 * that state, and HealthyHostCount / UnHealthyHostCount are published to
 * AWS/ApplicationELB once a minute, with the TargetGroup+LoadBalancer
 * dimensions, as the ALB publishes them.
 */
import type { Clock, ClockTimer } from '../clock/clock.js';
import type { World } from '../state/index.js';

interface TrackedTarget {
  targetGroupArn: string;
  targetGroupDimension: string;
  port: number;
  /** Clock ms when the task started. */
  startedAt: number;
  healthyAfterSeconds: number;
}

/** The ALB publishes the host counts every minute. */
const PUBLISH_EVERY_MS = 60_000;

export class TargetHealth {
  private readonly targets = new Map<string, TrackedTarget>();
  private timer?: ClockTimer;

  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    private readonly loadBalancerDimension: string,
  ) {}

  /** Registers a task set's task with its target group; returns whether it is healthy now (the task server asks on each request). */
  register(label: string, target: Omit<TrackedTarget, 'startedAt'>): () => boolean {
    const tracked = { ...target, startedAt: this.clock.now() };
    this.targets.set(label, tracked);
    // The counts cover the minute a target is registered in, so a hook right after Install sees them.
    this.publish();
    return () => this.isHealthy(tracked);
  }

  deregister(label: string): void {
    const t = this.targets.get(label);
    if (!t) return;
    this.targets.delete(label);
    this.world.elbv2.deregisterTargets(t.targetGroupArn);
  }

  /** Publishes the host counts every minute until stop(). */
  start(): void {
    this.timer ??= this.clock.setTimer(() => this.publish(), PUBLISH_EVERY_MS, { every: PUBLISH_EVERY_MS });
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** Brings DescribeTargetHealth up to date with the clock. */
  refresh(): void {
    for (const t of this.targets.values()) {
      const health = this.isHealthy(t)
        ? { State: 'healthy' as const }
        : { State: 'unhealthy' as const, Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [503]' };
      this.world.elbv2.setTargetHealth(t.targetGroupArn, { Id: '127.0.0.1', Port: t.port }, health);
    }
  }

  publish(): void {
    this.refresh();
    // Stamped with the start of the minute they cover, as CloudWatch stamps one-minute datapoints,
    // so a query ending now (GetMetricData's end is exclusive) sees the current minute.
    const timestamp = Math.floor(this.world.now() / PUBLISH_EVERY_MS) * PUBLISH_EVERY_MS;
    for (const t of this.targets.values()) {
      const healthy = this.isHealthy(t) ? 1 : 0;
      const dimensions = { TargetGroup: t.targetGroupDimension, LoadBalancer: this.loadBalancerDimension };
      for (const [metricName, value] of [['HealthyHostCount', healthy], ['UnHealthyHostCount', 1 - healthy]] as const) {
        this.world.cloudWatch.putMetric({ namespace: 'AWS/ApplicationELB', metricName, dimensions, value, timestamp, unit: 'Count' });
      }
    }
  }

  private isHealthy(t: TrackedTarget): boolean {
    return this.clock.now() - t.startedAt >= t.healthyAfterSeconds * 1000;
  }
}
