/**
 * One HTTP exchange with undici: per-request time limit, body size cap,
 * manual (opt-in, bounded) redirects, and every response body consumed or
 * destroyed so that no socket is left half-read. Transport failures come back
 * as a sentence in `error`, never as a throw.
 */
import { request, type Dispatcher } from 'undici';
import { anySignal, abortReason, timeoutSignal } from '../../util/abort.js';
import { safeUrl } from './redact.js';

export interface SendConfig {
  /** Always given: undici's global dispatcher is never used, since any code in the process may replace it (see tls.ts). */
  dispatcher: Dispatcher;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  followRedirects: boolean;
  /** Lower-cased header names whose values are never sent across origins on redirect. */
  secretNames: Set<string>;
  signal: AbortSignal;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What came back (or why nothing usable did). */
export interface Exchange {
  method: string;
  /** The URL of the last hop. */
  url: string;
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  bytes?: number;
  /** From sending the request to the last body byte (or the failure), in ms. */
  latencyMs: number;
  redirects: string[];
  /** Transport-level failure: timeout, reset, TLS, oversized body, too many redirects. */
  error?: string;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

/** Sends one request (following redirects only when configured). */
export async function send(req: OutgoingRequest, cfg: SendConfig): Promise<Exchange> {
  const started = performance.now();
  const limit = timeoutSignal(cfg.requestTimeoutMs, `no complete response within ${cfg.requestTimeoutMs} ms`);
  const combined = anySignal([cfg.signal, limit.signal]);
  const redirects: string[] = [];
  let current = { ...req, headers: { ...req.headers } };
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    for (;;) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(current.url, {
          method: current.method as Dispatcher.HttpMethod,
          headers: current.headers,
          body: current.body,
          signal: combined.signal,
          headersTimeout: cfg.requestTimeoutMs,
          bodyTimeout: cfg.requestTimeoutMs,
          dispatcher: cfg.dispatcher,
        });
      } catch (error) {
        return { method: current.method, url: current.url, latencyMs: elapsed(), redirects, error: transportError(error, limit.signal, cfg) };
      }
      const location = res.headers.location;
      if (cfg.followRedirects && REDIRECT_STATUSES.has(res.statusCode) && typeof location === 'string') {
        discard(res.body);
        if (redirects.length >= MAX_REDIRECTS) {
          return { method: current.method, url: current.url, status: res.statusCode, latencyMs: elapsed(), redirects, error: `more than ${MAX_REDIRECTS} redirects` };
        }
        let next: string;
        try {
          next = new URL(location, current.url).toString();
        } catch {
          return { method: current.method, url: current.url, status: res.statusCode, latencyMs: elapsed(), redirects, error: `redirect to an invalid location ${JSON.stringify(safeUrl(location))}` };
        }
        redirects.push(`${res.statusCode} ${next}`);
        current = redirectRequest(current, next, res.statusCode, cfg.secretNames);
        continue;
      }
      const base = { method: current.method, url: current.url, status: res.statusCode, headers: res.headers, redirects };
      const read = await readCapped(res, cfg.maxBodyBytes);
      if ('error' in read) {
        const error = read.error === 'oversized' ? `body larger than ${cfg.maxBodyBytes} bytes` : transportError(read.error, limit.signal, cfg);
        return { ...base, latencyMs: elapsed(), error };
      }
      return { ...base, body: read.text, bytes: read.bytes, latencyMs: elapsed() };
    }
  } finally {
    limit.clear();
    combined.dispose();
  }
}

/**
 * Destroys a body we will not read. undici then emits an AbortError on the
 * stream; without a listener that would surface as an uncaught exception.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads the body up to `max` bytes; beyond that (or on error) the stream is destroyed. */
async function readCapped(res: Dispatcher.ResponseData, max: number): Promise<{ text: string; bytes: number } | { error: unknown }> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    discard(res.body);
    return { error: 'oversized' };
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      if (bytes > max) {
        discard(res.body);
        return { error: 'oversized' };
      }
      chunks.push(buf);
    }
  } catch (error) {
    discard(res.body);
    return { error };
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}

/** The next hop: 303 (and 301/302 after POST) become GET without body; secrets stay on the origin. */
function redirectRequest(prev: OutgoingRequest, next: string, status: number, secretNames: Set<string>): OutgoingRequest {
  const toGet = status === 303 || ((status === 301 || status === 302) && prev.method === 'POST');
  const headers = { ...prev.headers };
  if (toGet) {
    delete headers['content-type'];
    delete headers['content-length'];
  }
  if (new URL(next).origin !== new URL(prev.url).origin) {
    for (const name of Object.keys(headers)) {
      if (secretNames.has(name) || name === 'authorization' || name === 'cookie' || name === 'host') delete headers[name];
    }
  }
  const method = toGet && prev.method !== 'HEAD' ? 'GET' : prev.method;
  return { method, url: next, headers, ...(toGet || prev.body === undefined ? {} : { body: prev.body }) };
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

/** A transport error as a sentence a person can act on. */
function transportError(error: unknown, limit: AbortSignal, cfg: SendConfig): string {
  if (limit.aborted) return abortReason(limit);
  if (cfg.signal.aborted) return `aborted: ${abortReason(cfg.signal)}`;
  const e = (error ?? {}) as ErrorLike;
  const cause = (e.cause ?? {}) as ErrorLike;
  const code = e.code ?? cause.code;
  const message = e.message ?? String(error);
  if (code && TLS_CODES.has(code)) return `TLS verification failed (${code}): ${message}; give the certificate's CA with the ca option`;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `no response headers within ${cfg.requestTimeoutMs} ms`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `response body stalled for more than ${cfg.requestTimeoutMs} ms`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'UND_ERR_SOCKET':
      return `connection closed by the server (${message})`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timed out';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed (${code}): ${message}`;
    default:
      return code ? `${code}: ${message}` : `${e.name ?? 'Error'}: ${message}`;
  }
}
