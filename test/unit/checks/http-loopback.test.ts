/**
 * The http check against real servers on 127.0.0.1: timeouts, slow and
 * oversized bodies, redirects, resets, socket hygiene and TLS verification.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../../src/checks/http.js';
import { checkContext, lambdaHook } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
let agent: Agent;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function serve(handler: Handler): Promise<string> {
  return `http://${await listen(createServer(handler))}`;
}

const ctx = () => checkContext(lambdaHook());

afterEach(async () => {
  await agent?.destroy();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('Function: http (loopback servers)', () => {
  it('fails a server that never answers within requestTimeoutMs', async () => {
    const base = await serve(() => undefined);
    agent = new Agent();
    const started = Date.now();
    const outcome = await http({ url: `${base}/hang`, requestTimeoutMs: 100, dispatcher: agent }).run(ctx());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(new RegExp(`^GET ${base}/hang: (no complete response|no response headers) within 100 ms$`));
  });

  it('fails a body that keeps dripping past the per-request limit, and closes the connection', async () => {
    let closed = false;
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => {
        clearInterval(timer);
        closed = true;
      });
    });
    agent = new Agent();
    const outcome = await http({ url: `${base}/drip`, requestTimeoutMs: 150, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET ${base}/drip: no complete response within 150 ms` });
    await expect.poll(() => closed, { timeout: 2000 }).toBe(true);
  });

  it('fails an oversized streamed body at the cap and destroys the stream', async () => {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const base = await serve((_req, res) => {
      res.writeHead(200); // chunked, no content-length: the cap must hold while reading
      res.on('close', () => (closed = true));
      const pump = () => {
        while (written < 8 * 1024 * 1024 && !closed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    agent = new Agent();
    const outcome = await http({ url: `${base}/big`, maxBodyBytes: 100_000, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET ${base}/big: body larger than 100000 bytes` });
    await expect.poll(() => closed, { timeout: 2000 }).toBe(true);
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('follows real redirects when asked', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end('moving');
      else res.writeHead(200).end(`final ${req.url}`);
    });
    agent = new Agent();
    const outcome = await http({ url: `${base}/a`, followRedirects: true, expect: { bodyContains: 'final /b' }, dispatcher: agent }).run(ctx());
    expect(outcome.state).toBe('passed');
    expect(outcome.details).toMatchObject({ url: `${base}/b`, redirects: [`302 ${base}/b`] });
  });

  it('reports a connection reset', async () => {
    const base = await serve((req) => req.socket.destroy());
    agent = new Agent();
    const outcome = await http({ url: `${base}/reset`, dispatcher: agent }).run(ctx());
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(new RegExp(`^GET ${base}/reset: connection (reset|closed) by the server`));
  });

  it('reports a refused connection', async () => {
    const server = createServer();
    const host = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    agent = new Agent();
    const outcome = await http({ url: `http://${host}/`, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET http://${host}/: connection refused` });
  });

  it('consumes or destroys every body: a suite passes on a single-connection agent', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/redirect') res.writeHead(301, { location: '/ok' }).end('x'.repeat(10_000));
      else if (req.url === '/big') res.writeHead(200).end('y'.repeat(50_000));
      else if (req.url === '/fail') res.writeHead(500).end('z'.repeat(10_000));
      else res.writeHead(200).end(`host=${req.headers.host}`);
    });
    agent = new Agent({ connections: 1 });
    const outcome = await http({
      baseUrl: base,
      followRedirects: true,
      maxBodyBytes: 20_000,
      requestTimeoutMs: 2000,
      hostHeader: 'shop.example.com',
      requests: [
        { path: '/redirect' },
        { path: '/big' },
        { path: '/fail', expect: { status: 500 } },
        { path: '/fail' },
        { path: '/ok', expect: { bodyContains: 'host=shop.example.com' } },
      ],
      dispatcher: agent,
    }).run(ctx());
    const requests = outcome.details?.requests as { state: string; reason?: string }[];
    expect(requests.map((r) => r.state)).toEqual(['passed', 'failed', 'passed', 'failed', 'passed']);
    expect(requests[1]?.reason).toBe(`GET ${base}/big: body larger than 20000 bytes`);
    expect(requests[3]?.reason).toBe(`expected status 2xx, got 500 from GET ${base}/fail`);
  });
});

const execFileAsync = promisify(execFile);

async function haveOpenssl(): Promise<boolean> {
  try {
    await execFileAsync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

const opensslPresent = await haveOpenssl();
if (!opensslPresent && process.env.CI === 'true') {
  throw new Error('openssl is required for the TLS tests in CI (install the openssl package)');
}
if (!opensslPresent) console.warn('skipping TLS tests: install openssl to run them');

describe.skipIf(!opensslPresent)('Function: http TLS verification (self-signed loopback server)', () => {
  let dir: string;
  let cert: string;
  let key: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdh-tls-'));
    await execFileAsync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ]);
    cert = await readFile(join(dir, 'cert.pem'), 'utf8');
    key = await readFile(join(dir, 'key.pem'), 'utf8');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function serveTls(): Promise<string> {
    const server = createHttpsServer({ cert, key }, (_req, res) => res.writeHead(200).end('secure'));
    return `https://${await listen(server)}`;
  }

  it('fails verification of a self-signed certificate by default', async () => {
    const base = await serveTls();
    const outcome = await http({ url: `${base}/`, requestTimeoutMs: 2000 }).run(ctx());
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(/TLS verification failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
    expect(outcome.reason).toContain('ca option');
  });

  it('passes when the certificate is given as ca', async () => {
    const base = await serveTls();
    const outcome = await http({ url: `${base}/`, ca: cert, expect: { bodyContains: 'secure' } }).run(ctx());
    expect(outcome.state).toBe('passed');
  });

  it('still fails a self-signed certificate with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const base = await serveTls();
    vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
    const outcome = await http({ url: `${base}/`, requestTimeoutMs: 2000 }).run(ctx());
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(/TLS verification failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
  });

  it('still fails a self-signed certificate when other code installed an insecure global dispatcher', async () => {
    const base = await serveTls();
    const previous = getGlobalDispatcher();
    const insecure = new Agent({ connect: { rejectUnauthorized: false } });
    setGlobalDispatcher(insecure);
    try {
      const outcome = await http({ url: `${base}/`, requestTimeoutMs: 2000 }).run(ctx());
      expect(outcome.state).toBe('failed');
      expect(outcome.reason).toContain('TLS verification failed');
    } finally {
      setGlobalDispatcher(previous);
      await insecure.destroy();
    }
  });

  it('refuses to run a user dispatcher while NODE_TLS_REJECT_UNAUTHORIZED=0, naming the variable', async () => {
    const base = await serveTls();
    vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
    agent = new Agent();
    const outcome = await http({ url: `${base}/`, requestTimeoutMs: 2000, dispatcher: agent }).run(ctx());
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toMatch(/^http: NODE_TLS_REJECT_UNAUTHORIZED=0 .*dispatcher/);
  });
});
