/**
 * A loopback HTTP(S) service the fault matrix controls: healthy, or failing in
 * one specific way (status 500, connection reset, no answer, a body that
 * trickles, a body too large, JSON that does not parse). The TLS variant uses
 * a self-signed certificate made with openssl at test time, so that a client
 * that verifies certificates (as the http check always does) must refuse it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TargetMode = 'ok' | '500' | 'reset' | 'hang' | 'slow-body' | 'oversized' | 'malformed-json' | 'slow-headers';

export interface Target {
  url: string;
  port: number;
  /** Requests received so far. */
  hits: number;
  close(): Promise<void>;
}

/** Self-signed certificate for 127.0.0.1, or undefined when openssl is not installed. */
export function selfSignedCert(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cdh-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore', timeout: 20_000 },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startTarget(mode: TargetMode, tls?: { key: Buffer; cert: Buffer }): Promise<Target> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { hits: 0 };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    state.hits++;
    req.resume();
    switch (mode) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, version: 'green' }));
        return;
      case '500':
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'database unavailable' }));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // never answers; the socket is destroyed on close()
      case 'slow-headers': {
        const t = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 5000);
        timers.add(t);
        return;
      }
      case 'slow-body': {
        // Headers at once, then one byte every 300 ms: the body never completes in time.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"ok":');
        const t = setInterval(() => res.write(' '), 300);
        timers.add(t);
        return;
      }
      case 'oversized':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"ok":true,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
        return;
      case 'malformed-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": tru');
        return;
    }
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A TLS client that refuses the certificate makes the server log errors; they are expected.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get hits() {
      return state.hits;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An "AWS endpoint" that answers every request 200 with `body` (malformed JSON or XML), for a single client. */
export async function startGarbageEndpoint(body: string, contentType: string): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server = createHttpServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': 'garbage' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An "AWS endpoint" that sends 200 and the start of a body, then one byte every 300 ms, never finishing. */
export async function startTrickleEndpoint(start: string, contentType: string): Promise<{ url: string; close(): Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createHttpServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': 'trickle' });
    res.write(start);
    const t = setInterval(() => res.write(' '), 300);
    timers.add(t);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
