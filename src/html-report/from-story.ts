/**
 * An `explain` story of a real (or emulated) deployment as the HTML report's
 * view. The words come from explain's own text printer and the story's fields;
 * times are seconds since the deployment started. The API keeps no history of
 * traffic weights and explain reads no metric series, so the chart shows the
 * weight the story knows (marked as such), the alarms' state changes, and the
 * lifecycle events; the metric panels say they have no data.
 */
import { renderStory } from '../explain/print-story.js';
import type { DeploymentStory, StoryEvent } from '../explain/story.js';
import { clock } from './format.js';
import type { AlarmView, DeploymentView, HookView, MarkerView, VersionView } from './view.js';

export function viewOfStory(story: DeploymentStory): DeploymentView {
  const origin = time(story.startTime) ?? time(story.createTime) ?? earliest(story);
  const at = (iso: string | undefined): number | undefined => {
    const t = time(iso);
    return t === undefined || origin === undefined ? undefined : (t - origin) / 1000;
  };
  const ends = [at(story.completeTime), ...story.events.flatMap((e) => [at(e.startTime), at(e.endTime)]), ...story.alarms.flatMap((a) => a.transitions.map((t) => at(t.time)))];
  const durationSeconds = Math.max(1, ...ends.filter((t): t is number => t !== undefined));
  const failedEvent = story.events.find((e) => e.name === story.failedEvent);
  const rollbackAt = story.outcome === 'rolled-back' ? (at(failedEvent?.endTime) ?? at(story.completeTime)) : undefined;
  const headline = story.outcome.toUpperCase().replace('-', ' ');
  const where = [story.applicationName && story.deploymentGroupName ? `${story.applicationName} / ${story.deploymentGroupName}` : undefined, story.deploymentConfigName].filter(Boolean).join(', ');
  return {
    title: `Deployment ${story.deploymentId}${story.applicationName ? `: ${story.applicationName}` : ''}`,
    subtitle: `${story.computePlatform ?? 'A'} deployment${where ? ` (${where})` : ''}, explained from the CodeDeploy API, the alarms' history and the hooks' verdict lines${story.createTime ? `; created ${story.createTime}` : ''}${story.completeTime ? `, ended ${story.completeTime}` : ''}`,
    deploymentId: story.deploymentId,
    status: story.status,
    rolledBack: story.outcome === 'rolled-back',
    headline,
    why: story.headline,
    summary: renderStory(story, { color: false }).trimEnd().split('\n'),
    durationSeconds,
    timeLabel: 'time since the deployment started',
    versions: versionsOf(story),
    weights: weightsOf(story, at, rollbackAt),
    metricsMissing: 'explain reads no metric series; see the versions’ CloudWatch metrics',
    notes: story.traffic ? [`Traffic: ${story.traffic.summary}${story.traffic.estimated ? ' (the weight drawn is estimated from the configuration’s schedule: the API keeps no history of weights)' : ' (the API keeps no history of weights: the chart draws the weight at that point only)'}.`] : [],
    alarms: alarmsOf(story, at),
    markers: markersOf(story, at, rollbackAt),
    hooks: story.events.filter((e) => e.hookFunction || e.verdict || e.missingVerdict).map(hookOf),
    events: eventLines(story, at),
    eventsTitle: 'Lifecycle events and alarm changes',
  };
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/** Without a start or create time: the first moment the story knows. */
function earliest(story: DeploymentStory): number | undefined {
  const all = story.events.flatMap((e) => [time(e.startTime), time(e.endTime)]).filter((t): t is number => t !== undefined);
  return all.length ? Math.min(...all) : undefined;
}

function versionsOf(story: DeploymentStory): VersionView[] {
  const t = story.target;
  if (t?.platform === 'Lambda') {
    return [
      { id: t.currentVersion, role: 'current', label: `v${t.currentVersion}` },
      { id: t.targetVersion, role: 'target', label: `v${t.targetVersion}` },
    ];
  }
  // ECS: the blue (original) and green (replacement) task sets.
  return [
    { id: 'Blue', role: 'current', label: 'Blue' },
    { id: 'Green', role: 'target', label: 'Green' },
  ];
}

/** The one weight the story knows, from the moment traffic started to move; back to 0 at a rollback. */
function weightsOf(story: DeploymentStory, at: (iso?: string) => number | undefined, rollbackAt: number | undefined): DeploymentView['weights'] {
  const weights: DeploymentView['weights'] = [{ at: 0, targetPercent: 0 }];
  const shift = story.events.find((e) => e.name === 'AllowTraffic');
  const percent = story.traffic?.targetWeightPercent;
  const from = at(shift?.startTime);
  if (percent !== undefined && story.traffic?.phase !== 'before-shift' && from !== undefined) weights.push({ at: from, targetPercent: percent });
  if (rollbackAt !== undefined && weights.length > 1) weights.push({ at: Math.max(rollbackAt, weights.at(-1)!.at), targetPercent: 0 });
  return weights;
}

function alarmsOf(story: DeploymentStory, at: (iso?: string) => number | undefined): AlarmView[] {
  return story.alarms.map((a) => {
    const changes = a.transitions.flatMap((t) => {
      const when = at(t.time);
      return when === undefined || !t.to ? [] : [{ at: when, state: t.to, reason: t.reason ?? '' }];
    });
    return { name: a.name, changes, finalState: a.stateNow ?? changes.at(-1)?.state ?? 'unknown' };
  });
}

function markersOf(story: DeploymentStory, at: (iso?: string) => number | undefined, rollbackAt: number | undefined): MarkerView[] {
  const markers: MarkerView[] = [];
  for (const e of story.events) {
    const end = at(e.endTime);
    if (end !== undefined && (e.status === 'Succeeded' || e.status === 'Failed')) markers.push({ at: end, kind: 'lifecycle', label: `${e.name} ${e.status}` });
  }
  if (rollbackAt !== undefined) markers.push({ at: rollbackAt, kind: 'rollback', label: 'Rollback' });
  const end = at(story.completeTime);
  if (end !== undefined) markers.push({ at: end, kind: 'end', label: `End ${story.status}` });
  return markers.sort((a, b) => a.at - b.at);
}

function hookOf(e: StoryEvent): HookView {
  const v = e.verdict;
  const reported = v
    ? `${v.reported === false ? 'not reported' : `reported ${v.status}`}${v.reportOutcome ? ` (${v.reportOutcome})` : ''}${v.reportError ? `: ${v.reportError}` : ''}`
    : e.missingVerdict
      ? `no verdict line: ${e.missingVerdict}`
      : e.status === 'Skipped' || e.status === 'Pending'
        ? `not run: ${e.name} was ${e.status.toLowerCase()}`
        : 'no verdict line was found';
  const diagnostics = e.diagnostics?.message ? [e.diagnostics.errorCode, e.diagnostics.message].filter(Boolean).join(' — ') : undefined;
  const duration = v?.durationMs ?? e.durationMs;
  return {
    lifecycleEvent: e.name,
    functionName: e.hookFunction ?? 'hook function not known',
    status: e.status,
    ...(duration !== undefined ? { durationMs: Math.round(duration) } : {}),
    ...(v ? { verdict: { status: v.status, reason: v.reason, ...(v.reported !== undefined ? { reported: v.reported } : {}), checks: v.checks } } : {}),
    reported,
    ...(diagnostics ? { error: `CodeDeploy: ${diagnostics}` } : {}),
    logs: e.diagnostics?.logTail ? [e.diagnostics.logTail] : [],
  };
}

function eventLines(story: DeploymentStory, at: (iso?: string) => number | undefined): DeploymentView['events'] {
  const lines: DeploymentView['events'] = [];
  const add = (t: number | undefined, text: string) => lines.push({ at: t ?? 0, text: `[${t === undefined ? '  ?  ' : clock(t).padStart(5)}] ${text}` });
  for (const e of story.events) {
    if (e.startTime) add(at(e.startTime), `${e.name} started`);
    if (e.endTime) add(at(e.endTime), `${e.name} ${e.status}${e.hookFunction ? ` (hook ${e.hookFunction})` : ''}`);
    else if (!e.startTime) add(undefined, `${e.name} ${e.status}`);
  }
  for (const a of story.alarms) for (const t of a.transitions) add(at(t.time), `Alarm ${a.name} ${t.from ?? '?'} → ${t.to ?? '?'}${t.reason ? ` — ${t.reason}` : ''}`);
  return lines.sort((a, b) => a.at - b.at);
}
