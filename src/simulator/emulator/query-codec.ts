import { AwsServiceError } from '../state/aws-error.js';
import { emptyRecord, isReservedKey } from '../state/safe-keys.js';
import { MAX_NESTING, toDate } from './json-codec.js';

/**
 * The awsQuery side of the wire: form-encoded requests
 * (`Action=X&Version=Y&List.member.1.Name=v`) and XML responses.
 */

const NUMBER_FIELDS = new Set([
  'MaxRecords', 'Period', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold', 'Value', 'Values', 'Counts',
  'SampleCount', 'Sum', 'Minimum', 'Maximum', 'StorageResolution', 'MaxDatapoints', 'PageSize', 'Port', 'Weight',
]);
const BOOLEAN_FIELDS = new Set(['ActionsEnabled', 'ReturnData']);
const TIMESTAMP_FIELDS = new Set(['StartTime', 'EndTime', 'Timestamp', 'StartDate', 'EndDate']);
/** Structures whose members are always strings (a dimension's `Value` is not MetricDatum.Value). */
const STRING_CONTAINERS = new Set(['Dimensions', 'Tags', 'Attributes']);

type Node = { [k: string]: Node | string };

/**
 * Parses a form body into nested objects; `x.member.N` becomes an array. Every
 * object has no prototype and a name part `__proto__`, `constructor` or
 * `prototype` is refused (see safe-keys.ts), so no body reaches Object.prototype.
 */
export function parseQueryBody(body: string): { action: string | undefined; version: string | undefined; params: Record<string, unknown> } {
  const form = new URLSearchParams(body);
  const root: Node = emptyRecord();
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of form) {
    if (key === 'Action') { action = value; continue; }
    if (key === 'Version') { version = value; continue; }
    const parts = key.split('.');
    if (parts.length > MAX_NESTING) throw new AwsServiceError('MalformedQueryString', `Parameter name ${key.slice(0, 120)}… nests deeper than ${MAX_NESTING} levels.`);
    if (parts.some((p) => p === '')) throw new AwsServiceError('MalformedQueryString', `Malformed parameter name: ${key}`);
    const reserved = parts.find(isReservedKey);
    if (reserved !== undefined) throw new AwsServiceError('MalformedQueryString', `Parameter name ${key} uses the reserved name ${reserved}`);
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      const next = node[p];
      if (typeof next === 'string') throw new AwsServiceError('MalformedQueryString', `Parameter ${key} conflicts with ${parts.slice(0, i + 1).join('.')}`);
      node = (node[p] = next ?? emptyRecord()) as Node;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return { action, version, params: convert(root, undefined, false) as Record<string, unknown> };
}

function convert(node: Node | string, key: string | undefined, inStrings: boolean): unknown {
  if (typeof node === 'string') return inStrings ? node : scalar(node, key);
  const strings = inStrings || (key !== undefined && STRING_CONTAINERS.has(key));
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member') {
    const members = node.member as Node;
    if (typeof members === 'string') throw new AwsServiceError('MalformedQueryString', `List ${key} needs indexed members`);
    return Object.keys(members)
      .map((k) => Number(k))
      .filter((k) => Number.isInteger(k) && k >= 1)
      .sort((a, b) => a - b)
      .map((k) => convert(members[String(k)]!, key, strings));
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    // map form: X.entry.N.key / X.entry.N.value
    const entries = node.entry as Node;
    // The keys are data (any string, even __proto__): safe as own keys of a prototype-less object.
    const out = emptyRecord();
    for (const e of Object.values(entries)) {
      if (typeof e !== 'string' && typeof e.key === 'string') out[e.key] = typeof e.value === 'string' ? scalar(e.value) : e.value;
    }
    return out;
  }
  const out = emptyRecord();
  for (const k of keys) out[k] = convert(node[k]!, k, strings);
  return out;
}

function scalar(v: string, key?: string): unknown {
  if (!key) return v;
  if (NUMBER_FIELDS.has(key)) {
    const n = Number(v);
    if (v.trim() === '' || Number.isNaN(n)) throw new AwsServiceError('ValidationError', `Value ${v} for parameter ${key} is not a number.`);
    return n;
  }
  if (BOOLEAN_FIELDS.has(key)) return v === 'true';
  if (TIMESTAMP_FIELDS.has(key)) {
    try {
      return toDate(v, key);
    } catch {
      throw new AwsServiceError('ValidationError', `Value ${v} for parameter ${key} is not a valid timestamp.`);
    }
  }
  return v;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Lists become `<member>` children, Dates ISO 8601, maps `<entry><key/><value/></entry>`. */
export function toXml(value: unknown, maps: ReadonlySet<string> = new Set()): string {
  const render = (v: unknown, key?: string): string => {
    if (v === undefined || v === null) return '';
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map((x) => `<member>${render(x)}</member>`).join('');
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null);
      if (key && maps.has(key)) return entries.map(([k, x]) => `<entry><key>${escape(k)}</key><value>${render(x)}</value></entry>`).join('');
      return entries.map(([k, x]) => `<${k}>${render(x, k)}</${k}>`).join('');
    }
    return escape(String(v));
  };
  return render(value);
}

export function queryResponse(operation: string, xmlns: string, result: unknown, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${xmlns}"><${operation}Result>${toXml(result)}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>\n`;
}

export function queryError(xmlns: string, code: string, message: string, sender: boolean, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${sender ? 'Sender' : 'Receiver'}</Type><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
}
