/**
 * A simulation result as the HTML report's view. The words (summary, "why",
 * timeline lines) come from the CLI's own printer, so the page and the terminal
 * say the same thing.
 */
import { TimelinePrinter } from '../cli/timeline-printer.js';
import type { HookRunResult, SimulationResult } from '../simulator/engine/result.js';
import type { TimelineEvent } from '../simulator/engine/timeline.js';
import type { AlarmView, DeploymentView, HookView, MarkerView } from './view.js';

export function viewOfSimulation(r: SimulationResult): DeploymentView {
  const { current, target } = versionsOf(r);
  // reduce, not Math.max(...): a long run's timeline is longer than an argument list may be.
  const end = r.timeline.reduce((m, e) => Math.max(m, e.simSeconds), r.simulatedSeconds);
  return {
    title: `Deployment ${r.deploymentId}: ${r.scenario}`,
    subtitle: `Simulated ${r.platform} deployment (${r.deploymentConfigName}) of scenario ${r.scenario}${r.description ? ` — ${r.description}` : ''}; time scale ${r.timeScale}x, started ${r.startedAt}`,
    deploymentId: r.deploymentId,
    status: r.status,
    rolledBack: r.rolledBack,
    headline: r.status === 'Succeeded' ? 'SUCCEEDED' : r.rolledBack ? 'ROLLED BACK' : r.status.toUpperCase(),
    why: r.reason,
    summary: summaryLines(r),
    durationSeconds: end,
    timeLabel: 'simulated time',
    versions: [
      { id: current, role: 'current', label: `v${current}` },
      { id: target, role: 'target', label: `v${target}` },
    ],
    weights: weightsOf(r.timeline),
    ...(r.metrics ? { metrics: r.metrics } : {}),
    alarms: alarmsOf(r),
    markers: markersOf(r.timeline),
    hooks: r.hooks.map((h) => hookOf(h, r.timeline)),
    events: eventLines(r.timeline),
    eventsTitle: 'The timeline as the CLI printed it',
  };
}

function versionsOf(r: SimulationResult): { current: string; target: string } {
  const t = r.timeline.find((e) => e.type === 'traffic');
  if (t) return { current: t.currentVersion, target: t.targetVersion };
  // No traffic moved (a hook failed first): the metrics know which version is which.
  const byRole = (role: string) => r.metrics?.versions.find((v) => v.role === role)?.version;
  return { current: byRole('current') ?? 'current', target: byRole('target') ?? 'target' };
}

/** Production traffic only (the alias, or the production listener): the test listener carries no users. */
function weightsOf(timeline: TimelineEvent[]): DeploymentView['weights'] {
  const weights: DeploymentView['weights'] = [{ at: 0, targetPercent: 0 }];
  for (const e of timeline) if (e.type === 'traffic' && e.listener !== 'test') weights.push({ at: e.simSeconds, targetPercent: e.targetWeight });
  return weights;
}

function alarmsOf(r: SimulationResult): AlarmView[] {
  const byName = new Map<string, AlarmView>();
  for (const a of r.alarms) byName.set(a.name, { name: a.name, changes: [], finalState: a.state });
  for (const e of r.timeline) {
    if (e.type !== 'alarm') continue;
    const view = byName.get(e.alarmName) ?? { name: e.alarmName, changes: [], finalState: e.state };
    view.changes.push({ at: e.simSeconds, state: e.state, reason: e.reason });
    byName.set(e.alarmName, view);
  }
  return [...byName.values()];
}

function markersOf(timeline: TimelineEvent[]): MarkerView[] {
  const markers: MarkerView[] = [];
  for (const e of timeline) {
    if (e.type === 'lifecycle' && (e.status === 'Succeeded' || e.status === 'Failed')) markers.push({ at: e.simSeconds, kind: 'lifecycle', label: `${e.lifecycleEvent} ${e.status}` });
    else if (e.type === 'rollback') markers.push({ at: e.simSeconds, kind: 'rollback', label: 'Rollback' });
    else if (e.type === 'deployment-finished') markers.push({ at: e.simSeconds, kind: 'end', label: `End ${e.status}` });
  }
  return markers;
}

function hookOf(h: HookRunResult, timeline: TimelineEvent[]): HookView {
  const status = timeline.find((e) => e.type === 'hook-status' && e.lifecycleEvent === h.lifecycleEvent);
  const reported = h.status === 'NotRun'
    ? `not run: the deployment ended before ${h.lifecycleEvent}`
    : status?.type === 'hook-status'
      ? status.message
      : h.verdict?.reported
        ? `reported ${h.verdict.status}`
        : 'no status reached CodeDeploy';
  return {
    lifecycleEvent: h.lifecycleEvent,
    functionName: h.functionName,
    status: h.status,
    ...(h.outcome ? { outcome: h.outcome } : {}),
    ...(h.durationMs !== undefined ? { durationMs: h.durationMs } : {}),
    ...(h.verdict ? { verdict: { status: h.verdict.status, reason: h.verdict.reason, reported: h.verdict.reported, checks: h.verdict.checks } } : {}),
    reported,
    ...(h.error ? { error: h.error } : {}),
    logs: h.logs,
  };
}

function summaryLines(r: SimulationResult): string[] {
  let text = '';
  new TimelinePrinter((s) => (text += s), { color: false, verbose: false }).summary(r);
  // The printer's "Summary" heading is the page's own heading.
  return text.split('\n').filter((l) => l.trim() && l.trim() !== 'Summary').map((l) => l.replace(/^ {2}/, ''));
}

/** The CLI's timeline lines. */
function eventLines(timeline: TimelineEvent[]): DeploymentView['events'] {
  const lines: DeploymentView['events'] = [];
  let text = '';
  const printer = new TimelinePrinter((s) => (text += s), { color: false, verbose: false });
  for (const e of timeline) {
    text = '';
    printer.event(e);
    if (text) lines.push({ at: e.simSeconds, text: text.trimEnd() });
  }
  return lines;
}
