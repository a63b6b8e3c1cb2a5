/**
 * Options of the `http` check and their eager validation. Errors name the
 * field (`http.expect.status`, `http.requests[2].path`). There is deliberately
 * no way to switch TLS verification off: a smoke test that accepts any
 * certificate cannot tell the new service from an impostor.
 */
import type { Dispatcher } from 'undici';
import { OptionsError } from '../../errors.js';
import { validateExpectation, type ExpectPredicate, type ResponseExpectation } from '../expect.js';
import { COMMON_KEYS, isPlainObject, positiveInteger, positiveNumber, ratio, rejectUnknownKeys, type CommonCheckOptions } from '../common.js';
import { show } from '../../util/show.js';
import { looksSecret, safeUrl } from './redact.js';

/** A header value; `{ value, secret: true }` is redacted as "***" in reasons and details. */
export type HeaderValue = string | { value: string; secret?: boolean };

/** What a predicate `expect` receives. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  latencyMs: number;
  url: string;
}

export type HttpExpect = ResponseExpectation | ExpectPredicate<HttpResponse>;

/** One request of a suite. */
export interface HttpRequestSpec {
  /** A label in details. @default "METHOD path" */
  name?: string;
  /** Path (and query) resolved against the base URL. */
  path?: string;
  /** Absolute URL; wins over path. */
  url?: string;
  /** @default the check's method, else 'GET' */
  method?: string;
  /** Merged over the check's headers. */
  headers?: Record<string, HeaderValue>;
  /** A string is sent as is; anything else as JSON with content-type application/json. */
  body?: unknown;
  /** @default the check's expect */
  expect?: HttpExpect;
}

export interface HttpOptions extends CommonCheckOptions {
  /** Full URL of the single request (also the base URL of a suite). */
  url?: string;
  /** Base URL; requests give paths. @default resolved from the ECS listener */
  baseUrl?: string;
  /** Path of the single request against baseUrl / the listener. @default '/' */
  path?: string;
  /** @default 'GET' */
  method?: string;
  headers?: Record<string, HeaderValue>;
  body?: unknown;
  /** Header names whose values are redacted as "***" (case-insensitive), besides authorization, proxy-authorization, cookie and x-api-key. @default [] */
  secretHeaders?: string[];
  /** @default { status: '2xx' } */
  expect?: HttpExpect;
  /** Per-request time limit (headers, body, total), in ms. @default 10000 */
  requestTimeoutMs?: number;
  /** Response bodies larger than this fail the request. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Follow up to 5 redirects. @default false */
  followRedirects?: boolean;
  /** CA certificate(s) to trust, PEM; as in Node they replace the public roots. Verification stays on. */
  ca?: string | Buffer | (string | Buffer)[];
  /** undici dispatcher (tests, proxies, custom agents); it owns its TLS settings. Refused while NODE_TLS_REJECT_UNAUTHORIZED=0. Cannot be combined with `ca`. */
  dispatcher?: Dispatcher;
  /** Keep retrying failing requests for up to this long, in ms. @default 0 (one attempt) */
  waitUntilHealthyMs?: number;
  /** Pause between those retries, in ms. @default 1000 */
  retryIntervalMs?: number;
  /** A suite, run in order with a shared base URL. */
  requests?: HttpRequestSpec[];
  /** A load burst after the smoke request(s) passed. */
  load?: { requests: number; concurrency: number; minSuccessRatio: number; maxP95Ms?: number };
  /** ECS: which listener to call. @default 'test' during AfterAllowTestTraffic, else 'production' */
  listener?: 'test' | 'production';
  /** Host header to send (e.g. the production host name before DNS points at the listener). */
  hostHeader?: string;
  /** ECS: send the requests to both listeners and compare status and JSON bodies. */
  compare?: { ignoreFields?: string[] };
}

/** Validated options with defaults applied. */
export interface ResolvedHttpOptions {
  base?: string;
  requests: ResolvedRequest[];
  secretNames: Set<string>;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  followRedirects: boolean;
  ca?: HttpOptions['ca'];
  dispatcher?: Dispatcher;
  waitUntilHealthyMs: number;
  retryIntervalMs: number;
  load?: { requests: number; concurrency: number; minSuccessRatio: number; maxP95Ms?: number };
  listener?: 'test' | 'production';
  hostHeader?: string;
  compare?: { ignoreFields: string[] };
}

export interface ResolvedRequest {
  name: string;
  /** Absolute URL, or a path to resolve against the base at run time. */
  target: { url: string } | { path: string };
  method: string;
  headers: Record<string, string>;
  body?: string;
  expect: ResponseExpectation | ExpectPredicate<HttpResponse>;
  /** True when the user gave an expectation (compare mode only checks green then). */
  explicitExpect: boolean;
}

const KEYS = [
  ...COMMON_KEYS,
  'url', 'baseUrl', 'path', 'method', 'headers', 'body', 'secretHeaders', 'expect', 'requestTimeoutMs',
  'maxBodyBytes', 'followRedirects', 'ca', 'dispatcher', 'waitUntilHealthyMs', 'retryIntervalMs',
  'requests', 'load', 'listener', 'hostHeader', 'compare',
];
const REQUEST_KEYS = ['name', 'path', 'url', 'method', 'headers', 'body', 'expect'];
/** Option names people reach for to skip TLS verification; each gets an explanation, not "unknown". */
const INSECURE_NAMES = /^(insecure|rejectunauthorized|skiptlsverify|skipverify|insecureskipverify|tlsinsecure|allowinsecure|strictssl|verifytls|tlsverify|noverify|ignoretls|ignorecerterrors|ignoresslerrors|sslverify)$/i;
const METHOD = /^[A-Z]+$/;
const ALWAYS_SECRET = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

export function validateHttpOptions(options: HttpOptions): ResolvedHttpOptions {
  const f = 'http';
  if (!isPlainObject(options as unknown)) throw new OptionsError(f, 'options must be an object');
  for (const key of Object.keys(options)) {
    if (INSECURE_NAMES.test(key)) {
      throw new OptionsError(
        `${f}.${key}`,
        'TLS verification cannot be turned off: a smoke test that accepts any certificate cannot tell the new service from an impostor; give the CA that signed the certificate with `ca` instead',
      );
    }
  }
  rejectUnknownKeys(options as unknown as Record<string, unknown>, KEYS, f);
  if (options.url !== undefined && options.baseUrl !== undefined) throw new OptionsError(`${f}.baseUrl`, 'give either url or baseUrl, not both');
  const base = options.url ?? options.baseUrl;
  if (options.url !== undefined) checkUrl(options.url, `${f}.url`);
  if (options.baseUrl !== undefined) checkUrl(options.baseUrl, `${f}.baseUrl`);

  // Credentials are secret whether or not the user remembered to say so.
  const secretNames = new Set<string>(ALWAYS_SECRET);
  if (options.secretHeaders !== undefined) {
    if (!Array.isArray(options.secretHeaders) || options.secretHeaders.some((h) => typeof h !== 'string' || h === '')) {
      throw new OptionsError(`${f}.secretHeaders`, 'must be a list of header names');
    }
    for (const h of options.secretHeaders) secretNames.add(h.toLowerCase());
  }
  const method = checkMethod(options.method, `${f}.method`) ?? 'GET';
  const headers = checkHeaders(options.headers, `${f}.headers`, secretNames);
  if (options.hostHeader !== undefined) {
    if (typeof options.hostHeader !== 'string' || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(options.hostHeader)) {
      throw new OptionsError(`${f}.hostHeader`, 'must be a host name, optionally with :port');
    }
  }
  const defaultExpect = options.expect === undefined ? undefined : checkExpect(options.expect, `${f}.expect`);
  const expectOf = (given: HttpExpect | undefined) => given ?? defaultExpect ?? { status: '2xx' as const };

  let requests: ResolvedRequest[];
  if (options.requests !== undefined) {
    if (options.path !== undefined || options.body !== undefined) throw new OptionsError(`${f}.requests`, 'cannot be combined with path or body (give them per request)');
    if (!Array.isArray(options.requests) || options.requests.length === 0) throw new OptionsError(`${f}.requests`, 'must be a non-empty array');
    requests = options.requests.map((spec, i) => {
      const rf = `${f}.requests[${i}]`;
      if (!isPlainObject(spec as unknown)) throw new OptionsError(rf, 'must be an object { path | url, method?, headers?, body?, expect? }');
      rejectUnknownKeys(spec as unknown as Record<string, unknown>, REQUEST_KEYS, rf);
      if (spec.url !== undefined) checkUrl(spec.url, `${rf}.url`);
      else if (typeof spec.path !== 'string' || !spec.path.startsWith('/')) throw new OptionsError(`${rf}.path`, 'must be a path starting with / (or give url)');
      const m = checkMethod(spec.method, `${rf}.method`) ?? method;
      const explicit = spec.expect ?? defaultExpect;
      const target = spec.url !== undefined ? { url: spec.url } : { path: spec.path as string };
      const reqHeaders = { ...headers, ...checkHeaders(spec.headers, `${rf}.headers`, secretNames) };
      const body = bodyOf(spec.body, `${rf}.body`, reqHeaders);
      return {
        name: typeof spec.name === 'string' && spec.name ? spec.name : `${m} ${safeUrl(spec.url ?? (spec.path as string))}`,
        target,
        method: m,
        headers: reqHeaders,
        ...body,
        expect: expectOf(spec.expect === undefined ? undefined : checkExpect(spec.expect, `${rf}.expect`)),
        explicitExpect: explicit !== undefined,
      };
    });
  } else {
    if (options.path !== undefined && (typeof options.path !== 'string' || !options.path.startsWith('/'))) throw new OptionsError(`${f}.path`, 'must start with /');
    if (options.path !== undefined && options.url !== undefined) throw new OptionsError(`${f}.path`, 'give a path with baseUrl, not with url');
    const target = options.url !== undefined ? { url: options.url } : { path: options.path ?? '/' };
    const reqHeaders = { ...headers };
    const body = bodyOf(options.body, `${f}.body`, reqHeaders);
    requests = [
      {
        // The name is in every verdict: the URL is shown as redact.ts shows URLs.
        name: `${method} ${safeUrl(options.url ?? options.path ?? '/')}`,
        target,
        method,
        headers: reqHeaders,
        ...body,
        expect: expectOf(undefined),
        explicitExpect: defaultExpect !== undefined,
      },
    ];
  }

  if (options.ca !== undefined) {
    const list = Array.isArray(options.ca) ? options.ca : [options.ca];
    if (list.length === 0 || list.some((c) => !(typeof c === 'string' || Buffer.isBuffer(c)) || !String(c).includes('-----BEGIN CERTIFICATE-----'))) {
      throw new OptionsError(`${f}.ca`, 'must be PEM certificate text (or a Buffer / list of them)');
    }
    if (options.dispatcher !== undefined) throw new OptionsError(`${f}.ca`, 'cannot be combined with dispatcher; configure the CA on your dispatcher (connect: { ca })');
  }
  if (options.dispatcher !== undefined && (typeof options.dispatcher !== 'object' || options.dispatcher === null || typeof (options.dispatcher as { dispatch?: unknown }).dispatch !== 'function')) {
    throw new OptionsError(`${f}.dispatcher`, 'must be an undici Dispatcher (Agent, Pool, MockAgent, ...)');
  }
  if (options.followRedirects !== undefined && typeof options.followRedirects !== 'boolean') throw new OptionsError(`${f}.followRedirects`, 'must be a boolean');
  if (options.listener !== undefined && options.listener !== 'test' && options.listener !== 'production') {
    throw new OptionsError(`${f}.listener`, "must be 'test' or 'production'");
  }
  if (options.waitUntilHealthyMs !== undefined && (typeof options.waitUntilHealthyMs !== 'number' || !(options.waitUntilHealthyMs >= 0))) {
    throw new OptionsError(`${f}.waitUntilHealthyMs`, 'must be a number >= 0');
  }

  let load: ResolvedHttpOptions['load'];
  if (options.load !== undefined) {
    const lf = `${f}.load`;
    if (!isPlainObject(options.load as unknown)) throw new OptionsError(lf, 'must be { requests, concurrency, minSuccessRatio, maxP95Ms? }');
    rejectUnknownKeys(options.load as unknown as Record<string, unknown>, ['requests', 'concurrency', 'minSuccessRatio', 'maxP95Ms'], lf);
    load = {
      requests: positiveInteger(options.load.requests, `${lf}.requests`),
      concurrency: positiveInteger(options.load.concurrency, `${lf}.concurrency`),
      minSuccessRatio: ratio(options.load.minSuccessRatio, `${lf}.minSuccessRatio`),
      ...(options.load.maxP95Ms === undefined ? {} : { maxP95Ms: positiveNumber(options.load.maxP95Ms, `${lf}.maxP95Ms`) }),
    };
  }

  let compare: ResolvedHttpOptions['compare'];
  if (options.compare !== undefined) {
    const cf = `${f}.compare`;
    if (!isPlainObject(options.compare as unknown)) throw new OptionsError(cf, 'must be { ignoreFields? }');
    rejectUnknownKeys(options.compare as unknown as Record<string, unknown>, ['ignoreFields'], cf);
    const ignore = options.compare.ignoreFields ?? [];
    if (!Array.isArray(ignore) || ignore.some((p) => typeof p !== 'string' || p === '' || p.startsWith('.') || p.endsWith('.'))) {
      throw new OptionsError(`${cf}.ignoreFields`, "must be a list of dot paths like 'meta.requestId' or 'items.*.updatedAt'");
    }
    if (base !== undefined) throw new OptionsError(cf, 'compares the production and test listeners of an ECS deployment; it cannot be combined with url or baseUrl');
    const absolute = requests.findIndex((r) => 'url' in r.target);
    if (absolute >= 0) throw new OptionsError(`${f}.requests[${absolute}].url`, 'compare sends paths to both listeners; give a path, not a url');
    if (options.listener !== undefined) throw new OptionsError(cf, 'uses both listeners; remove listener');
    if (load) throw new OptionsError(cf, 'cannot be combined with load');
    compare = { ignoreFields: ignore };
  }

  return {
    ...(base === undefined ? {} : { base }),
    requests,
    secretNames,
    requestTimeoutMs: options.requestTimeoutMs === undefined ? 10_000 : positiveNumber(options.requestTimeoutMs, `${f}.requestTimeoutMs`),
    maxBodyBytes: options.maxBodyBytes === undefined ? 1024 * 1024 : positiveInteger(options.maxBodyBytes, `${f}.maxBodyBytes`),
    followRedirects: options.followRedirects ?? false,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    waitUntilHealthyMs: options.waitUntilHealthyMs ?? 0,
    retryIntervalMs: options.retryIntervalMs === undefined ? 1000 : positiveNumber(options.retryIntervalMs, `${f}.retryIntervalMs`),
    ...(load ? { load } : {}),
    ...(options.listener ? { listener: options.listener } : {}),
    ...(options.hostHeader ? { hostHeader: options.hostHeader } : {}),
    ...(compare ? { compare } : {}),
  };
}

function checkUrl(value: unknown, field: string): asserts value is string {
  // A checks builder's error reaches the verdict, so even a wrong URL is shown without its secrets.
  const shown = typeof value === 'string' ? show(safeUrl(value)) : show(value);
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new OptionsError(field, `must be an absolute http(s) URL, got ${shown}`);
  }
  if (typeof value !== 'string' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new OptionsError(field, `must be an absolute http(s) URL, got ${shown}`);
  }
}

function checkMethod(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !METHOD.test(value.toUpperCase())) throw new OptionsError(field, 'must be an HTTP method such as GET or POST');
  return value.toUpperCase();
}

function checkExpect(value: unknown, field: string): HttpExpect {
  if (typeof value === 'function') return value as ExpectPredicate<HttpResponse>;
  return validateExpectation(value, field);
}

/** Flattens header values, recording `{ secret: true }` names, and names that look secret unless `secret: false`, as secret. */
function checkHeaders(value: unknown, field: string, secretNames: Set<string>): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new OptionsError(field, 'must be an object of header name to value');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new OptionsError(`${field}.${name}`, 'is not a valid header name');
    const lower = name.toLowerCase();
    if (typeof v === 'string') {
      out[lower] = v;
      if (looksSecret(lower)) secretNames.add(lower);
    } else if (isPlainObject(v) && typeof v.value === 'string') {
      out[lower] = v.value;
      if (v.secret === true || (v.secret !== false && looksSecret(lower))) secretNames.add(lower);
    } else throw new OptionsError(`${field}.${name}`, 'must be a string or { value, secret? }');
  }
  return out;
}

/** Encodes a request body; objects become JSON (and set content-type unless given). */
function bodyOf(value: unknown, field: string, headers: Record<string, string>): { body?: string } {
  if (value === undefined) return {};
  if (typeof value === 'string') return { body: value };
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new OptionsError(field, `is not JSON-serializable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text === undefined) throw new OptionsError(field, 'is not JSON-serializable');
  headers['content-type'] ??= 'application/json';
  return { body: text };
}
