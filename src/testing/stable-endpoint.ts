/**
 * One loopback address for the whole test process that forwards to the
 * emulator of the runHook call in progress. A hook keeps its SDK clients
 * between invocations (as a warm Lambda does), so a client made in one test
 * would otherwise keep pointing at the previous test's, closed, emulator.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

let server: Server | undefined;
let url: string | undefined;
let target: number | undefined;

/** Starts the forwarder once; returns its URL. It never keeps the process alive. */
export async function stableEndpoint(): Promise<string> {
  if (url) return url;
  server = createServer((req, res) => {
    if (target === undefined) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('codedeploy-hooks/testing: no runHook call is in progress');
      req.resume();
      return;
    }
    const upstream = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('emulator unavailable');
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return url;
}

/** Points the forwarder at an emulator port (undefined: none). */
export function forwardTo(port: number | undefined): void {
  target = port;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every earlier call has finished: runHook calls share the forwarder and process.env. */
export function serially<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}
