/**
 * Judging an exchange against an expectation, and keeping secrets out of
 * what gets logged: every reason and detail passes through a redactor that
 * replaces secret header values with "***".
 */
import { checkExpectation, runPredicate, type ExpectPredicate, type ResponseExpectation } from '../expect.js';
import { clip } from '../common.js';
import type { HttpResponse } from './options.js';
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
    miss += ` (redirect to ${location} not followed; set followRedirects: true to follow)`;
  }
  return miss;
}

/** A function that replaces every secret value in a string with "***". */
export type Redact = (text: string) => string;

export function makeRedactor(secretValues: string[]): Redact {
  // Longest first, so a secret that contains another is replaced whole. Values under 4
  // characters are not searched for in free text: replacing every "t" would garble the
  // reason while hiding nothing worth hiding (secret headers are still shown as "***").
  const values = [...new Set(secretValues.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((acc, v) => acc.split(v).join('***'), text);
}

/** Secret header values of a request (names already lower-cased). */
export function secretValuesOf(headers: Record<string, string>, secretNames: Set<string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => secretNames.has(name))
    .map(([, value]) => value);
}

/** Request headers as shown in details: secret names shown as "***". */
export function shownHeaders(headers: Record<string, string>, secretNames: Set<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secretNames.has(k) ? '***' : v]));
}

/** Exchange figures for details; the body only as a redacted snippet. */
export function exchangeDetails(ex: Exchange, redact: Redact, withBody: boolean): Record<string, unknown> {
  return {
    method: ex.method,
    url: redact(ex.url),
    ...(ex.status === undefined ? {} : { status: ex.status }),
    latencyMs: ex.latencyMs,
    ...(ex.bytes === undefined ? {} : { bytes: ex.bytes }),
    ...(ex.redirects.length > 0 ? { redirects: ex.redirects.map(redact) } : {}),
    ...(ex.error === undefined ? {} : { error: redact(ex.error) }),
    ...(withBody && ex.body ? { body: redact(clip(ex.body, 500)) } : {}),
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
