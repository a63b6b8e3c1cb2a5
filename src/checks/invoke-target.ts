/**
 * invokeTarget: invoke the Lambda version being deployed, directly, before
 * (or after) it gets alias traffic, and judge what it returns. Defaults come
 * from the hook context: the function under deployment at its target version.
 */
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { OptionsError, describeError } from '../errors.js';
import { abortReason } from '../util/abort.js';
import type { Check, CheckContext, CheckOutcome, CheckState } from '../types.js';
import { checkExpectation, runPredicate, validateExpectation, type ExpectPredicate, type ObservedResponse, type ResponseExpectation } from './expect.js';
import { clip, commonCheckFields, COMMON_KEYS, isPlainObject, latencyFigures, positiveInteger, ratio, rejectUnknownKeys, type CommonCheckOptions } from './common.js';
import { runPool } from '../util/pool.js';

/** A JSON-serializable payload value; a string is sent as is (JSON text). */
export type PayloadValue = string | number | boolean | null | PayloadValue[] | { [key: string]: unknown };
/** A payload: a JSON value, JSON text, or a function of the check context producing one. */
export type InvokePayload = PayloadValue | ((ctx: CheckContext) => PayloadValue | Promise<PayloadValue>);

/** What a predicate `expect` receives besides the decoded payload. */
export interface InvokeResponse {
  /** The function's return value, JSON-decoded when possible, else the raw text. */
  payload: unknown;
  /** Convenience for web-style handlers: the returned statusCode, if any. */
  statusCode?: number;
  /** Web-style body (base64-decoded when flagged), or the raw payload text. */
  body: string;
  /** Web-style body parsed as JSON when possible. */
  json?: unknown;
  headers?: Record<string, string>;
  executedVersion?: string;
  logTail: string;
}

/** Declarative expectations applied to the function's returned payload. */
export interface InvokeExpectation {
  /** Status code of a web-style response ({ statusCode, body }). */
  statusCode?: ResponseExpectation['status'];
  headers?: ResponseExpectation['headers'];
  bodyContains?: ResponseExpectation['bodyContains'];
  bodyMatches?: ResponseExpectation['bodyMatches'];
  /** JSON subset of the web-style body, or of the whole payload when it is not web-style. */
  json?: unknown;
}

export interface InvokeTargetOptions extends CommonCheckOptions {
  /** @default the deployment's function (Lambda context) */
  functionName?: string;
  /** Version or alias. @default the deployment's target version, when invoking the deployment's function */
  qualifier?: string;
  /** @default {} */
  payload?: InvokePayload;
  /** Several payloads run in order as a suite; each is a case in details. */
  payloads?: InvokePayload[];
  expect?: InvokeExpectation | ExpectPredicate<InvokeResponse>;
  /** n invocations of the same payload; passes when successes/n >= minSuccessRatio. */
  burst?: { count: number; concurrency?: number; minSuccessRatio: number };
  /** How much of the decoded log tail to keep in details, in characters. @default 4096 */
  maxLogChars?: number;
}

const KEYS = [...COMMON_KEYS, 'functionName', 'qualifier', 'payload', 'payloads', 'expect', 'burst', 'maxLogChars'];
const INVOKE_EXPECT_KEYS = ['statusCode', 'headers', 'bodyContains', 'bodyMatches', 'json'];

interface CaseResult {
  name: string;
  state: CheckState;
  reason: string;
  durationMs: number;
  executedVersion?: string;
  functionError?: string;
  logTail?: string;
}

/**
 * Creates the invokeTarget check. Options are validated now; nothing is called until run.
 *
 * @example
 * invokeTarget({
 *   payload: apiGatewayRestEvent({ method: 'GET', path: '/health' }),
 *   expect: { statusCode: 200, json: { status: 'ok' } },
 * });
 */
export function invokeTarget(options: InvokeTargetOptions = {}): Check {
  const f = 'invokeTarget';
  if (!isPlainObject(options as unknown)) throw new OptionsError(f, 'options must be an object');
  rejectUnknownKeys(options as unknown as Record<string, unknown>, KEYS, f);
  const common = commonCheckFields(options, f);
  if (options.functionName !== undefined && (typeof options.functionName !== 'string' || options.functionName === '')) {
    throw new OptionsError(`${f}.functionName`, 'must be a non-empty string');
  }
  if (options.qualifier !== undefined && (typeof options.qualifier !== 'string' || options.qualifier === '')) {
    throw new OptionsError(`${f}.qualifier`, 'must be a non-empty string (a version number or an alias)');
  }
  if (options.payload !== undefined && options.payloads !== undefined) throw new OptionsError(`${f}.payloads`, 'give either payload or payloads, not both');
  if (options.payloads !== undefined && (!Array.isArray(options.payloads) || options.payloads.length === 0)) {
    throw new OptionsError(`${f}.payloads`, 'must be a non-empty array');
  }
  const payloads: InvokePayload[] = options.payloads ?? [options.payload ?? {}];
  payloads.forEach((p, i) => validatePayload(p, options.payloads ? `${f}.payloads[${i}]` : `${f}.payload`));
  let expectation: ResponseExpectation | undefined;
  let predicate: ExpectPredicate<InvokeResponse> | undefined;
  if (typeof options.expect === 'function') predicate = options.expect as ExpectPredicate<InvokeResponse>;
  else if (options.expect !== undefined) expectation = validateExpectation(options.expect, `${f}.expect`, INVOKE_EXPECT_KEYS, 'statusCode');
  const burst = options.burst === undefined ? undefined : validateBurst(options.burst, `${f}.burst`);
  if (burst && options.payloads) throw new OptionsError(`${f}.burst`, 'runs one payload; it cannot be combined with payloads');
  const maxLogChars = options.maxLogChars === undefined ? 4096 : positiveInteger(options.maxLogChars, `${f}.maxLogChars`);

  return {
    name: options.functionName ? `invokeTarget ${options.functionName}` : 'invokeTarget',
    ...common,
    async run(ctx) {
      const target = resolveTarget(ctx, options);
      if (typeof target === 'string') return { state: 'error', reason: target };
      const lambda = ctx.clients.get('lambda', () => new LambdaClient({}));
      const label = target.qualifier ? `${target.functionName}:${target.qualifier}` : target.functionName;

      const invokeOnce = async (payload: InvokePayload, name: string): Promise<CaseResult> => {
        const started = performance.now();
        const done = (state: CheckState, reason: string, extra: Partial<CaseResult> = {}): CaseResult => ({
          name,
          state,
          reason,
          durationMs: Math.round(performance.now() - started),
          ...extra,
        });
        let bytes: Uint8Array;
        try {
          bytes = await encodePayload(payload, ctx);
        } catch (error) {
          return done('error', `payload factory failed: ${describeError(error).message}`);
        }
        let out: InvokeCommandOutput;
        try {
          out = await lambda.send(
            new InvokeCommand({
              FunctionName: target.functionName,
              Qualifier: target.qualifier,
              InvocationType: 'RequestResponse',
              LogType: 'Tail',
              Payload: bytes,
            }),
            { abortSignal: ctx.signal },
          );
        } catch (error) {
          if (ctx.signal.aborted) return done('error', `invoking ${label} did not finish: ${abortReason(ctx.signal)}`);
          return done('error', invokeErrorReason(error, label));
        }
        const logTail = decodeLogTail(out.LogResult, maxLogChars);
        const executedVersion = out.ExecutedVersion;
        const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
        const extra = { executedVersion, logTail };
        if (out.FunctionError) {
          const err = parseJson(text) as { errorType?: unknown; errorMessage?: unknown } | undefined;
          const type = typeof err?.errorType === 'string' ? err.errorType : out.FunctionError;
          const message = typeof err?.errorMessage === 'string' ? err.errorMessage : clip(text);
          return done('failed', `${label} returned a function error: ${type}: ${message}`, { ...extra, functionError: out.FunctionError });
        }
        if (target.qualifier && /^\d+$/.test(target.qualifier) && executedVersion !== undefined && executedVersion !== target.qualifier) {
          return done('failed', `invoked ${label} but version ${executedVersion} executed`, extra);
        }
        const response = toInvokeResponse(text, executedVersion, logTail);
        const miss = predicate
          ? await runPredicate(predicate, response)
          : expectation
            ? checkExpectation(expectation, toObserved(response), 'statusCode')
            : undefined;
        if (miss) return done('failed', `${label}: ${miss}`, extra);
        const summary = response.statusCode !== undefined ? ` (statusCode ${response.statusCode})` : '';
        return done('passed', `${label} returned${summary} as expected`, { executedVersion });
      };

      const firstPayload = payloads[0] as InvokePayload;
      if (burst) return runBurst(burst, () => invokeOnce(firstPayload, 'burst'), label);
      if (payloads.length === 1) {
        const one = await invokeOnce(firstPayload, label);
        return { state: one.state, reason: one.reason, details: { functionName: target.functionName, qualifier: target.qualifier, ...stripName(one) } };
      }
      const cases: CaseResult[] = [];
      for (const [i, p] of payloads.entries()) {
        if (ctx.signal.aborted) break;
        cases.push(await invokeOnce(p, caseName(p, i)));
      }
      return suiteOutcome(cases, payloads.length, label, target, ctx);
    },
  };
}

function validatePayload(payload: unknown, field: string): void {
  if (typeof payload === 'function' || payload === undefined) return;
  if (typeof payload === 'string') {
    if (parseJson(payload) === undefined && payload.trim() !== 'null') throw new OptionsError(field, 'a string payload is sent as is and must be JSON text');
    return;
  }
  try {
    JSON.stringify(payload);
  } catch (error) {
    throw new OptionsError(field, `is not JSON-serializable: ${describeError(error).message}`);
  }
}

function validateBurst(value: unknown, field: string): { count: number; concurrency: number; minSuccessRatio: number } {
  if (!isPlainObject(value)) throw new OptionsError(field, 'must be { count, concurrency?, minSuccessRatio }');
  rejectUnknownKeys(value, ['count', 'concurrency', 'minSuccessRatio'], field);
  const count = positiveInteger(value.count, `${field}.count`);
  const concurrency = value.concurrency === undefined ? Math.min(count, 10) : positiveInteger(value.concurrency, `${field}.concurrency`);
  if (value.minSuccessRatio === undefined) throw new OptionsError(`${field}.minSuccessRatio`, 'is required (a number between 0 and 1)');
  return { count, concurrency, minSuccessRatio: ratio(value.minSuccessRatio, `${field}.minSuccessRatio`) };
}

/** The function and qualifier to invoke, or a reason why there is none. */
function resolveTarget(ctx: CheckContext, options: InvokeTargetOptions): { functionName: string; qualifier?: string } | string {
  const hook = ctx.hook;
  if (options.functionName) {
    // The deployment's target version is only meaningful for the deployment's own function.
    const same = hook.platform === 'Lambda' && sameFunction(options.functionName, hook.functionName);
    const qualifier = options.qualifier ?? (same && hook.platform === 'Lambda' ? hook.targetVersion : undefined);
    return { functionName: options.functionName, ...(qualifier ? { qualifier } : {}) };
  }
  if (hook.platform !== 'Lambda') {
    return `invokeTarget: this is an ${hook.platform} deployment, which has no Lambda function to invoke; set functionName`;
  }
  return { functionName: hook.functionName, qualifier: options.qualifier ?? hook.targetVersion };
}

/** Compares a name or ARN to a function name (ARNs end in `:function:<name>` plus an optional qualifier). */
function sameFunction(given: string, name: string): boolean {
  const bare = (s: string) => s.match(/:function:([^:]+)/)?.[1] ?? s;
  return bare(given) === bare(name);
}

async function encodePayload(payload: InvokePayload, ctx: CheckContext): Promise<Uint8Array> {
  const value: unknown = typeof payload === 'function' ? await (payload as (c: CheckContext) => unknown)(ctx) : payload;
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? {});
  return new TextEncoder().encode(text);
}

function decodeLogTail(logResult: string | undefined, maxChars: number): string {
  if (!logResult) return '';
  const text = Buffer.from(logResult, 'base64').toString('utf8');
  // Keep the end: the error and the REPORT line are the last lines of the tail.
  return text.length > maxChars ? `…${text.slice(text.length - maxChars)}` : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a payload as a web-style response when it has a numeric statusCode. */
function toInvokeResponse(text: string, executedVersion: string | undefined, logTail: string): InvokeResponse {
  const payload = parseJson(text) ?? text;
  const base = { payload, executedVersion, logTail };
  if (isPlainObject(payload) && typeof payload.statusCode === 'number') {
    let body = typeof payload.body === 'string' ? payload.body : payload.body === undefined ? '' : JSON.stringify(payload.body);
    if (payload.isBase64Encoded === true) body = Buffer.from(body, 'base64').toString('utf8');
    const headers = isPlainObject(payload.headers) ? Object.fromEntries(Object.entries(payload.headers).map(([k, v]) => [k, String(v)])) : undefined;
    const json = parseJson(body);
    return { ...base, statusCode: payload.statusCode, body, ...(headers ? { headers } : {}), ...(json !== undefined ? { json } : {}) };
  }
  return { ...base, body: text };
}

function toObserved(r: InvokeResponse): ObservedResponse {
  if (r.statusCode !== undefined) return { status: r.statusCode, headers: r.headers, body: r.body };
  // Not web-style: the whole payload is the "body" and JSON expectations apply to it.
  return { body: r.body, parsed: { value: r.payload } };
}

function invokeErrorReason(error: unknown, label: string): string {
  const { name, message } = describeError(error);
  const hint =
    name === 'AccessDeniedException'
      ? ' (the hook role needs lambda:InvokeFunction on both the function ARN and the ARN with :* so qualified invokes are allowed)'
      : name === 'ResourceNotFoundException'
        ? ' (does the function and version exist in this account and region?)'
        : '';
  return `Lambda Invoke of ${label} failed: ${name}: ${message}${hint}`;
}

function caseName(payload: unknown, index: number): string {
  if (isPlainObject(payload)) {
    const method = payload.httpMethod ?? (isPlainObject(payload.requestContext) && isPlainObject(payload.requestContext.http) ? payload.requestContext.http.method : undefined);
    const path = payload.path ?? payload.rawPath;
    if (typeof method === 'string' && typeof path === 'string') return `case ${index + 1}: ${method} ${path}`;
  }
  return `case ${index + 1}`;
}

function stripName({ name: _name, ...rest }: CaseResult): Omit<CaseResult, 'name'> {
  return rest;
}

function suiteOutcome(
  cases: CaseResult[],
  total: number,
  label: string,
  target: { functionName: string; qualifier?: string },
  ctx: CheckContext,
): CheckOutcome {
  const details = { functionName: target.functionName, qualifier: target.qualifier, cases };
  const failed = cases.filter((c) => c.state === 'failed');
  const errored = cases.filter((c) => c.state === 'error');
  const first = failed[0] ?? errored[0];
  if (first) {
    return { state: failed.length > 0 ? 'failed' : 'error', reason: `${failed.length + errored.length} of ${total} cases did not pass; ${first.name}: ${first.reason}`, details };
  }
  if (cases.length < total) return { state: 'error', reason: `suite stopped after ${cases.length} of ${total} cases: ${abortReason(ctx.signal)}`, details };
  return { state: 'passed', reason: `all ${total} cases of ${label} passed`, details };
}

async function runBurst(
  burst: { count: number; concurrency: number; minSuccessRatio: number },
  once: () => Promise<CaseResult>,
  label: string,
): Promise<CheckOutcome> {
  const results: CaseResult[] = [];
  await runPool(burst.count, burst.concurrency, async () => {
    results.push(await once());
  });
  const succeeded = results.filter((r) => r.state === 'passed').length;
  const successRatio = succeeded / burst.count;
  const failures = new Map<string, number>();
  for (const r of results) if (r.state !== 'passed') failures.set(r.reason, (failures.get(r.reason) ?? 0) + 1);
  const details = {
    count: burst.count,
    concurrency: burst.concurrency,
    succeeded,
    failed: burst.count - succeeded,
    successRatio,
    minSuccessRatio: burst.minSuccessRatio,
    latency: latencyFigures(results.map((r) => r.durationMs)),
    failures: [...failures].slice(0, 5).map(([reason, count]) => ({ reason, count })),
  };
  const figures = `${succeeded}/${burst.count} invocations of ${label} succeeded (ratio ${successRatio.toFixed(2)}, required ${burst.minSuccessRatio})`;
  if (successRatio >= burst.minSuccessRatio) return { state: 'passed', reason: figures, details };
  const top = details.failures[0];
  return { state: 'failed', reason: `${figures}; most common failure: ${top?.reason ?? 'none'}`, details };
}
