import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsError } from '../../../src/errors.js';
import type { CheckContext } from '../../../src/types.js';
import { albEvent, apiGatewayHttpEvent, apiGatewayRestEvent, functionUrlEvent } from '../../../src/checks/events.js';
import { invokeTarget } from '../../../src/checks/invoke-target.js';
import { checkContext, ecsHook, lambdaHook } from './helpers.js';

const lambdaMock = mockClient(LambdaClient);
// The SDK returns Payload as a Uint8Array with transformToString; build the same shape.
const enc = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text });
};
const b64 = (text: string) => Buffer.from(text).toString('base64');
const sentPayload = (i = 0) => JSON.parse(new TextDecoder().decode(lambdaMock.commandCalls(InvokeCommand)[i]?.args[0].input.Payload as Uint8Array)) as Record<string, unknown>;

function ctx(hook: CheckContext['hook'] = lambdaHook(), signal?: AbortSignal) {
  return checkContext(hook, { clients: { lambda: new LambdaClient({}) }, ...(signal ? { signal } : {}) });
}

afterEach(() => {
  lambdaMock.reset();
});

describe('Function: invokeTarget', () => {
  it('invokes the target version of the deployment with a log tail and the check signal', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 200, body: '{"ok":true}' }) });
    const controller = new AbortController();
    const check = invokeTarget({ payload: apiGatewayRestEvent({ path: '/health' }), expect: { statusCode: 200, json: { ok: true } } });

    const outcome = await check.run(ctx(lambdaHook(), controller.signal));

    expect(outcome.state).toBe('passed');
    expect(outcome.reason).toBe('orders-api:5 returned (statusCode 200) as expected');
    expect(lambdaMock).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: 'orders-api', Qualifier: '5', LogType: 'Tail', InvocationType: 'RequestResponse' });
    expect((lambdaMock.commandCalls(InvokeCommand)[0]?.args as unknown[])[1]).toMatchObject({ abortSignal: controller.signal });
    expect(sentPayload()).toMatchObject({ httpMethod: 'GET', path: '/health' });
  });

  it('fails with the error message of a FunctionError and keeps the decoded log tail, capped', async () => {
    const log = `START RequestId: 1\n${'x'.repeat(200)}\nERROR TypeError: cannot read id\nEND RequestId: 1\n`;
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: '5',
      LogResult: b64(log),
      Payload: enc({ errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'id')", trace: [] }),
    });

    const outcome = await invokeTarget({ maxLogChars: 64 }).run(ctx());

    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toBe("orders-api:5 returned a function error: TypeError: Cannot read properties of undefined (reading 'id')");
    const tail = outcome.details?.logTail as string;
    expect(tail.endsWith('END RequestId: 1\n')).toBe(true);
    expect(tail.length).toBeLessThanOrEqual(65);
    expect(tail).toContain('ERROR TypeError');
    expect(outcome.details?.functionError).toBe('Unhandled');
  });

  it('fails when another version executed than the one requested', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '4', Payload: enc({}) });
    const outcome = await invokeTarget().run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: 'invoked orders-api:5 but version 4 executed' });
  });

  it('does not compare ExecutedVersion when the qualifier is an alias', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '4', Payload: enc({}) });
    const outcome = await invokeTarget({ qualifier: 'live' }).run(ctx());
    expect(outcome.state).toBe('passed');
    expect(outcome.details?.executedVersion).toBe('4');
  });

  it('returns error on an ECS deployment without functionName, and invokes an explicit function there', async () => {
    const outcome = await invokeTarget().run(ctx(ecsHook()));
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain('ECS deployment, which has no Lambda function to invoke; set functionName');
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);

    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: enc('null') });
    const explicit = await invokeTarget({ functionName: 'warmup' }).run(ctx(ecsHook()));
    expect(explicit.state).toBe('passed');
    expect(lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.Qualifier).toBeUndefined();
  });

  it('uses the target version for an explicit ARN of the deployment function only', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({}) });
    await invokeTarget({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api' }).run(ctx());
    await invokeTarget({ functionName: 'other-fn' }).run(ctx());
    const calls = lambdaMock.commandCalls(InvokeCommand);
    expect(calls[0]?.args[0].input.Qualifier).toBe('5');
    expect(calls[1]?.args[0].input.Qualifier).toBeUndefined();
  });

  it('reports an SDK error as error with an IAM hint for AccessDenied', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' });
    lambdaMock.on(InvokeCommand).rejects(denied);
    const outcome = await invokeTarget().run(ctx());
    expect(outcome.state).toBe('error');
    expect(outcome.reason).toContain('Lambda Invoke of orders-api:5 failed: AccessDeniedException');
    expect(outcome.reason).toContain(':*');
  });

  it('reports an aborted invoke with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('check timed out after 50 ms');
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      controller.abort(reason);
      throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    });
    const outcome = await invokeTarget().run(ctx(lambdaHook(), controller.signal));
    expect(outcome).toMatchObject({ state: 'error', reason: 'invoking orders-api:5 did not finish: check timed out after 50 ms' });
  });

  it('applies a predicate to the decoded payload', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 503, body: 'down' }) });
    const outcome = await invokeTarget({ expect: (r) => r.statusCode === 200 || `got ${r.statusCode}: ${r.body}` }).run(ctx());
    expect(outcome).toMatchObject({ state: 'failed', reason: 'orders-api:5: got 503: down' });
  });

  it('applies declarative expectations to web-style and plain payloads', async () => {
    lambdaMock.on(InvokeCommand).resolvesOnce({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 500, body: 'oops' }) });
    const web = await invokeTarget({ expect: { statusCode: '2xx' } }).run(ctx());
    expect(web.reason).toBe('orders-api:5: expected statusCode 2xx, got 500');

    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ version: '1.2.0', ready: true }) });
    expect((await invokeTarget({ expect: { json: { ready: true } } }).run(ctx())).state).toBe('passed');
    const miss = await invokeTarget({ expect: { json: { ready: false } } }).run(ctx());
    expect(miss.reason).toBe('orders-api:5: JSON body mismatch: $.ready: expected false, got true');
  });

  it('decodes base64 web bodies before matching', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 200, isBase64Encoded: true, body: b64('{"up":1}') }) });
    expect((await invokeTarget({ expect: { json: { up: 1 }, bodyContains: 'up' } }).run(ctx())).state).toBe('passed');
  });

  it('builds payloads from a factory with the check context', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({}) });
    await invokeTarget({ payload: (c) => ({ deployment: c.hook.deploymentId }) }).run(ctx());
    expect(sentPayload()).toEqual({ deployment: 'd-ABCDEF123' });
  });

  it('runs payloads as a suite with one case each, failing if any case fails', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 200, body: 'ok' }) })
      .resolvesOnce({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 404, body: 'nope' }) })
      .resolves({ StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 200, body: 'ok' }) });
    const check = invokeTarget({
      payloads: [apiGatewayHttpEvent({ path: '/a' }), albEvent({ method: 'post', path: '/b', body: { x: 1 } }), functionUrlEvent({ path: '/c' })],
      expect: { statusCode: 200 },
    });
    const outcome = await check.run(ctx());
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toBe('1 of 3 cases did not pass; case 2: POST /b: orders-api:5: expected statusCode 200, got 404');
    const cases = outcome.details?.cases as { name: string; state: string }[];
    expect(cases.map((c) => [c.name, c.state])).toEqual([
      ['case 1: GET /a', 'passed'],
      ['case 2: POST /b', 'failed'],
      ['case 3: GET /c', 'passed'],
    ]);
  });

  it('runs a burst and judges the success ratio', async () => {
    let n = 0;
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      n++;
      return n % 5 === 0
        ? { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '5', Payload: enc({ errorType: 'Error', errorMessage: 'flaky' }) }
        : { StatusCode: 200, ExecutedVersion: '5', Payload: enc({ statusCode: 200 }) };
    });
    const passing = await invokeTarget({ burst: { count: 10, concurrency: 3, minSuccessRatio: 0.8 } }).run(ctx());
    expect(passing.state).toBe('passed');
    expect(passing.details).toMatchObject({ count: 10, succeeded: 8, failed: 2, successRatio: 0.8 });
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(10);

    n = 0;
    const failing = await invokeTarget({ burst: { count: 10, minSuccessRatio: 0.9 } }).run(ctx());
    expect(failing.state).toBe('failed');
    expect(failing.reason).toContain('8/10 invocations of orders-api:5 succeeded (ratio 0.80, required 0.9)');
    expect(failing.reason).toContain('flaky');
  });

  it('copies the common options onto the check', () => {
    const retry = { attempts: 2 };
    expect(invokeTarget({ name: 'smoke', timeoutMs: 3000, retry, enforce: false })).toMatchObject({ name: 'smoke', timeoutMs: 3000, retry, enforce: false });
    expect(invokeTarget().name).toBe('invokeTarget');
  });

  it.each([
    [{ functionName: '' }, 'invokeTarget.functionName'],
    [{ payload: 'not json' }, 'invokeTarget.payload'],
    [{ payloads: [] }, 'invokeTarget.payloads'],
    [{ payload: {}, payloads: [{}] }, 'invokeTarget.payloads'],
    [{ expect: { statusCode: 42 } }, 'invokeTarget.expect.statusCode'],
    [{ expect: { status: 200 } }, 'invokeTarget.expect.status'],
    [{ burst: { count: 0, minSuccessRatio: 1 } }, 'invokeTarget.burst.count'],
    [{ burst: { count: 3 } }, 'invokeTarget.burst.minSuccessRatio'],
    [{ burst: { count: 3, minSuccessRatio: 1.5 } }, 'invokeTarget.burst.minSuccessRatio'],
    [{ functionNmae: 'x' }, 'invokeTarget.functionNmae'],
  ])('rejects %j at creation, naming %s', (options, field) => {
    expect(() => invokeTarget(options as never)).toThrow(OptionsError);
    expect(() => invokeTarget(options as never)).toThrow(field);
  });
});

describe('Synthetic events', () => {
  it('builds a REST (v1) proxy event', () => {
    const e = apiGatewayRestEvent({ method: 'post', path: '/orders', query: { a: ['1', '2'] }, body: { id: 1 } });
    expect(e).toMatchObject({
      httpMethod: 'POST',
      path: '/orders',
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      body: '{"id":1}',
      isBase64Encoded: false,
      requestContext: { stage: 'prod', path: '/prod/orders', httpMethod: 'POST' },
    });
    expect(e.headers['content-type']).toBe('application/json');
  });

  it('builds an HTTP API (v2) event with cookies split out and lower-case headers', () => {
    const e = apiGatewayHttpEvent({ path: '/x', headers: { Cookie: 'a=1; b=2', 'X-Trace': 't' }, query: { q: ['1', '2'] } });
    expect(e).toMatchObject({ version: '2.0', rawPath: '/x', rawQueryString: 'q=1&q=2', cookies: ['a=1', 'b=2'], queryStringParameters: { q: '1,2' } });
    expect(e.headers['x-trace']).toBe('t');
    expect(e.headers).not.toHaveProperty('cookie');
    expect(e.requestContext.http.method).toBe('GET');
  });

  it('builds Function URL and ALB events', () => {
    expect(functionUrlEvent().requestContext.domainName).toMatch(/\.lambda-url\.us-east-1\.on\.aws$/);
    const alb = albEvent({ path: '/health' });
    expect(alb.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:/);
    expect(alb).toMatchObject({ httpMethod: 'GET', path: '/health', body: '', isBase64Encoded: false });
  });
});
