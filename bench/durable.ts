/**
 * What one bake minute costs: as a durable execution (codedeploy-hooks/durable,
 * run by the SDK's local runner in real time: each durable wait ends the
 * invocation, as in Lambda) and as one plain invocation that sleeps between
 * measurements (defineHook + bake()). Both bake the same instant check, on
 * stub clients, measuring every second; the per-minute figures scale that to
 * a measurement a minute (the durable hook's default interval).
 */
import { withDurableExecution } from '@aws/durable-execution-sdk-js';
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { bake } from '../src/checks/index.js';
import { createDurableHookHandler } from '../src/durable/define-durable-hook.js';
import { defineHook } from '../src/index.js';
import type { Check, HookClients } from '../src/types.js';
import { EVENT, codeDeployStub, lambdaContext } from './stub-clients.js';

const MEASUREMENTS = 6;
const INTERVAL_MS = 1000;

export interface DurableBench {
  measurements: number;
  intervalMs: number;
  durable: { invocations: number; computeMs: number; perInvocationMs: number; wallMs: number };
  plain: { invocations: 1; computeMs: number };
  perBakeMinute: { durableInvocations: number; durableComputeMs: number; plainComputeMs: number };
}

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const instant: Check = { name: 'instant', run: async () => ({ state: 'passed', reason: 'ok' }) };
const clients = () => ({ codeDeploy: codeDeployStub() }) as unknown as HookClients;

export async function benchDurable(): Promise<DurableBench> {
  const spans: number[] = [];
  const inner = withDurableExecution(createDurableHookHandler({ bake: { checks: [instant], intervalMs: INTERVAL_MS, count: MEASUREMENTS }, clients: clients(), log: () => undefined }));
  // Every invocation timed on the real clock: what Lambda would bill.
  const timed: DurableLambdaHandler = async (input, ctx) => {
    const t = process.hrtime.bigint();
    try {
      return await inner(input, ctx);
    } finally {
      spans.push(ms(t));
    }
  };
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: false });
  let wallMs: number;
  try {
    const started = process.hrtime.bigint();
    const execution = await new LocalDurableTestRunner({ handlerFunction: timed }).run({ payload: EVENT });
    wallMs = ms(started);
    const verdict = execution.getResult() as { status?: string } | undefined;
    if (verdict?.status !== 'Succeeded') throw new Error(`durable bench hook ended ${execution.getStatus()} ${JSON.stringify(verdict)}`);
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }

  const plainHook = defineHook({ checks: [bake({ checks: [instant], intervalMs: INTERVAL_MS, count: MEASUREMENTS })], clients: clients(), log: () => undefined });
  const t = process.hrtime.bigint();
  await plainHook(EVENT, lambdaContext(60_000));
  const plainMs = ms(t);

  const computeMs = spans.reduce((a, b) => a + b, 0);
  const bakeSpanMs = (MEASUREMENTS - 1) * INTERVAL_MS;
  return {
    measurements: MEASUREMENTS,
    intervalMs: INTERVAL_MS,
    durable: { invocations: spans.length, computeMs: round(computeMs), perInvocationMs: round(computeMs / spans.length), wallMs: round(wallMs) },
    plain: { invocations: 1, computeMs: round(plainMs) },
    perBakeMinute: {
      // One measurement a minute: each is one invocation (replay + measure), ending at the next durable wait.
      durableInvocations: round(spans.length / MEASUREMENTS, 2),
      durableComputeMs: round((computeMs / MEASUREMENTS)),
      // A plain invocation is billed for all of its wall time, waiting included.
      plainComputeMs: round((plainMs / bakeSpanMs) * 60_000),
    },
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
