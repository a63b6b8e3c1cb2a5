import type { Check, CheckResult, CheckSpec } from '../types.js';
import { runCheck } from './run-check.js';
import { runPool } from '../util/pool.js';
import type { CheckEnvironment } from './run-check.js';
import { describeError } from '../errors.js';

export interface EngineOptions {
  deadline: number;
  signal: AbortSignal;
  concurrency: number;
  /** How an inconclusive enforced check counts; a sequence stops where the verdict would fail. @default 'fail' */
  inconclusive?: 'fail' | 'pass';
}

/**
 * The one check engine. Lanes (a check, or a sequence of checks) run in
 * parallel up to `concurrency`; checks inside a sequence run in order and a
 * failed enforced check skips the rest. Results keep the declared order.
 */
export async function runChecks(specs: CheckSpec[], env: CheckEnvironment, options: EngineOptions): Promise<CheckResult[]> {
  const lanes = specs.map((spec) => ('sequence' in spec ? spec.sequence : [spec]));
  // Stryker disable next-line ArrayDeclaration: every index is assigned before flat()
  const results: CheckResult[][] = new Array(lanes.length);
  await runPool(lanes.length, options.concurrency, async (index) => {
    results[index] = await runLane(lanes[index]!, env, options);
  });
  // Every declared check has exactly one result, whatever the pool did: a missing one is an error, never a silent pass.
  // Stryker disable next-line ArrowFunction: runPool always runs every lane; this is the second wall
  return lanes.flatMap((lane, i) => results[i] ?? lane.map((check) => unrun(check)));
}

// Stryker disable all: reached only if the pool skipped a lane (see above)
function unrun(check: Check): CheckResult {
  return { name: check.name, state: 'error', reason: 'the engine did not run this check', enforced: true, durationMs: 0, attempts: 0 };
}
// Stryker restore all

async function runLane(lane: Check[], env: CheckEnvironment, options: EngineOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  let blocker: CheckResult | undefined;
  for (const check of lane) {
    if (blocker) {
      out.push({
        name: check.name,
        state: 'inconclusive',
        reason: `skipped: ${blocker.name} earlier in the sequence did not pass`,
        enforced: check.enforce !== false,
        durationMs: 0,
        attempts: 0,
      });
      continue;
    }
    const result = await runCheckSafely(check, env, options);
    out.push(result);
    const passes = result.state === 'passed' || (result.state === 'inconclusive' && options.inconclusive === 'pass');
    if (result.enforced && !passes) blocker = result;
  }
  return out;
}

/**
 * runCheck never throws by design; this is the second wall, so that a check
 * object whose own fields throw when read costs only that check's result,
 * never the other checks' (nor the verdict).
 */
async function runCheckSafely(check: Check, env: CheckEnvironment, options: EngineOptions): Promise<CheckResult> {
  try {
    return await runCheck(check, env, options.deadline, options.signal);
  } catch (error) {
    const { name, message } = describeError(error);
    let checkName = 'unnamed check';
    try {
      if (typeof check.name === 'string') checkName = check.name;
    } catch {
      // keep the placeholder
    }
    return { name: checkName, state: 'error', reason: `the engine could not run this check: ${name}: ${message}`, enforced: true, durationMs: 0, attempts: 0 };
  }
}
