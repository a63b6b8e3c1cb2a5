import { AwsServiceError } from '../state/aws-error.js';
import { emptyRecord, isReservedKey } from '../state/safe-keys.js';

/**
 * The JSON side of the wire: awsJson1_0/1_1 and restJson1 bodies. Timestamps
 * travel as epoch seconds (what the SDKs and botocore send and expect).
 */

/** Input members that are timestamps, by name (all services served here). */
const TIMESTAMP_FIELDS = new Set(['StartTime', 'EndTime', 'Timestamp', 'StartDate', 'EndDate', 'start', 'end']);

/**
 * How deep a request may nest. The served shapes nest at most about 6 levels;
 * the limit keeps a hostile body (50,000 levels) a 400 instead of a stack overflow.
 */
export const MAX_NESTING = 64;

export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new AwsServiceError('SerializationException', `Could not parse the request body as JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 'The request body must be a JSON object.');
  }
  return reviveTimestamps(parsed) as Record<string, unknown>;
}

/**
 * Copies the parsed body into prototype-less objects, refusing reserved member
 * names (see safe-keys.ts): JSON.parse keeps `"__proto__"` as an own key, but
 * copied into a plain object it would become the prototype handlers read through.
 */
function reviveTimestamps(v: unknown, key?: string, path = '', depth = 0): unknown {
  if (v && typeof v === 'object' && depth >= MAX_NESTING) {
    throw new AwsServiceError('SerializationException', `The request body nests deeper than ${MAX_NESTING} levels (at ${path.slice(0, 120)}…).`);
  }
  if (Array.isArray(v)) return v.map((x, i) => reviveTimestamps(x, undefined, `${path}[${i}]`, depth + 1));
  if (v && typeof v === 'object') {
    const out = emptyRecord();
    for (const [k, x] of Object.entries(v)) {
      const at = path ? `${path}.${k}` : k;
      if (isReservedKey(k)) throw new AwsServiceError('SerializationException', `Member ${at} uses the reserved name ${k}`);
      out[k] = reviveTimestamps(x, k, at, depth + 1);
    }
    return out;
  }
  if (key && TIMESTAMP_FIELDS.has(key)) return toDate(v, key);
  return v;
}

export function toDate(v: unknown, field: string): Date {
  const d = typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(/^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new AwsServiceError('SerializationException', `Field ${field} is not a valid timestamp: ${JSON.stringify(v)}`);
  return d;
}

/** Serialises output: Date -> epoch seconds, undefined dropped. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    return v;
  });
}
