/**
 * The sample application the template deploys and the simulator runs: a tiny
 * web API behind API Gateway, a Function URL or (in the simulator's ECS
 * scenarios) a local HTTP server. It accepts API Gateway REST (v1), HTTP API /
 * Function URL (v2) events and a bare `{ path, method }` smoke-test payload.
 */

export interface WebEvent {
  /** v1 (REST API) */
  httpMethod?: string;
  path?: string;
  /** v2 (HTTP API, Function URL) */
  rawPath?: string;
  requestContext?: { http?: { method?: string; path?: string } };
  /** Bare smoke-test payload. */
  method?: string;
  queryStringParameters?: Record<string, string | undefined> | null;
}

export interface WebResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const ITEMS = [
  { id: '1', name: 'canary', stock: 10 },
  { id: '2', name: 'linear', stock: 4 },
  { id: '3', name: 'all-at-once', stock: 0 },
];

export async function handler(event: WebEvent | null | undefined): Promise<WebResult> {
  const result = route(event);
  emitResponseMetric(result.statusCode);
  return result;
}

/**
 * In Lambda, one EMF line per response: CloudWatch Logs turns it into the metric
 * CodeDeployHooks/App Http5xx (1 for a 5xx, else 0) by FunctionName and ExecutedVersion,
 * and by FunctionName alone. Lambda's own Errors metric only counts thrown errors; this
 * is how the ready hooks and the alarms see a version answering 5xx without throwing.
 * (The simulator records the same metric itself.)
 */
function emitResponseMetric(statusCode: number): void {
  const fn = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const version = process.env.AWS_LAMBDA_FUNCTION_VERSION;
  if (!fn || !version) return;
  const line = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: 'CodeDeployHooks/App', Dimensions: [['FunctionName', 'ExecutedVersion'], ['FunctionName']], Metrics: [{ Name: 'Http5xx', Unit: 'Count' }] }],
    },
    FunctionName: fn,
    ExecutedVersion: version,
    Http5xx: statusCode >= 500 ? 1 : 0,
  };
  console.log(JSON.stringify(line));
}

function route(event: WebEvent | null | undefined): WebResult {
  const method = (event?.requestContext?.http?.method ?? event?.httpMethod ?? event?.method ?? 'GET').toUpperCase();
  const path = event?.rawPath ?? event?.requestContext?.http?.path ?? event?.path ?? '/';

  if (method !== 'GET' && method !== 'HEAD') return json(405, { message: `method ${method} not allowed` });
  if (path === '/health') return json(200, { status: 'ok' });
  if (path === '/items') return json(200, { items: ITEMS });
  const match = /^\/items\/([^/]+)$/.exec(path);
  if (match) {
    const item = ITEMS.find((i) => i.id === match[1]);
    return item ? json(200, item) : json(404, { message: `item ${match[1]} not found` });
  }
  return json(404, { message: `no route for ${method} ${path}` });
}

function json(statusCode: number, body: unknown): WebResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
