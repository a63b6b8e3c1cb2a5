/**
 * Fault matrix, the services the checks read: CloudWatch (alarms, metrics),
 * Lambda Invoke, ELBv2 (listener resolution) and the HTTP service behind the
 * ECS test listener — transport faults on each, and the ways a healthy-looking
 * answer can be wrong (function errors, malformed JSON, oversized or trickling
 * bodies, a certificate nobody signed, an alarm in ALARM).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../src/checks/index.js';
import type { FaultSpec } from '../../src/simulator/emulator/index.js';
import { Matrix, ROOMY_BUDGET_MS, recordTo, runCell, warmUp, type CellSpec, type Expected, type Platform } from './harness.js';
import { selfSignedCert, startGarbageEndpoint, startTrickleEndpoint } from './http-target.js';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ALARM, FUNCTION } from './world-setup.js';

const matrix = new Matrix('Fault matrix — CloudWatch, Lambda, ELBv2, HTTP target');
recordTo(matrix);
beforeAll(warmUp, 30_000);
afterAll(() => matrix.print());

const PASSED = /^all \d enforced checks passed/;
/** A hung SDK call is only ended by the check's deadline (the SDK clients have no request timeout of their own). */
const DEADLINE = /deadline|did not finish|aborted/;

// The services a hook calls (CloudWatch Logs is read only by `explain`).
type Service = Exclude<FaultSpec['service'], 'logs'>;
interface Kind {
  label: string;
  /** Only kinds that run into the deadline need a short one; the others get ROOMY_BUDGET_MS. */
  budgetMs?: number;
  fault: (service: Service, operation?: string) => FaultSpec;
  expect: Expected;
  /** Regex for the cause when the kind fails the hook; PASSED otherwise. */
  cause?: (service: Service, operation?: string) => RegExp;
}

const KINDS: Kind[] = [
  { label: 'throttle ×2', fault: (service, operation) => ({ service, operation, kind: 'throttle', times: 2 }), expect: 'Succeeded' },
  { label: '500 ×2', fault: (service, operation) => ({ service, operation, kind: '500', times: 2 }), expect: 'Succeeded' },
  { label: '503 ×2', fault: (service, operation) => ({ service, operation, kind: '503', times: 2 }), expect: 'Succeeded' },
  { label: 'reset ×2', fault: (service, operation) => ({ service, operation, kind: 'reset', times: 2 }), expect: 'Succeeded' },
  { label: 'slow (400 ms each)', fault: (service, operation) => ({ service, operation, kind: 'delay', delayMs: 400 }), expect: 'Succeeded' },
  // Fail closed: one hung request holds its check until the hook deadline.
  { label: 'hang ×1', budgetMs: 3000, fault: (service, operation) => ({ service, operation, kind: 'hang', times: 1 }), expect: 'Failed', cause: () => DEADLINE },
  { label: 'hang always', budgetMs: 3000, fault: (service, operation) => ({ service, operation, kind: 'hang' }), expect: 'Failed', cause: () => DEADLINE },
  {
    label: '503 always',
    fault: (service, operation) => ({ service, operation, kind: '503' }),
    expect: 'Failed',
    cause: (service, operation) =>
      ({
        cloudwatch: /(DescribeAlarms|GetMetricData) failed: ServiceUnavailable/,
        lambda: /Lambda Invoke of orders:2 failed: ServiceException/,
        elbv2: new RegExp(`${operation} .*failed: ServiceUnavailable`),
        codedeploy: /./,
        ecs: new RegExp(`${operation} .*failed: ServerException`),
      })[service],
  },
];

function faultCell(platform: Platform, service: Service, operation: string | undefined, kind: Kind): CellSpec {
  return {
    name: `${service}${operation ? ` ${operation}` : ' (every call)'} · ${kind.label}`,
    platform,
    budgetMs: kind.budgetMs ?? ROOMY_BUDGET_MS,
    faults: [kind.fault(service, operation)],
    truth: 'healthy',
    expect: kind.expect,
    cause: kind.cause ? kind.cause(service, operation) : PASSED,
  };
}

const FAULT_CELLS: CellSpec[] = [
  ...KINDS.map((k) => faultCell('Lambda', 'cloudwatch', undefined, k)),
  ...KINDS.map((k) => faultCell('Lambda', 'lambda', 'Invoke', k)),
  ...KINDS.map((k) => faultCell('ECS', 'cloudwatch', undefined, k)),
  ...KINDS.map((k) => faultCell('ECS', 'elbv2', 'DescribeListeners', k)),
  ...KINDS.map((k) => faultCell('ECS', 'elbv2', 'DescribeLoadBalancers', k)),
];

describe.concurrent('transport faults on the services the checks read', () => {
  for (const spec of FAULT_CELLS) {
    it(`${spec.platform} · ${spec.name} -> ${spec.expect}`, async () => {
      matrix.add(await runCell(spec));
    });
  }
});

const BROKEN_LAMBDA: CellSpec[] = [
  {
    name: 'healthy baseline (no fault)',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Succeeded',
    cause: PASSED,
  },
  {
    name: 'new version returns a 5 MiB payload',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Succeeded',
    cause: PASSED,
    before: ({ world }) => world.lambda.setVersionHandler(FUNCTION, '2', async () => ({ statusCode: 200, body: JSON.stringify({ ok: true, pad: 'x'.repeat(5 * 1024 * 1024) }) })),
  },
  {
    name: 'new version throws (function error)',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'broken',
    expect: 'Failed',
    cause: /invokeTarget failed: orders:2 returned a function error: Error: connection pool exhausted/,
    before: ({ world }) =>
      world.lambda.setVersionHandler(FUNCTION, '2', async () => {
        throw new Error('connection pool exhausted');
      }),
  },
  {
    name: 'new version answers 502',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'broken',
    expect: 'Failed',
    cause: /orders:2: expected statusCode 200, got 502/,
    before: ({ world }) => world.lambda.setVersionHandler(FUNCTION, '2', async () => ({ statusCode: 502, body: '{"ok":false}' })),
  },
  {
    name: 'new version returns malformed JSON',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'broken',
    expect: 'Failed',
    cause: /invokeTarget failed: orders:2: expected statusCode 200, got no statusCode/,
    before: ({ world }) => {
      world.lambda.setVersionHandler(FUNCTION, '2', undefined);
      world.lambda.setFunctionInvoker(FUNCTION, async () => ({ payload: '{"statusCode": 200, "body": "{\\"ok\\": tr' }));
    },
  },
  {
    name: 'new version body is not the expected JSON',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'broken',
    expect: 'Failed',
    cause: /invokeTarget failed: orders:2: .*ok/,
    before: ({ world }) => world.lambda.setVersionHandler(FUNCTION, '2', async () => ({ statusCode: 200, body: '{"ok": tru' })),
  },
  {
    name: 'new version never answers in time',
    platform: 'Lambda',
    budgetMs: 3000,
    truth: 'broken',
    expect: 'Failed',
    cause: DEADLINE,
    before: ({ world }) => world.lambda.setVersionHandler(FUNCTION, '2', () => new Promise((r) => setTimeout(r, 5000))),
  },
  {
    name: 'group alarm in ALARM',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'broken',
    expect: 'Failed',
    cause: new RegExp(`alarms failed: 1 of 1 alarms in ALARM: ${ALARM}`),
    before: ({ world }) => world.cloudWatch.setAlarmState({ AlarmName: ALARM, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 7 errors' }),
  },
  {
    name: 'new version error rate 25 %',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'broken',
    expect: 'Failed',
    cause: /lambdaErrorRate failed: .*25/,
    before: ({ world }) =>
      world.cloudWatch.putMetric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: FUNCTION, Resource: `${FUNCTION}:live`, ExecutedVersion: '2' },
        value: 50,
        timestamp: world.now() - 10_000,
      }),
  },
];

const AWS_GARBAGE_CELLS: CellSpec[] = [
  {
    name: 'cloudwatch answers 200 with malformed JSON',
    platform: 'Lambda',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Failed',
    cause: /alarms error: DescribeAlarms failed: .*(JSON|Unexpected|Deserializ|SyntaxError)/i,
    before: async (env) => {
      const garbage = await startGarbageEndpoint('{"MetricAlarms": [{"AlarmName": "orders-new-v', 'application/x-amz-json-1.0');
      env.cleanups.push(() => garbage.close());
      env.clients.cloudWatch = new CloudWatchClient({ endpoint: garbage.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    },
  },
  {
    name: 'elbv2 answers 200 with malformed XML',
    platform: 'ECS',
    budgetMs: ROOMY_BUDGET_MS,
    truth: 'healthy',
    expect: 'Failed',
    cause: /http GET \/health error: http: cannot resolve the base URL: DescribeListeners .*failed/,
    before: async (env) => {
      const garbage = await startGarbageEndpoint('<DescribeListenersResponse><DescribeListenersResult><Listeners><member><Port>80', 'text/xml');
      env.cleanups.push(() => garbage.close());
      env.clients.elbv2 = new ElasticLoadBalancingV2Client({ endpoint: garbage.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    },
  },
  {
    name: 'cloudwatch answer body trickles, never completes',
    platform: 'Lambda',
    budgetMs: 3000,
    truth: 'healthy',
    expect: 'Failed',
    cause: DEADLINE,
    before: async (env) => {
      const slow = await startTrickleEndpoint('{"MetricAlarms": [', 'application/x-amz-json-1.0');
      env.cleanups.push(() => slow.close());
      env.clients.cloudWatch = new CloudWatchClient({ endpoint: slow.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    },
  },
  {
    name: 'lambda Invoke answer body trickles, never completes',
    platform: 'Lambda',
    budgetMs: 3000,
    truth: 'healthy',
    expect: 'Failed',
    cause: DEADLINE,
    before: async (env) => {
      const slow = await startTrickleEndpoint('{"statusCode": 200, "body": "', 'application/json');
      env.cleanups.push(() => slow.close());
      env.clients.lambda = new LambdaClient({ endpoint: slow.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    },
  },
];

describe.concurrent('AWS answers that do not parse or never complete', () => {
  for (const spec of AWS_GARBAGE_CELLS) {
    it(`${spec.platform} · ${spec.name} -> ${spec.expect}`, async () => {
      matrix.add(await runCell(spec));
    });
  }
});

describe.concurrent('Lambda target misbehaving', () => {
  for (const spec of BROKEN_LAMBDA) {
    it(`Lambda · ${spec.name} -> ${spec.expect}`, async () => {
      matrix.add(await runCell(spec));
    });
  }
});

// Time-outs get a 5 s budget: the 800 ms request timeout must fire well inside the checks' 2.5 s, even on a busy machine.
const TARGET_CELLS: CellSpec[] = [
  { name: 'HTTP target healthy (no fault)', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'ok', truth: 'healthy', expect: 'Succeeded', cause: PASSED },
  { name: 'HTTP target 500', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: '500', truth: 'broken', expect: 'Failed', cause: /expected status 200, got 500 from GET http:\/\/127\.0\.0\.1:\d+\/health/ },
  { name: 'HTTP target resets the connection', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'reset', truth: 'broken', expect: 'Failed', cause: /GET http:\/\/127\.0\.0\.1:\d+\/health: .*(connection reset|connection closed|socket)/i },
  { name: 'HTTP target hangs', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'hang', truth: 'broken', expect: 'Failed', cause: /(no response headers|no complete response) within 800 ms/ },
  { name: 'HTTP target slow headers (5 s)', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'slow-headers', truth: 'broken', expect: 'Failed', cause: /(no response headers|no complete response) within 800 ms/ },
  { name: 'HTTP target body trickles', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'slow-body', truth: 'broken', expect: 'Failed', cause: /(body stalled|no complete response within 800 ms)/ },
  { name: 'HTTP target oversized body (2 MiB)', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'oversized', truth: 'broken', expect: 'Failed', cause: /body larger than 1048576 bytes/ },
  { name: 'HTTP target malformed JSON', platform: 'ECS', budgetMs: ROOMY_BUDGET_MS, target: 'malformed-json', truth: 'broken', expect: 'Failed', cause: /http GET \/health failed: .*JSON/i },
];

describe.concurrent('HTTP target misbehaving (ECS test listener)', () => {
  for (const spec of TARGET_CELLS) {
    it(`ECS · ${spec.name} -> ${spec.expect}`, async () => {
      matrix.add(await runCell(spec));
    });
  }
});

describe('TLS', () => {
  let tls: ReturnType<typeof selfSignedCert>;
  beforeAll(() => {
    tls = selfSignedCert();
    if (!tls && process.env.CI === 'true') throw new Error('openssl is required for the TLS cells: install openssl (e.g. apt-get install openssl)');
  });

  it('ECS · HTTPS target with a self-signed certificate -> Failed, naming the TLS error', async (ctx) => {
    if (!tls) return ctx.skip('openssl not found: install openssl to run the TLS cells');
    matrix.add(
      await runCell({
        name: 'HTTPS target, self-signed certificate',
        platform: 'ECS',
        budgetMs: ROOMY_BUDGET_MS,
        tls,
        truth: 'broken',
        expect: 'Failed',
        cause: /TLS verification failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      }),
    );
  });

  it('ECS · the same target with its CA given -> Succeeded (verification on, not off)', async (ctx) => {
    if (!tls) return ctx.skip('openssl not found: install openssl to run the TLS cells');
    const row = await runCell({
      name: 'HTTPS target, CA given with `ca`',
      platform: 'ECS',
      budgetMs: ROOMY_BUDGET_MS,
      tls,
      truth: 'healthy',
      expect: 'Succeeded',
      cause: PASSED,
      checks: ([, alarmsCheck]) => [http({ path: '/health', expect: { status: 200, json: { ok: true } }, requestTimeoutMs: 800, ca: tls!.cert.toString() }), alarmsCheck!],
    });
    expect(row.status).toBe('Succeeded');
    matrix.add(row);
  });
});
