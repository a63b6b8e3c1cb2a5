/**
 * Secrets must not reach the verdict log through the http check: not from the
 * URL (query values, userinfo), a redirect's Location, an encoded echo of a
 * secret header in the response body, nor a secret cut in half by a clip.
 * Each test serializes everything the check hands the verdict (its name and
 * outcome) and searches it for the secret.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { http, type HttpOptions } from '../../../src/checks/http.js';
import { checkContext, lambdaHook } from './helpers.js';

const servers: Server[] = [];
const agents: Agent[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const a of agents.splice(0)) await a.destroy();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** Runs the check and returns everything it puts in the verdict, serialized. */
async function logged(options: HttpOptions): Promise<{ text: string; reason: string; details: Record<string, unknown> }> {
  const agent = new Agent();
  agents.push(agent);
  const check = http({ requestTimeoutMs: 5000, ...options, dispatcher: agent });
  const outcome = await check.run(checkContext(lambdaHook()));
  expect(outcome.state).toBe('failed');
  return { text: JSON.stringify({ name: check.name, ...outcome }), reason: outcome.reason, details: outcome.details ?? {} };
}

describe('Function: http redaction (loopback servers)', () => {
  it('never shows query values of the URL, and hides echoes of secret-named ones', async () => {
    const base = await serve((req, res) => res.writeHead(503).end(`cannot serve ${req.url}`));
    const signature = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const { text, reason } = await logged({
      url: `${base}/health?token=QUERYSECRET123&X-Amz-Signature=${signature}&region=eu-west-1`,
    });
    expect(text).not.toContain('QUERYSECRET123');
    expect(text).not.toContain(signature);
    expect(reason).toContain(`GET ${base}/health?token=***&X-Amz-Signature=***&region=***`);
  });

  it('never shows the userinfo of a URL', async () => {
    const base = await serve((_req, res) => res.writeHead(500).end('down'));
    const { text, reason } = await logged({ url: base.replace('http://', 'http://deployer:USERINFOPASS99@') + '/health' });
    expect(text).not.toContain('USERINFOPASS99');
    expect(text).not.toContain('deployer');
    expect(reason).toContain(`GET ${base.replace('http://', 'http://***@')}/health`);
  });

  it('hides a token in a redirect Location, followed or not', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/login') res.writeHead(302, { location: '/callback?token=LOCATIONSECRET77' }).end();
      else if (req.url === '/sso') res.writeHead(302, { location: `http://127.0.0.1:${req.socket.localPort}/done#access_token=FRAGMENTSECRET88` }).end();
      else res.writeHead(500).end(`failed at ${req.url}`);
    });
    const notFollowed = await logged({ url: `${base}/login` });
    expect(notFollowed.text).not.toContain('LOCATIONSECRET77');
    expect(notFollowed.reason).toContain('(redirect to /callback?token=*** not followed');

    const followed = await logged({ url: `${base}/login`, followRedirects: true });
    expect(followed.text).not.toContain('LOCATIONSECRET77');
    expect(followed.details.redirects).toEqual([`302 ${base}/callback?token=***`]);

    const fragment = await logged({ url: `${base}/sso`, followRedirects: true });
    expect(fragment.text).not.toContain('FRAGMENTSECRET88');
  });

  it('hides encoded echoes of a secret header in the body', async () => {
    const token = 's3cr3t/t0k+n=v@lue';
    const password = 'B4sicPassw0rd!';
    const base = await serve((req, res) => {
      const auth = String(req.headers.authorization);
      const basic = Buffer.from(String(req.headers['x-upstream-auth']).replace(/^Basic /, ''), 'base64').toString();
      res.writeHead(401).end(
        `denied ${encodeURIComponent(auth)} token=${auth.replace(/^Bearer /, '')} form=${new URLSearchParams({ t: auth })} ` +
          `json=${JSON.stringify({ auth })} basic=${basic}`,
      );
    });
    const { text } = await logged({
      url: `${base}/me`,
      headers: { authorization: `Bearer ${token}`, 'x-upstream-auth': { value: `Basic ${Buffer.from(`svc:${password}`).toString('base64')}`, secret: true } },
      expect: { bodyContains: 'welcome' },
    });
    for (const leak of [token, encodeURIComponent(token), new URLSearchParams({ t: token }).toString().slice(2), password]) {
      expect(text).not.toContain(leak);
    }
  });

  it('redacts a secret that straddles the clip of the reason or of the details body', async () => {
    const secret = 'STRADDLESECRET-0123456789';
    // The reason clips the body at 200 characters, the details at 500: the secret starts 10 before each.
    const body = `${'x'.repeat(190)}${secret}${'y'.repeat(490 - 190 - secret.length)}${secret}${'z'.repeat(100)}`;
    const base = await serve((_req, res) => res.writeHead(200).end(body));
    const { text } = await logged({
      url: `${base}/echo`,
      headers: { 'x-api-key': secret },
      expect: { bodyContains: 'welcome' },
    });
    expect(text).not.toContain(secret.slice(0, 6));
  });
});
