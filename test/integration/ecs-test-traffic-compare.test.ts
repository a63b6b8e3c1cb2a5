/**
 * The ECS test-traffic hook's blue/green comparison, switched on by the
 * environment alone (CODEDEPLOY_HOOKS_HTTP_COMPARE=true, as the README shows),
 * run in the emulator: the same requests go through the production listener
 * (blue) and the test listener (green) and the answers are compared.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHook, type TestEnvironment } from '../../src/testing/index.js';
import { handler as ecsTestTraffic } from '../../hooks/ecs-test-traffic.js';
import { handler as app } from '../../examples/app/handler.js';

const COMPARE = 'blue/green answers match';
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/**
 * Makes the test listener route to a green task set that answers as the example
 * app does, except that every item of /items is out of stock: the smoke suite
 * (status 200, body contains "canary") still passes, only the comparison can tell.
 */
async function greenOutOfStock(env: TestEnvironment): Promise<void> {
  const server = createServer((req, res) => {
    void app({ method: req.method, path: req.url?.split('?')[0] }).then((r) => {
      const body = req.url === '/items' ? JSON.stringify({ items: (JSON.parse(r.body) as { items: object[] }).items.map((i) => ({ ...i, stock: 0 })) }) : r.body;
      res.writeHead(r.statusCode, r.headers);
      res.end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env.net!.test.setTarget({ label: 'Green', port: (server.address() as AddressInfo).port, targetGroupDimension: env.setup.ecs!.greenTargetGroupDimension });
}

/** A green task set that answers 503 to its first two requests (tasks still starting), then as the example app. */
async function greenStartingSlowly(env: TestEnvironment): Promise<void> {
  let seen = 0;
  const server = createServer((req, res) => {
    if (++seen <= 2) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('starting');
      return;
    }
    void app({ method: req.method, path: req.url?.split('?')[0] }).then((r) => {
      res.writeHead(r.statusCode, r.headers);
      res.end(r.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env.net!.test.setTarget({ label: 'Green', port: (server.address() as AddressInfo).port, targetGroupDimension: env.setup.ecs!.greenTargetGroupDimension });
}

const run = (env: Record<string, string>, before?: (e: TestEnvironment) => Promise<void>) =>
  runHook(ecsTestTraffic, { scenario: 'ecs-bluegreen-healthy', lifecycleEvent: 'AfterAllowTestTraffic', env: { CODEDEPLOY_HOOKS_HTTP_COMPARE: 'true', ...env }, ...(before ? { before } : {}) });

describe('ecs-test-traffic with CODEDEPLOY_HOOKS_HTTP_COMPARE=true', () => {
  it('compares every request of the suite on the production and the test listener, and succeeds when they agree', async () => {
    const r = await run({});
    expect(r.reportedStatus, r.verdict?.reason).toBe('Succeeded');
    const compare = r.verdict?.checks.find((c) => c.name === COMPARE);
    expect(compare?.state, compare?.reason).toBe('passed');
    expect(compare?.reason).toBe('green matches blue on 2 request(s)');
    const details = compare?.details as { mode: string; listeners: Record<string, { role: string; port: number }>; requests: { name: string; blue: { url: string; status: number }; green: { url: string; status: number } }[] };
    expect(details.mode).toBe('compare');
    // Blue is the production listener, green the test listener: two different loopback ports.
    expect(details.listeners.blue!.role).toBe('production');
    expect(details.listeners.green!.role).toBe('test');
    expect(details.listeners.blue!.port).not.toBe(details.listeners.green!.port);
    expect(details.requests.map((q) => [q.name, q.blue.status, q.green.status])).toEqual([
      ['GET /health', 200, 200],
      ['GET /items', 200, 200],
    ]);
    expect(details.requests[1]!.blue.url).toContain(`:${details.listeners.blue!.port}/items`);
    expect(details.requests[1]!.green.url).toContain(`:${details.listeners.green!.port}/items`);
  });

  it('fails when green answers differently from blue, naming the field, although the smoke suite passes', async () => {
    const r = await run({}, greenOutOfStock);
    expect(r.reportedStatus).toBe('Failed');
    expect(r.verdict?.checks.find((c) => c.name === 'smoke suite through the test listener')?.state).toBe('passed');
    const compare = r.verdict?.checks.find((c) => c.name === COMPARE);
    expect(compare?.state).toBe('failed');
    expect(compare?.reason).toContain('green differs from blue on GET /items: $.items.0.stock: blue 10, green 0');
  });

  it('compares only after the smoke suite saw the green tasks healthy', async () => {
    // Run alongside the smoke suite, the comparison would meet one of the two 503s and fail.
    const r = await run({ CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS: '20000' }, greenStartingSlowly);
    expect(r.reportedStatus, r.verdict?.reason).toBe('Succeeded');
    expect(r.verdict?.checks.map((c) => [c.name, c.state])).toEqual([
      ['test listener serves the new task set', 'passed'],
      ['smoke suite through the test listener', 'passed'],
      [COMPARE, 'passed'],
      ['deployment-group alarms not firing', 'passed'],
    ]);
  });

  it('ignores the fields named in CODEDEPLOY_HOOKS_HTTP_COMPARE_IGNORE_FIELDS', async () => {
    const r = await run({ CODEDEPLOY_HOOKS_HTTP_COMPARE_IGNORE_FIELDS: 'items.*.stock' }, greenOutOfStock);
    expect(r.reportedStatus, r.verdict?.reason).toBe('Succeeded');
    expect(r.verdict?.checks.find((c) => c.name === COMPARE)?.state).toBe('passed');
  });
});
