/**
 * A durable hook as a scenario hook: the function the simulated CodeDeploy
 * invokes plays the starter (startDurableHook's part: parse, name the
 * execution after the lifecycle event, start it once, return), and the
 * simulated durable service runs the execution on the simulated clock until
 * it reports through the emulated CodeDeploy API.
 *
 * The starter's invocation ends at once, and the simulator restores the
 * environment after it; each durable invocation gets the environment the
 * start saw (AWS_ENDPOINT_URL pointing at the emulator among it), as a Lambda
 * function keeps its configuration.
 */
import type { DurableLambdaHandler } from '@aws/durable-execution-sdk-js';
import { durableExecutionName } from '../../durable/execution-name.js';
import { parseHookEvent } from '../../event.js';
import { applyEnv, captureOutput, lambdaContext } from './hook-runner.js';
import { SimulatedDurableFunction } from './durable-service.js';
import type { DurableOutcome } from './durable-service.js';

export interface SimulatedDurableHookOptions {
  /** The durable function's name in the timeline and its ARN. @default 'durable-hook' */
  functionName?: string;
  /** Each durable invocation's Lambda timeout, in seconds. @default 120 */
  timeoutSeconds?: number;
}

export interface SimulatedStart {
  started: true;
  alreadyStarted: boolean;
  executionName: string;
  /** Settles when the execution ends (tests await it; the simulator does not). */
  outcome: Promise<DurableOutcome>;
  /** What the durable invocations printed (their CloudWatch Logs, in AWS), kept out of the timeline. */
  logs: string[];
}

export function simulatedDurableHook(durable: DurableLambdaHandler, options: SimulatedDurableHookOptions = {}) {
  const functionName = options.functionName ?? 'durable-hook';
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const timeoutMs = (options.timeoutSeconds ?? 120) * 1000;
  let env: Record<string, string> = {};
  const logs: string[] = [];
  // Every invocation of the durable function runs with the environment its execution started with,
  // and its output is collected as a hook's is, instead of interleaving with the timeline.
  const configured: DurableLambdaHandler = async (input, context) => {
    const restore = applyEnv(env);
    const restoreOutput = captureOutput(logs);
    try {
      return await durable(input, context);
    } finally {
      restoreOutput();
      restore();
    }
  };
  const fn = new SimulatedDurableFunction(configured, `arn:aws:lambda:${region}:123456789012:function:${functionName}:1`);

  return async (raw: unknown): Promise<SimulatedStart> => {
    const event = parseHookEvent(raw);
    env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && /^(AWS_|CODEDEPLOY_HOOKS_)/.test(e[0])));
    const executionName = durableExecutionName(event.LifecycleEventHookExecutionId);
    const { alreadyStarted, outcome } = fn.start(executionName, event, () => lambdaContext(functionName, region, Date.now() + timeoutMs));
    return { started: true, alreadyStarted, executionName, outcome, logs };
  };
}
