import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AwsServiceError } from '../state/aws-error.js';
import { World } from '../state/world.js';
import type { RecordedRequest } from '../state/world.js';
import { decodeBody, tooLarge } from './content-encoding.js';
import { FaultInjector } from './faults.js';
import { SERVICE_ERRORS, route } from './protocols.js';
import type { Reply, Route } from './protocols.js';

/**
 * The emulated AWS endpoint: one loopback HTTP server for CodeDeploy,
 * CloudWatch, CloudWatch Logs, Lambda and ELBv2, dispatching on X-Amz-Target, path or form
 * Action/Version. Signatures are not checked.
 */

export interface EmulatorOptions {
  world?: World;
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Evaluate metric alarms on this real-time interval (ms). Off by default: the
   * simulator evaluates them itself on its scaled clock. The standalone emulator
   * and the testing helpers turn it on so alarms follow the metrics put to them.
   */
  evaluateAlarmsEveryMs?: number;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`: the value for AWS_ENDPOINT_URL / `endpoint`. */
  url: string;
  port: number;
  world: World;
  faults: FaultInjector;
  /** Every request served (same array as world.requests). */
  calls: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_BODY = 6 * 1024 * 1024;

/** Error with `code` 'EADDRINUSE' (or the listen error's code) and the port in the message. */
export class EmulatorListenError extends Error {
  readonly code: string;
  readonly port: number;
  constructor(port: number, code: string, cause: unknown) {
    super(code === 'EADDRINUSE'
      ? `port ${port} on 127.0.0.1 is already in use; choose another port (or 0 for a random one)`
      : `cannot listen on 127.0.0.1:${port}: ${code}`, { cause });
    this.name = 'EmulatorListenError';
    this.code = code;
    this.port = port;
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const world = opts.world ?? new World();
  const faults = new FaultInjector();
  const sockets = new Set<Socket>();
  const pending = new Set<() => void>();
  let closing = false;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // Last resort: the emulator must never crash on a request.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: `emulator error: ${(err as Error).message}` }));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const call = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
    let body: string;
    try {
      const raw = await readBody(req);
      if (raw === undefined) throw tooLarge(MAX_BODY);
      body = (await decodeBody(raw, header(req, 'content-encoding'), MAX_BODY)).toString('utf8');
    } catch (err) {
      if (!(err instanceof AwsServiceError)) throw err;
      // Unreadable body: answer in the caller's protocol (XML for query clients), judged from the headers alone.
      const r = route({ ...call, body: '' });
      world.recordRequest({ service: r.service, operation: r.operation, time: world.now(), status: err.status, errorCode: err.code });
      send(res, r.error(err));
      return;
    }
    const r: Route = route({ ...call, body });
    const record = world.recordRequest({ service: r.service, operation: r.operation, time: world.now() });

    const fault = r.service === 'unknown' ? undefined : faults.take(r.service, r.operation);
    if (fault) {
      record.errorCode = `fault:${fault.kind}`;
      const errs = SERVICE_ERRORS[fault.service];
      switch (fault.kind) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          await new Promise<void>((resolve) => {
            pending.add(resolve);
            req.socket.once('close', () => { pending.delete(resolve); resolve(); });
          });
          if (!res.writableEnded) res.destroy();
          return;
        case 'delay':
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => { pending.delete(done); resolve(); }, fault.delayMs ?? 1000);
            const done = (): void => { clearTimeout(t); resolve(); };
            pending.add(done);
          });
          if (closing) return;
          delete record.errorCode;
          break;
        case 'throttle':
        case '500':
        case '503': {
          const [code, status] = fault.kind === 'throttle' ? errs.throttle : fault.kind === '500' ? errs.e500 : errs.e503;
          const reply = r.error(new AwsServiceError(code, fault.kind === 'throttle' ? 'Rate exceeded' : `injected ${fault.kind} fault`, status, false));
          record.status = reply.status;
          record.errorCode = code;
          send(res, reply);
          return;
        }
      }
    }

    let reply: Reply;
    try {
      reply = await r.run(world);
    } catch (err) {
      const e = err instanceof AwsServiceError ? err : new AwsServiceError(r.service === 'cloudwatch' ? 'InternalServiceError' : 'InternalFailure', `emulator error: ${(err as Error)?.message ?? String(err)}`, 500);
      reply = r.error(e);
      record.errorCode = e.code;
    }
    record.status = reply.status;
    send(res, reply);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(new EmulatorListenError(opts.port ?? 0, err.code ?? 'UNKNOWN', err));
    server.once('error', onError);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const evaluator = opts.evaluateAlarmsEveryMs ? setInterval(() => world.cloudWatch.evaluateAlarms(), opts.evaluateAlarmsEveryMs) : undefined;
  evaluator?.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    world,
    faults,
    calls: world.requests,
    async close() {
      closing = true;
      if (evaluator) clearInterval(evaluator);
      for (const release of [...pending]) release();
      pending.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Reads the whole (still encoded) body; undefined when it exceeds MAX_BODY. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
