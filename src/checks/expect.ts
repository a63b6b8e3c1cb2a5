/**
 * Declarative response expectations shared by `http` and `invokeTarget`,
 * plus the small option helpers both factories need (common check fields,
 * latency figures). Evaluation returns the first failure as a sentence, so a
 * check's reason says exactly what was expected and what came back.
 */
import { OptionsError } from '../errors.js';
import { clip, isPlainObject, positiveNumber, rejectUnknownKeys, safeJson } from './common.js';

/** A status expectation: 200, [200, 204], '2xx', or an inclusive range. */
export type StatusSpec = number | string | (number | string)[] | { min: number; max: number };

/** What a response must look like. Every field is optional; all given ones must hold. */
export interface ResponseExpectation {
  /** Expected status. @default '2xx' for http; not checked for invokeTarget unless given */
  status?: StatusSpec;
  /** Per header (case-insensitive name): exact value, a RegExp, `true` = present, `false` = absent. */
  headers?: Record<string, string | RegExp | boolean>;
  /** The body must contain every one of these strings. */
  bodyContains?: string | string[];
  /** The body must match this regular expression. */
  bodyMatches?: RegExp;
  /** The body must parse as JSON and contain this subset (see jsonSubsetMismatch). */
  json?: unknown;
  /** Total latency (request to last body byte) must not exceed this, in ms. */
  maxLatencyMs?: number;
}

/** A response reduced to what expectations look at. */
export interface ObservedResponse {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body: string;
  /** Set when the body is already structured (a Lambda payload that is not web-style). */
  parsed?: { value: unknown };
  latencyMs?: number;
}

const EXPECT_KEYS = ['status', 'headers', 'bodyContains', 'bodyMatches', 'json', 'maxLatencyMs'] as const;

/** Validates a declarative expectation eagerly; `field` prefixes error names (`http.expect`). */
export function validateExpectation(
  value: unknown,
  field: string,
  keys: readonly string[] = EXPECT_KEYS,
  statusKey = 'status',
): ResponseExpectation {
  if (!isPlainObject(value)) throw new OptionsError(field, 'must be an object or a function');
  rejectUnknownKeys(value, keys, field);
  const status = value[statusKey];
  if (status !== undefined) validateStatusSpec(status, `${field}.${statusKey}`);
  if (value.headers !== undefined) {
    if (!isPlainObject(value.headers)) throw new OptionsError(`${field}.headers`, 'must be an object of header name to expected value');
    for (const [name, v] of Object.entries(value.headers)) {
      if (typeof v !== 'string' && typeof v !== 'boolean' && !(v instanceof RegExp)) {
        throw new OptionsError(`${field}.headers.${name}`, 'must be a string, a RegExp or a boolean');
      }
    }
  }
  const contains = value.bodyContains;
  if (contains !== undefined) {
    const list = Array.isArray(contains) ? contains : [contains];
    if (list.length === 0 || list.some((s) => typeof s !== 'string' || s === '')) {
      throw new OptionsError(`${field}.bodyContains`, 'must be a non-empty string or a non-empty list of them');
    }
  }
  if (value.bodyMatches !== undefined && !(value.bodyMatches instanceof RegExp)) {
    throw new OptionsError(`${field}.bodyMatches`, 'must be a RegExp');
  }
  if ('json' in value && value.json === undefined) throw new OptionsError(`${field}.json`, 'must not be undefined');
  if (value.maxLatencyMs !== undefined) positiveNumber(value.maxLatencyMs, `${field}.maxLatencyMs`);
  // The status may be spelled `statusCode` (Lambda payloads); it is always `status` inside.
  const { [statusKey]: _spelled, ...rest } = value;
  return { ...rest, ...(status === undefined ? {} : { status }) } as ResponseExpectation;
}

/** Throws OptionsError unless `spec` is a valid StatusSpec. */
export function validateStatusSpec(spec: unknown, field: string): void {
  const one = (s: unknown): boolean =>
    (typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= 599) ||
    (typeof s === 'string' && /^[1-5]xx$/i.test(s));
  if (one(spec)) return;
  if (Array.isArray(spec) && spec.length > 0 && spec.every(one)) return;
  if (isPlainObject(spec) && typeof spec.min === 'number' && typeof spec.max === 'number' && one(spec.min) && one(spec.max) && spec.min <= spec.max) return;
  throw new OptionsError(field, `must be a status code (100-599), a class like '2xx', a non-empty list of those, or { min, max }; got ${safeJson(spec)}`);
}

/** Whether `status` satisfies `spec`. */
export function matchesStatus(spec: StatusSpec, status: number): boolean {
  if (Array.isArray(spec)) return spec.some((s) => matchesStatus(s, status));
  if (typeof spec === 'number') return spec === status;
  if (typeof spec === 'string') return Math.floor(status / 100) === Number(spec[0]);
  return status >= spec.min && status <= spec.max;
}

/** How a StatusSpec reads in a reason: "200", "2xx", "200 or 204", "200-299". */
export function describeStatus(spec: StatusSpec): string {
  if (Array.isArray(spec)) return spec.map((s) => describeStatus(s)).join(' or ');
  if (typeof spec === 'object') return `${spec.min}-${spec.max}`;
  return String(spec).toLowerCase();
}

/**
 * The first way `response` misses `expectation`, as a sentence, or undefined when it holds.
 * `statusLabel` names the status in reasons ("status" for HTTP, "statusCode" for Lambda payloads).
 */
export function checkExpectation(expectation: ResponseExpectation, response: ObservedResponse, statusLabel = 'status'): string | undefined {
  const { status } = expectation;
  if (status !== undefined) {
    if (response.status === undefined) return `expected ${statusLabel} ${describeStatus(status)}, got no ${statusLabel}`;
    if (!matchesStatus(status, response.status)) return `expected ${statusLabel} ${describeStatus(status)}, got ${response.status}`;
  }
  for (const [name, want] of Object.entries(expectation.headers ?? {})) {
    const got = headerValue(response.headers, name);
    if (want === false) {
      if (got !== undefined) return `expected no header ${name}, got "${clip(got)}"`;
      continue;
    }
    if (got === undefined) return `expected header ${name}, it is missing`;
    if (typeof want === 'string' && got !== want) return `expected header ${name} to be "${want}", got "${clip(got)}"`;
    if (want instanceof RegExp && !testRegExp(want, got)) return `expected header ${name} to match ${String(want)}, got "${clip(got)}"`;
  }
  const contains = expectation.bodyContains;
  for (const needle of contains === undefined ? [] : Array.isArray(contains) ? contains : [contains]) {
    if (!response.body.includes(needle)) return `expected body to contain "${needle}", got ${bodySnippet(response.body)}`;
  }
  if (expectation.bodyMatches && !testRegExp(expectation.bodyMatches, response.body)) {
    return `expected body to match ${String(expectation.bodyMatches)}, got ${bodySnippet(response.body)}`;
  }
  if ('json' in expectation) {
    let actual: unknown;
    if (response.parsed) actual = response.parsed.value;
    else {
      try {
        actual = JSON.parse(response.body);
      } catch {
        return `expected a JSON body, got ${bodySnippet(response.body)}`;
      }
    }
    const miss = jsonSubsetMismatch(expectation.json, actual);
    if (miss) return `JSON body mismatch: ${miss}`;
  }
  if (expectation.maxLatencyMs !== undefined && response.latencyMs !== undefined && response.latencyMs > expectation.maxLatencyMs) {
    return `expected latency <= ${expectation.maxLatencyMs} ms, took ${Math.round(response.latencyMs)} ms`;
  }
  return undefined;
}

/**
 * Subset match: every key of an expected object must be present and match;
 * arrays match element by element and must have the same length; a RegExp
 * matches a string value; anything else must be strictly equal.
 * Returns where it first differs ("$.checks[1].status: expected "ok", got "down"").
 */
export function jsonSubsetMismatch(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (expected instanceof RegExp) {
    return typeof actual === 'string' && testRegExp(expected, actual) ? undefined : `${path}: expected a string matching ${String(expected)}, got ${safeJson(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${safeJson(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const miss = jsonSubsetMismatch(expected[i], actual[i], `${path}[${i}]`);
      if (miss) return miss;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return `${path}: expected an object, got ${safeJson(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${path}.${key}: missing`;
      const miss = jsonSubsetMismatch(value, actual[key], `${path}.${key}`);
      if (miss) return miss;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${path}: expected ${safeJson(expected)}, got ${safeJson(actual)}`;
}

/** A predicate expectation: true passes, false fails, a string is the failure reason. */
export type ExpectPredicate<R> = (response: R) => boolean | string | Promise<boolean | string>;

/** Runs a predicate; a thrown error or a false/string result becomes a failure reason. */
export async function runPredicate<R>(predicate: ExpectPredicate<R>, response: R): Promise<string | undefined> {
  try {
    const verdict = await predicate(response);
    if (verdict === true) return undefined;
    if (typeof verdict === 'string') return verdict || 'expect predicate returned an empty reason';
    return 'expect predicate returned false';
  } catch (error) {
    return `expect predicate threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}


function headerValue(headers: ObservedResponse['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower && v !== undefined) return Array.isArray(v) ? v.join(', ') : v;
  }
  return undefined;
}

/** RegExp.test without the `lastIndex` trap of global/sticky expressions reused across requests. */
function testRegExp(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}


function bodySnippet(body: string): string {
  return body === '' ? 'an empty body' : `"${clip(body.replace(/\s+/g, ' '))}"`;
}

