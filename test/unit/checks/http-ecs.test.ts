import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { http } from '../../../src/checks/http.js';
import { jsonDifferences } from '../../../src/checks/http/compare.js';
import { resolveListener } from '../../../src/checks/listeners.js';
import { checkContext, ecsHook, LOAD_BALANCER, PROD_LISTENER, TEST_LISTENER } from './helpers.js';

const elbMock = mockClient(ElasticLoadBalancingV2Client);
const DNS = 'web-123456.us-east-1.elb.amazonaws.com';
const BLUE = `https://${DNS}`; // production: HTTPS 443
const GREEN = `http://${DNS}:8080`; // test: HTTP 8080
let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  elbMock.on(DescribeListenersCommand, { ListenerArns: [PROD_LISTENER] }).resolves({
    Listeners: [{ ListenerArn: PROD_LISTENER, LoadBalancerArn: LOAD_BALANCER, Port: 443, Protocol: 'HTTPS' }],
  });
  elbMock.on(DescribeListenersCommand, { ListenerArns: [TEST_LISTENER] }).resolves({
    Listeners: [{ ListenerArn: TEST_LISTENER, LoadBalancerArn: LOAD_BALANCER, Port: 8080, Protocol: 'HTTP' }],
  });
  elbMock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: LOAD_BALANCER, DNSName: DNS }] });
});

afterEach(async () => {
  elbMock.reset();
  agent.assertNoPendingInterceptors();
  await agent.close();
});

const ctx = (hook = ecsHook()) => checkContext(hook, { clients: { elbv2: new ElasticLoadBalancingV2Client({}) } });

describe('Function: http on ECS (listener resolution)', () => {
  it('calls the test listener during AfterAllowTestTraffic', async () => {
    agent.get(GREEN).intercept({ path: '/health', headers: { host: 'shop.example.com' } }).reply(200, 'green');
    const outcome = await http({ path: '/health', hostHeader: 'shop.example.com', dispatcher: agent, expect: { bodyContains: 'green' } }).run(ctx());
    expect(outcome.state).toBe('passed');
    expect(outcome.details?.listener).toEqual({ role: 'test', baseUrl: GREEN, listenerArn: TEST_LISTENER, protocol: 'HTTP', port: 8080 });
    expect(elbMock).toHaveReceivedCommandWith(DescribeListenersCommand, { ListenerArns: [TEST_LISTENER] });
    expect(elbMock).toHaveReceivedCommandWith(DescribeLoadBalancersCommand, { LoadBalancerArns: [LOAD_BALANCER] });
  });

  it('calls the production listener in other lifecycle events, and when told to', async () => {
    agent.get(BLUE).intercept({ path: '/' }).reply(200, 'blue').times(2);
    const after = await http({ dispatcher: agent }).run(ctx(ecsHook({ lifecycleEvent: 'AfterAllowTraffic' })));
    expect(after.state).toBe('passed');
    expect(after.details?.url).toBe(`${BLUE}/`);
    const forced = await http({ listener: 'production', dispatcher: agent }).run(ctx());
    expect(forced.details?.url).toBe(`${BLUE}/`);
    expect(elbMock).not.toHaveReceivedCommandWith(DescribeListenersCommand, { ListenerArns: [TEST_LISTENER] });
  });

  it('returns error when the deployment group has no test listener', async () => {
    const outcome = await http({ dispatcher: agent }).run(ctx(ecsHook({ testListenerArns: [] })));
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toBe(
      'http: cannot resolve the base URL: the deployment group has no test listener; configure a test listener on the deployment group, set listener: production, or give url',
    );
    expect(elbMock.calls()).toHaveLength(0);
  });

  it('returns error with an IAM hint when DescribeListeners is denied', async () => {
    elbMock.on(DescribeListenersCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const outcome = await http({ dispatcher: agent }).run(ctx());
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain(`DescribeListeners for the test listener ${TEST_LISTENER} failed: AccessDenied: not authorized`);
    expect(outcome.reason).toContain('elasticloadbalancing:DescribeListeners');
  });

  it('returns error when the load balancer has no DNS name', async () => {
    elbMock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
    const outcome = await http({ dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'error', reason: `http: cannot resolve the base URL: DescribeLoadBalancers returned no DNS name for ${LOAD_BALANCER}` });
  });

  it('does not resolve a listener when a url is given', async () => {
    agent.get('https://x.example.test').intercept({ path: '/' }).reply(200, '');
    expect((await http({ url: 'https://x.example.test/', dispatcher: agent }).run(ctx())).state).toBe('passed');
    expect(elbMock.calls()).toHaveLength(0);
  });
});

describe('Function: resolveListener', () => {
  it.each([
    ['HTTP', 80, `http://${DNS}`],
    ['HTTPS', 8443, `https://${DNS}:8443`],
    ['TLS', 443, `https://${DNS}`],
    ['TCP', 8080, `http://${DNS}:8080`],
  ])('maps %s on port %i to %s', async (protocol, port, baseUrl) => {
    elbMock.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: PROD_LISTENER, LoadBalancerArn: LOAD_BALANCER, Port: port, Protocol: protocol as 'HTTP' }] });
    const resolved = await resolveListener(ctx(), 'production');
    expect(resolved).toMatchObject({ role: 'production', baseUrl, port, protocol, dnsName: DNS, loadBalancerArn: LOAD_BALANCER });
  });

  it('passes the check signal to ELBv2', async () => {
    const controller = new AbortController();
    await resolveListener(checkContext(ecsHook(), { clients: { elbv2: new ElasticLoadBalancingV2Client({}) }, signal: controller.signal }), 'test');
    for (const call of elbMock.calls()) expect((call.args as unknown[])[1]).toMatchObject({ abortSignal: controller.signal });
    expect(elbMock.calls()).toHaveLength(2);
  });
});

describe('Function: http compare (blue vs green)', () => {
  const body = (ts: number, price = 10) => ({ version: 'v', requestId: `r-${ts}`, items: [{ id: 1, price, updatedAt: ts }] });

  it('passes when green matches blue except for ignored fields', async () => {
    agent.get(BLUE).intercept({ path: '/api/items', headers: { host: 'shop.example.com' } }).reply(200, body(1));
    agent.get(GREEN).intercept({ path: '/api/items', headers: { host: 'shop.example.com' } }).reply(200, body(2));
    const outcome = await http({
      path: '/api/items',
      hostHeader: 'shop.example.com',
      compare: { ignoreFields: ['requestId', 'items.*.updatedAt'] },
      dispatcher: agent,
    }).run(ctx());
    expect(outcome.state).toBe('passed');
    expect(outcome.reason).toBe('green matches blue on 1 request(s)');
    expect(outcome.details).toMatchObject({ mode: 'compare', listeners: { blue: { baseUrl: BLUE }, green: { baseUrl: GREEN } } });
  });

  it('fails with the first differences of status and JSON body', async () => {
    agent.get(BLUE).intercept({ path: '/a' }).reply(200, body(1, 10));
    agent.get(GREEN).intercept({ path: '/a' }).reply(200, body(1, 12));
    agent.get(BLUE).intercept({ path: '/b' }).reply(200, 'ok');
    agent.get(GREEN).intercept({ path: '/b' }).reply(500, 'ok');
    const outcome = await http({ requests: [{ path: '/a' }, { path: '/b' }], compare: { ignoreFields: ['requestId'] }, dispatcher: agent }).run(ctx());
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toBe('2 of 2 requests: green differs from blue on GET /a: $.items.0.price: blue 10, green 12');
    const requests = outcome.details?.requests as { differences: string[] }[];
    expect(requests[1]?.differences).toEqual(['status: blue 200, green 500']);
  });

  it('fails when green cannot be reached but blue can', async () => {
    agent.get(BLUE).intercept({ path: '/' }).reply(200, '{}');
    agent.get(GREEN).intercept({ path: '/' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    const outcome = await http({ compare: {}, dispatcher: agent }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: '1 of 1 requests: green differs from blue on GET /: blue status 200, green connection reset by the server' });
  });
});

describe('Function: jsonDifferences', () => {
  it('lists additions, removals, length and value changes with dot paths', () => {
    expect(jsonDifferences({ a: 1, b: [1, 2], c: { d: 'x' } }, { a: 2, b: [1], c: {}, e: null }, [])).toEqual([
      '$.a: blue 1, green 2',
      '$.b: blue has 2 items, green 1',
      '$.c.d: only in blue',
      '$.e: only in green',
    ]);
  });

  it('honours wildcards and the limit', () => {
    expect(jsonDifferences({ x: [{ t: 1 }, { t: 2 }] }, { x: [{ t: 3 }, { t: 4 }] }, ['x.*.t'])).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    expect(jsonDifferences(many, {}, [], 3)).toHaveLength(3);
  });

  it('says that secret-named fields differ without showing their values', () => {
    const diffs = jsonDifferences({ session: { accessToken: 'blue-tok-1' }, n: 1 }, { session: { accessToken: 'green-tok-2' }, n: 1 }, []);
    expect(diffs).toEqual(['$.session.accessToken: blue and green differ (values hidden: the name looks secret)']);
  });
});
