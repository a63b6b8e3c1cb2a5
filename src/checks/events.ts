/**
 * Synthetic web events for smoke-testing a web-style Lambda function through
 * its handler contract when no real front door exists yet for the new
 * version: API Gateway REST (v1 proxy), HTTP API (payload v2), ALB target and
 * Function URL events. Shapes follow the documented event formats; identifiers
 * are fixed placeholders so that handlers that log them stay readable.
 */
import { randomUUID } from 'node:crypto';

/** What to put in a synthetic request. */
export interface SyntheticRequest {
  /** @default 'GET' */
  method?: string;
  /** Path including the leading slash, without query string. @default '/' */
  path?: string;
  headers?: Record<string, string>;
  /** Query parameters; a list gives a repeated parameter. */
  query?: Record<string, string | string[]>;
  /** A string is sent as is; anything else is JSON-encoded with content-type application/json. */
  body?: unknown;
  /** Mark `body` (a string) as base64 already. @default false */
  isBase64Encoded?: boolean;
  /** Source IP in the request context. @default '127.0.0.1' */
  sourceIp?: string;
}

const USER_AGENT = 'codedeploy-hooks-smoke';

interface Normalized {
  method: string;
  path: string;
  headers: Record<string, string>;
  query: Record<string, string[]>;
  body: string | null;
  isBase64Encoded: boolean;
  sourceIp: string;
}

function normalize(req: SyntheticRequest, host: string): Normalized {
  const headers: Record<string, string> = { host, 'user-agent': USER_AGENT, ...(req.headers ?? {}) };
  let body: string | null = null;
  if (req.body !== undefined && req.body !== null) {
    if (typeof req.body === 'string') body = req.body;
    else {
      body = JSON.stringify(req.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  const query: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.query ?? {})) query[k] = Array.isArray(v) ? v : [v];
  const path = req.path ?? '/';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: path.startsWith('/') ? path : `/${path}`,
    headers,
    query,
    body,
    isBase64Encoded: req.isBase64Encoded ?? false,
    sourceIp: req.sourceIp ?? '127.0.0.1',
  };
}

/** Single-value query map, last value wins (as API Gateway v1 and ALB do), or null when empty. */
function singleQuery(query: Record<string, string[]>): Record<string, string> | null {
  const entries = Object.entries(query);
  return entries.length === 0 ? null : Object.fromEntries(entries.map(([k, v]) => [k, v[v.length - 1] ?? '']));
}

function rawQueryString(query: Record<string, string[]>): string {
  const params = new URLSearchParams();
  for (const [k, values] of Object.entries(query)) for (const v of values) params.append(k, v);
  return params.toString();
}

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** An API Gateway REST API (v1 proxy integration) event. */
export function apiGatewayRestEvent(req: SyntheticRequest & { stage?: string; resource?: string; pathParameters?: Record<string, string> } = {}) {
  const n = normalize(req, 'abcdef1234.execute-api.us-east-1.amazonaws.com');
  const stage = req.stage ?? 'prod';
  const now = new Date();
  const multiQuery = Object.keys(n.query).length === 0 ? null : n.query;
  return {
    resource: req.resource ?? n.path,
    path: n.path,
    httpMethod: n.method,
    headers: n.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: singleQuery(n.query),
    multiValueQueryStringParameters: multiQuery,
    pathParameters: req.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      resourceId: 'smoke1',
      stage,
      requestId: randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      identity: { sourceIp: n.sourceIp, userAgent: n.headers['user-agent'] ?? USER_AGENT },
      path: `/${stage}${n.path}`,
      resourcePath: req.resource ?? n.path,
      httpMethod: n.method,
      protocol: 'HTTP/1.1',
      domainName: n.headers.host,
    },
    body: n.body,
    isBase64Encoded: n.isBase64Encoded,
  };
}

function v2Event(n: Normalized, domainName: string, apiId: string) {
  const headers = lowerCaseHeaders(n.headers);
  const now = new Date();
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  delete headers.cookie;
  const queryStringParameters = Object.keys(n.query).length === 0 ? undefined : Object.fromEntries(Object.entries(n.query).map(([k, v]) => [k, v.join(',')]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: n.path,
    rawQueryString: rawQueryString(n.query),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId,
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: { method: n.method, path: n.path, protocol: 'HTTP/1.1', sourceIp: n.sourceIp, userAgent: headers['user-agent'] ?? USER_AGENT },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(n.body === null ? {} : { body: n.body }),
    isBase64Encoded: n.isBase64Encoded,
  };
}

/** An API Gateway HTTP API event (payload format 2.0). */
export function apiGatewayHttpEvent(req: SyntheticRequest = {}) {
  const domain = 'abcdef1234.execute-api.us-east-1.amazonaws.com';
  return v2Event(normalize(req, domain), domain, 'abcdef1234');
}

/** A Lambda Function URL event (same shape as HTTP API 2.0, Function URL domain). */
export function functionUrlEvent(req: SyntheticRequest = {}) {
  const domain = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws';
  return v2Event(normalize(req, domain), domain, 'abcdefghijklmnopqrstuvwxyz012345');
}

/** An Application Load Balancer target event (multi-value headers off). */
export function albEvent(req: SyntheticRequest & { targetGroupArn?: string } = {}) {
  const n = normalize(req, 'smoke-alb-123456789.us-east-1.elb.amazonaws.com');
  const query = singleQuery(n.query) ?? {};
  return {
    requestContext: {
      elb: { targetGroupArn: req.targetGroupArn ?? 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/smoke/0123456789abcdef' },
    },
    httpMethod: n.method,
    path: n.path,
    queryStringParameters: query,
    headers: lowerCaseHeaders({ 'x-forwarded-for': n.sourceIp, 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', ...n.headers }),
    body: n.body ?? '',
    isBase64Encoded: n.isBase64Encoded,
  };
}
