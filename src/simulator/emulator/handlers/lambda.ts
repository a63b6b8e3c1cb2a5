import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../../state/aws-error.js';
import type { LambdaAlias, LambdaFunction } from '../../state/lambda.js';
import { splitQualifier } from '../../state/lambda.js';
import type { World } from '../../state/world.js';
import type { IncomingCall, Reply, Route } from '../protocols.js';

/**
 * Lambda (restJson1): Invoke, GetAlias, GetFunction. Errors carry the code in
 * `x-amzn-errortype` and `{Type, message}` in the body, as Lambda does.
 */

function errorReply(err: AwsServiceError): Reply {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ Type: err.sender ? 'User' : 'Service', message: err.message, Message: err.message }),
  };
}

function json(body: unknown): Reply {
  return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function configuration(world: World, fn: LambdaFunction, version: string): Record<string, unknown> {
  const v = world.lambda.getVersion(fn.FunctionName, version);
  return {
    FunctionName: fn.FunctionName,
    FunctionArn: version === '$LATEST' ? fn.FunctionArn : `${fn.FunctionArn}:${version}`,
    Runtime: fn.Runtime, Role: fn.Role, Handler: fn.Handler,
    CodeSize: 1024, Description: v.Description || fn.Description, Timeout: fn.Timeout, MemorySize: fn.MemorySize,
    LastModified: v.LastModified, CodeSha256: v.CodeSha256, Version: version,
    TracingConfig: { Mode: 'PassThrough' }, RevisionId: randomUUID(),
    State: 'Active', LastUpdateStatus: 'Successful', PackageType: 'Zip', Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
  };
}

function aliasBody(a: LambdaAlias): Record<string, unknown> {
  return { ...a };
}

/** The path segments after /2015-03-31/functions, percent-decoded; undefined when one is malformed (`%E0%A4%A`). */
function pathSegments(path: string): string[] | undefined {
  try {
    return path.split('/').slice(3).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function matchLambdaRoute(call: IncomingCall): Route {
  const segments = pathSegments(call.path);
  if (!segments) {
    const err = new AwsServiceError('InvalidParameterValueException', `The request path ${call.path.slice(0, 200)} has a malformed percent-encoding.`);
    return { service: 'lambda', operation: 'Unknown', run: () => Promise.reject(err), error: errorReply };
  }
  const [nameOrArn, sub, subName] = segments;
  let operation = 'Unknown';
  let run: (world: World) => Promise<Reply>;
  if (call.method === 'POST' && sub === 'invocations' && segments.length === 2) {
    operation = 'Invoke';
    run = async (world): Promise<Reply> => {
      const type = header(call, 'x-amz-invocation-type') ?? 'RequestResponse';
      if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
        throw new AwsServiceError('InvalidParameterValueException', `Unsupported invocation type ${type}.`);
      }
      const qualifier = call.query.get('Qualifier') ?? undefined;
      const { name, qualifier: inName } = splitQualifier(nameOrArn ?? '');
      world.lambda.getFunction(name);
      if (type === 'DryRun') return { status: 204, headers: {}, body: '' };
      const logType = header(call, 'x-amz-log-type') === 'Tail' ? 'Tail' : 'None';
      const outcome = world.lambda.invoke({
        functionName: nameOrArn ?? '',
        ...(qualifier ?? inName ? { qualifier: (qualifier ?? inName)! } : {}),
        payload: call.body,
        logType,
      });
      if (type === 'Event') {
        outcome.catch(() => undefined); // async invocation: the caller never sees the result
        return { status: 202, headers: { 'x-amzn-requestid': randomUUID() }, body: '' };
      }
      const r = await outcome;
      return {
        status: 200,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': r.requestId,
          'x-amz-executed-version': r.executedVersion,
          ...(r.functionError ? { 'x-amz-function-error': r.functionError } : {}),
          ...(r.logResult ? { 'x-amz-log-result': r.logResult } : {}),
        },
        body: r.payload,
      };
    };
  } else if (call.method === 'GET' && sub === 'aliases' && subName && segments.length === 3) {
    operation = 'GetAlias';
    run = async (world) => json(aliasBody(world.lambda.getAlias(nameOrArn, subName)));
  } else if (call.method === 'GET' && nameOrArn && segments.length === 1) {
    operation = 'GetFunction';
    run = async (world) => {
      const { name, qualifier: inName } = splitQualifier(nameOrArn);
      const fn = world.lambda.getFunction(name);
      const qualifier = call.query.get('Qualifier') ?? inName;
      let version = '$LATEST';
      if (qualifier && qualifier !== '$LATEST') {
        if (fn.versions.has(qualifier)) version = qualifier;
        else if (fn.aliases.has(qualifier)) version = fn.aliases.get(qualifier)!.FunctionVersion;
        else throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${fn.FunctionArn}:${qualifier}`, 404);
      }
      return json({
        Configuration: configuration(world, fn, version),
        Code: { RepositoryType: 'S3', Location: `https://awslambda-${world.region}-tasks.s3.${world.region}.amazonaws.com/snapshots/${world.accountId}/${fn.FunctionName}` },
        Tags: {},
      });
    };
  } else {
    const err = new AwsServiceError('UnknownOperationException', `No emulated Lambda operation matches ${call.method} ${call.path}; supported: Invoke, GetAlias, GetFunction.`, 404);
    run = () => Promise.reject(err);
  }
  return { service: 'lambda', operation, run, error: errorReply };
}
