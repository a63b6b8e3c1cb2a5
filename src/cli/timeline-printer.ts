/**
 * Renders the live timeline and the final summary of `simulate` as plain
 * text: one line per event, `[real time | simulated time]` in front, colour
 * only on a terminal (and never with NO_COLOR).
 */
import type { CheckResult } from '../types.js';
import type { SimulationResult } from '../simulator/engine/result.js';
import type { TimelineEvent } from '../simulator/engine/timeline.js';

export interface PrinterOptions {
  color: boolean;
  verbose: boolean;
}

type Paint = (s: string) => string;

export class TimelinePrinter {
  private readonly green: Paint;
  private readonly red: Paint;
  private readonly yellow: Paint;
  private readonly dim: Paint;
  private readonly bold: Paint;

  constructor(
    private readonly write: (text: string) => void,
    private readonly opts: PrinterOptions,
  ) {
    const wrap = (open: number, close: number): Paint => (opts.color ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s);
    this.green = wrap(32, 39);
    this.red = wrap(31, 39);
    this.yellow = wrap(33, 39);
    this.dim = wrap(2, 22);
    this.bold = wrap(1, 22);
  }

  header(scenario: { name: string; description: string; source: string }, timeScale: number): void {
    this.write(`${this.bold(`Simulating scenario ${scenario.name}`)}${scenario.description ? ` — ${scenario.description}` : ''}\n`);
    this.write(this.dim(`  source ${scenario.source}; time scale ${timeScale}x (one simulated clock for CodeDeploy, CloudWatch, traffic and hooks; work takes no simulated time)\n\n`));
  }

  event(e: TimelineEvent): void {
    const line = this.format(e);
    if (line !== undefined) this.write(`${this.stamp(e)} ${line}\n`);
    if (e.type === 'hook-finished') {
      for (const c of e.verdict?.checks ?? []) this.write(`${' '.repeat(20)}${this.check(c)}\n`);
      if (this.opts.verbose && e.logs) this.logs(e.lifecycleEvent, e.logs);
    }
  }

  summary(r: SimulationResult): void {
    const ok = r.status === 'Succeeded';
    const mark = ok ? this.green('SUCCEEDED') : this.red(r.rolledBack ? 'ROLLED BACK' : r.status.toUpperCase());
    this.write(`\n${this.bold('Summary')}\n`);
    this.write(`  Deployment ${r.deploymentId} (${r.platform}, ${r.deploymentConfigName}): ${mark}`);
    this.write(` in ${(r.durationMs / 1000).toFixed(1)} s real, ${formatSim(r.simulatedSeconds)} simulated\n`);
    this.write(`  Why: ${r.reason}\n`);
    for (const h of r.hooks) {
      const status = h.status === 'Succeeded' ? this.green(h.status) : h.status === 'NotRun' ? this.dim('not run') : this.red(h.status);
      const enforced = h.verdict?.checks.filter((c) => c.enforced) ?? [];
      const checks = h.verdict ? `, ${enforced.filter((c) => c.state === 'passed').length}/${enforced.length} enforced checks passed` : '';
      const err = h.error ? `, ${h.error}` : '';
      this.write(`  Hook ${h.lifecycleEvent} (${h.functionName}): ${status}${checks}${err}\n`);
    }
    if (r.traffic.total > 0) {
      const versions = Object.entries(r.traffic.byVersion)
        .map(([v, s]) => `version ${v}: ${s.total}${s.failed ? ` (${s.failed} failed)` : ''}`)
        .join(', ');
      this.write(`  Traffic: ${r.traffic.total} requests, ${r.traffic.failed} failed — ${versions}\n`);
    }
    for (const a of r.alarms) {
      const state = a.state === 'ALARM' ? this.red(a.state) : a.state === 'OK' ? this.green(a.state) : this.yellow(a.state);
      this.write(`  Alarm ${a.name}: ${state}\n`);
    }
    if (r.expect) {
      const met = r.expect === (r.status === 'Succeeded' ? 'Succeeded' : 'Failed');
      this.write(`  Expected: ${r.expect} — ${met ? this.green('as expected') : this.red('NOT as expected')}\n`);
    }
  }

  private format(e: TimelineEvent): string | undefined {
    switch (e.type) {
      case 'deployment-started':
        return `${this.bold('Start')}  deployment ${e.deploymentId} (${e.platform}, ${e.config}: ${e.routing})`;
      case 'lifecycle': {
        const status = e.status === 'Succeeded' ? this.green(e.status) : e.status === 'Failed' ? this.red(e.status) : e.status === 'Skipped' ? this.dim(e.status) : this.yellow(e.status);
        return `${this.bold(e.lifecycleEvent.padEnd(22))} ${status}${e.message ? this.dim(` — ${e.message}`) : ''}`;
      }
      case 'hook-invoked':
        return `${' '.repeat(23)}invoking ${e.functionName}`;
      case 'hook-finished': {
        if (e.outcome !== 'returned') return `${' '.repeat(23)}${this.red(`hook function ${e.outcome === 'threw' ? 'failed' : 'timed out'}`)}: ${e.error ?? ''}`;
        if (!e.verdict) return `${' '.repeat(23)}hook returned after ${e.durationMs} ms`;
        const v = e.verdict;
        const status = v.status === 'Succeeded' ? this.green(v.status) : this.red(v.status);
        return `${' '.repeat(23)}hook verdict ${status} in ${e.durationMs} ms — ${v.reason}`;
      }
      case 'hook-status':
        return `${' '.repeat(23)}${e.status === 'Succeeded' ? this.green(e.message) : this.red(e.message)}`;
      case 'traffic': {
        const where = e.listener === 'alias' ? 'alias' : `${e.listener} listener`;
        const bar = weightBar(e.targetWeight);
        const text = `${where}: version ${e.currentVersion} ${100 - e.targetWeight}% | version ${e.targetVersion} ${e.targetWeight}%  ${bar}`;
        return `${this.bold('Traffic'.padEnd(22))} ${e.rollback ? this.yellow(`rollback → ${text}`) : text}`;
      }
      case 'alarm': {
        const state = e.state === 'ALARM' ? this.red(e.state) : e.state === 'OK' ? this.green(e.state) : this.yellow(e.state);
        return `${this.bold('Alarm'.padEnd(22))} ${e.alarmName} → ${state}${this.dim(` — ${e.reason}`)}`;
      }
      case 'requests': {
        const versions = Object.entries(e.byVersion)
          .map(([v, s]) => `v${v} ${s.total}${s.failed ? this.red(` (${s.failed} failed)`) : ''}`)
          .join(', ');
        return this.dim(`${'Requests'.padEnd(22)} ${e.total} (${versions})`);
      }
      case 'rollback':
        return `${this.bold(this.yellow('Rollback'.padEnd(22)))} ${e.reason}`;
      case 'info':
        return this.dim(e.message);
      case 'deployment-finished': {
        const status = e.status === 'Succeeded' ? this.green(e.status) : this.red(e.status);
        return `${this.bold('End'.padEnd(22))} ${status}${e.errorCode ? ` (${e.errorCode})` : ''}`;
      }
    }
  }

  private check(c: CheckResult): string {
    const icon = c.state === 'passed' ? this.green('✓') : c.state === 'inconclusive' ? this.yellow('?') : this.red('✗');
    const enforced = c.enforced ? '' : this.dim(' (not enforced)');
    return `${icon} ${c.name}: ${c.state}${enforced} — ${c.reason}${this.dim(` (${c.durationMs} ms${c.attempts > 1 ? `, ${c.attempts} attempts` : ''})`)}`;
  }

  /** Prints the logs a hook wrote (verbose mode). */
  logs(lifecycleEvent: string, logs: string[]): void {
    const text = logs.join('').trimEnd();
    if (!text) return;
    this.write(this.dim(`${' '.repeat(20)}--- ${lifecycleEvent} hook output ---\n`));
    for (const line of text.split('\n')) this.write(this.dim(`${' '.repeat(20)}${line}\n`));
  }

  private stamp(e: TimelineEvent): string {
    return this.dim(`[${(e.at / 1000).toFixed(1).padStart(5)}s ${formatClock(e.simSeconds)}]`);
  }
}

function weightBar(percent: number): string {
  const filled = Math.round(percent / 10);
  return `[${'#'.repeat(filled)}${'.'.repeat(10 - filled)}]`;
}

/** Simulated time as mm:ss (or h:mm:ss). */
function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return (h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${String(m).padStart(2, '0')}:${sec}`).padStart(7);
}

function formatSim(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s ? `${m} min ${s} s` : `${m} min`;
}
