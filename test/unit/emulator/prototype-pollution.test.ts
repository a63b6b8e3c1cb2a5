import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineHook } from '../../../src/index.js';
import { startEmulator } from '../../../src/simulator/emulator/index.js';
import type { Emulator } from '../../../src/simulator/emulator/index.js';
import { parseJsonBody } from '../../../src/simulator/emulator/json-codec.js';
import { parseQueryBody } from '../../../src/simulator/emulator/query-codec.js';
import { createWorld } from '../../../src/simulator/state/index.js';
import { runHook, startTestEnvironment, stageDeployment } from '../../../src/testing/index.js';

/**
 * Request bodies must never reach Object.prototype: a hook running in the same
 * process (simulate, codedeploy-hooks/testing) reads its options through it.
 */

const POLLUTED = ['polluted', 'bypass', 'status'] as const;

/** Removes whatever a failing run wrote, so one failure does not poison the other tests. */
function cleanPrototype(): void {
  for (const key of POLLUTED) delete (Object.prototype as Record<string, unknown>)[key];
  for (const fn of [Object.prototype.toString, Object.prototype.hasOwnProperty]) delete (fn as unknown as Record<string, unknown>).polluted;
}

function inherited(key: string): unknown {
  return ({} as Record<string, unknown>)[key];
}

async function postQuery(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, text: await res.text() };
}

async function postJson(url: string, target: string, body: string): Promise<{ status: number; text: string }> {
  const version = target.startsWith('CodeDeploy') ? '1.1' : '1.0';
  const res = await fetch(url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${version}` }, body });
  return { status: res.status, text: await res.text() };
}

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ world: createWorld() });
});

afterAll(async () => {
  await emu.close();
});

afterEach(cleanPrototype);

describe('query bodies', () => {
  const bodies = [
    '__proto__.polluted.y=1',
    'constructor.prototype.polluted=1',
    'MetricData.member.1.__proto__.polluted=1',
    'Dimensions.member.1.constructor.prototype.polluted=1',
    'AlarmNames.prototype.polluted=1',
  ];
  for (const extra of bodies) {
    it(`refuses ${extra} with a 400 naming the parameter, leaving Object.prototype alone`, async () => {
      const r = await postQuery(emu.url, `Action=DescribeAlarms&Version=2010-08-01&${extra}`);
      expect(inherited('polluted')).toBeUndefined();
      expect(r.status).toBe(400);
      expect(r.text).toContain('<Code>MalformedQueryString</Code>');
      expect(r.text).toContain(extra.split('=')[0]);
    });
  }

  it('keeps names that only exist on the prototype (toString, hasOwnProperty) as plain members', async () => {
    const r = await postQuery(emu.url, 'Action=DescribeAlarms&Version=2010-08-01&toString.polluted=1&hasOwnProperty.polluted=1');
    expect((Object.prototype.toString as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype.hasOwnProperty as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.status).toBe(200);
  });

  it('keeps a map entry keyed __proto__ as data without touching any prototype', async () => {
    const body = 'Action=DescribeAlarms&Version=2010-08-01&X.entry.1.key=__proto__&X.entry.1.value.polluted=1';
    const r = await postQuery(emu.url, body);
    expect(inherited('polluted')).toBeUndefined();
    expect(r.status).toBe(200);
    const map = parseQueryBody(body).params.X as Record<string, unknown>;
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(map.polluted).toBeUndefined();
  });

  it('builds objects without a prototype, so nothing is inherited', () => {
    const { params } = parseQueryBody('Action=X&A.B=1&L.member.1.C=2');
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(Object.getPrototypeOf(params.A)).toBeNull();
    expect(Object.getPrototypeOf((params.L as unknown[])[0])).toBeNull();
    const json = parseJsonBody('{"A": {"B": [{"C": 1}]}}');
    expect(Object.getPrototypeOf(json)).toBeNull();
    expect(Object.getPrototypeOf((json.A as { B: unknown[] }).B[0])).toBeNull();
  });

  it('still serves ordinary requests after refusing polluting ones', async () => {
    await postQuery(emu.url, 'Action=DescribeAlarms&Version=2010-08-01&__proto__.polluted=1');
    const r = await postQuery(emu.url, 'Action=DescribeAlarms&Version=2010-08-01&MaxRecords=5');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<DescribeAlarmsResponse');
  });
});

describe('JSON bodies', () => {
  it('refuses a member named __proto__, constructor or prototype at any depth with a 400', async () => {
    const bodies = [
      '{"__proto__": {"polluted": 1}}',
      '{"AlarmNames": ["a"], "constructor": {"prototype": {"polluted": 1}}}',
      '{"MetricDataQueries": [{"Id": "a", "__proto__": {"polluted": 1}}]}',
    ];
    for (const body of bodies) {
      const r = await postJson(emu.url, 'GraniteServiceVersion20100801.GetMetricData', body);
      expect(inherited('polluted')).toBeUndefined();
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.text)).toMatchObject({ message: expect.stringMatching(/__proto__|constructor/) });
    }
  });

  it('does not let a smuggled __proto__ member supply a hook status', async () => {
    const env = await startTestEnvironment('lambda-canary-healthy');
    try {
      const { deploymentId, executionId } = stageDeployment(env, 'BeforeAllowTraffic');
      // No top-level status: read through a prototype chain it would come from the smuggled object.
      const r = await postJson(env.emulator.url, 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus',
        JSON.stringify({ deploymentId, lifecycleEventHookExecutionId: executionId }).replace(/}$/, ', "__proto__": {"status": "Succeeded"}}'));
      expect(env.world.codeDeploy.hookExecutions.get(executionId)?.reported).toBeFalsy();
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toMatchObject({ __type: 'SerializationException', message: expect.stringContaining('__proto__') });
    } finally {
      await env.close();
    }
  });
});

describe('a hook in the same process', () => {
  it('cannot be flipped to Succeeded by a polluting request sent while it runs', async () => {
    const failing = { name: 'always-fails', run: async () => ({ state: 'failed' as const, reason: 'the new version is broken' }) };
    const hook = defineHook({ checks: [failing] });
    let refused: number | undefined;
    // `bypass` is an optional hook option: read through a polluted prototype it would skip the checks.
    const r = await runHook(hook, {
      scenario: 'lambda-canary-healthy',
      lifecycleEvent: 'BeforeAllowTraffic',
      before: async (env) => {
        refused = (await postQuery(env.emulator.url, 'Action=DescribeAlarms&Version=2010-08-01&__proto__.bypass.reason=polluted')).status;
      },
    });
    expect(r.reportedStatus).toBe('Failed');
    expect(r.verdict?.checks.map((c) => c.state)).toEqual(['failed']);
    expect(inherited('bypass')).toBeUndefined();
    expect(refused).toBe(400);
  });
});
