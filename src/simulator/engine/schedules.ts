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
import type { ClockTimer } from '../clock/clock.js';
import { invokeHook, type HookHandler } from './hook-runner.js';

export interface ScheduledFunction {
  schedule: ScenarioSchedule;
  handler: HookHandler;
}

export class ScheduleRunner {
  private readonly timers: ClockTimer[] = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private stopped = false;
  /** Invocations per function, for the result. */
  readonly invocations: Record<string, number> = {};

  constructor(
    private readonly run: DeploymentRun,
    private readonly functions: ScheduledFunction[],
  ) {}

  /** The first invocation one rate after the start, then one every rate (simulated time). */
  start(): void {
    for (const f of this.functions) {
      const every = f.schedule.rateSeconds * 1000;
      this.timers.push(this.run.clock.setTimer(() => this.fire(f), every, { every }));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.splice(0)) t.cancel();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private fire(f: ScheduledFunction): void {
    const name = f.schedule.functionName;
    if (this.stopped || this.inFlight.has(name)) return;
    this.invocations[name] = (this.invocations[name] ?? 0) + 1;
    const event = { source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: new Date(this.run.clock.now()).toISOString(), detail: {} };
    const p = invokeHook(
      f.handler,
      { ...f.schedule, env: substituteAll(f.schedule.env, this.run.opts.vars) },
      event,
      { endpoint: this.run.opts.endpoint, region: this.run.world.region },
      { captureOutput: this.run.opts.captureHookOutput, clock: this.run.clock },
    ).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, p);
  }
}
