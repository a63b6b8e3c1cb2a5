/**
 * alarms(): a CloudWatch alarm gate. Reads the current state of the deployment
 * group's alarms and/or named / prefixed alarms, and optionally their history
 * over the hook window, so that a flap into ALARM between CodeDeploy's polls
 * still stops the deployment.
 */
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type CompositeAlarm,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { OptionsError } from '../errors.js';
import type { Check, CheckContext, CheckOutcome } from '../types.js';
import { cloudWatch, commonFields, sendWithThrottleRetry } from './cw-common.js';
import { errorText, requireOneOf, type CommonCheckOptions, COMMON_KEYS, rejectUnknownKeys, requireBoolean } from './common.js';

const INSUFFICIENT_POLICIES = ['pass', 'fail', 'inconclusive'] as const;

export interface AlarmsOptions extends CommonCheckOptions {
  /** Include the alarms of the deployment group's alarmConfiguration. @default false */
  fromDeploymentGroup?: boolean;
  /** Alarm names to check (metric or composite). */
  names?: string[];
  /** Check every alarm whose name starts with this prefix. */
  prefix?: string;
  /** How an alarm in INSUFFICIENT_DATA counts. @default 'pass' (as CodeDeploy does) */
  insufficientData?: (typeof INSUFFICIENT_POLICIES)[number];
  /** Pass (with a note) when CloudWatch cannot be read. @default the group's ignorePollAlarmFailure, else false */
  ignorePollFailure?: boolean;
  /** Also read DescribeAlarmHistory since the hook started, failing on any transition into ALARM. @default false */
  history?: boolean;
  /** Start of the history window (epoch ms or Date). @default ctx.hookStartedAt */
  since?: number | Date;
}

const ALARMS_KEYS = ['fromDeploymentGroup', 'names', 'prefix', 'insufficientData', 'ignorePollFailure', 'history', 'since'];

/** At most 100 names per DescribeAlarms call, and MaxRecords caps at 100. */
export const ALARM_NAMES_PER_CALL = 100;

interface AlarmState {
  name: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  state: string;
  reason?: string;
  updatedAt?: string;
}

interface Flap {
  name: string;
  at?: string;
  summary?: string;
  reason?: string;
}

export function alarms(options: AlarmsOptions): Check {
  if (typeof options !== 'object' || options === null) throw new OptionsError('alarms', 'options object is required');
  rejectUnknownKeys(options as Record<string, unknown>, [...COMMON_KEYS, ...ALARMS_KEYS], 'alarms');
  for (const key of ['fromDeploymentGroup', 'ignorePollFailure', 'history'] as const) requireBoolean(options[key], `alarms.${key}`);
  const base = commonFields(options, 'alarms', 'alarms');
  const names = options.names ?? [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length < 1 || n.length > 255)) {
    throw new OptionsError('alarms.names', 'must be an array of alarm names (1–255 characters each)');
  }
  if (options.prefix !== undefined && (typeof options.prefix !== 'string' || options.prefix.length < 1 || options.prefix.length > 255)) {
    throw new OptionsError('alarms.prefix', 'must be a string of 1–255 characters');
  }
  if (options.fromDeploymentGroup !== undefined && typeof options.fromDeploymentGroup !== 'boolean') {
    throw new OptionsError('alarms.fromDeploymentGroup', 'must be a boolean');
  }
  if (!options.fromDeploymentGroup && names.length === 0 && options.prefix === undefined) {
    throw new OptionsError('alarms', 'give at least one source: fromDeploymentGroup: true, names or prefix');
  }
  const insufficient = options.insufficientData ?? 'pass';
  requireOneOf(insufficient, INSUFFICIENT_POLICIES, 'alarms.insufficientData');
  if (options.since !== undefined && !(options.since instanceof Date || Number.isFinite(options.since))) {
    throw new OptionsError('alarms.since', 'must be a Date or epoch milliseconds');
  }

  return {
    ...base,
    async run(ctx) {
      return runAlarms(ctx, options, names, insufficient);
    },
  };
}

async function runAlarms(
  ctx: CheckContext,
  options: AlarmsOptions,
  optionNames: string[],
  insufficient: (typeof INSUFFICIENT_POLICIES)[number],
): Promise<CheckOutcome> {
  let ignorePollFailure = options.ignorePollFailure ?? false;
  const requested = new Set(optionNames);
  const notes: string[] = [];
  let groupDisabled = false;
  let groupName: string | undefined;

  if (options.fromDeploymentGroup) {
    let group;
    try {
      group = await ctx.hook.deploymentGroup();
    } catch (error) {
      return {
        state: 'error',
        reason: `could not read the deployment group's alarm configuration: ${errorText(error)}`,
        details: { source: 'deploymentGroup' },
      };
    }
    groupName = group.deploymentGroupName;
    if (options.ignorePollFailure === undefined) ignorePollFailure = group.alarms.ignorePollAlarmFailure;
    if (group.alarms.enabled) {
      for (const n of group.alarms.names) requested.add(n);
    } else {
      groupDisabled = true;
      notes.push(`alarms are disabled on deployment group ${group.deploymentGroupName}`);
    }
  }

  const sources = {
    fromDeploymentGroup: options.fromDeploymentGroup === true,
    names: [...requested],
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
  };

  if (requested.size === 0 && options.prefix === undefined) {
    const reason = groupDisabled
      ? `alarms are disabled on deployment group ${groupName}; no other alarms were given`
      : 'no alarms configured: the deployment group lists none and no names or prefix were given';
    return { state: 'passed', reason, details: { sources, alarms: [] } };
  }

  // Current state.
  const client = cloudWatch(ctx);
  const found = new Map<string, AlarmState>();
  let calls = 0;
  const pollFailure = (what: string, error: unknown): CheckOutcome => {
    const text = `${what} failed: ${errorText(error)}`;
    if (ignorePollFailure) {
      return {
        state: 'passed',
        reason: `${text}; passing because ignorePollAlarmFailure is set`,
        details: { sources, ignoredPollFailure: text, calls },
      };
    }
    return {
      state: 'error',
      reason: `${text}; alarm state unknown (set ignorePollFailure to pass in this case)`,
      details: { sources, calls },
    };
  };

  const describe = async (input: DescribeAlarmsCommandInput) => {
    let token: string | undefined;
    do {
      const page = await sendWithThrottleRetry(
        () =>
          client.send(
            new DescribeAlarmsCommand({ ...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token }),
            { abortSignal: ctx.signal },
          ),
        ctx.signal,
      );
      calls++;
      for (const a of page.MetricAlarms ?? []) addAlarm(found, a, 'MetricAlarm');
      for (const a of page.CompositeAlarms ?? []) addAlarm(found, a, 'CompositeAlarm');
      token = page.NextToken;
    } while (token);
  };

  const requestedNames = [...requested];
  let prefixMatches = 0;
  try {
    for (let i = 0; i < requestedNames.length; i += ALARM_NAMES_PER_CALL) {
      await describe({ AlarmNames: requestedNames.slice(i, i + ALARM_NAMES_PER_CALL) });
    }
    if (options.prefix !== undefined) {
      // AlarmNamePrefix cannot be combined with AlarmNames: a separate listing.
      await describe({ AlarmNamePrefix: options.prefix });
      prefixMatches = [...found.keys()].filter((n) => n.startsWith(options.prefix as string)).length;
    }
  } catch (error) {
    return pollFailure('DescribeAlarms', error);
  }

  const missing = requestedNames.filter((n) => !found.has(n));
  if (missing.length > 0) {
    return {
      state: 'error',
      reason: `${missing.length === 1 ? 'alarm' : 'alarms'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (DescribeAlarms returned no metric or composite alarm of that name); fix the name or the deployment group's alarm list`,
      details: { sources, missing, calls },
    };
  }
  if (options.prefix !== undefined && prefixMatches === 0) {
    return {
      state: 'error',
      reason: `no metric or composite alarm name starts with prefix "${options.prefix}"`,
      details: { sources, calls },
    };
  }

  const all = [...found.values()];
  const inAlarm = all.filter((a) => a.state === 'ALARM');
  const insufficientAlarms = all.filter((a) => a.state === 'INSUFFICIENT_DATA');

  // History over the hook window: a flap that already recovered.
  let flaps: Flap[] = [];
  let historyCalls = 0;
  if (options.history) {
    const since = options.since === undefined ? ctx.hookStartedAt : new Date(options.since).getTime();
    try {
      const result = await readHistory(ctx, all.map((a) => a.name), since);
      flaps = result.flaps;
      historyCalls = result.calls;
    } catch (error) {
      return pollFailure('DescribeAlarmHistory', error);
    }
  }

  const details: Record<string, unknown> = {
    sources,
    alarms: all,
    calls,
    ...(options.history ? { historyCalls, flaps } : {}),
    ...(insufficientAlarms.length > 0 ? { insufficientData: insufficientAlarms.map((a) => a.name) } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };

  if (inAlarm.length > 0) {
    const list = inAlarm.map((a) => `${a.name} (${a.reason ?? 'no state reason'})`).join('; ');
    return { state: 'failed', reason: `${inAlarm.length} of ${all.length} alarms in ALARM: ${list}`, details };
  }
  const flapped = flaps.filter((f) => !inAlarm.some((a) => a.name === f.name));
  if (flapped.length > 0) {
    const list = flapped.map((f) => `${f.name} at ${f.at ?? 'unknown time'} (${f.reason ?? f.summary ?? 'no reason'})`).join('; ');
    return {
      state: 'failed',
      reason: `alarm went into ALARM during the hook window and has since recovered: ${list}`,
      details,
    };
  }
  if (insufficientAlarms.length > 0 && insufficient !== 'pass') {
    const list = insufficientAlarms.map((a) => a.name).join(', ');
    return {
      state: insufficient === 'fail' ? 'failed' : 'inconclusive',
      reason: `${insufficientAlarms.length} of ${all.length} alarms in INSUFFICIENT_DATA (${list}); insufficientData policy is '${insufficient}'`,
      details,
    };
  }
  const okPart = `${all.length} alarm${all.length === 1 ? '' : 's'} not in ALARM`;
  const insufficientPart =
    insufficientAlarms.length > 0 ? ` (${insufficientAlarms.length} in INSUFFICIENT_DATA, counted as passing)` : '';
  const historyPart = options.history ? ', and none entered ALARM during the hook window' : '';
  const notePart = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  return { state: 'passed', reason: `${okPart}${insufficientPart}${historyPart}${notePart}`, details };
}

function addAlarm(found: Map<string, AlarmState>, a: MetricAlarm | CompositeAlarm, type: AlarmState['type']): void {
  if (!a.AlarmName) return;
  const entry: AlarmState = { name: a.AlarmName, type, state: a.StateValue ?? 'UNKNOWN' };
  if (a.StateReason) entry.reason = a.StateReason;
  if (a.StateUpdatedTimestamp) entry.updatedAt = new Date(a.StateUpdatedTimestamp).toISOString();
  found.set(a.AlarmName, entry);
}

/**
 * One paginated DescribeAlarmHistory per alarm: the API filters by a single
 * name, and a name-less call would page through every alarm in the account.
 */
async function readHistory(ctx: CheckContext, names: string[], since: number): Promise<{ flaps: Flap[]; calls: number }> {
  const client = cloudWatch(ctx);
  const flaps: Flap[] = [];
  let calls = 0;
  const end = new Date();
  for (const name of names) {
    let token: string | undefined;
    do {
      const page = await sendWithThrottleRetry(
        () =>
          client.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: name,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              HistoryItemType: 'StateUpdate',
              StartDate: new Date(since),
              EndDate: end,
              MaxRecords: 100,
              NextToken: token,
            }),
            { abortSignal: ctx.signal },
          ),
        ctx.signal,
      );
      calls++;
      for (const item of page.AlarmHistoryItems ?? []) {
        const parsed = parseTransition(item.HistoryData, item.HistorySummary);
        if (parsed.newState !== 'ALARM') continue;
        const flap: Flap = { name: item.AlarmName ?? name };
        if (item.Timestamp) flap.at = new Date(item.Timestamp).toISOString();
        if (item.HistorySummary) flap.summary = item.HistorySummary;
        if (parsed.reason) flap.reason = parsed.reason;
        flaps.push(flap);
      }
      token = page.NextToken;
    } while (token);
  }
  return { flaps, calls };
}

/** The new state of a StateUpdate item: from HistoryData JSON, else from "Alarm updated from OK to ALARM". */
export function parseTransition(data?: string, summary?: string): { newState?: string; reason?: string } {
  if (data) {
    try {
      const parsed = JSON.parse(data) as { newState?: { stateValue?: unknown; stateReason?: unknown } };
      const state = parsed.newState?.stateValue;
      if (typeof state === 'string') {
        const reason = parsed.newState?.stateReason;
        return typeof reason === 'string' ? { newState: state, reason } : { newState: state };
      }
    } catch {
      // fall back to the summary text
    }
  }
  const match = summary?.match(/\bto (ALARM|OK|INSUFFICIENT_DATA)\b/);
  return match?.[1] ? { newState: match[1] } : {};
}
