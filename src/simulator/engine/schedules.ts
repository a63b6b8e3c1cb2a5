/**
 * Scheduled functions (EventBridge Scheduler targets, e.g. the canary
 * analyzer): invoked every `rateSeconds` of simulated time while AllowTraffic
 * shifts traffic, the window they exist for. One invocation of a schedule runs
 * at a time (a late one is skipped, as a function with reserved concurrency 1
 * would throttle it), and stopping waits for the one in flight, so a scheduled
 * function never runs alongside a lifecycle hook and their environments never mix.
 */
import { substituteAll } from '../scenario/placeholders.js';
import type { ScenarioSchedule } from '../scenario/types.js';
import type { DeploymentRun } from './deployment-run.js';
import { invokeHook, type HookHandler } from './hook-runner.js';

export interface ScheduledFunction {
  schedule: ScenarioSchedule;
  handler: HookHandler;
}

export class ScheduleRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private stopped = false;
  /** Invocations per function, for the result. */
  readonly invocations: Record<string, number> = {};

  constructor(
    private readonly run: DeploymentRun,
    private readonly functions: ScheduledFunction[],
  ) {}

  start(): void {
    for (const f of this.functions) this.arm(f);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private arm(f: ScheduledFunction): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.fire(f);
      this.arm(f);
    }, this.run.clock.realMs(f.schedule.rateSeconds));
    timer.unref();
    this.timers.add(timer);
  }

  private fire(f: ScheduledFunction): void {
    const name = f.schedule.functionName;
    if (this.stopped || this.inFlight.has(name)) return;
    this.invocations[name] = (this.invocations[name] ?? 0) + 1;
    const event = { source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: new Date().toISOString(), detail: {} };
    const p = invokeHook(
      f.handler,
      { ...f.schedule, env: substituteAll(f.schedule.env, this.run.opts.vars) },
      event,
      { endpoint: this.run.opts.endpoint, region: this.run.world.region },
      { captureOutput: this.run.opts.captureHookOutput },
    ).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, p);
  }
}
