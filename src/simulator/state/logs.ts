import { AwsServiceError } from './aws-error.js';
import { compileFilterPattern } from './log-filter.js';

/**
 * CloudWatch Logs' side of the world: log groups, their streams and events.
 * The simulator puts what each hook invocation printed into
 * `/aws/lambda/<function>`, as Lambda would, so `FilterLogEvents` finds the
 * hooks' verdict lines afterwards (`codedeploy-hooks explain`).
 */

export interface LogEvent {
  logStreamName: string;
  /** epoch ms, when the line was written */
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface FilterLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

export interface FilterLogEventsOutput {
  events: LogEvent[];
  searchedLogStreams: { logStreamName: string; searchedCompletely: boolean }[];
  nextToken?: string;
}

interface LogGroup {
  name: string;
  creationTime: number;
  streams: Set<string>;
  events: LogEvent[];
}

/** Bounds of one page, as the service documents them: 10,000 events or 1 MB (message bytes + 26 per event). */
const MAX_PAGE_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1_048_576;
/** Events kept per group; the oldest go first (a long emulator run must not grow without bound). */
const MAX_GROUP_EVENTS = 100_000;

export class LogsState {
  readonly groups = new Map<string, LogGroup>();
  private readonly now: () => number;
  private sequence = 0;

  constructor(opts: { now: () => number }) {
    this.now = opts.now;
  }

  createLogGroup(name: string): void {
    if (this.groups.has(name)) throw new AwsServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    this.groups.set(name, { name, creationTime: this.now(), streams: new Set(), events: [] });
  }

  createLogStream(groupName: string, streamName: string): void {
    const group = this.existingGroup(groupName);
    if (group.streams.has(streamName)) throw new AwsServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    group.streams.add(streamName);
  }

  /** PutLogEvents into an existing stream; the batch must be in time order, as the service requires. */
  putLogEvents(groupName: string, streamName: string, events: { timestamp: number; message: string }[]): void {
    const group = this.existingGroup(groupName);
    if (!group.streams.has(streamName)) throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    if (events.length === 0) throw new AwsServiceError('InvalidParameterException', 'logEvents must contain at least one event.');
    for (const [i, e] of events.entries()) {
      if (!Number.isInteger(e.timestamp) || typeof e.message !== 'string' || e.message === '') {
        throw new AwsServiceError('InvalidParameterException', `logEvents[${i}] needs an integer timestamp and a non-empty message.`);
      }
      if (i > 0 && e.timestamp < events[i - 1]!.timestamp) throw new AwsServiceError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
    }
    for (const e of events) this.putLines(groupName, streamName, [e.message], e.timestamp);
  }

  private existingGroup(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group) throw new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  /**
   * Appends lines to a stream, creating the group and stream when missing, as
   * Lambda does for a function's first invocation. Empty lines are dropped
   * (CloudWatch Logs refuses empty messages).
   */
  putLines(groupName: string, logStreamName: string, lines: string[], timestamp = this.now()): void {
    let group = this.groups.get(groupName);
    if (!group) {
      group = { name: groupName, creationTime: this.now(), streams: new Set(), events: [] };
      this.groups.set(groupName, group);
    }
    group.streams.add(logStreamName);
    for (const message of lines) {
      if (message === '') continue;
      this.sequence += 1;
      group.events.push({ logStreamName, timestamp, message, ingestionTime: this.now(), eventId: String(this.sequence).padStart(20, '0') });
    }
    if (group.events.length > MAX_GROUP_EVENTS) group.events.splice(0, group.events.length - MAX_GROUP_EVENTS);
  }

  /** FilterLogEvents: oldest first unless startFromHead is false; pages of at most `limit` events or 1 MB. */
  filterLogEvents(input: FilterLogEventsInput): FilterLogEventsOutput {
    const group = this.existingGroup(groupNameOf(input));
    if (input.logStreamNames && input.logStreamNamePrefix !== undefined) {
      throw new AwsServiceError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix cannot both be specified.');
    }
    const limit = input.limit ?? MAX_PAGE_EVENTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_EVENTS) {
      throw new AwsServiceError('InvalidParameterException', `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`);
    }
    for (const key of ['startTime', 'endTime'] as const) {
      const v = input[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new AwsServiceError('InvalidParameterException', `${key} must be a non-negative number of milliseconds, got ${v}`);
    }
    const token = input.nextToken === undefined ? undefined : readToken(input.nextToken, group.name);
    const ascending = token ? token.ascending : input.startFromHead !== false;
    const match = compileFilterPattern(input.filterPattern);
    const streams = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
    const prefix = input.logStreamNamePrefix;

    const ordered = [...group.events].sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
    if (!ascending) ordered.reverse();
    const selected = ordered.filter(
      (e) =>
        (input.startTime === undefined || e.timestamp >= input.startTime) &&
        (input.endTime === undefined || e.timestamp <= input.endTime) &&
        (!streams || streams.has(e.logStreamName)) &&
        (prefix === undefined || e.logStreamName.startsWith(prefix)) &&
        (!token || isAfter(e, token)) &&
        match(e.message),
    );
    const events: LogEvent[] = [];
    let bytes = 0;
    for (const e of selected) {
      const size = Buffer.byteLength(e.message) + 26;
      if (events.length >= limit || (events.length > 0 && bytes + size > MAX_PAGE_BYTES)) break;
      events.push({ ...e });
      bytes += size;
    }
    const last = events.at(-1);
    return {
      events,
      // The model marks interleaved (and with it per-stream search) as obsolete; left empty here.
      searchedLogStreams: [],
      ...(last && events.length < selected.length ? { nextToken: writeToken({ group: group.name, ascending, timestamp: last.timestamp, eventId: last.eventId }) } : {}),
    };
  }
}

/** logGroupName or logGroupIdentifier (a name or an ARN), exactly one of them. */
function groupNameOf(input: FilterLogEventsInput): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw new AwsServiceError('InvalidParameterException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const id = input.logGroupName ?? input.logGroupIdentifier;
  if (!id) throw new AwsServiceError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified.');
  const arn = /^arn:aws[\w-]*:logs:[^:]*:\d*:log-group:([^:]+)(?::\*)?$/.exec(id);
  return arn ? arn[1]! : id;
}

interface PageToken {
  group: string;
  ascending: boolean;
  timestamp: number;
  eventId: string;
}

function writeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function readToken(text: string, group: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<PageToken>;
    if (t.group === group && typeof t.ascending === 'boolean' && typeof t.timestamp === 'number' && typeof t.eventId === 'string') return t as PageToken;
  } catch {
    // falls through to the error below
  }
  // moto answers an empty page here instead (its comment says AWS does); which one AWS does is unconfirmed.
  throw new AwsServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
}

/** Whether an event comes after the token's last event in the token's direction (appends during paging are not lost). */
function isAfter(e: LogEvent, t: PageToken): boolean {
  const cmp = e.timestamp - t.timestamp || e.eventId.localeCompare(t.eventId);
  return t.ascending ? cmp > 0 : cmp < 0;
}
