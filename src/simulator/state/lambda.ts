import { AwsServiceError } from './aws-error.js';
import type { CloudWatchState } from './cloudwatch.js';
import type { MetricDatumInput } from './metric-store.js';

/**
 * Lambda's side of the world: functions, published versions, weighted aliases,
 * and Invoke, which runs the code through an invoker callback the engine
 * registers and records AWS/Lambda metrics the way Lambda does (research §6.4).
 */

export interface InvokeRequest {
  functionName: string;
  /** The version that runs ('$LATEST', '1', ...). */
  version: string;
  /** What the caller asked for: undefined, a version or an alias name. */
  qualifier?: string;
  alias?: string;
  payload: string;
  /** The invocation's RequestId: in the log tail and the response's x-amzn-RequestId. */
  requestId: string;
}

export interface InvokeResult {
  payload: string;
  /** 'Unhandled' or 'Handled' when the function errored (X-Amz-Function-Error). */
  functionError?: string;
  logTail?: string;
  /** Overrides the measured duration (ms) recorded as the Duration metric. */
  durationMs?: number;
  /** The call was throttled: 429 TooManyRequestsException and a Throttles metric. */
  throttled?: boolean;
  /** "Max Memory Used" in the log's REPORT line (MB); the simulator cannot measure it per call. */
  maxMemoryUsedMb?: number;
}

export type Invoker = (req: InvokeRequest) => InvokeResult | Promise<InvokeResult>;

/** Context given to a per-version handler (a subset of the Lambda context). */
export interface VersionHandlerContext {
  functionName: string;
  functionVersion: string;
  alias?: string;
  awsRequestId: string;
  invokedFunctionArn: string;
}

/**
 * A version's code as a plain async function: its return value is the JSON
 * response payload; a throw is an Unhandled function error.
 */
export type VersionHandler = (payload: unknown, ctx: VersionHandlerContext) => unknown;

export interface LambdaVersion {
  Version: string;
  Description: string;
  CodeSha256: string;
  LastModified: string;
}

export interface LambdaAlias {
  AliasArn: string;
  Name: string;
  FunctionVersion: string;
  Description: string;
  RevisionId: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
}

export interface LambdaFunction {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Handler: string;
  Role: string;
  Timeout: number;
  MemorySize: number;
  Description: string;
  versions: Map<string, LambdaVersion>;
  aliases: Map<string, LambdaAlias>;
  invoker?: Invoker;
  handlers: Map<string, VersionHandler>;
}

export interface InvokeOutcome {
  statusCode: number;
  payload: string;
  executedVersion: string;
  functionError?: string;
  logResult?: string;
  requestId: string;
}

export class LambdaState {
  readonly functions = new Map<string, LambdaFunction>();
  private invoker?: Invoker;
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly cloudWatch: CloudWatchState;

  constructor(opts: { region: string; accountId: string; now: () => number; random: () => number; cloudWatch: CloudWatchState }) {
    this.region = opts.region;
    this.accountId = opts.accountId;
    this.now = opts.now;
    this.random = opts.random;
    this.cloudWatch = opts.cloudWatch;
  }

  /** The default invoker for functions without their own. */
  setInvoker(invoker: Invoker | undefined): void {
    this.invoker = invoker;
  }

  createFunction(input: { functionName: string; runtime?: string; handler?: string; timeout?: number; memorySize?: number; description?: string; invoker?: Invoker }): LambdaFunction {
    if (this.functions.has(input.functionName)) throw new AwsServiceError('ResourceConflictException', `Function already exist: ${input.functionName}`, 409);
    const fn: LambdaFunction = {
      FunctionName: input.functionName,
      FunctionArn: this.functionArn(input.functionName),
      Runtime: input.runtime ?? 'nodejs22.x',
      Handler: input.handler ?? 'index.handler',
      Role: `arn:aws:iam::${this.accountId}:role/${input.functionName}-role`,
      Timeout: input.timeout ?? 3,
      MemorySize: input.memorySize ?? 128,
      Description: input.description ?? '',
      versions: new Map(),
      aliases: new Map(),
      handlers: new Map(),
      ...(input.invoker ? { invoker: input.invoker } : {}),
    };
    fn.versions.set('$LATEST', this.version('$LATEST', ''));
    this.functions.set(fn.FunctionName, fn);
    return fn;
  }

  setFunctionInvoker(functionName: string, invoker: Invoker | undefined): void {
    const fn = this.getFunction(functionName);
    if (invoker) fn.invoker = invoker;
    else delete fn.invoker;
  }

  /**
   * Registers the code of one version ('$LATEST', '1', ...). Wins over the
   * function's and the world's invoker for that version.
   */
  setVersionHandler(functionName: string, version: string, handler: VersionHandler | undefined): void {
    const fn = this.getFunction(functionName);
    this.requireVersion(fn, version);
    if (handler) fn.handlers.set(version, handler);
    else fn.handlers.delete(version);
  }

  /** Publishes the next numbered version ("1", "2", ...) and returns its number. */
  publishVersion(functionName: string, description = ''): string {
    const fn = this.getFunction(functionName);
    const next = String([...fn.versions.keys()].filter((v) => v !== '$LATEST').length + 1);
    fn.versions.set(next, this.version(next, description));
    return next;
  }

  /** Creates or replaces an alias; weights are fractions 0..1 of AdditionalVersionWeights. */
  putAlias(functionName: string, name: string, functionVersion: string, additionalVersionWeights?: Record<string, number>, description = ''): LambdaAlias {
    const fn = this.getFunction(functionName);
    this.requireVersion(fn, functionVersion);
    for (const [v, w] of Object.entries(additionalVersionWeights ?? {})) {
      this.requireVersion(fn, v);
      if (!(w >= 0 && w <= 1)) throw new AwsServiceError('InvalidParameterValueException', `Invalid weight ${w} for version ${v}: must be between 0.0 and 1.0.`);
    }
    const alias: LambdaAlias = {
      AliasArn: `${fn.FunctionArn}:${name}`,
      Name: name,
      FunctionVersion: functionVersion,
      Description: description,
      RevisionId: crypto.randomUUID(),
      ...(additionalVersionWeights && Object.keys(additionalVersionWeights).length ? { RoutingConfig: { AdditionalVersionWeights: { ...additionalVersionWeights } } } : {}),
    };
    fn.aliases.set(name, alias);
    return alias;
  }

  /** Moves alias traffic: `weights` as for putAlias; empty/undefined removes routing. */
  updateAliasRouting(functionName: string, name: string, functionVersion: string, weights?: Record<string, number>): LambdaAlias {
    const existing = this.getAlias(functionName, name);
    return this.putAlias(functionName, name, functionVersion, weights, existing.Description);
  }

  getFunction(functionName: string | undefined): LambdaFunction {
    const name = normaliseName(functionName ?? '');
    const fn = this.functions.get(name);
    if (!fn) throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${this.functionArn(name)}`, 404);
    return fn;
  }

  getAlias(functionName: string | undefined, name: string | undefined): LambdaAlias {
    const fn = this.getFunction(functionName);
    const alias = name ? fn.aliases.get(name) : undefined;
    if (!alias) throw new AwsServiceError('ResourceNotFoundException', `Alias not found: ${fn.FunctionArn}:${String(name)}`, 404);
    return alias;
  }

  getVersion(functionName: string, version: string): LambdaVersion {
    const fn = this.getFunction(functionName);
    return this.requireVersion(fn, version);
  }

  /** Which version an alias sends one invocation to (by weight, with the world's random source). */
  pickAliasVersion(alias: LambdaAlias): string {
    const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
    let r = this.random();
    for (const [v, w] of Object.entries(weights)) {
      if (r < w) return v;
      r -= w;
    }
    return alias.FunctionVersion;
  }

  /**
   * Invoke: `functionName` may carry a qualifier (`fn:alias`, a full ARN), or
   * pass `qualifier`. Records Invocations, Errors, Duration (and Throttles).
   */
  async invoke(input: { functionName: string; qualifier?: string; payload?: string; logType?: 'None' | 'Tail' }): Promise<InvokeOutcome> {
    const { name, qualifier: fromName } = splitQualifier(input.functionName);
    if (fromName && input.qualifier && fromName !== input.qualifier) {
      throw new AwsServiceError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
    }
    const qualifier = input.qualifier ?? fromName;
    const fn = this.getFunction(name);
    let version: string;
    let alias: string | undefined;
    if (!qualifier || qualifier === '$LATEST') version = '$LATEST';
    else if (fn.versions.has(qualifier)) version = qualifier;
    else if (fn.aliases.has(qualifier)) {
      alias = qualifier;
      version = this.pickAliasVersion(fn.aliases.get(qualifier)!);
    } else {
      throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${fn.FunctionArn}:${qualifier}`, 404);
    }
    const handler = fn.handlers.get(version);
    const invoker: Invoker | undefined = handler ? (req) => runHandler(handler, req, fn.FunctionArn) : fn.invoker ?? this.invoker;
    const payload = input.payload ?? '';
    if (payload) {
      try {
        JSON.parse(payload);
      } catch {
        throw new AwsServiceError('InvalidRequestContentException', 'Could not parse request body into json: Unexpected character.', 400);
      }
    }
    const requestId = crypto.randomUUID();
    const started = this.now();
    let result: InvokeResult;
    if (!invoker) {
      result = { payload: JSON.stringify({ errorMessage: `no code is attached to ${fn.FunctionName} in the simulator`, errorType: 'Runtime.HandlerNotFound' }), functionError: 'Unhandled' };
    } else {
      try {
        result = await invoker({ functionName: fn.FunctionName, version, ...(qualifier ? { qualifier } : {}), ...(alias ? { alias } : {}), payload, requestId });
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        result = { payload: JSON.stringify({ errorMessage: e.message, errorType: e.name, trace: (e.stack ?? '').split('\n') }), functionError: 'Unhandled', logTail: `${e.stack ?? e.message}\n` };
      }
    }
    const durationMs = result.durationMs ?? this.now() - started;
    this.recordMetrics(fn.FunctionName, version, qualifier, alias, result, durationMs);
    if (result.throttled) throw new AwsServiceError('TooManyRequestsException', 'Rate Exceeded.', 429);
    const logResult = input.logType === 'Tail' ? tail4k(invocationLog(requestId, version, fn.MemorySize, result, durationMs)).toString('base64') : undefined;
    return {
      requestId,
      statusCode: 200,
      payload: result.payload,
      executedVersion: version,
      ...(result.functionError ? { functionError: result.functionError } : {}),
      ...(logResult ? { logResult } : {}),
    };
  }

  private recordMetrics(fnName: string, version: string, qualifier: string | undefined, alias: string | undefined, r: InvokeResult, durationMs: number): void {
    if (r.throttled) {
      for (const dimensions of metricDimensions(fnName, version, qualifier, alias)) {
        this.cloudWatch.putMetric({ namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions, value: 1, timestamp: this.now(), unit: 'Count' });
      }
      return;
    }
    this.recordInvocations({ functionName: fnName, version, ...(qualifier ? { qualifier } : {}), ...(alias ? { alias } : {}), count: 1, errors: r.functionError ? 1 : 0, durationMs });
  }

  /**
   * The AWS/Lambda metrics of `count` invocations of one version at once (the
   * simulator's traffic records a simulated second of requests this way): the
   * same series and units as one Invoke records, Invocations and Errors as
   * statistic sets so Sum and SampleCount come out as for single requests.
   */
  recordInvocations(m: { functionName: string; version: string; qualifier?: string; alias?: string; count: number; errors: number; durationMs: number; timestamp?: number }): void {
    if (m.count <= 0) return;
    const timestamp = m.timestamp ?? this.now();
    for (const dimensions of metricDimensions(m.functionName, m.version, m.qualifier, m.alias)) {
      this.cloudWatch.putMetricData('AWS/Lambda', [
        countDatum('Invocations', dimensions, m.count, m.count, timestamp),
        countDatum('Errors', dimensions, m.count, m.errors, timestamp),
        { MetricName: 'Duration', Dimensions: toDimensions(dimensions), Values: [m.durationMs], Counts: [m.count], Timestamp: timestamp, Unit: 'Milliseconds' },
      ]);
    }
  }

  private requireVersion(fn: LambdaFunction, version: string): LambdaVersion {
    const v = fn.versions.get(version);
    if (!v) throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${fn.FunctionArn}:${version}`, 404);
    return v;
  }

  private version(v: string, description: string): LambdaVersion {
    return {
      Version: v,
      Description: description,
      CodeSha256: Buffer.from(`${v}:${this.now()}`).toString('base64'),
      LastModified: new Date(this.now()).toISOString().replace('Z', '+0000'),
    };
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }
}

async function runHandler(handler: VersionHandler, req: InvokeRequest, arn: string): Promise<InvokeResult> {
  const payload: unknown = req.payload ? JSON.parse(req.payload) : {};
  const ctx: VersionHandlerContext = {
    functionName: req.functionName, functionVersion: req.version, awsRequestId: req.requestId,
    invokedFunctionArn: req.qualifier ? `${arn}:${req.qualifier}` : arn,
    ...(req.alias ? { alias: req.alias } : {}),
  };
  const out = await handler(payload, ctx);
  return { payload: out === undefined ? 'null' : JSON.stringify(out) };
}

/** Accepts `fn`, `fn:qualifier`, `arn:aws:lambda:r:a:function:fn[:qualifier]`, or the partial `a:function:fn`. */
export function splitQualifier(nameOrArn: string): { name: string; qualifier?: string } {
  const arn = /^(?:arn:aws[a-z-]*:lambda:[^:]*:)?\d{12}:function:([^:]+)(?::([^:]+))?$/.exec(nameOrArn);
  if (arn) return { name: arn[1]!, ...(arn[2] ? { qualifier: arn[2] } : {}) };
  const [name, qualifier] = nameOrArn.split(':');
  return { name: name ?? '', ...(qualifier ? { qualifier } : {}) };
}

function normaliseName(n: string): string {
  return splitQualifier(n).name;
}

/**
 * Without a measurement, "Max Memory Used" is this typical Node.js runtime
 * footprint, capped at the function's memory size.
 */
const ASSUMED_MEMORY_USED_MB = 64;

/** One invocation's log in the runtime's format: START, the function's output, END, REPORT. */
function invocationLog(requestId: string, version: string, memorySizeMb: number, r: InvokeResult, durationMs: number): string {
  const output = r.logTail ? (r.logTail.endsWith('\n') ? r.logTail : `${r.logTail}\n`) : '';
  const memoryUsed = Math.round(r.maxMemoryUsedMb ?? Math.min(memorySizeMb, ASSUMED_MEMORY_USED_MB));
  const report = [
    `REPORT RequestId: ${requestId}`, `Duration: ${durationMs.toFixed(2)} ms`, `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms`,
    `Memory Size: ${memorySizeMb} MB`, `Max Memory Used: ${memoryUsed} MB`,
  ].join('\t');
  return `START RequestId: ${requestId} Version: ${version}\n${output}END RequestId: ${requestId}\n${report}\t\n`;
}

/** Lambda returns the last 4 KB of the log; a cut never starts inside a UTF-8 character. */
function tail4k(s: string): Buffer {
  const b = Buffer.from(s);
  if (b.length <= 4096) return b;
  let start = b.length - 4096;
  while (start < b.length && (b[start]! & 0xc0) === 0x80) start++;
  return b.subarray(start);
}

/** The dimension sets an invocation is recorded under: the function, the qualifier, and for an alias the executed version. */
function metricDimensions(fnName: string, version: string, qualifier: string | undefined, alias: string | undefined): Record<string, string>[] {
  const sets: Record<string, string>[] = [{ FunctionName: fnName }];
  if (qualifier) sets.push({ FunctionName: fnName, Resource: `${fnName}:${qualifier}` });
  if (alias) sets.push({ FunctionName: fnName, Resource: `${fnName}:${alias}`, ExecutedVersion: version });
  return sets;
}

function toDimensions(dims: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
}

/** `count` samples of a 0/1 count metric, `hits` of them 1: one value for one request, else one statistic set. */
export function countDatum(metricName: string, dims: Record<string, string>, count: number, hits: number, timestamp: number): MetricDatumInput {
  return {
    MetricName: metricName,
    Dimensions: toDimensions(dims),
    ...(count === 1 ? { Value: hits } : { StatisticValues: { SampleCount: count, Sum: hits, Minimum: hits === count ? 1 : 0, Maximum: hits > 0 ? 1 : 0 } }),
    Timestamp: timestamp,
    Unit: 'Count',
  };
}
