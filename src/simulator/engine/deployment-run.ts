/**
 * The state of one simulated deployment while it runs: the timeline, the hook
 * results, what stops it (an alarm, a StopDeployment call, the caller's
 * signal) and the lifecycle-event steps shared by Lambda and ECS: running a
 * hook event, a plain event, and the traffic shift of AllowTraffic.
 */
import type { Scenario, ScenarioHook } from '../scenario/types.js';
import { substituteAll, type PlaceholderName } from '../scenario/placeholders.js';
import type { World } from '../state/index.js';
import type { TrafficRoutingConfig } from '../state/deployment-configs.js';
import { SimClock } from '../clock/sim-clock.js';
import { anySignal } from '../../util/abort.js';
import { invokeHook, type HookHandler, type HookInvocation } from './hook-runner.js';
import { runCommandHook } from './command-hook.js';
import type { HookRunResult, SimulationResult } from './result.js';
import { storeHookLogs } from './hook-logs.js';
import type { TimelineEvent, TimelineEventInput, TimelineListener } from './timeline.js';
import { trafficPlan } from './traffic-plan.js';
import { ScheduleRunner, type ScheduledFunction } from './schedules.js';

/** Why a deployment ended early; thrown (or used as an abort reason) to unwind the lifecycle. */
export class DeploymentFailure extends Error {
  constructor(
    readonly status: 'Failed' | 'Stopped',
    readonly errorCode: string,
    message: string,
    /** False when CodeDeploy would not roll back (BeforeInstall, a stop without rollback). */
    readonly rollback = true,
  ) {
    super(message);
    this.name = 'DeploymentFailure';
  }
}

export interface RunOptions {
  world: World;
  endpoint: string;
  timeScale: number;
  handlers: Map<string, HookHandler>;
  /** Values for {{placeholders}} in hook env. */
  vars: Partial<Record<PlaceholderName, string>>;
  onEvent?: TimelineListener;
  captureHookOutput: boolean;
  /** Scheduled functions invoked while AllowTraffic shifts traffic (the canary analyzer). */
  schedules?: ScheduledFunction[];
}

export class DeploymentRun {
  readonly clock: SimClock;
  readonly timeline: TimelineEvent[] = [];
  readonly hooks: HookRunResult[] = [];
  readonly stop = new AbortController();
  deploymentId = '';
  private readonly pendingInvocations = new Set<Promise<unknown>>();

  constructor(
    readonly scenario: Scenario,
    readonly opts: RunOptions,
  ) {
    this.clock = new SimClock(opts.timeScale);
    for (const h of scenario.hooks) {
      this.hooks.push({ lifecycleEvent: h.lifecycleEvent, functionName: h.functionName, module: h.moduleAsWritten, export: h.export, status: 'NotRun', logs: [] });
    }
  }

  get world(): World {
    return this.opts.world;
  }

  /** Set when the result has been returned: a hook still running after that is no longer reported. */
  closed = false;

  emit(event: TimelineEventInput): void {
    if (this.closed) return;
    const full = { ...event, at: this.clock.elapsedMs(), simSeconds: Math.round(this.clock.simSeconds()) } as TimelineEvent;
    this.timeline.push(full);
    this.opts.onEvent?.(full);
  }

  /** The run's result: the scenario's and the run's own fields, and what the platform decided and measured. */
  result(outcome: Pick<SimulationResult, 'deploymentConfigName' | 'status' | 'reason' | 'rolledBack' | 'startedAt' | 'alarms' | 'traffic' | 'errorCode' | 'metrics'>): SimulationResult {
    const { scenario } = this;
    const { errorCode, metrics, ...rest } = outcome;
    return {
      scenario: scenario.name,
      source: scenario.source,
      description: scenario.description,
      platform: scenario.platform,
      deploymentId: this.deploymentId,
      ...rest,
      ...(errorCode ? { errorCode } : {}),
      ...(scenario.expect ? { expect: scenario.expect } : {}),
      timeScale: this.opts.timeScale,
      durationMs: this.clock.elapsedMs(),
      simulatedSeconds: Math.round(this.clock.simSeconds()),
      hooks: this.hooks,
      timeline: this.timeline,
      ...(metrics ? { metrics } : {}),
    };
  }

  /** Stops the deployment (first cause wins). */
  requestStop(failure: DeploymentFailure): void {
    if (!this.stop.signal.aborted) this.stop.abort(failure);
  }

  /** Throws the stop cause if the deployment has been stopped. */
  checkStopped(): void {
    if (this.stop.signal.aborted) throw this.stop.signal.reason as DeploymentFailure;
  }

  /** A lifecycle event CodeDeploy performs itself (Install, AllowTestTraffic...). */
  async plainEvent(name: string, action: () => Promise<void> | void): Promise<void> {
    this.checkStopped();
    const cd = this.world.codeDeploy;
    cd.startLifecycleEvent(this.deploymentId, name);
    this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'InProgress' });
    try {
      await action();
    } catch (err) {
      cd.completeLifecycleEvent(this.deploymentId, name, 'Failed');
      this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Failed', message: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    cd.completeLifecycleEvent(this.deploymentId, name, 'Succeeded');
    this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Succeeded' });
  }

  /**
   * A hookable lifecycle event: invoke the hook (asynchronously, as CodeDeploy
   * does), then wait for its reported status up to the hook wait (simulated).
   * Throws DeploymentFailure when the hook reports Failed or never reports.
   */
  async hookEvent(name: string, opts: { rollbackPossible?: boolean } = {}): Promise<void> {
    this.checkStopped();
    const cd = this.world.codeDeploy;
    const hook = this.scenario.hooks.find((h) => h.lifecycleEvent === name);
    if (!hook) {
      cd.completeLifecycleEvent(this.deploymentId, name, 'Skipped');
      this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Skipped', message: 'no hook configured' });
      return;
    }
    const record = this.hooks.find((h) => h.lifecycleEvent === name)!;
    const exec = cd.createHookExecution(this.deploymentId, name);
    this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'InProgress' });
    this.emit({ type: 'hook-invoked', lifecycleEvent: name, functionName: hook.functionName, executionId: exec.executionId });

    const invocation = this.invoke(hook, exec.executionId, record);
    const waitSeconds = this.scenario.deployment.hookWaitSeconds;
    let status: 'Succeeded' | 'Failed' | 'timeout' | 'stopped';
    // CodeDeploy's hour and the hook's own time run on the same simulated clock, so the hour
    // ends exactly when it would in AWS, whatever the time scale.
    const waited = new AbortController();
    const waiting = anySignal([this.stop.signal, waited.signal]);
    try {
      status = await Promise.race([
        cd.waitForHookReport(exec.executionId, { signal: waiting.signal }),
        this.clock.sleep(waitSeconds * 1000, waiting.signal).then(() => 'timeout' as const),
      ]);
    } catch {
      status = 'stopped';
    } finally {
      // Ends the loser of the race (the hour's timer, or the wait for a report).
      waited.abort();
      waiting.dispose();
    }
    // The report normally comes just before the handler returns: give it a (simulated) moment to, so the verdict is in the timeline.
    await this.settleWithin(invocation, status === 'stopped' || status === 'timeout' ? 200 : 5000);

    if (status === 'Succeeded') {
      record.status = 'Succeeded';
      this.emit({ type: 'hook-status', lifecycleEvent: name, status: 'Succeeded', message: 'PutLifecycleEventHookExecutionStatus: Succeeded' });
      this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Succeeded' });
      return;
    }
    if (status === 'stopped') {
      cd.expireHookExecution(exec.executionId, 'The deployment was stopped while the hook was running.');
      record.status = record.status === 'NotRun' ? 'NoReport' : record.status;
      this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Failed', message: 'deployment stopped while the hook was running' });
      this.checkStopped();
      return;
    }
    const rollback = opts.rollbackPossible ?? true;
    if (status === 'Failed') {
      record.status = 'Failed';
      const why = record.verdict?.reason ?? record.error ?? 'the hook reported Failed';
      this.emit({ type: 'hook-status', lifecycleEvent: name, status: 'Failed', message: `PutLifecycleEventHookExecutionStatus: Failed (${why})` });
      this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Failed' });
      throw new DeploymentFailure('Failed', 'HOOK_EXECUTION_FAILURE', `${name} hook ${hook.functionName} reported Failed: ${why}`, rollback);
    }
    cd.expireHookExecution(exec.executionId);
    record.status = 'NoReport';
    const invoked = record.outcome === 'threw' ? ` (the function failed: ${record.error})` : record.outcome === 'timed-out' ? ` (the function ${record.error?.toLowerCase()})` : '';
    const message = `${name} hook ${hook.functionName} did not report a status within ${formatSeconds(waitSeconds)}${invoked}`;
    this.emit({ type: 'hook-status', lifecycleEvent: name, status: 'NoReport', message });
    this.emit({ type: 'lifecycle', lifecycleEvent: name, status: 'Failed', message: 'no status reported in time' });
    throw new DeploymentFailure('Failed', 'TIMEOUT', message, rollback);
  }

  /** AllowTraffic's shifts: applies each step of the configuration at its simulated time. */
  async shiftTraffic(routing: TrafficRoutingConfig, apply: (targetWeight: number) => void): Promise<void> {
    const schedules = new ScheduleRunner(this, this.opts.schedules ?? []);
    schedules.start();
    try {
      await this.applySteps(routing, apply);
    } finally {
      await schedules.stop();
    }
  }

  private async applySteps(routing: TrafficRoutingConfig, apply: (targetWeight: number) => void): Promise<void> {
    const started = this.clock.now();
    for (const step of trafficPlan(routing)) {
      const wait = step.atSeconds * 1000 - (this.clock.now() - started);
      if (wait > 0) {
        try {
          await this.clock.sleep(wait, this.stop.signal);
        } catch {
          this.checkStopped();
        }
      }
      this.checkStopped();
      apply(step.targetWeight);
    }
  }

  /** Waits (simulated `maxMs` at most) for hook invocations still running. */
  async drain(maxMs: number): Promise<void> {
    await this.settleWithin(Promise.allSettled([...this.pendingInvocations]), maxMs);
  }

  /** Resolves when `p` settles or `ms` of simulated time have passed. */
  private settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
    const done = new AbortController();
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    return Promise.race([settled, this.clock.sleep(ms, done.signal).catch(() => undefined)]).finally(() => done.abort());
  }

  /**
   * Starts the hook: a command as a process, a module's handler in-process; a
   * module hook without a loaded handler is run by someone else (the emulator
   * prints its event), so only its report counts and this resolves at once.
   */
  private invoke(hook: ScenarioHook, executionId: string, record: HookRunResult): Promise<HookInvocation | undefined> {
    const handler = this.opts.handlers.get(hook.lifecycleEvent);
    const withEnv = { ...hook, env: substituteAll(hook.env, this.opts.vars) };
    const event = { DeploymentId: this.deploymentId, LifecycleEventHookExecutionId: executionId };
    const aws = { endpoint: this.opts.endpoint, region: this.world.region };
    const output = { captureOutput: this.opts.captureHookOutput, clock: this.clock };
    let started: Promise<HookInvocation>;
    if (hook.command) started = runCommandHook(withEnv, hook.command, event, aws, output);
    else if (handler) started = invokeHook(handler, withEnv, event, aws, output);
    else return Promise.resolve(undefined);
    const p = started.then((inv) => {
      record.outcome = inv.outcome;
      record.durationMs = inv.durationMs;
      record.logs = inv.logs;
      storeHookLogs(this.world, hook.functionName, inv.logs);
      if (inv.verdict) record.verdict = inv.verdict;
      if (inv.error) record.error = inv.error;
      this.emit({
        type: 'hook-finished',
        lifecycleEvent: hook.lifecycleEvent,
        outcome: inv.outcome,
        durationMs: inv.durationMs,
        ...(inv.verdict ? { verdict: inv.verdict } : {}),
        ...(inv.error ? { error: inv.error } : {}),
        ...(inv.logs.length ? { logs: inv.logs } : {}),
      });
      return inv;
    });
    this.pendingInvocations.add(p);
    void p.finally(() => this.pendingInvocations.delete(p));
    return p;
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h (simulated)`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min (simulated)`;
  return `${seconds} s (simulated)`;
}
