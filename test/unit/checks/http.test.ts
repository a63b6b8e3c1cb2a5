import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OptionsError } from '../../../src/errors.js';
import { http } from '../../../src/checks/http.js';
import { checkContext, lambdaHook } from './helpers.js';

const ORIGIN = 'https://api.example.test';
let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

const pool = () => agent.get(ORIGIN);
const ctx = (signal?: AbortSignal) => checkContext(lambdaHook(), signal ? { signal } : {});

describe('Function: http (MockAgent)', () => {
  it('passes a 2xx by default and names the request', async () => {
    pool().intercept({ path: '/health', method: 'GET' }).reply(200, 'ok');
    const check = http({ url: `${ORIGIN}/health`, dispatcher: agent });
    expect(check.name).toBe(`http GET ${ORIGIN}/health`);

    const outcome = await check.run(ctx());

    expect(outcome.state).toBe('passed');
    expect(outcome.reason).toMatch(/^GET https:\/\/api\.example\.test\/health returned 200 in [\d.]+ ms$/);
    expect(outcome.details).toMatchObject({ method: 'GET', url: `${ORIGIN}/health`, status: 200, attempts: 1, bytes: 2 });
  });

  it('fails with expected and actual status, the request, and no retry by default', async () => {
    pool().intercept({ path: '/health' }).reply(503, 'busy');
    const outcome = await http({ url: `${ORIGIN}/health`, expect: { status: 200 }, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `expected status 200, got 503 from GET ${ORIGIN}/health` });
    expect(outcome.details).toMatchObject({ attempts: 1, body: 'busy' });
  });

  it('retries until healthy within the wait budget and counts attempts', async () => {
    pool().intercept({ path: '/health' }).reply(503, 'starting').times(2);
    pool().intercept({ path: '/health' }).reply(200, 'ok');
    const outcome = await http({ url: `${ORIGIN}/health`, dispatcher: agent, waitUntilHealthyMs: 5000, retryIntervalMs: 5 }).run(ctx());
    expect(outcome.state).toBe('passed');
    expect(outcome.reason).toContain('(healthy after 3 attempts)');
    expect(outcome.details).toMatchObject({ attempts: 3 });
  });

  it('gives up when the wait budget ends, saying how many attempts were made', async () => {
    pool().intercept({ path: '/health' }).reply(503, 'down').persist();
    const started = Date.now();
    const outcome = await http({ url: `${ORIGIN}/health`, expect: { status: 200 }, dispatcher: agent, waitUntilHealthyMs: 60, retryIntervalMs: 10 }).run(ctx());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(new RegExp(`^expected status 200, got 503 from GET ${ORIGIN}/health after \\d+ attempts$`));
    expect(outcome.details?.attempts as number).toBeGreaterThanOrEqual(2);
  });

  it('stops retrying at the check deadline', async () => {
    pool().intercept({ path: '/health' }).reply(503, '').persist();
    const c = checkContext(lambdaHook(), { deadline: Date.now() + 30 });
    const started = Date.now();
    const outcome = await http({ url: `${ORIGIN}/health`, dispatcher: agent, waitUntilHealthyMs: 60_000, retryIntervalMs: 10 }).run(c);
    expect(outcome.state).toBe('failed');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sends method, JSON body, headers and the Host override', async () => {
    pool()
      .intercept({
        path: '/orders',
        method: 'POST',
        body: '{"id":1}',
        headers: { 'content-type': 'application/json', 'x-team': 'a', host: 'orders.example.com' },
      })
      .reply(201, { id: 1 });
    const outcome = await http({
      url: `${ORIGIN}/orders`,
      method: 'post',
      body: { id: 1 },
      headers: { 'X-Team': 'a' },
      hostHeader: 'orders.example.com',
      expect: { status: 201, json: { id: 1 } },
      dispatcher: agent,
    }).run(ctx());
    expect(outcome.state).toBe('passed');
  });

  it('redacts secret header values from reasons and details', async () => {
    pool()
      .intercept({ path: '/me', headers: { authorization: 'Bearer s3cr3t-token', 'x-api-key': 'k-123456' } })
      .reply(401, 'invalid token Bearer s3cr3t-token for key k-123456');
    const outcome = await http({
      url: `${ORIGIN}/me`,
      headers: { Authorization: { value: 'Bearer s3cr3t-token', secret: true }, 'x-api-key': 'k-123456', accept: 'text/plain' },
      secretHeaders: ['X-Api-Key'],
      expect: { bodyContains: 'welcome' },
      dispatcher: agent,
    }).run(ctx());
    expect(outcome.state).toBe('failed');
    const text = `${outcome.reason} ${JSON.stringify(outcome.details)}`;
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('k-123456');
    expect(outcome.reason).toContain('invalid token *** for key ***');
    expect(outcome.details?.requestHeaders).toEqual({ authorization: '***', 'x-api-key': '***', accept: 'text/plain' });
  });

  it('treats authorization, cookie and x-api-key as secret without being told', async () => {
    pool().intercept({ path: '/me' }).reply(403, 'no');
    const outcome = await http({ url: `${ORIGIN}/me`, headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=abcdef', 'x-trace': 'abc' }, dispatcher: agent }).run(ctx());
    expect(outcome.details?.requestHeaders).toEqual({ authorization: '***', cookie: '***', 'x-trace': 'abc' });
  });

  it('applies header, body and JSON expectations and a predicate', async () => {
    pool().intercept({ path: '/v' }).reply(200, { version: '2.0.1', ok: true }, { headers: { 'content-type': 'application/json', 'x-version': '2' } }).times(3);
    const pass = http({ url: `${ORIGIN}/v`, dispatcher: agent, expect: { headers: { 'content-type': /json/, 'x-version': '2' }, json: { ok: true }, bodyMatches: /2\.0\.\d/ } });
    expect((await pass.run(ctx())).state).toBe('passed');
    const json = await http({ url: `${ORIGIN}/v`, dispatcher: agent, expect: { json: { version: '2.0.2' } } }).run(ctx());
    expect(json.reason).toBe(`JSON body mismatch: $.version: expected "2.0.2", got "2.0.1" from GET ${ORIGIN}/v`);
    const predicate = await http({ url: `${ORIGIN}/v`, dispatcher: agent, expect: (r) => r.headers['x-version'] === '3' || `version header is ${r.headers['x-version']}` }).run(ctx());
    expect(predicate.reason).toBe(`version header is 2 from GET ${ORIGIN}/v`);
  });

  it('does not follow redirects unless asked, and says so', async () => {
    pool().intercept({ path: '/old' }).reply(302, 'moved', { headers: { location: '/new' } });
    const outcome = await http({ url: `${ORIGIN}/old`, dispatcher: agent }).run(ctx());
    expect(outcome.reason).toBe(`expected status 2xx, got 302 (redirect to /new not followed; set followRedirects: true to follow) from GET ${ORIGIN}/old`);
  });

  it('follows at most 5 redirects when asked, turning 303 into GET and dropping secrets across origins', async () => {
    pool().intercept({ path: '/submit', method: 'POST' }).reply(303, '', { headers: { location: 'https://other.example.test/done' } });
    agent
      .get('https://other.example.test')
      .intercept({ path: '/done', method: 'GET', headers: (h) => !('authorization' in h) && !('x-token' in h) && h.accept === 'text/plain' })
      .reply(200, 'done');
    const outcome = await http({
      url: `${ORIGIN}/submit`,
      method: 'POST',
      body: 'a=1',
      headers: { authorization: 'Basic abc', 'x-token': { value: 't', secret: true }, accept: 'text/plain' },
      followRedirects: true,
      dispatcher: agent,
    }).run(ctx());
    expect(outcome.state).toBe('passed');
    expect(outcome.details).toMatchObject({ url: 'https://other.example.test/done', redirects: ['303 https://other.example.test/done'] });

    for (let i = 0; i < 6; i++) pool().intercept({ path: `/r${i}` }).reply(301, '', { headers: { location: `/r${i + 1}` } });
    const loop = await http({ url: `${ORIGIN}/r0`, followRedirects: true, dispatcher: agent }).run(ctx());
    expect(loop.details?.redirects).toHaveLength(5);
    expect(loop).toMatchObject({ state: 'failed', reason: `GET ${ORIGIN}/r0: more than 5 redirects` });
  });

  it('fails a redirect to an unparsable location instead of throwing', async () => {
    pool().intercept({ path: '/bad' }).reply(302, '', { headers: { location: 'http://[' } });
    const outcome = await http({ url: `${ORIGIN}/bad`, followRedirects: true, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET ${ORIGIN}/bad: redirect to an invalid location "http://["` });
  });

  it('fails a declared oversized body without reading it', async () => {
    pool().intercept({ path: '/big' }).reply(200, 'x'.repeat(2048), { headers: { 'content-length': '2048' } });
    const outcome = await http({ url: `${ORIGIN}/big`, maxBodyBytes: 1024, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET ${ORIGIN}/big: body larger than 1024 bytes` });
  });

  it('reports a transport error as a failure with the request', async () => {
    pool().intercept({ path: '/x' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const outcome = await http({ url: `${ORIGIN}/x`, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET ${ORIGIN}/x: connection refused` });
  });

  it('aborts with the check signal', async () => {
    pool().intercept({ path: '/slow' }).reply(200, 'late').delay(500);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('check timed out after 20 ms')), 20);
    const outcome = await http({ url: `${ORIGIN}/slow`, dispatcher: agent }).run(ctx(controller.signal));
    expect(outcome).toMatchObject({ state: 'failed', reason: `GET ${ORIGIN}/slow: aborted: check timed out after 20 ms` });
  });

  it('runs a suite in order against a shared base URL with details per request', async () => {
    const order: string[] = [];
    pool().intercept({ path: '/api/a' }).reply(() => (order.push('a'), { statusCode: 200, data: 'a' }));
    pool().intercept({ path: '/api/b', method: 'DELETE' }).reply(() => (order.push('b'), { statusCode: 500, data: 'boom' }));
    pool().intercept({ path: '/api/c' }).reply(() => (order.push('c'), { statusCode: 204, data: '' }));
    const check = http({
      baseUrl: `${ORIGIN}/api/`,
      requests: [{ path: '/a', expect: { bodyContains: 'a' } }, { name: 'delete b', path: '/b', method: 'DELETE' }, { path: '/c', expect: { status: 204 } }],
      dispatcher: agent,
    });
    expect(check.name).toBe('http suite (3 requests)');
    const outcome = await check.run(ctx());
    expect(order).toEqual(['a', 'b', 'c']);
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toBe(`1 of 3 requests failed; first: expected status 2xx, got 500 from DELETE ${ORIGIN}/api/b`);
    const requests = outcome.details?.requests as { name: string; state: string }[];
    expect(requests.map((r) => [r.name, r.state])).toEqual([
      ['GET /a', 'passed'],
      ['delete b', 'failed'],
      ['GET /c', 'passed'],
    ]);
  });

  it('runs a load burst after the smoke request and reports figures', async () => {
    let n = 0;
    pool()
      .intercept({ path: '/q' })
      .reply(() => {
        n++;
        return { statusCode: n % 4 === 0 ? 500 : 200, data: 'x' };
      })
      .persist();
    const loose = await http({ url: `${ORIGIN}/q`, dispatcher: agent, load: { requests: 20, concurrency: 4, minSuccessRatio: 0.7 } }).run(ctx());
    expect(loose.state).toBe('passed');
    // The smoke request was #1; the load is #2..#21, of which #4, #8, ... #20 fail.
    expect(loose.details?.load).toMatchObject({ requests: 20, sent: 20, succeeded: 15, successRatio: 0.75 });
    expect(loose.details?.load).toHaveProperty('latency.p95Ms');

    n = 0;
    const strict = await http({ url: `${ORIGIN}/q`, dispatcher: agent, load: { requests: 20, concurrency: 4, minSuccessRatio: 0.9 } }).run(ctx());
    expect(strict.state).toBe('failed');
    expect(strict.reason).toBe(`load: 15/20 succeeded (ratio 0.75, required 0.9), p95 ${(strict.details?.load as { latency: { p95Ms: number } }).latency.p95Ms} ms; most common failure: expected status 2xx, got 500`);
  });

  it('fails a load burst on p95 latency', async () => {
    pool().intercept({ path: '/slow' }).reply(200, 'x').delay(40).persist();
    const outcome = await http({ url: `${ORIGIN}/slow`, dispatcher: agent, load: { requests: 4, concurrency: 4, minSuccessRatio: 1, maxP95Ms: 10 } }).run(ctx());
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(/^load: p95 latency [\d.]+ ms exceeds 10 ms/);
  });

  it('returns error, not a throw, on a Lambda deployment without url', async () => {
    const outcome = await http({ path: '/health' }).run(ctx());
    expect(outcome).toEqual({ state: 'error', reason: 'http: no url given and a Lambda deployment has no listener; set url or baseUrl' });
  });

  it('returns error for compare on a Lambda deployment', async () => {
    const outcome = await http({ compare: {} }).run(ctx());
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain('Lambda deployment has no production and test listeners');
  });

  it('copies the common options onto the check', () => {
    expect(http({ url: ORIGIN, name: 'front door', timeoutMs: 100, enforce: false, retry: { attempts: 2 } })).toMatchObject({
      name: 'front door',
      timeoutMs: 100,
      enforce: false,
      retry: { attempts: 2 },
    });
  });

  it.each([
    [{ insecure: true }, 'http.insecure'],
    [{ rejectUnauthorized: false }, 'http.rejectUnauthorized'],
    [{ url: 'ftp://x' }, 'http.url'],
    [{ url: '/relative' }, 'http.url'],
    [{ url: ORIGIN, baseUrl: ORIGIN }, 'http.baseUrl'],
    [{ method: 'GE T' }, 'http.method'],
    [{ expect: { status: 'abc' } }, 'http.expect.status'],
    [{ headers: { 'bad header': 'x' } }, 'http.headers.bad header'],
    [{ requests: [] }, 'http.requests'],
    [{ requests: [{ path: 'no-slash' }] }, 'http.requests[0].path'],
    [{ requests: [{ path: '/a', expect: { status: 1 } }] }, 'http.requests[0].expect.status'],
    [{ load: { requests: 10, concurrency: 0, minSuccessRatio: 1 } }, 'http.load.concurrency'],
    [{ load: { requests: 10, concurrency: 1, minSuccessRatio: 2 } }, 'http.load.minSuccessRatio'],
    [{ url: ORIGIN, compare: {} }, 'http.compare'],
    [{ compare: { ignoreFields: ['.a'] } }, 'http.compare.ignoreFields'],
    [{ compare: {}, requests: [{ path: '/a' }, { url: ORIGIN }] }, 'http.requests[1].url'],
    [{ ca: 'not a pem' }, 'http.ca'],
    [{ ca: '-----BEGIN CERTIFICATE-----x', dispatcher: new MockAgent() }, 'http.ca'],
    [{ listener: 'green' }, 'http.listener'],
    [{ requestTimeoutMs: 0 }, 'http.requestTimeoutMs'],
    [{ maxBodyBytes: 1.5 }, 'http.maxBodyBytes'],
    [{ followRedirect: true }, 'http.followRedirect'],
  ])('rejects %j at creation, naming %s', (options, field) => {
    let error: unknown;
    try {
      http(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).field).toBe(field);
  });

  it('explains why there is no insecure option', () => {
    expect(() => http({ url: ORIGIN, insecure: true } as never)).toThrow(/TLS verification cannot be turned off.*give the CA .* with `ca`/);
  });
});
