/**
 * The two servers the backend conformance suites run against: the project's
 * emulator, and moto_server (whether it is installed, and a server on a free
 * loopback port, ready once `probe` answers).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startEmulator } from '../../src/simulator/emulator/index.js';

export const MOTO_INSTALL = "install moto's server (pip install 'moto[server]')";
export const motoAvailable = spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 20_000 }).status === 0;

export interface Backend {
  name: string;
  /** Set when the backend is not installed: what to install. */
  missing?: string;
  start(): Promise<{ url: string; stop(): Promise<void> }>;
}

export const emulatorBackend: Backend = {
  name: 'emulator',
  async start() {
    const emu = await startEmulator({ port: 0 });
    return { url: emu.url, stop: () => emu.close() };
  },
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto_server and waits (up to 20 s) until `probe(url)` resolves. */
export async function startMoto(probe: (url: string) => Promise<unknown>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      await probe(url);
      break;
    } catch (error) {
      if (Date.now() - started > 20_000) {
        child.kill();
        throw new Error(`moto_server did not answer on ${url} within 20 s`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** moto runs the suite when installed; elsewhere each test skips naming what to install, and fails under CI=true. */
export function motoBackend(probe: (url: string) => Promise<unknown>): Backend {
  const moto: Backend = { name: 'moto_server', start: () => startMoto(probe) };
  return motoAvailable ? moto : { ...moto, missing: MOTO_INSTALL };
}

export function skipWhenMissing(backend: Backend, ctx: { skip(note?: string): void }): void {
  if (!backend.missing) return;
  if (process.env.CI === 'true') throw new Error(`moto_server is missing (required when CI=true): ${backend.missing}`);
  ctx.skip(backend.missing);
}
