/**
 * Runs the example application as one "version": the real handler, wrapped
 * with the scenario's breakage (a fraction of requests throw, extra latency,
 * a forced status code). Lambda versions call it in-process; ECS task sets
 * serve it over node:http.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VersionBehaviour } from '../scenario/types.js';
import { sleep } from '../../util/abort.js';

export type AppHandler = (event: unknown, context?: unknown) => Promise<unknown> | unknown;
export interface WebResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A version's invoke function: throws when the version "fails", like a Lambda function error. */
export type VersionInvoke = (event: unknown) => Promise<unknown>;

export class SimulatedFailure extends Error {
  constructor(version: string, note?: string) {
    super(`simulated failure in version ${version}${note ? ` (${note})` : ''}`);
    this.name = 'SimulatedFailure';
  }
}

/**
 * `uptimeSeconds` says how long (in simulated seconds) the version has been running, for
 * `startupSeconds`: a version still starting fails every request, on every path.
 */
export function versionInvoke(handler: AppHandler, behaviour: VersionBehaviour, random: () => number, uptimeSeconds: () => number = () => Infinity): VersionInvoke {
  return async (event) => {
    if (behaviour.startupSeconds && uptimeSeconds() < behaviour.startupSeconds) throw new SimulatedFailure(behaviour.version, 'still starting');
    if (behaviour.affectedPaths && !behaviour.affectedPaths.includes(requestPath(event))) return handler(event, {});
    if (behaviour.latencyMs > 0) await sleep(behaviour.latencyMs);
    if (behaviour.errorRate > 0 && random() < behaviour.errorRate) throw new SimulatedFailure(behaviour.version);
    let result = await handler(event, {});
    if (behaviour.body !== undefined) result = isWebResult(result) ? { ...result, body: behaviour.body } : { statusCode: 200, body: behaviour.body };
    if (behaviour.statusCode !== undefined && isWebResult(result)) return { ...result, statusCode: behaviour.statusCode };
    return result;
  };
}

/** The request path of a web-style event (v2 rawPath, v1 path, or a bare `{ path }`). */
export function requestPath(event: unknown): string {
  if (typeof event !== 'object' || event === null) return '/';
  const e = event as { rawPath?: unknown; path?: unknown; requestContext?: { http?: { path?: unknown } } };
  const p = e.rawPath ?? e.requestContext?.http?.path ?? e.path;
  return typeof p === 'string' ? p : '/';
}

export function isWebResult(value: unknown): value is WebResult {
  return typeof value === 'object' && value !== null && typeof (value as WebResult).statusCode === 'number';
}

/** An API Gateway HTTP API (v2) event for a request, as a Function URL would send it. */
export function httpApiEvent(method: string, url: string, headers: Record<string, string> = {}): Record<string, unknown> {
  const u = new URL(url, 'http://127.0.0.1');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: u.pathname,
    rawQueryString: u.search.slice(1),
    headers,
    queryStringParameters: u.search ? Object.fromEntries(u.searchParams) : undefined,
    requestContext: { http: { method, path: u.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' } },
    isBase64Encoded: false,
  };
}

/**
 * A task set: the version served over HTTP on a loopback port. A thrown error
 * is a 500; while `healthy()` says no (the task is still starting) every
 * request gets a 503, which is also what fails its ALB health checks.
 */
export async function startTaskServer(invoke: VersionInvoke, version: string, healthy: () => boolean = () => true): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      await drain(req);
      if (!healthy()) {
        res.writeHead(503, { 'content-type': 'text/plain', 'x-app-version': version });
        res.end(req.method === 'HEAD' ? undefined : 'starting');
        return;
      }
      try {
        const result = await invoke(httpApiEvent(req.method ?? 'GET', req.url ?? '/', flatHeaders(req)));
        const web: WebResult = isWebResult(result) ? result : { statusCode: 200, body: JSON.stringify(result ?? null) };
        res.writeHead(web.statusCode, { ...(web.headers ?? {}), 'x-app-version': version });
        res.end(req.method === 'HEAD' ? undefined : (web.body ?? ''));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json', 'x-app-version': version });
        res.end(JSON.stringify({ message: err instanceof Error ? err.message : String(err) }));
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  return { server, port, close: () => closeServer(server) };
}

export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on('data', () => undefined);
    req.on('end', resolve);
    req.on('error', () => resolve());
  });
}

/** Listens on 127.0.0.1:port; EADDRINUSE and friends reject with the system error. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
