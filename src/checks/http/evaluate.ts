/**
 * Judging an exchange against an expectation, and what of it is shown:
 * every reason and detail passes through the redactor (redact.ts).
 */
import { checkExpectation, runPredicate, type ExpectPredicate, type ResponseExpectation } from '../expect.js';
import { clip } from '../common.js';
import type { HttpResponse } from './options.js';
import { safeUrl, type Redact } from './redact.js';
import type { Exchange } from './send.js';

/** The first reason the exchange does not pass, or undefined. */
export async function evaluate(ex: Exchange, expect: ResponseExpectation | ExpectPredicate<HttpResponse>): Promise<string | undefined> {
  if (ex.error !== undefined || ex.status === undefined) return ex.error ?? 'no response';
  const body = ex.body ?? '';
  let miss: string | undefined;
  if (typeof expect === 'function') {
    miss = await runPredicate(expect, { status: ex.status, headers: ex.headers ?? {}, body, latencyMs: ex.latencyMs, url: ex.url });
  } else {
    miss = checkExpectation(expect, { status: ex.status, headers: ex.headers, body, latencyMs: ex.latencyMs });
  }
  const location = ex.headers?.location;
  if (miss && ex.status >= 300 && ex.status < 400 && typeof location === 'string') {
    miss += ` (redirect to ${safeUrl(location)} not followed; set followRedirects: true to follow)`;
  }
  return miss;
}

/** Request headers as shown in details: secret names shown as "***", the others redacted like any text. */
export function shownHeaders(headers: Record<string, string>, secretNames: Set<string>, redact: Redact): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secretNames.has(k) ? '***' : redact(v)]));
}

/** Exchange figures for details; the body only as a snippet, redacted whole before it is cut so no secret is left half-shown. */
export function exchangeDetails(ex: Exchange, redact: Redact, withBody: boolean): Record<string, unknown> {
  return {
    method: ex.method,
    url: redact(ex.url),
    ...(ex.status === undefined ? {} : { status: ex.status }),
    latencyMs: ex.latencyMs,
    ...(ex.bytes === undefined ? {} : { bytes: ex.bytes }),
    ...(ex.redirects.length > 0 ? { redirects: ex.redirects.map(redact) } : {}),
    ...(ex.error === undefined ? {} : { error: redact(ex.error) }),
    ...(withBody && ex.body ? { body: clip(redact(ex.body), 500) } : {}),
  };
}

/** The concrete request for a spec: its path joined to the base URL, the Host override applied. */
export function buildOutgoing(
  req: { method: string; target: { url: string } | { path: string }; headers: Record<string, string>; body?: string },
  base: string | undefined,
  hostHeader: string | undefined,
): { method: string; url: string; headers: Record<string, string>; body?: string } {
  let url: string;
  if ('url' in req.target) url = req.target.url;
  else {
    // Join rather than resolve, so a base with a path prefix (https://h/api) keeps it.
    const b = (base ?? '').replace(/\/+$/, '');
    url = `${b}${req.target.path}`;
  }
  const headers = { ...req.headers, ...(hostHeader ? { host: hostHeader } : {}) };
  return { method: req.method, url, headers, ...(req.body === undefined ? {} : { body: req.body }) };
}
