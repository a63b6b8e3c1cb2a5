import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../state/aws-error.js';
import type { World, ServiceName } from '../state/world.js';
import { cloudWatchOperations } from './handlers/cloudwatch.js';
import { codeDeployOperations } from './handlers/codedeploy.js';
import { ecsOperations } from './handlers/ecs.js';
import { elbv2Operations } from './handlers/elbv2.js';
import { logsOperations } from './handlers/logs.js';
import { matchLambdaRoute } from './handlers/lambda.js';
import { checkInputShape } from './handlers/input-shapes.js';
import type { OperationTable } from './handlers/types.js';
import { parseJsonBody, toJson } from './json-codec.js';
import { parseQueryBody, queryError, queryResponse } from './query-codec.js';

/**
 * Recognises which service, protocol and operation a request is for, and
 * knows how that protocol writes results and errors.
 */

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IncomingCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Route {
  service: ServiceName | 'unknown';
  operation: string;
  run(world: World): Promise<Reply>;
  error(err: AwsServiceError): Reply;
}

const CW_XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const ELB_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** CloudWatch's legacy query codes -> the JSON shape names the current SDK knows. */
const CW_JSON_SHAPES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidFormat: 'InvalidFormatFault',
  LimitExceeded: 'LimitExceededFault',
  ValidationError: 'ValidationException',
  InternalServiceError: 'InternalServiceFault',
  Throttling: 'ThrottlingException',
};

/** Each service's own throttling and server error codes, for faults. */
export const SERVICE_ERRORS: Record<ServiceName, { throttle: [string, number]; e500: [string, number]; e503: [string, number] }> = {
  codedeploy: { throttle: ['ThrottlingException', 400], e500: ['InternalFailure', 500], e503: ['ServiceUnavailable', 503] },
  cloudwatch: { throttle: ['Throttling', 400], e500: ['InternalServiceError', 500], e503: ['ServiceUnavailable', 503] },
  lambda: { throttle: ['TooManyRequestsException', 429], e500: ['ServiceException', 500], e503: ['ServiceException', 503] },
  elbv2: { throttle: ['Throttling', 400], e500: ['InternalFailure', 500], e503: ['ServiceUnavailable', 503] },
  ecs: { throttle: ['ThrottlingException', 400], e500: ['ServerException', 500], e503: ['ServerException', 503] },
  logs: { throttle: ['ThrottlingException', 400], e500: ['ServiceUnavailableException', 500], e503: ['ServiceUnavailableException', 503] },
};

function header(call: IncomingCall, name: string): string | undefined {
  const v = call.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function jsonRpc(call: IncomingCall, service: ServiceName, table: OperationTable, operation: string, version: '1.0' | '1.1', queryCompatible: boolean): Route {
  const contentType = `application/x-amz-json-${version}`;
  const error = (err: AwsServiceError): Reply => {
    const requestId = randomUUID();
    const type = queryCompatible ? CW_JSON_SHAPES[err.code] ?? err.code : err.code;
    return {
      status: err.status,
      headers: {
        'content-type': contentType,
        'x-amzn-requestid': requestId,
        ...(queryCompatible ? { 'x-amzn-query-error': `${err.code};${err.sender ? 'Sender' : 'Receiver'}` } : {}),
      },
      body: JSON.stringify({ __type: type, message: err.message }),
    };
  };
  return {
    service, operation, error,
    async run(world) {
      const handler = Object.hasOwn(table, operation) ? table[operation] : undefined;
      if (!handler) {
        throw new AwsServiceError(queryCompatible ? 'InvalidAction' : 'UnknownOperationException', `The operation ${operation} is not supported by the codedeploy-hooks emulator.`);
      }
      const input = parseJsonBody(call.body);
      checkInputShape(operation, input);
      const out = await handler(input, world);
      return { status: 200, headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID() }, body: toJson(out ?? {}) };
    },
  };
}

function query(service: Route['service'], table: OperationTable, operation: string, params: Record<string, unknown>, xmlns: string): Route {
  return {
    service, operation,
    error: (err) => ({
      status: err.status,
      headers: { 'content-type': 'text/xml' },
      body: queryError(xmlns, err.code, err.message, err.sender, randomUUID()),
    }),
    async run(world) {
      const handler = Object.hasOwn(table, operation) ? table[operation] : undefined;
      if (!handler) throw new AwsServiceError('InvalidAction', `The action ${operation} is not valid for this web service.`);
      checkInputShape(operation, params, 'ValidationError');
      const out = await handler(params, world);
      const requestId = randomUUID();
      return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: queryResponse(operation, xmlns, out ?? {}, requestId) };
    },
  };
}

/** A query-protocol route that always answers with one error, in XML. */
function queryFailing(service: Route['service'], operation: string, xmlns: string, err: AwsServiceError): Route {
  return { ...query(service, {}, operation, {}, xmlns), run: () => Promise.reject(err) };
}

/** A route that always answers with one error in a neutral JSON form. */
function failing(service: Route['service'], operation: string, err: AwsServiceError): Route {
  const error = (e: AwsServiceError): Reply => ({
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code },
    body: JSON.stringify({ __type: e.code, message: e.message }),
  });
  return { service, operation, error, run: () => Promise.reject(err) };
}

export function route(call: IncomingCall): Route {
  const target = header(call, 'x-amz-target');
  if (target) {
    const dot = target.indexOf('.');
    const prefix = dot >= 0 ? target.slice(0, dot) : target;
    const op = dot >= 0 ? target.slice(dot + 1) : '';
    if (prefix === 'CodeDeploy_20141006') return jsonRpc(call, 'codedeploy', codeDeployOperations, op, '1.1', false);
    if (prefix === 'GraniteServiceVersion20100801') return jsonRpc(call, 'cloudwatch', cloudWatchOperations, op, '1.0', true);
    if (prefix === 'AmazonEC2ContainerServiceV20141113') return jsonRpc(call, 'ecs', ecsOperations, op, '1.1', false);
    if (prefix === 'Logs_20140328') return jsonRpc(call, 'logs', logsOperations, op, '1.1', false);
    return failing('unknown', target, new AwsServiceError('UnknownOperationException', `The target ${target} is not served by the codedeploy-hooks emulator (CodeDeploy_20141006.*, GraniteServiceVersion20100801.*, AmazonEC2ContainerServiceV20141113.* and Logs_20140328.* are).`));
  }
  if (call.path.startsWith('/2015-03-31/functions')) return matchLambdaRoute(call);
  if (call.path.startsWith('/service/')) {
    return failing('unknown', call.path, new AwsServiceError('UnknownOperationException', 'The Smithy RPC v2 CBOR protocol is not supported by the codedeploy-hooks emulator; use a JSON or query client.'));
  }
  const contentType = header(call, 'content-type') ?? '';
  if (call.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
    let parsed: ReturnType<typeof parseQueryBody>;
    try {
      parsed = parseQueryBody(call.body);
    } catch (err) {
      const e = err instanceof AwsServiceError ? err : new AwsServiceError('MalformedQueryString', String(err));
      const scope = credentialScope(call);
      const xmlns = scope === 'elasticloadbalancing' ? ELB_XMLNS : CW_XMLNS;
      return queryFailing(scope === 'elasticloadbalancing' ? 'elbv2' : 'cloudwatch', 'Unknown', xmlns, e);
    }
    const { action, version, params } = parsed;
    const scope = credentialScope(call);
    const isElb = version === '2015-12-01' || (!version && scope === 'elasticloadbalancing');
    const isCw = version === '2010-08-01' || (!version && scope === 'monitoring');
    if (isElb || isCw) {
      const xmlns = isElb ? ELB_XMLNS : CW_XMLNS;
      const service: ServiceName = isElb ? 'elbv2' : 'cloudwatch';
      const table = isElb ? elbv2Operations : cloudWatchOperations;
      if (!action) {
        return queryFailing(service, 'Unknown', xmlns, new AwsServiceError('MissingAction', 'The request must contain the parameter Action.'));
      }
      return query(service, table, action, params, xmlns);
    }
    // Another query service (SNS, SQS's old protocol, ...) or a wrong Version: still an XML error, which query clients parse.
    return queryFailing('unknown', action ?? 'Unknown', scope === 'elasticloadbalancing' ? ELB_XMLNS : CW_XMLNS,
      new AwsServiceError('InvalidAction', `Query requests need Version=2010-08-01 (CloudWatch) or Version=2015-12-01 (ELBv2); got ${String(version)}.`));
  }
  return failing('unknown', `${call.method} ${call.path}`, new AwsServiceError('UnknownOperationException', `No emulated operation matches ${call.method} ${call.path}.`, 404));
}

/** The SigV4 credential scope's service (`…/us-east-1/monitoring/aws4_request`), when signed. */
function credentialScope(call: IncomingCall): string | undefined {
  const auth = header(call, 'authorization') ?? '';
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
}
