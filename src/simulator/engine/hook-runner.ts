/**
 * Invokes one hook the way CodeDeploy and Lambda would, but in-process: the
 * `{ DeploymentId, LifecycleEventHookExecutionId }` event, a Lambda-like
 * context whose remaining time follows the hook's timeout, the hook's env
 * vars plus AWS_ENDPOINT_URL pointing at the emulator. The returned promise
 * settles when the handler settles or its Lambda timeout passes, whichever is
 * first; the report itself arrives separately, through the emulated API.
 * The timeout, the remaining time and the duration are on the given clock
 * (the simulation's: the hook's own Date and timers are warped to it).
 */
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { HookVerdict } from '../../types.js';
import type { ScenarioHook } from '../scenario/types.js';
import { realClock, type Clock } from '../clock/clock.js';
import { importFunction } from './module-loader.js';

export type HookHandler = (event: unknown, context: unknown) => unknown;

export interface HookInvocation {
  /** How the function invocation ended. */
  outcome: 'returned' | 'threw' | 'timed-out';
  verdict?: HookVerdict;
  /** What the handler returned (ECS-native hooks return their hookStatus). */
  value?: unknown;
  error?: string;
  durationMs: number;
  /** What the hook wrote to stdout/stderr while it ran (its CloudWatch Logs, in AWS). */
  logs: string[];
}

export interface AwsEnvironment {
  endpoint: string;
  region: string;
}

export async function loadHook(hook: ScenarioHook & { module: string }): Promise<HookHandler> {
  return importFunction<HookHandler>(hook.module, hook.export, `hook ${hook.lifecycleEvent}`, { fresh: true });
}

export async function loadScheduled(schedule: { module: string; export: string; functionName: string }): Promise<HookHandler> {
  return importFunction<HookHandler>(schedule.module, schedule.export, `scheduled function ${schedule.functionName}`, { fresh: true });
}

/** The Lambda context object a handler gets, its remaining time counting down to `deadline` (epoch ms on `clock`). */
export function lambdaContext(functionName: string, region: string, deadline: number, clock: Pick<Clock, 'now'> = realClock) {
  const requestId = randomUUID();
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `simulated/[$LATEST]${requestId.replaceAll('-', '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()),
  };
}

export async function invokeHook(
  handler: HookHandler,
  hook: Pick<ScenarioHook, 'functionName' | 'timeoutSeconds' | 'env'>,
  /** The CodeDeploy hook event, or a scheduled function's event. */
  event: object,
  aws: AwsEnvironment,
  opts: { captureOutput: boolean; clock?: Clock },
): Promise<HookInvocation> {
  const clock = opts.clock ?? realClock;
  const started = clock.now();
  const context = lambdaContext(hook.functionName, aws.region, started + hook.timeoutSeconds * 1000, clock);
  const env = lambdaEnv(hook, aws);
  const logs: string[] = [];
  const restoreEnv = applyEnv(env);
  const restoreOutput = opts.captureOutput ? captureOutput(logs) : () => undefined;
  let timer: { cancel(): void } | undefined;
  try {
    const run = Promise.resolve()
      .then(() => handler(event, context))
      .then(
        (value): Omit<HookInvocation, 'durationMs' | 'logs'> => ({ outcome: 'returned', value, ...(isVerdict(value) ? { verdict: value } : {}) }),
        (err: unknown): Omit<HookInvocation, 'durationMs' | 'logs'> => ({ outcome: 'threw', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
      );
    const timeout = new Promise<Omit<HookInvocation, 'durationMs' | 'logs'>>((resolve) => {
      timer = clock.setTimer(() => resolve({ outcome: 'timed-out', error: `Task timed out after ${hook.timeoutSeconds.toFixed(2)} seconds` }), hook.timeoutSeconds * 1000);
    });
    const result = await Promise.race([run, timeout]);
    return { ...result, durationMs: clock.now() - started, logs };
  } finally {
    timer?.cancel();
    restoreOutput();
    restoreEnv();
  }
}

/** The env a hook runs with, as in a Lambda function pointed at the emulator: its own vars, the endpoint, region, dummy credentials, the function's name and timeout. */
export function lambdaEnv(hook: Pick<ScenarioHook, 'functionName' | 'timeoutSeconds' | 'env'>, aws: AwsEnvironment): Record<string, string> {
  return {
    ...hook.env,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_DEFAULT_REGION: aws.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_LAMBDA_FUNCTION_NAME: hook.functionName,
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(hook.timeoutSeconds),
  };
}

function isVerdict(value: unknown): value is HookVerdict {
  return typeof value === 'object' && value !== null && 'status' in value && Array.isArray((value as HookVerdict).checks);
}

/** Sets env vars for the hook's run and returns a function restoring the previous values. */
export function applyEnv(env: Record<string, string>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Collects what the hook prints (its verdict line, console.log) instead of
 * letting it interleave with the timeline. Writes made with the original
 * functions (see `originalStdoutWrite`) are not captured.
 *
 * Captures overlap (a durable hook's invocations run while the invocation that
 * started them is still captured) and end in any order, so one interceptor is
 * installed while any capture is active, writes go to the newest active one,
 * and the real functions come back when the last one ends: a capture ended
 * out of order must not leave another's interceptor in place for good.
 */
const activeCaptures: string[][] = [];
let installedCapture: { out: typeof process.stdout.write; err: typeof process.stderr.write; console: ((...args: unknown[]) => void)[] } | undefined;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export function captureOutput(into: string[]): () => void {
  if (!installedCapture) {
    installedCapture = { out: process.stdout.write, err: process.stderr.write, console: CONSOLE_METHODS.map((m) => console[m]) };
    const sink = (text: string) => activeCaptures[activeCaptures.length - 1]?.push(text);
    const grab = (chunk: unknown, ...rest: unknown[]): boolean => {
      sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const cb = rest.find((r): r is () => void => typeof r === 'function');
      cb?.();
      return true;
    };
    process.stdout.write = grab as typeof process.stdout.write;
    process.stderr.write = grab as typeof process.stderr.write;
    // Test runners replace console methods with their own; catch those too.
    for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => void sink(`${format(...args)}\n`);
  }
  activeCaptures.push(into);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    activeCaptures.splice(activeCaptures.lastIndexOf(into), 1);
    if (activeCaptures.length > 0 || !installedCapture) return;
    process.stdout.write = installedCapture.out;
    process.stderr.write = installedCapture.err;
    const saved = installedCapture.console;
    CONSOLE_METHODS.forEach((m, i) => (console[m] = saved[i]!));
    installedCapture = undefined;
  };
}

/** stdout's write as it was when this module loaded: the timeline prints with it so capture never swallows it. */
export const originalStdoutWrite: (text: string) => void = ((write) => (text: string) => {
  write(text);
})(process.stdout.write.bind(process.stdout));
