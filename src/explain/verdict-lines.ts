/**
 * Finds the verdict lines (src/verdict-log.ts) of one deployment in a hook's
 * log group. The search is by the deployment id as a quoted term, which
 * matches in any log format; each hit is then read as a verdict record:
 * - a raw JSON line (what the hooks write: stdout, no prefix);
 * - a line with a text prefix before the JSON (`console.log` in Lambda's text
 *   format: `time\trequestId\tINFO\t{...}`);
 * - a JSON envelope whose `message` holds the record, as an object or as
 *   JSON text (Lambda's JSON log format; unconfirmed how it wraps stdout).
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface VerdictLine {
  logGroup: string;
  logStream?: string;
  /** epoch ms of the log event */
  timestamp?: number;
  record: VerdictRecord;
}

/** The fields explain reads from a verdict line; everything is checked before use. */
export interface VerdictRecord {
  deploymentId: string;
  lifecycleEventHookExecutionId?: string;
  lifecycleEvent: string;
  status: 'Succeeded' | 'Failed';
  reason?: string;
  reported?: boolean;
  report?: { outcome?: string; error?: { name?: string; message?: string } };
  bypass?: { reason?: string };
  duplicate?: boolean;
  durationMs?: number;
  timestamp?: string;
  lineTruncated?: boolean;
  checksOmitted?: number;
  /** Absent in the minimal record of an oversized line. */
  checks?: unknown[];
}

export interface SearchWindow {
  /** epoch ms */
  startTime: number;
  endTime: number;
}

export interface LogGroupSearch {
  logGroup: string;
  lines: VerdictLine[];
  /** Events that matched the id but were not verdict lines (other output of the hook). */
  otherEvents: number;
  /** True when the page cap was reached before the end. */
  capped: boolean;
}

/** Pages read per log group at most (each up to 10,000 events or 1 MB). */
const MAX_PAGES = 20;

/** Reads one log group. Errors (ResourceNotFoundException, AccessDenied…) are the caller's to describe. */
/** `pageSize` (FilterLogEvents `limit`) is left to the service unless given (tests use it to page). */
export async function searchVerdictLines(logs: CloudWatchLogsClient, logGroup: string, deploymentId: string, window: SearchWindow, pageSize?: number): Promise<LogGroupSearch> {
  const out: LogGroupSearch = { logGroup, lines: [], otherEvents: 0, capped: false };
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) {
      out.capped = true;
      break;
    }
    const res = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: logGroup,
        startTime: Math.max(0, Math.floor(window.startTime)),
        endTime: Math.floor(window.endTime),
        filterPattern: `"${deploymentId}"`,
        ...(pageSize ? { limit: pageSize } : {}),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of res.events ?? []) {
      const record = e.message === undefined ? undefined : verdictRecordOf(e.message, deploymentId);
      if (record) out.lines.push({ logGroup, ...(e.logStreamName ? { logStream: e.logStreamName } : {}), ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}), record });
      else out.otherEvents += 1;
    }
    // A page may be empty with a token still to follow (the service says so); an unchanged token would loop.
    if (!res.nextToken || res.nextToken === nextToken) break;
    nextToken = res.nextToken;
  }
  return out;
}

/** The verdict record in one log message, for this deployment, or undefined. */
export function verdictRecordOf(message: string, deploymentId: string): VerdictRecord | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message.slice(start));
  } catch {
    return undefined;
  }
  for (let depth = 0; depth < 3 && isObject(value); depth++) {
    if (isVerdict(value, deploymentId)) return value;
    const inner = value.message;
    if (typeof inner === 'string' && inner.includes('{')) {
      try {
        value = JSON.parse(inner.slice(inner.indexOf('{')));
      } catch {
        return undefined;
      }
    } else value = inner;
  }
  return undefined;
}

function isVerdict(v: Record<string, unknown>, deploymentId: string): v is Record<string, unknown> & VerdictRecord {
  return (
    v.deploymentId === deploymentId &&
    typeof v.lifecycleEvent === 'string' &&
    (v.status === 'Succeeded' || v.status === 'Failed') &&
    typeof v.message === 'string' &&
    v.message.startsWith('CodeDeploy hook') &&
    (Array.isArray(v.checks) || (v.lineTruncated === true && v.checks === undefined))
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
