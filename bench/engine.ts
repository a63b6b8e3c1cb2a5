import { defineHook } from '../src/index.js';
import type { Check } from '../src/types.js';
import { codeDeployStub, EVENT, lambdaContext } from './stub-clients.js';

export interface EngineFigures {
  invocations: number;
  checksPerInvocation: number;
  medianUs: number;
  p99Us: number;
  heapDeltaKiB: number;
}

const instant = (i: number): Check => ({ name: `instant-${i}`, run: async () => ({ state: 'passed', reason: 'instant' }) });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Whole-invocation overhead (parse, resolve, engine, report, log) with checks that return at once. */
export async function benchEngine(invocations = 3000, checksPerInvocation = 5): Promise<EngineFigures> {
  const codeDeploy = codeDeployStub();
  const handler = defineHook({
    checks: Array.from({ length: checksPerInvocation }, (_, i) => instant(i)),
    clients: { codeDeploy: codeDeploy as never },
    log: () => {},
  });
  for (let i = 0; i < 200; i++) await handler(EVENT, lambdaContext());
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const samples: number[] = [];
  for (let i = 0; i < invocations; i++) {
    const t = process.hrtime.bigint();
    await handler(EVENT, lambdaContext());
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  globalThis.gc?.();
  const heapDeltaKiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024);
  samples.sort((a, b) => a - b);
  return {
    invocations,
    checksPerInvocation,
    medianUs: Math.round(percentile(samples, 50)),
    p99Us: Math.round(percentile(samples, 99)),
    heapDeltaKiB,
  };
}
