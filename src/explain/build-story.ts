/**
 * Evidence → DeploymentStory: a pure function, so every branch of the story
 * (a failed check, an alarm, a hook that never reported, a source that could
 * not be read) is testable without AWS.
 */
import type { DeploymentTarget, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { AlarmHistoryItem } from '@aws-sdk/client-cloudwatch';
import { adviceFor } from './advice.js';
import type { Evidence, LogGroupEvidence } from './gather.js';
import type {
  DeploymentStory,
  StoryAlarm,
  StoryCause,
  StoryCheck,
  StoryEvent,
  StoryFailedCheck,
  StoryOutcome,
  StoryRollback,
  StoryTarget,
  StoryVerdict,
} from './story.js';
import { STORY_VERSION } from './story.js';
import { whereTrafficWas } from './traffic.js';
import type { VerdictLine } from './verdict-lines.js';

const RUNNING = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);

export function buildStory(ev: Evidence, now = Date.now()): DeploymentStory {
  const d = ev.deployment;
  const lines = ev.logGroups.flatMap((g) => g.lines ?? []);
  const target = storyTarget(ev.target);
  const events = storyEvents(ev, lines);
  const alarms = storyAlarms(ev);
  const failedEvent = events.find((e) => e.status === 'Failed')?.name;
  const failedCheck = failedEvent ? decidingCheck(events.find((e) => e.name === failedEvent)!) : undefined;
  const status = d.status ?? 'Unknown';
  const rollback = storyRollback(ev);
  const outcome: StoryOutcome =
    status === 'Succeeded' ? 'succeeded' : RUNNING.has(status) ? 'in-progress' : rollback?.rollbackDeploymentId ? 'rolled-back' : status === 'Stopped' ? 'stopped' : 'failed';
  const cause = causeOf(ev, events, alarms, failedEvent, failedCheck, outcome);
  const endedAt = d.completeTime?.getTime() ?? now;
  const traffic = whereTrafficWas({
    events,
    ...(cause.lifecycleEvent ? { decisiveEvent: cause.lifecycleEvent } : failedEvent ? { decisiveEvent: failedEvent } : {}),
    succeeded: outcome === 'succeeded',
    ...(target ? { target } : {}),
    ...(ev.config ? { config: ev.config } : {}),
    endedAt,
    ...(rollback?.rollbackDeploymentId && target?.platform === 'Lambda' ? { rolledBackTo: `version ${target.currentVersion} (${rollback.rollbackDeploymentId})` } : {}),
    ...(rollback?.rollbackDeploymentId && target?.platform === 'ECS' ? { rolledBackTo: `the original task set (${rollback.rollbackDeploymentId})` } : {}),
  });

  const story: DeploymentStory = {
    storyVersion: STORY_VERSION,
    deploymentId: d.deploymentId,
    ...opt('applicationName', d.applicationName),
    ...opt('deploymentGroupName', d.deploymentGroupName),
    ...opt('deploymentConfigName', d.deploymentConfigName),
    ...opt('computePlatform', d.computePlatform),
    status,
    ...opt('creator', d.creator),
    ...opt('description', d.description),
    ...opt('createTime', iso(d.createTime)),
    ...opt('startTime', iso(d.startTime)),
    ...opt('completeTime', iso(d.completeTime)),
    ...(d.errorInformation ? { errorInformation: { ...opt('code', d.errorInformation.code), ...opt('message', d.errorInformation.message) } } : {}),
    outcome,
    headline: headline(d.deploymentId, outcome, cause),
    cause,
    ...(target ? { target } : {}),
    traffic,
    events,
    ...(failedEvent ? { failedEvent } : {}),
    ...(failedCheck ? { failedCheck } : {}),
    alarms,
    ...(rollback ? { rollback } : {}),
    advice: [],
    gaps: [...ev.gaps],
    hookSource: ev.hookSource,
  };
  story.advice = adviceFor(story, ev);
  return story;
}

function opt<K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

const iso = (t: Date | undefined): string | undefined => (t instanceof Date && !Number.isNaN(t.getTime()) ? t.toISOString() : undefined);

function storyTarget(t: DeploymentTarget | undefined): StoryTarget | undefined {
  const fn = t?.lambdaTarget?.lambdaFunctionInfo;
  if (fn) {
    return {
      platform: 'Lambda', functionName: fn.functionName ?? '?', alias: fn.functionAlias ?? '?', currentVersion: fn.currentVersion ?? '?', targetVersion: fn.targetVersion ?? '?',
      ...opt('targetVersionWeight', fn.targetVersionWeight),
    };
  }
  const ecs = t?.ecsTarget;
  if (ecs) {
    const [cluster, service] = (ecs.targetId ?? '').split(':');
    return {
      platform: 'ECS', ...opt('cluster', cluster || undefined), ...opt('service', service || undefined),
      taskSets: (ecs.taskSetsInfo ?? []).map((s) => ({
        ...opt('identifier', s.identifer), ...opt('label', s.taskSetLabel), ...opt('status', s.status), ...opt('trafficWeight', s.trafficWeight), ...opt('targetGroup', s.targetGroup?.name),
      })),
    };
  }
  return undefined;
}

function lifecycleEvents(t: DeploymentTarget | undefined): LifecycleEvent[] | undefined {
  return t?.lambdaTarget?.lifecycleEvents ?? t?.ecsTarget?.lifecycleEvents ?? t?.instanceTarget?.lifecycleEvents;
}

function storyEvents(ev: Evidence, lines: VerdictLine[]): StoryEvent[] {
  const fromTarget = lifecycleEvents(ev.target);
  // Without the target, the events are those the hooks and their lines name.
  const names = fromTarget?.map((e) => e.lifecycleEventName ?? '?') ?? [...new Set([...ev.hooks.map((h) => h.lifecycleEvent), ...lines.map((l) => l.record.lifecycleEvent)])];
  return names.map((name, i) => {
    const api = fromTarget?.[i];
    const hookFunction = ev.hooks.find((h) => h.lifecycleEvent === name)?.functionName;
    const mine = lines.filter((l) => l.record.lifecycleEvent === name);
    const start = api?.startTime?.getTime();
    const end = api?.endTime?.getTime();
    const diag = api?.diagnostics;
    const event: StoryEvent = {
      name,
      status: api?.status ?? 'Unknown',
      ...opt('startTime', iso(api?.startTime)),
      ...opt('endTime', iso(api?.endTime)),
      ...(start !== undefined && end !== undefined ? { durationMs: end - start } : {}),
      ...(diag && (diag.errorCode || diag.message)
        ? { diagnostics: { ...opt('errorCode', diag.errorCode), ...opt('message', diag.message), ...opt('scriptName', diag.scriptName || undefined), ...opt('logTail', diag.logTail || undefined) } }
        : {}),
      ...opt('hookFunction', hookFunction),
    };
    if (mine.length > 0) event.verdict = storyVerdict(mine);
    else {
      const why = missingVerdict(ev, event, hookFunction);
      if (why) event.missingVerdict = why;
    }
    return event;
  });
}

/** The latest line that reported (else the latest), and how many others there were. */
function storyVerdict(lines: VerdictLine[]): StoryVerdict {
  const sorted = [...lines].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const chosen = [...sorted].reverse().find((l) => l.record.reported === true && l.record.duplicate !== true) ?? sorted.at(-1)!;
  const r = chosen.record;
  return {
    status: r.status,
    reason: typeof r.reason === 'string' ? r.reason : '',
    ...opt('reported', typeof r.reported === 'boolean' ? r.reported : undefined),
    ...opt('reportOutcome', typeof r.report?.outcome === 'string' ? r.report.outcome : undefined),
    ...opt('reportError', r.report?.error ? `${r.report.error.name ?? 'Error'}: ${r.report.error.message ?? ''}` : undefined),
    ...opt('durationMs', typeof r.durationMs === 'number' ? r.durationMs : undefined),
    ...opt('timestamp', typeof r.timestamp === 'string' ? r.timestamp : chosen.timestamp !== undefined ? new Date(chosen.timestamp).toISOString() : undefined),
    ...opt('bypassReason', typeof r.bypass?.reason === 'string' ? r.bypass.reason : undefined),
    ...(r.duplicate === true ? { duplicate: true } : {}),
    ...(r.lineTruncated === true ? { lineTruncated: true } : {}),
    checks: (r.checks ?? []).map(storyCheck).filter((c): c is StoryCheck => c !== undefined),
    ...opt('checksOmitted', typeof r.checksOmitted === 'number' ? r.checksOmitted : undefined),
    logGroup: chosen.logGroup,
    ...opt('logStream', chosen.logStream),
    otherLines: lines.length - 1,
  };
}

function storyCheck(raw: unknown): StoryCheck | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = raw as Record<string, unknown>;
  if (typeof c.name !== 'string' || typeof c.state !== 'string') return undefined;
  return {
    name: c.name,
    state: c.state,
    enforced: c.enforced !== false,
    reason: typeof c.reason === 'string' ? c.reason : '',
    ...opt('durationMs', typeof c.durationMs === 'number' ? c.durationMs : undefined),
    ...opt('attempts', typeof c.attempts === 'number' ? c.attempts : undefined),
    ...(typeof c.details === 'object' && c.details !== null && !Array.isArray(c.details) ? { details: c.details as Record<string, unknown> } : {}),
  };
}

/** The first enforced check that did not pass, worst state first. */
function decidingCheck(event: StoryEvent): StoryFailedCheck | undefined {
  if (event.verdict?.status !== 'Failed') return undefined;
  const enforced = event.verdict.checks.filter((c) => c.enforced);
  const check = ['failed', 'error', 'inconclusive'].map((s) => enforced.find((c) => c.state === s)).find((c) => c !== undefined);
  return check ? { ...check, lifecycleEvent: event.name, ...opt('hookFunction', event.hookFunction) } : undefined;
}

function missingVerdict(ev: Evidence, event: StoryEvent, hookFunction: string | undefined): string | undefined {
  if (event.status === 'Pending' || event.status === 'Skipped') return undefined;
  const between = `between ${iso(new Date(ev.window.startTime))} and ${iso(new Date(ev.window.endTime))}`;
  if (!hookFunction) {
    if (event.status !== 'Failed' || !/^(Before|After)/.test(event.name)) return undefined;
    const searched = ev.logGroups.filter((g) => g.lines !== undefined).map((g) => g.logGroup);
    const unread = ev.logGroups.filter((g) => g.lines === undefined).map((g) => `${g.logGroup} (${g.missing ? 'does not exist' : 'could not be read'})`);
    if (searched.length === 0 && unread.length === 0) return 'the hook function of this event is unknown (no AppSpec hooks were read); give it with --hook-function';
    return [searched.length > 0 ? `no verdict line for ${event.name} in ${searched.join(', ')} ${between}` : `no verdict line for ${event.name} found`, ...unread].join('; ');
  }
  const group: LogGroupEvidence | undefined = ev.logGroups.find((g) => g.functionName === hookFunction);
  if (!group) return undefined;
  if (group.missing) return `the log group ${group.logGroup} does not exist: ${hookFunction} never ran or never logged (CodeDeploy could not invoke it?), or the group was deleted`;
  if (group.lines === undefined) return `the log group ${group.logGroup} could not be read (see the gaps)`;
  const others = group.otherEvents ? `; ${group.otherEvents} other line(s) there mention the deployment` : '';
  return `no verdict line for this deployment in ${group.logGroup} ${between}: the hook did not finish (timeout, crash), is not built with codedeploy-hooks, logs to another group (--log-group), or its lines expired with the group's retention${others}`;
}

interface Transition {
  at: number;
  from?: string;
  to?: string;
  reason?: string;
}

function transitions(items: AlarmHistoryItem[]): Transition[] {
  return items
    .map((item): Transition | undefined => {
      const at = item.Timestamp?.getTime();
      if (at === undefined) return undefined;
      let data: { oldState?: { stateValue?: string }; newState?: { stateValue?: string; stateReason?: string } } = {};
      try {
        data = JSON.parse(item.HistoryData ?? '{}') as typeof data;
      } catch {
        // The summary still says what changed.
      }
      const fromSummary = /from (\w+) to (\w+)/.exec(item.HistorySummary ?? '');
      const from = data.oldState?.stateValue ?? fromSummary?.[1];
      const to = data.newState?.stateValue ?? fromSummary?.[2];
      const reason = data.newState?.stateReason;
      return { at, ...opt('from', from), ...opt('to', to), ...opt('reason', reason) };
    })
    .filter((t): t is Transition => t !== undefined)
    .sort((a, b) => a.at - b.at);
}

function storyAlarms(ev: Evidence): StoryAlarm[] {
  const start = (ev.deployment.startTime ?? ev.deployment.createTime)?.getTime() ?? ev.window.startTime;
  const end = ev.deployment.completeTime?.getTime() ?? ev.window.endTime;
  return ev.alarms.map((a) => {
    const ts = transitions(a.history);
    return {
      name: a.name,
      ...opt('stateNow', a.stateNow),
      firedDuringDeployment: ts.some((t) => t.to === 'ALARM' && t.at >= start && t.at <= end),
      ...(a.historyUnreadable ? { historyUnknown: true as const } : {}),
      transitions: ts.map((t) => ({ time: new Date(t.at).toISOString(), ...opt('from', t.from), ...opt('to', t.to), ...opt('reason', t.reason) })),
    };
  });
}

function storyRollback(ev: Evidence): StoryRollback | undefined {
  const info = ev.deployment.rollbackInfo;
  if (!info || (!info.rollbackDeploymentId && !info.rollbackTriggeringDeploymentId)) return undefined;
  return {
    ...opt('rollbackDeploymentId', info.rollbackDeploymentId),
    ...opt('rollbackStatus', ev.rollbackDeployment?.status),
    ...opt('triggeringDeploymentId', info.rollbackTriggeringDeploymentId),
    ...opt('message', info.rollbackMessage),
  };
}

function causeOf(ev: Evidence, events: StoryEvent[], alarms: StoryAlarm[], failedEvent: string | undefined, failedCheck: StoryFailedCheck | undefined, outcome: StoryOutcome): StoryCause {
  const code = ev.deployment.errorInformation?.code;
  const errorMessage = ev.deployment.errorInformation?.message;
  if (outcome === 'succeeded') return { kind: 'none', summary: 'every lifecycle event succeeded' };
  if (outcome === 'in-progress') {
    const running = events.find((e) => e.status === 'InProgress');
    if (!running) return { kind: 'in-progress', summary: `the deployment is ${ev.deployment.status}` };
    const waiting = running.hookFunction ? `waiting for the ${running.name} hook ${running.hookFunction} to report a status` : `running ${running.name}`;
    return { kind: 'in-progress', summary: `the deployment is ${waiting}`, lifecycleEvent: running.name, ...opt('hookFunction', running.hookFunction) };
  }
  if (code === 'ALARM_ACTIVE' || (!failedCheck && alarms.some((a) => a.firedDuringDeployment) && ev.deployment.status === 'Stopped')) {
    const fired = alarms.filter((a) => a.firedDuringDeployment).at(-1) ?? alarms.find((a) => a.stateNow === 'ALARM');
    const firstAlarm = fired?.transitions.filter((t) => t.to === 'ALARM').at(-1);
    const running = runningAt(events, firstAlarm ? Date.parse(firstAlarm.time) : undefined) ?? failedEvent;
    const name = fired?.name ?? /alarm[s]? ([\w.\-/#:]+)/i.exec(errorMessage ?? '')?.[1];
    const summary = fired
      ? `alarm ${fired.name} went to ALARM${firstAlarm ? ` at ${firstAlarm.time}` : ''}${running ? ` during ${running}` : ''}${firstAlarm?.reason ? ` (${firstAlarm.reason})` : ''}, and CodeDeploy stopped the deployment`
      : `a deployment-group alarm was in ALARM and CodeDeploy stopped the deployment${errorMessage ? ` (${errorMessage})` : ''}`;
    return { kind: 'alarm', summary, ...opt('alarmName', name), ...opt('lifecycleEvent', running) };
  }
  if (code === 'MANUAL_STOP') return { kind: 'manual-stop', summary: `the deployment was stopped by a StopDeployment request${errorMessage ? ` (${errorMessage})` : ''}`, ...opt('lifecycleEvent', failedEvent) };
  const failed = events.find((e) => e.name === failedEvent);
  if (failed?.verdict?.status === 'Failed') {
    const by = failed.hookFunction ? ` (${failed.hookFunction})` : '';
    const because = failedCheck ? `check "${failedCheck.name}" ${failedCheck.state === 'error' ? 'errored' : failedCheck.state === 'failed' ? 'failed' : 'was inconclusive'}: ${failedCheck.reason}` : failed.verdict.reason;
    return { kind: 'hook-failed', summary: `the ${failed.name} hook${by} reported Failed because ${because}`, lifecycleEvent: failed.name, ...opt('hookFunction', failed.hookFunction), ...opt('checkName', failedCheck?.name) };
  }
  if (failed && (failed.hookFunction || failed.verdict || code === 'TIMEOUT' || code === 'HOOK_EXECUTION_FAILURE' || /^(Before|After)/.test(failed.name))) {
    const by = failed.hookFunction ? ` ${failed.hookFunction}` : '';
    const detail = failed.verdict
      ? `its verdict was ${failed.verdict.status} but ${failed.verdict.reported ? 'CodeDeploy recorded Failed' : `the report did not reach CodeDeploy${failed.verdict.reportError ? ` (${failed.verdict.reportError})` : ''}`}`
      : (failed.diagnostics?.message ?? errorMessage ?? 'no verdict line was found').replace(/\.$/, '');
    return { kind: 'hook-no-report', summary: `the ${failed.name} hook${by} did not report a status: ${detail}`, lifecycleEvent: failed.name, ...opt('hookFunction', failed.hookFunction) };
  }
  return { kind: 'deployment-error', summary: errorMessage ? `CodeDeploy says: ${errorMessage}${code ? ` (${code})` : ''}` : 'CodeDeploy gives no reason (no errorInformation)', ...opt('lifecycleEvent', failedEvent) };
}

/** The lifecycle event that was running at `at` (epoch ms). */
function runningAt(events: StoryEvent[], at: number | undefined): string | undefined {
  if (at === undefined) return undefined;
  return events.find((e) => e.startTime && Date.parse(e.startTime) <= at && (!e.endTime || Date.parse(e.endTime) >= at))?.name;
}

function headline(id: string, outcome: StoryOutcome, cause: StoryCause): string {
  switch (outcome) {
    case 'succeeded': return `Deployment ${id} succeeded: ${cause.summary}.`;
    case 'in-progress': return `Deployment ${id} is in progress: ${cause.summary}.`;
    case 'rolled-back': return `Deployment ${id} was rolled back: ${cause.summary}.`;
    case 'stopped': return `Deployment ${id} was stopped: ${cause.summary}.`;
    case 'failed': return `Deployment ${id} failed: ${cause.summary}.`;
  }
}
