/**
 * startDurableHook: the plain function CodeDeploy invokes (by name, as it
 * invokes every hook). It starts the durable execution asynchronously on a
 * qualified ARN, named after the lifecycle event, and returns at once; the
 * durable execution reports. Duplicate invocations of the hook (Lambda's
 * async retries, a re-delivered event) start nothing new: the same name and
 * payload return the existing execution.
 *
 * When the start fails for good, this function reports Failed itself, so
 * CodeDeploy never waits its hour for an execution that does not exist.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { callWithRetry } from '../aws-call.js';
import { createClientRegistry } from '../clients.js';
import { checksDeadlineOf, FINAL_MARGIN_MS, remainingTime } from '../engine/budget.js';
import { describeError, OptionsError } from '../errors.js';
import { codeDeployPlatform } from '../platforms/codedeploy.js';
import { DEFAULTS, MAX_LAMBDA_MS } from '../settings.js';
import { rejectUnknownKeys } from '../checks/common.js';
import { stdoutSink, writeLine } from '../verdict-log.js';
import type { LogSink } from '../verdict-log.js';
import type { HookClients, HookVerdict, LambdaContextLike } from '../types.js';
import { durableExecutionName } from './execution-name.js';
import { parseOrLog } from './parse-event.js';
import { DURABLE_TARGET_ENV, durableTargetProblem } from './target.js';

export interface StartDurableHookOptions {
  /** The durable function, qualified (`name:alias`, or an ARN with a version or alias). Env `CODEDEPLOY_HOOKS_DURABLE_FUNCTION`. */
  target?: string;
  /** Injected SDK clients (`lambda` to start, `codeDeploy` to fail closed). */
  clients?: Pick<HookClients, 'lambda' | 'codeDeploy'>;
  /** Where log lines go. @default process.stdout */
  log?: LogSink;
  /** Time budget when no Lambda context is given (local runs), in ms. @default 900000 */
  maxDurationMs?: number;
}

export type DurableStart =
  | { started: true; executionName: string; target: string; alreadyStarted: boolean; durableExecutionArn?: string }
  | { started: false; executionName?: string; target?: string; verdict: HookVerdict };

const KEYS = ['target', 'clients', 'log', 'maxDurationMs'];

export function startDurableHook(options: StartDurableHookOptions = {}): (event: unknown, context?: LambdaContextLike) => Promise<DurableStart> {
  if (typeof options !== 'object' || options === null) throw new OptionsError('options', 'must be an object');
  rejectUnknownKeys(options as Record<string, unknown>, KEYS, 'options');
  if (options.target !== undefined) {
    const problem = durableTargetProblem(options.target);
    if (problem) throw new OptionsError('target', problem);
  }
  if (options.maxDurationMs !== undefined && !(options.maxDurationMs > 0 && options.maxDurationMs <= MAX_LAMBDA_MS)) {
    throw new OptionsError('maxDurationMs', `must be a positive number up to ${MAX_LAMBDA_MS}`);
  }
  const sink = options.log ?? stdoutSink;
  const clients = createClientRegistry(options.clients);
  const platform = codeDeployPlatform(clients);
  // Our retries (bounded by this invocation), not the SDK's.
  const lambda = () => clients.get('lambda', () => new LambdaClient({ maxAttempts: 1 }));

  return async (raw, lambdaContext) => {
    const startedAt = Date.now();
    const event = parseOrLog(platform.parse, raw, sink);
    const lambdaEnd = startedAt + remainingTime(lambdaContext, options.maxDurationMs ?? DEFAULTS.maxDurationMs);
    const target = options.target ?? process.env[DURABLE_TARGET_ENV];
    const executionName = durableExecutionName(event.LifecycleEventHookExecutionId);
    const failClosed = async (reason: string): Promise<DurableStart> => {
      const verdict = await platform.deliver({ event, decision: { status: 'Failed', reason, checks: [] }, startedAt, deliverBy: lambdaEnd - FINAL_MARGIN_MS, sink });
      return { started: false, executionName, ...(target ? { target } : {}), verdict };
    };

    const problem = durableTargetProblem(target);
    if (problem || !target) return failClosed(`could not start the durable hook: ${DURABLE_TARGET_ENV} ${problem}`);
    // The payload is the event alone: a duplicate invocation sends the very same bytes, so Lambda returns the existing execution.
    const payload = new TextEncoder().encode(JSON.stringify(event));
    const result = await callWithRetry(
      (abortSignal) =>
        lambda().send(new InvokeCommand({ FunctionName: target, InvocationType: 'Event', DurableExecutionName: executionName, Payload: payload }), { abortSignal }),
      { deadline: checksDeadlineOf(lambdaEnd, DEFAULTS.reserveMs) },
    );
    const error = result.ok ? undefined : describeError(result.error);
    // Same name, different payload: an execution for this lifecycle event exists; it reports, not us.
    const alreadyStarted = error?.name === 'DurableExecutionAlreadyStartedException';
    if (!result.ok && !alreadyStarted) {
      return failClosed(`could not start the durable hook ${target} after ${result.attempts} attempt(s): ${error?.name}: ${error?.message}`);
    }
    const arn = result.value?.DurableExecutionArn;
    const started: DurableStart = { started: true, executionName, target, alreadyStarted, ...(arn ? { durableExecutionArn: arn } : {}) };
    writeLine(sink, {
      level: 'INFO',
      message: alreadyStarted ? 'durable hook already started for this lifecycle event' : 'durable hook started',
      deploymentId: event.DeploymentId,
      ...started,
      durationMs: Date.now() - startedAt,
      timestamp: new Date().toISOString(),
    });
    return started;
  };
}
