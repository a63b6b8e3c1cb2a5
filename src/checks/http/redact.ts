/**
 * Keeping secrets out of what the http check logs. The verdict log goes to
 * CloudWatch Logs, readable by far more people than the secrets, so every
 * reason and detail of the check passes through a redactor that hides:
 *  - the secrets it knows (secret header values and the credentials inside
 *    them, userinfo and secret-named query values of the request URLs), also
 *    percent-, form-, JSON- and base64-encoded, with "***";
 *  - the start of such a secret cut off by a clip ("…"), which no longer
 *    matches whole;
 *  - in every absolute URL: the userinfo, every query value and the fragment
 *    (a URL cannot say which of its parts are secret, so none are shown);
 *  - `name=value` and `"name": "value"` pairs whose name looks secret, which
 *    catches tokens the check never knew, such as one in a redirect target.
 */

import type { ResolvedHttpOptions } from './options.js';

/** A function that hides every secret in a string. */
export type Redact = (text: string) => string;

/** Query parameter, header and JSON field names taken to hold secrets. */
const SECRET_NAME = /token|secret|passw|pwd|auth|credential|signature|session|jwt|bearer|private|key(id)?$|^sig$|^pass$|^x-amz-|^x-goog-/i;
const HIDDEN = '***';
/** The mark `clip` and `show` put where they cut a text. */
const CUT = '…';
/** Shorter values are not searched for in free text: replacing every "t" would garble the text while hiding nothing worth hiding. */
const MIN_SECRET = 4;
/** A cut that leaves fewer characters of a secret shows too little to matter (and hiding it would blur ordinary text). */
const MIN_CUT_PREFIX = 3;
/** Cuts come from a few clips per message; a body full of "…" must not cost time per character. */
const MAX_CUTS = 20;
// The lookbehinds and bounded lengths keep these linear: a hostile body of "a.a.a…" must not cost quadratic time.
const ABSOLUTE_URL = /(?<![\w+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>`…]*[^\s"'<>`….,:;!?)\]]/gi;
const PAIR = /(?<![\w.-])([\w.-]{1,100})=([^&\s"'<>#…]+)/g;
const JSON_PAIR = /"([^"\\]{1,100})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function makeRedactor(secretValues: string[]): Redact {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET).flatMap(encodings))].sort((a, b) => b.length - a.length);
  return (text) => {
    const known = values.reduce((acc, v) => acc.split(v).join(HIDDEN), text);
    return hidePairs(hideCutSecrets(known, values).replace(ABSOLUTE_URL, safeUrl));
  };
}

/** Every secret the check knows before it sends anything: in the headers and URLs of its requests. */
export function knownSecrets(opts: ResolvedHttpOptions): string[] {
  const urls = [...(opts.base === undefined ? [] : [opts.base]), ...opts.requests.map((r) => ('url' in r.target ? r.target.url : r.target.path))];
  const headers = opts.requests.flatMap((r) => Object.entries(r.headers).filter(([name]) => opts.secretNames.has(name)));
  return [...urls.flatMap(urlSecrets), ...headers.flatMap(([name, value]) => headerSecrets(name, value))];
}

/** The forms in which a server may echo a value back. */
function encodings(value: string): string[] {
  const percent = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const bytes = Buffer.from(value, 'utf8');
  return [value, percent, lowerHex(percent), form, lowerHex(form), JSON.stringify(value).slice(1, -1), bytes.toString('base64'), bytes.toString('base64url')];
}

/** The secrets in a header value: the value, the credentials after an auth scheme, a Basic pair decoded, cookie values. */
function headerSecrets(name: string, value: string): string[] {
  const out = [value];
  const scheme = /^(\S+)\s+(\S+)$/.exec(value.trim());
  if (scheme) {
    const credentials = scheme[2] as string;
    out.push(credentials);
    if (scheme[1]?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      out.push(decoded, ...decoded.split(':'));
    }
  }
  if (name === 'cookie') out.push(...value.split(';').map((c) => c.slice(c.indexOf('=') + 1).trim()));
  return out;
}

/** The secrets in a request URL (absolute or a path): userinfo and the values of secret-named query parameters, raw and decoded. */
function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://path.invalid');
  } catch {
    return [];
  }
  const out = [parsed.username, parsed.password, safeDecode(parsed.username), safeDecode(parsed.password)];
  for (const pair of parsed.search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || !looksSecret(safeDecode(pair.slice(0, eq)))) continue;
    const raw = pair.slice(eq + 1);
    out.push(raw, safeDecode(raw.replace(/\+/g, ' ')));
  }
  return out.filter((v) => v !== '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A URL (absolute, scheme-relative or a path) as it may be shown: userinfo as
 * "***@", each query value as "***" (names kept), the fragment as "#***".
 * Works on the text rather than a parsed URL so that a relative Location
 * stays relative and nothing is normalised.
 */
export function safeUrl(url: string): string {
  const hashAt = url.indexOf('#');
  let rest = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : hashAt === url.length - 1 ? '#' : `#${HIDDEN}`;
  const queryAt = rest.indexOf('?');
  let query = '';
  if (queryAt >= 0) {
    query = `?${rest.slice(queryAt + 1).split('&').map(hideParamValue).join('&')}`;
    rest = rest.slice(0, queryAt);
  }
  // The authority ends at the first "/" (or "\", which WHATWG parsers also accept); userinfo is up to its last "@".
  rest = rest.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)[^/\\]*@/i, `$1${HIDDEN}@`);
  return `${rest}${query}${fragment}`;
}

function hideParamValue(param: string): string {
  if (param === '') return param;
  const eq = param.indexOf('=');
  // A bare parameter may itself be the token (`?abc123`); an empty value hides nothing.
  if (eq < 0) return HIDDEN;
  return eq === param.length - 1 ? param : `${param.slice(0, eq)}=${HIDDEN}`;
}

/** A secret cut by a clip ends in "…" and no longer matches whole: hide the part before the cut. */
function hideCutSecrets(text: string, values: string[]): string {
  if (!text.includes(CUT) || values.length === 0) return text;
  const parts = text.split(CUT);
  for (let p = 0; p < Math.min(parts.length - 1, MAX_CUTS); p++) {
    const before = parts[p] as string;
    const k = longestSecretPrefixAtEnd(before, values);
    if (k >= MIN_CUT_PREFIX) parts[p] = `${before.slice(0, before.length - k)}${HIDDEN}`;
  }
  return parts.join(CUT);
}

/** The length of the longest start of a secret that `text` ends with. */
function longestSecretPrefixAtEnd(text: string, values: string[]): number {
  let best = 0;
  for (const v of values) {
    for (let s = Math.max(0, text.length - v.length + 1); s < text.length - best; s++) {
      if (v.startsWith(text.slice(s))) {
        best = text.length - s;
        break;
      }
    }
  }
  return best;
}

function hidePairs(text: string): string {
  return text
    .replace(PAIR, (pair: string, name: string) => (looksSecret(name) ? `${name}=${HIDDEN}` : pair))
    .replace(JSON_PAIR, (pair: string, name: string, colon: string) => (looksSecret(name) ? `"${name}"${colon}"${HIDDEN}"` : pair));
}
