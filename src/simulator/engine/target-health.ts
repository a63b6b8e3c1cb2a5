/**
 * What the ALB knows about the task sets' targets: each task set's task is a
 * registered target of its target group, `unhealthy` (Target.ResponseCodeMismatch,
 * the task answers 503 while it starts) until its version's healthyAfterSeconds
 * have passed on the simulated clock, then `healthy`. DescribeTargetHealth shows
 * that state, and HealthyHostCount / UnHealthyHostCount are published to
 * AWS/ApplicationELB once a simulated minute, with the TargetGroup+LoadBalancer
 * dimensions, as the ALB publishes them.
 */
import type { World } from '../state/index.js';
import { sleep } from '../../util/abort.js';

export interface HealthClock {
  /** Simulated seconds since the start. */
  simSeconds(): number;
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}

/** Real time, for the testing helpers (runHook), which do not compress time. */
export function realClock(): HealthClock {
  const started = Date.now();
  return { simSeconds: () => (Date.now() - started) / 1000, sleep: (seconds, signal) => sleep(seconds * 1000, signal) };
}

interface TrackedTarget {
  targetGroupArn: string;
  targetGroupDimension: string;
  port: number;
  startedAt: number;
  healthyAfterSeconds: number;
}

/** The ALB publishes the host counts every minute. */
const PUBLISH_EVERY_SECONDS = 60;

export class TargetHealth {
  private readonly targets = new Map<string, TrackedTarget>();
  private readonly stopPublishing = new AbortController();

  constructor(
    private readonly world: World,
    private readonly clock: HealthClock,
    private readonly loadBalancerDimension: string,
  ) {}

  /** Registers a task set's task with its target group; returns whether it is healthy now (the task server asks on each request). */
  register(label: string, target: Omit<TrackedTarget, 'startedAt'>): () => boolean {
    const tracked = { ...target, startedAt: this.clock.simSeconds() };
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

  /** Publishes the host counts now and then once every simulated minute until stop(). */
  start(): void {
    const signal = this.stopPublishing.signal;
    void (async () => {
      while (!signal.aborted) {
        this.publish();
        await this.clock.sleep(PUBLISH_EVERY_SECONDS, signal).catch(() => undefined);
      }
    })();
  }

  stop(): void {
    this.stopPublishing.abort();
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
    const timestamp = this.world.now();
    for (const t of this.targets.values()) {
      const healthy = this.isHealthy(t) ? 1 : 0;
      const dimensions = { TargetGroup: t.targetGroupDimension, LoadBalancer: this.loadBalancerDimension };
      for (const [metricName, value] of [['HealthyHostCount', healthy], ['UnHealthyHostCount', 1 - healthy]] as const) {
        this.world.cloudWatch.putMetric({ namespace: 'AWS/ApplicationELB', metricName, dimensions, value, timestamp, unit: 'Count' });
      }
    }
  }

  private isHealthy(t: TrackedTarget): boolean {
    return this.clock.simSeconds() - t.startedAt >= t.healthyAfterSeconds;
  }
}
